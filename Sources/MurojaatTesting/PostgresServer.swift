public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL 15 for tests: a cluster of its own under a temporary directory, on a free loopback port,
/// trusting every local login, never touching the system's cluster. PostgreSQL refuses to run as root, so when the
/// tests run as root the cluster belongs to the `postgres` system user that Debian's package creates.
///
/// One server serves a whole test process (``shared()``), and each test case takes a database of its own, so
/// cases stay independent and run in parallel:
///
/// ```swift
/// let url = try PostgresServer.shared().createDatabase()   // postgres://postgres@127.0.0.1:PORT/t_...
/// ```
///
/// With `MUROJAAT_TEST_POSTGRES_URL` set (`postgres://user@host:port/postgres`, a user that may create databases),
/// no server is started and the databases are made on that one.
public final class PostgresServer: Sendable {
    public static let binaries = "/usr/lib/postgresql/15/bin"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The cluster's directory (data, socket, log), or nil for a server from the environment.
    public let directory: URL?
    public let host: String
    public let port: Int
    public let user: String

    init(directory: URL?, host: String, port: Int, user: String) {
        self.directory = directory
        self.host = host
        self.port = port
        self.user = user
    }

    /// The server of this test process, started on first use and stopped when the process exits.
    public static func shared() throws -> PostgresServer {
        try sharedServer.get()
    }

    private static let sharedServer: Result<PostgresServer, any Error> = Result(catching: {
        if let url = ProcessInfo.processInfo.environment["MUROJAAT_TEST_POSTGRES_URL"], !url.isEmpty {
            guard let components = URLComponents(string: url), let host = components.host else {
                throw Failure(description: "MUROJAAT_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            return PostgresServer(
                directory: nil, host: host, port: components.port ?? 5432, user: components.user ?? "postgres")
        }
        let server = try start()
        // A static is never deinitialized: the cluster is stopped as the process exits, whichever test ran last.
        atexit { try? PostgresServer.sharedServer.get().stop() }
        return server
    })

    /// Clusters are `/tmp/murojaat-pg-PID-RANDOM`, PID the process that started them.
    static let folderPrefix = "murojaat-pg-"

    /// Starts a new cluster and waits until it accepts connections. `durable` keeps PostgreSQL's defaults (fsync,
    /// synchronous commit, full-page writes) and gives it 256 MB of shared buffers, as a production server has: the
    /// benchmarks use it, the tests do not.

    public static func start(durable: Bool = false) throws -> PostgresServer {
        let initdb = "\(binaries)/initdb"
        guard FileManager.default.isExecutableFile(atPath: initdb) else {
            throw Failure(description: "PostgreSQL 15 is not installed: apt-get install postgresql-15 (make test does)")
        }
        // Under /tmp itself: the postgres user must reach the directory, and the socket path must stay short. The
        // name says whose cluster it is, so the tests that run after a killed one stop it (TestFolders).
        let directory = URL(fileURLWithPath: "/tmp/\(folderPrefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let root = getuid() == 0
        if root {
            guard let owner = getpwnam("postgres") else {
                throw Failure(
                    description: "no system user postgres to run PostgreSQL as (the postgresql package makes it)")
            }
            chown(directory.path, owner.pointee.pw_uid, owner.pointee.pw_gid)
        }
        let port = try Dovecot.freePort()
        let server = PostgresServer(directory: directory, host: "127.0.0.1", port: port, user: "postgres")
        let data = directory.appendingPathComponent("data").path
        let log = directory.appendingPathComponent("server.log").path
        // Tests want speed, not durability: no fsync, and enough connections for cases running in parallel.
        let speed =
            durable
            ? ["-c shared_buffers=256MB"]
            : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=64MB"]
        let options =
            (["-p \(port)", "-k \(directory.path)", "-c listen_addresses=127.0.0.1", "-c max_connections=300"]
            + speed).joined(separator: " ")
        try server.runAsOwner(
            initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
            what: "initdb")
        try server.runAsOwner(
            "\(binaries)/pg_ctl", ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"],
            what: "pg_ctl start")
        return server
    }

    /// A new empty database, `t_` and a random name, and its URL.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// `postgres://USER@HOST:PORT/DATABASE?sslmode=disable`.
    public func url(database: String) -> String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=disable"
    }

    /// Runs SQL as the superuser on the `postgres` database, through psql.
    public func psql(_ sql: String, database: String = "postgres") throws {
        let status = try Self.wait(
            ChildProcess.spawn(
                "\(Self.binaries)/psql",
                [
                    "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", String(port), "-U", user, "-d", database,
                    "-c", sql,
                ],
                log: directory?.appendingPathComponent("psql.log").path ?? "/dev/null"))
        guard status == 0 else { throw Failure(description: "psql failed (\(status)) on: \(sql)") }
    }

    /// Stops the cluster at once (nothing in it is kept) and removes its directory.
    public func stop() {
        guard let directory else { return }
        try? runAsOwner(
            "\(Self.binaries)/pg_ctl",
            ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"],
            what: "pg_ctl stop")
        try? FileManager.default.removeItem(at: directory)
    }

    public func logTail() -> String {
        guard let directory else { return "" }
        let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(5).joined(separator: " | ")
    }

    /// Runs a PostgreSQL program as the cluster's owner: `postgres` through runuser when root, else as is. Through
    /// ChildProcess, so the server started by pg_ctl gets a clean signal mask, not the test runner's.
    func runAsOwner(_ program: String, _ arguments: [String], what: String) throws {
        let log = directory?.appendingPathComponent("tools.log").path ?? "/dev/null"
        let pid =
            getuid() == 0
            ? try ChildProcess.spawn("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments, log: log)
            : try ChildProcess.spawn(program, arguments, log: log)
        let status = Self.wait(pid)
        guard status == 0 else {
            let tools = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "\(what) failed (\(status)): \(tools.split(separator: "\n").suffix(5).joined(separator: " | ")) \(logTail())"
            )
        }
    }

    static func wait(_ pid: pid_t) -> Int32 {
        (ChildProcess.wait(pid) >> 8) & 0xFF
    }
}
