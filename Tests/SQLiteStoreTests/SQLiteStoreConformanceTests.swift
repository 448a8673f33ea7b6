import Foundation
import SQLiteStore
import Store
import StoreConformance
import Testing

@Suite struct SQLiteStoreConformanceTests {
    static func makeStore() throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
    }

    @Test(arguments: StoreConformance.cases)
    func conformance(_ check: StoreConformance.Case) async throws {
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

    @Test func anUnopenableDatabaseIsAClearError() {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/no-such-dir/murojaat.sqlite") }
    }
}
