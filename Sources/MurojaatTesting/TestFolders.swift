public import Foundation

/// Folders that tests share: the repository's own `Rules/` (tests run against the shipped rules, not copies) and
/// fresh temporary directories that no two tests share.
public enum TestFolders {
    /// The repository root, found from this file's place in `Sources/MurojaatTesting/`.
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `Rules/` folder.
    public static var rules: URL { repository.appendingPathComponent("Rules") }

    /// A new empty directory, inside this test process's own folder (``processFolder``).
    public static func temporary(_ prefix: String = "murojaat") throws -> URL {
        let url = try processFolder.get().appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let processPrefix = "murojaat-tests-"

    /// `murojaat-tests-PID` in the system's temporary directory: every folder ``temporary(_:)`` makes is in it, and
    /// it is removed as the process exits. A test run left about 1.4 GB of databases, mailboxes and clusters behind
    /// when each test kept its own folder, and the machines that run CI are reused: the disk filled up run by run.
    /// A process that dies (a crash, a kill) cannot remove its folder, so the first test of the next process removes
    /// the folders of processes that are gone.
    static let processFolder: Result<URL, any Error> = Result(catching: {
        let temporary = FileManager.default.temporaryDirectory
        removeFoldersOfEndedProcesses(in: temporary)
        // PostgreSQL clusters are in /tmp whatever TMPDIR says.
        if temporary.standardizedFileURL.path != "/tmp" {
            removeFoldersOfEndedProcesses(in: URL(fileURLWithPath: "/tmp"))
        }
        let folder = temporary.appendingPathComponent("\(processPrefix)\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A static is never deinitialized: the folder goes as the process exits, after the last test.
        atexit { try? FileManager.default.removeItem(at: TestFolders.processFolder.get()) }
        return folder
    })

    static func removeFoldersOfEndedProcesses(in temporary: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names {
            guard let pid = owner(ofFolder: name), pid != getpid() else { continue }
            if !isRunning(pid) {
                let folder = temporary.appendingPathComponent(name)
                stopProcesses(naming: folder)
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }

    /// The test process a folder of the temporary directory belongs to: `murojaat-tests-PID`, or a PostgreSQL
    /// cluster's `murojaat-pg-PID-…` (``PostgresServer`` keeps its clusters outside, as the postgres user must reach
    /// them).
    static func owner(ofFolder name: String) -> pid_t? {
        if name.hasPrefix(processPrefix) { return pid_t(name.dropFirst(processPrefix.count)) }
        if name.hasPrefix(PostgresServer.folderPrefix) {
            return pid_t(name.dropFirst(PostgresServer.folderPrefix.count).prefix { $0 != "-" })
        }
        return nil
    }

    /// Stops the processes that name `folder` on their command line or in their environment. The servers a test
    /// process starts outlive it when it is killed (a CI timeout, a stopped run): PostgreSQL (`-D` its data
    /// directory), Dovecot (`-c` its configuration) and `murojaat serve` (`MUROJAAT_DATA_DIR`) keep running, and on
    /// a reused machine they pile up. PostgreSQL gets SIGQUIT, its immediate shutdown, which takes its backends down
    /// too; the others SIGTERM; whatever still runs five seconds later, SIGKILL.
    static func stopProcesses(naming folder: URL) {
        let marks = ["/", "\0"].map { Array((folder.path + $0).utf8) }
        var found: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), pid != getpid() else { continue }
            let named = ["cmdline", "environ"].contains { file in
                let bytes = procFile(pid, file) + [0]
                return marks.contains { mark in bytes.indices.contains { bytes[$0...].starts(with: mark) } }
            }
            guard named else { continue }
            let name = String(decoding: procFile(pid, "comm"), as: UTF8.self)
            kill(pid, name.hasPrefix("postgres") ? SIGQUIT : SIGTERM)
            found.append(pid)
        }
        let deadline = Date().addingTimeInterval(5)
        while !found.isEmpty {
            found.removeAll { !isRunning($0) }
            guard Date() < deadline else {
                for pid in found { kill(pid, SIGKILL) }
                return
            }
            usleep(20_000)
        }
    }

    /// A process that exists and is not a zombie. A killed process stays one until its parent waits for it, and a
    /// killed test process's parent may be an init that does not (a container's).
    static func isRunning(_ pid: pid_t) -> Bool {
        if kill(pid, 0) == -1 && errno == ESRCH { return false }
        let stat = String(decoding: procFile(pid, "stat"), as: UTF8.self)
        // "pid (comm) S ...": the state follows the last parenthesis, as comm may hold one. Without procfs, only
        // kill says.
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The bytes of `/proc/PID/FILE`, or none when it cannot be read (the process ended, another user's).
    static func procFile(_ pid: pid_t, _ file: String) -> [UInt8] {
        let descriptor = open("/proc/\(pid)/\(file)", O_RDONLY)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        // procfs files report no size: read until the end.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}

/// An instant written the way the sources write it: `2025-03-18T10:00:00+05:00`.
public func instant(_ iso: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: iso) else { preconditionFailure("bad instant \(iso)") }
    return date
}
