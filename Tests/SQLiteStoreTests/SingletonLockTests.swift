import Foundation
import MurojaatTesting
import SQLiteStore
import Store
import Testing

/// Two processes on one SQLite file (a second `serve` started by mistake): a singleton runs on one of them.
@Suite struct SQLiteSingletonLockTests {
    @Test func aSecondStoreOnTheSameFileWaitsUntilTheFirstIsGone() async throws {
        let directory = try TestFolders.temporary("murojaat")
        let path = directory.appendingPathComponent("test.sqlite").path
        var first: SQLiteStore? = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        #expect(await first?.holds("tracker") == true)
        #expect(await first?.holds("tracker") == true)
        #expect(await !second.holds("tracker"))
        #expect(await second.holds("outbox"))
        first = nil
        #expect(await second.holds("tracker"), "closing the first store's lock files frees them")
    }

    /// What serve does as it stops: the store stays open a moment longer, its locks are free at once.
    @Test func releasingGivesEveryLockUpWhileTheStoreLives() async throws {
        let path = try TestFolders.temporary("murojaat").appendingPathComponent("test.sqlite").path
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        #expect(await first.holds("tracker"))
        #expect(await first.holds("outbox"))
        #expect(await !second.holds("tracker"))
        await first.releaseAll()
        #expect(await second.holds("tracker"))
        #expect(await second.holds("outbox"))
        #expect(await !first.holds("tracker"), "the first asks again like any other instance")
    }
}
