import Foundation
import MurojaatTesting
import Testing

/// `murojaat transfer` as an administrator runs it: an installation made by the CLI, moved into a fresh database
/// of a throwaway PostgreSQL 15.
@Suite struct TransferCommandTests {
    @Test func movesAnInstallationOnceAndRefusesASecondTime() throws {
        let data = try TestFolders.temporary("data")
        let file = data.appendingPathComponent("calls.csv")
        try Data(CallCardWorkflowTests.export.utf8).write(to: file)
        #expect(try Murojaat.run(["ingest", "calls", file.path], dataDir: data).status == 0)
        #expect(try Murojaat.run(["route"], dataDir: data).status == 0)
        let database = data.appendingPathComponent("murojaat.sqlite").path
        let url = try PostgresServer.shared().createDatabase()

        let moved = try Murojaat.run(["transfer", "--from", "sqlite:\(database)", "--to", url, "--batch", "2"])
        #expect(moved.status == 0, "stderr: \(moved.stderr)")
        #expect(moved.stdout.contains("counts and checksum match"), "\(moved.stdout)")
        #expect(moved.stdout.contains("appeals        3 -> 3"), "\(moved.stdout)")
        #expect(moved.stdout.contains("quarantine     1 -> 1"), "\(moved.stdout)")
        #expect(moved.stderr.contains("events: "), "progress goes to stderr: \(moved.stderr)")

        let again = try Murojaat.run(["transfer", "--from", "sqlite:\(database)", "--to", url])
        expectCleanFailure(again, mentioning: "not empty")
    }

    @Test func refusesWhatIsNotAnInstallation() throws {
        let data = try TestFolders.temporary("data")
        let missing = data.appendingPathComponent("none.sqlite").path
        let run = try Murojaat.run(["transfer", "--from", "sqlite:\(missing)", "--to", "postgres://x@127.0.0.1/x"])
        expectCleanFailure(run, mentioning: "no SQLite database")
        #expect(!FileManager.default.fileExists(atPath: missing), "a missing source is not created")
        let wrong = try Murojaat.run(["transfer", "--from", missing, "--to", "postgres://x@127.0.0.1/x"])
        expectCleanFailure(wrong, mentioning: "sqlite:PATH")
    }
}
