import Foundation
import Logging
import MurojaatTesting
import PostgresStore
import Store
import Testing

/// Two instances on one database: a singleton runs on one, and the other takes it when the first is gone.
@Suite struct SingletonLockTests {
    @Test func oneInstanceHoldsASingletonAndAnotherTakesItWhenTheFirstEnds() async throws {
        let url = try PostgresServer.shared().createDatabase()
        let logger = PostgresStoreConformanceTests.logger
        let first = try await PostgresStore.open(url: url, logger: logger)
        let second = try await PostgresStore.open(url: url, logger: logger)
        #expect(await first.holds("tracker"))
        #expect(await first.holds("tracker"), "asked again, the holder still holds it")
        #expect(await !second.holds("tracker"))
        #expect(await second.holds("outbox"), "each singleton is a lock of its own")
        #expect(await !first.holds("outbox"))
        await first.shutdown()
        #expect(try await Self.takes("tracker", second), "the session's end frees its locks")
        await second.shutdown()
    }

    /// What serve does as it stops: the locks' session ends, and the pool's connections stay until shutdown.
    @Test func releasingGivesEveryLockUpWhileTheStoreLives() async throws {
        let url = try PostgresServer.shared().createDatabase()
        let logger = PostgresStoreConformanceTests.logger
        let first = try await PostgresStore.open(url: url, logger: logger)
        let second = try await PostgresStore.open(url: url, logger: logger)
        #expect(await first.holds("tracker"))
        #expect(await !second.holds("tracker"))
        await first.releaseAll()
        #expect(try await Self.takes("tracker", second), "the released locks are free")
        #expect(try await first.counts().appeals == 0, "the store still answers")
        #expect(await !first.holds("tracker"), "the first asks again like any other instance")
        await first.shutdown()
        await second.shutdown()
    }

    /// The server frees the locks when the first's backend ends, a moment after the connection closes: the second
    /// asks again every 100 ms, as serve does at each round, for at most 10 s.
    static func takes(_ name: String, _ store: PostgresStore) async throws -> Bool {
        for _ in 0..<100 {
            if await store.holds(name) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
