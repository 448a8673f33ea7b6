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
        #expect(await second.holds("tracker"), "the session's end frees its locks")
        await second.shutdown()
    }
}
