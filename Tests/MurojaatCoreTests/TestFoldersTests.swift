import Foundation
import Testing

@testable import MurojaatTesting

/// The tests' own folders: the CI machines are reused, so what a run leaves in the temporary directory stays there.
@Suite struct TestFoldersTests {
    @Test func aTestsFolderIsInsideTheProcessFolder() throws {
        let folder = try TestFolders.temporary("check")
        #expect(folder.deletingLastPathComponent().lastPathComponent == "murojaat-tests-\(getpid())")
        #expect(folder.lastPathComponent.hasPrefix("check-"))
    }

    @Test func theFoldersOfEndedProcessesAreRemovedAndTheOthersKept() throws {
        let temporary = try TestFolders.temporary("scan")
        let ended = try Self.endedProcess()
        // Killed and not waited for: a zombie, as a killed run whose parent does not reap it stays.
        let zombie = try ChildProcess.spawn("/bin/true", [])
        defer { ChildProcess.wait(zombie) }
        for _ in 0..<500 where TestFolders.isRunning(zombie) { usleep(10_000) }
        let names = [
            "murojaat-tests-\(ended)",  // a run that crashed: removed
            "murojaat-pg-\(ended)-0A1B2C3D",  // its PostgreSQL cluster: removed
            "murojaat-tests-\(zombie)",  // a run killed and not yet reaped: removed
            "murojaat-tests-\(getppid())",  // a run still going: kept
            "murojaat-tests-\(getpid())",  // this one: kept
            "murojaat-pg-\(getppid())-0A1B2C3D",  // a cluster of a run still going: kept
            "murojaat-tests-x",  // not a process's: kept
            "other-\(ended)",  // not the tests': kept
        ]
        for name in names {
            let folder = temporary.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: folder.appendingPathComponent("test.sqlite"))
        }
        TestFolders.removeFoldersOfEndedProcesses(in: temporary)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: temporary.path))
        #expect(left == Set(names.dropFirst(3)))
    }

    @Test func theServersOfAnEndedRunAreStoppedWithItsFolder() throws {
        let temporary = try TestFolders.temporary("servers")
        let ended = temporary.appendingPathComponent("murojaat-tests-\(try Self.endedProcess())")
        // A neighbour whose name begins the same way: its processes are not the ended run's.
        let alive = temporary.appendingPathComponent("murojaat-tests-\(getppid())")
        for folder in [ended, alive] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        // As PostgreSQL names its data directory on its command line, and `murojaat serve` in its environment.
        let log = ended.appendingPathComponent("postgres.log")
        try Data().write(to: log)
        let onCommandLine = try ChildProcess.spawn("/usr/bin/tail", ["-f", log.path])
        let inEnvironment = try ChildProcess.spawn(
            "/bin/sleep", ["600"], environment: ["MUROJAAT_DATA_DIR=\(ended.path)/data"])
        let neighbours = try ChildProcess.spawn(
            "/bin/sleep", ["600"], environment: ["MUROJAAT_DATA_DIR=\(alive.path)0/data"])
        defer {
            kill(neighbours, SIGKILL)
            ChildProcess.wait(neighbours)
        }
        TestFolders.removeFoldersOfEndedProcesses(in: temporary)
        for pid in [onCommandLine, inEnvironment] {
            let status = Self.wait(pid, atMost: 10)
            #expect(
                status.map { $0 & 0x7F } == SIGTERM, "process \(pid) ended with status \(String(describing: status))")
        }
        #expect(TestFolders.isRunning(neighbours))
        #expect(!FileManager.default.fileExists(atPath: ended.path))
        #expect(FileManager.default.fileExists(atPath: alive.path))
    }

    /// The child's wait status, or nil (and the child killed) when it is still running after `seconds`.
    static func wait(_ pid: pid_t, atMost seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        ChildProcess.wait(pid)
        return nil
    }

    /// The id of a process that has ended and been waited for.
    static func endedProcess() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
