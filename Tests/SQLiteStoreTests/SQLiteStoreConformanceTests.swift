import Foundation
import MurojaatCore
import MurojaatTesting
import Store
import StoreConformance
import Testing

@testable import SQLiteStore

@Suite struct SQLiteStoreConformanceTests {
    static func makeStore() throws -> SQLiteStore {
        let directory = try TestFolders.temporary("murojaat")
        return try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
    }

    @Test(arguments: StoreConformance.cases)
    func conformance(_ check: StoreConformance.Case) async throws {
        try await check.run(try Self.makeStore())
    }

    @Test(arguments: StoreConformance.accountCases)
    func accounts(_ check: StoreConformance.AccountCase) async throws {
        try await check.run(try Self.makeStore())
    }

    @Test func theEventLogRefusesEdits() async throws {
        let store = try Self.makeStore()
        _ = try await store.enqueue([StoreConformance.draft("x")], at: Date())
        let items = try await store.claimInbox(limit: 1, now: Date(), lease: .seconds(60))
        _ = try await store.register(items.map { StoreConformance.registration(for: $0) })
        #expect(throws: (any Error).self) { try store.executeForTests("UPDATE events SET why = 'edited'") }
        #expect(throws: (any Error).self) { try store.executeForTests("DELETE FROM events") }
    }

    /// An item enqueued by the first schema (the whole draft as JSON in the inbox row) is still claimed and read
    /// after the migration that moved drafts into a table of their own.
    @Test func anItemEnqueuedBeforeDraftsHadTheirOwnTableIsStillRead() async throws {
        let store = try Self.makeStore()
        let draft = StoreConformance.draft("legacy-1")
        let json = Codecs.draftJSON(draft).replacingOccurrences(of: "'", with: "''")
        try store.executeForTests(
            """
            INSERT INTO inbox (channel, source_key, received_at, enqueued_at, draft)
            VALUES ('call', 'legacy-1', 0, 0, '\(json)')
            """)
        let items = try await store.claimInbox(limit: 10, now: Date(), lease: .seconds(60))
        #expect(items.map(\.draft) == [draft])
    }

    /// A pending item whose draft cannot be read is a clear `corrupt` error naming it, not a crash.
    @Test func aPendingItemWithoutItsDraftIsReportedAsCorrupt() async throws {
        let store = try Self.makeStore()
        try store.executeForTests(
            "INSERT INTO inbox (channel, source_key, received_at, enqueued_at) VALUES ('call', 'orphan', 0, 0)")
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.claimInbox(limit: 10, now: Date(), lease: .seconds(60))
        }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains("inbox item 1") == true)
    }

    @Test func anUnopenableDatabaseIsAClearError() {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/no-such-dir/murojaat.sqlite") }
    }
}
