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
        // The server frees the locks when the first's backend ends, a moment after the connection closes: the
        // second asks again at each round, as serve does.
        var taken = false
        for _ in 0..<100 where !taken {
            taken = await second.holds("tracker")
            if !taken { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(taken, "the session's end frees its locks")
        await second.shutdown()
    }
}
