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
        let folder = temporary.appendingPathComponent("\(processPrefix)\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A static is never deinitialized: the folder goes as the process exits, after the last test.
        atexit { try? FileManager.default.removeItem(at: TestFolders.processFolder.get()) }
        return folder
    })

    static func removeFoldersOfEndedProcesses(in temporary: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(processPrefix) {
            guard let pid = pid_t(name.dropFirst(processPrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) == -1, errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
    }
}

/// An instant written the way the sources write it: `2025-03-18T10:00:00+05:00`.
public func instant(_ iso: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: iso) else { preconditionFailure("bad instant \(iso)") }
    return date
}
