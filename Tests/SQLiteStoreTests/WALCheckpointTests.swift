import Foundation
import MurojaatTesting
import SQLiteStore
import StoreConformance
import Testing

@Suite struct WALCheckpointTests {
    /// The write-ahead log is copied back into the database as it grows: a store that only ever appends to its WAL
    /// makes every read slower and the disk fuller until the process ends.
    @Test func theLogIsCheckpointedAsItGrows() async throws {
        let directory = try TestFolders.temporary("wal")
        // 300 MB: gone as soon as the test is done, not at the end of the run.
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.sqlite").path
        let store = try SQLiteStore(path: path)
        let text = String(repeating: "Rossiyada ish haqimni bermayapti. ", count: 60)
        // The router's path: enqueue, claim, register, as `serve` does all day.
        for batch in 0..<8 {
            let drafts = (0..<5000).map { StoreConformance.draft("w\(batch)-\($0)", text: text) }
            _ = try await store.enqueue(drafts, at: Date())
            let items = try await store.claimInbox(limit: 5000, now: Date(), lease: .seconds(60))
            _ = try await store.register(items.map { StoreConformance.registration(for: $0) })
        }
        let size = { (name: String) in
            ((try? FileManager.default.attributesOfItem(atPath: name))?[.size] as? Int) ?? 0
        }
        #expect(size(path) > 50_000_000, "the database file holds the data, not only the log")
        #expect(size(path + "-wal") < size(path), "the log was checkpointed and reused")
    }
}
