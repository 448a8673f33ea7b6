public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway Dovecot IMAP server for tests: its own configuration, state and Maildirs under a temporary
/// directory, on a free loopback port, never touching the system's Dovecot. Dovecot refuses to keep mail as
/// root, so when the tests run as root the mail belongs to a system user `murojaat-mail`, created on first use.
///
/// ```swift
/// let server = try Dovecot.start(users: ["info": "secret"])
/// defer { server.stop() }
/// try server.deliver(message, to: "info")
/// ```
public final class Dovecot: Sendable {
    public let directory: URL
    public let port: Int
    /// The implicit-TLS (IMAPS) port, when started with `tls: true`; the plain port then offers STARTTLS.
    public let tlsPort: Int?
    let uid: UInt32
    let gid: UInt32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public static let binary = "/usr/sbin/dovecot"

    /// Starts a server with these users (name: password) and waits until it greets. With `tls`, a self-signed
    /// certificate for 127.0.0.1 is made (``certificate``), IMAPS listens on ``tlsPort`` and the plain port
    /// requires STARTTLS before a login.
    public static func start(users: [String: String] = ["info": "secret"], tls: Bool = false) throws -> Dovecot {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "dovecot is not installed: apt-get install dovecot-imapd (make test does)")
        }
        let directory = try TestFolders.temporary("dovecot")
        let (uid, gid) = try mailOwner()
        let port = try freePort()
        let tlsPort = tls ? try freePort() : nil
        for sub in ["run", "state", "home"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let passwd = users.map { "\($0.key):{PLAIN}\($0.value)" }.sorted().joined(separator: "\n") + "\n"
        try Data(passwd.utf8).write(to: directory.appendingPathComponent("passwd"))
        let root = getuid() == 0
        let internalUser = root ? "dovecot" : String(cString: getpwuid(getuid()).pointee.pw_name)
        let loginUser = root ? "dovenull" : internalUser
        let path = directory.path
        let config = """
            protocols = imap
            listen = 127.0.0.1
            base_dir = \(path)/run
            state_dir = \(path)/state
            log_path = \(path)/dovecot.log
            info_log_path = \(path)/dovecot.log
            \(tls ? "ssl = required\nssl_cert = <\(path)/cert.pem\nssl_key = <\(path)/key.pem" : "ssl = no")
            disable_plaintext_auth = \(tls ? "yes" : "no")
            auth_mechanisms = plain login
            mail_location = maildir:\(path)/home/%u/Maildir
            first_valid_uid = 1
            first_valid_gid = 1
            default_internal_user = \(internalUser)
            default_login_user = \(loginUser)
            passdb {
              driver = passwd-file
              args = scheme=PLAIN \(path)/passwd
            }
            userdb {
              driver = static
              args = uid=\(uid) gid=\(gid) home=\(path)/home/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(port)
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = \(tlsPort ?? 0)
              }
              # The default chroot is a directory of the system instance's; this one stays in its own folder.
              chroot =
            }
            service anvil {
              chroot =
            }
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("dovecot.conf"))
        if tls {
            let status = try run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "\(path)/key.pem", "-out", "\(path)/cert.pem",
                ])
            guard status == 0 else { throw Failure(description: "openssl could not make a test certificate") }
        }
        let server = Dovecot(directory: directory, port: port, tlsPort: tlsPort, uid: uid, gid: gid)
        for user in users.keys {
            for folder in ["new", "cur", "tmp"] {
                let url = directory.appendingPathComponent("home/\(user)/Maildir/\(folder)")
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
        }
        try server.chownHome()
        try server.launch()
        return server
    }

    init(directory: URL, port: Int, tlsPort: Int?, uid: UInt32, gid: UInt32) {
        self.directory = directory
        self.port = port
        self.tlsPort = tlsPort
        self.uid = uid
        self.gid = gid
    }

    /// `imap://127.0.0.1:PORT/INBOX`.
    public var url: String { "imap://127.0.0.1:\(port)/INBOX" }

    /// `imaps://127.0.0.1:TLSPORT/INBOX`, when started with TLS.
    public var tlsURL: String? { tlsPort.map { "imaps://127.0.0.1:\($0)/INBOX" } }

    /// The self-signed certificate of a TLS server, to trust as a CA file.
    public var certificate: String { directory.appendingPathComponent("cert.pem").path }

    /// Starts the master process (again, after ``stop()``) and waits for the greeting.
    public func launch() throws {
        let status = try Self.spawnWithSignals(
            Self.binary, ["-c", directory.appendingPathComponent("dovecot.conf").path])
        guard status == 0 else { throw Failure(description: "dovecot did not start: \(logTail())") }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if greets() { return }
            usleep(100_000)
        }
        throw Failure(description: "dovecot did not greet on port \(port) within 20 s: \(logTail())")
    }

    /// Stops the server and waits until it has exited.
    public func stop() {
        let pidFile = directory.appendingPathComponent("run/master.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
        // The daemonized master's parent is init, which here may leave it a zombie for a while; a zombie has
        // stopped, though kill(pid, 0) still finds it.
        func running() -> Bool {
            guard kill(pid, 0) == 0 else { return false }
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            return !status.contains("State:\tZ")
        }
        for _ in 0..<100 where running() { usleep(50_000) }
        // The master is gone; the port must be free before a restart on it.
        for _ in 0..<100 where greets() { usleep(50_000) }
    }

    /// Puts a message into the user's `Maildir/new/`: unseen, as if an MTA had delivered it.
    public func deliver(_ message: [UInt8], to user: String) throws {
        let name = "\(Int(Date().timeIntervalSince1970)).M\(UUID().uuidString.prefix(8))P\(getpid()).murojaat-test"
        let url = directory.appendingPathComponent("home/\(user)/Maildir/new/\(name)")
        try Data(message).write(to: url)
        chown(url.path, uid, gid)
    }

    /// The Maildir file names of a user's folder (`new` or `cur`; `.Processed/cur` for a folder): flags show
    /// after `:2,` (S for \Seen).
    public func files(of user: String, in folder: String) -> [String] {
        let url = directory.appendingPathComponent("home/\(user)/Maildir/\(folder)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    public func logTail() -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(5).joined(separator: " | ")
    }

    func chownHome() throws {
        guard getuid() == 0 else { return }
        let home = directory.appendingPathComponent("home")
        chown(home.path, uid, gid)
        if let walker = FileManager.default.enumerator(atPath: home.path) {
            for case let path as String in walker { chown(home.appendingPathComponent(path).path, uid, gid) }
        }
    }

    func greets() -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return false }
        // A listener that accepts but never greets must not hang the tests.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(socket, &buffer, buffer.count)
        return count > 3 && buffer.starts(with: Array("* OK".utf8))
    }

    /// The uid and gid mail is kept under: `murojaat-mail` (created if needed) as root, else the current user.
    static func mailOwner() throws -> (UInt32, UInt32) {
        guard getuid() == 0 else { return (getuid(), getgid()) }
        if getpwnam("murojaat-mail") == nil {
            _ = try run(
                "/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "murojaat-mail"])
        }
        guard let entry = getpwnam("murojaat-mail") else {
            throw Failure(description: "could not create the system user murojaat-mail for Dovecot's mail")
        }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// A port nothing listens on now: the kernel's pick for port 0.
    public static func freePort() throws -> Int {
        do { return try LoopbackSocket(listening: false).port } catch {
            throw Failure(description: "no free loopback port")
        }
    }

    /// Runs a program with every signal unblocked and at its default action, and waits for it. The test runner's
    /// threads block most signals and a child inherits that mask: Dovecot's master would then never hear SIGCHLD and
    /// never start a login process. Foundation's Process keeps the mask, so this goes through posix_spawn.
    static func spawnWithSignals(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let pid = try ChildProcess.spawn(executable, arguments)
        return (ChildProcess.wait(pid) >> 8) & 0xFF
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func run(_ executable: String, _ arguments: [String]) throws -> Int32 { try Self.run(executable, arguments) }
}
