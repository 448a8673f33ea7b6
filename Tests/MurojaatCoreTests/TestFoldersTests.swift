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
        let names = [
            "murojaat-tests-\(ended)",  // a run that crashed: removed
            "murojaat-tests-\(getppid())",  // a run still going: kept
            "murojaat-tests-\(getpid())",  // this one: kept
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
        #expect(left == Set(names.dropFirst()))
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
