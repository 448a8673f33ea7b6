import Foundation
import GRDB
import MurojaatTesting
import Store
import Testing

@testable import SQLiteStore

/// A new database is made with 16 KB pages; one made before keeps its 4 KB pages (SQLite cannot change the page size
/// of a database in WAL mode) and opens, migrates and checkpoints as before.
@Suite struct PageSizeTests {
    func folder() throws -> URL {
        try TestFolders.temporary("pages")
    }

    func pragma(_ name: String, of store: SQLiteStore) async throws -> Int {
        try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") ?? 0 }
    }

    @Test func aNewDatabaseHasSixteenKilobytePages() async throws {
        let store = try SQLiteStore(path: try folder().appendingPathComponent("new.sqlite").path)
        #expect(try await pragma("page_size", of: store) == 16384)
        #expect(try await pragma("wal_autocheckpoint", of: store) == 4096, "64 MB of log")
    }

    @Test func anOlderDatabaseKeepsItsPages() async throws {
        let path = try folder().appendingPathComponent("old.sqlite").path
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 4096") }
        let older = try DatabasePool(path: path, configuration: configuration)
        try await older.write { db in try db.execute(sql: "CREATE TABLE made_before (id INTEGER PRIMARY KEY)") }
        try older.close()

        let store = try SQLiteStore(path: path)
        #expect(try await pragma("page_size", of: store) == 4096)
        #expect(try await pragma("wal_autocheckpoint", of: store) == 16384, "64 MB of log")
        #expect(try await store.counts().appeals == 0)
    }
}
