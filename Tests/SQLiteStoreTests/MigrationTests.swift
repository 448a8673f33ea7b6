import Foundation
import GRDB
import MurojaatCore
import MurojaatTesting
import Store
import Testing

@testable import SQLiteStore

/// A database written by an earlier version opens with its data as it was: migrations that rebuild a table keep
/// every row and every rule of it.
@Suite struct MigrationTests {
    /// A database as version 6 of the schema left it, with two appeals and their hash-chained events.
    func databaseAtV6() throws -> (path: String, events: [StoredEvent]) {
        let directory = try TestFolders.temporary("murojaat")
        let path = directory.appendingPathComponent("v6.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator().migrate(queue, upTo: "v6 search")
        let at = Date(timeIntervalSince1970: 1_740_000_000)
        var stored: [StoredEvent] = []
        try queue.write { db in
            for id in [Int64(1), 2] {
                let events = [
                    AppealEvent(at: at, actor: "system:router", kind: .registered, status: .registered),
                    AppealEvent(
                        at: at, actor: "system:router", kind: .assigned, why: "rule abroad-wages",
                        data: ["department": "ABROAD"], status: .assigned),
                ]
                var previous = EventChain.genesis
                for (index, event) in events.enumerated() {
                    let hash = EventChain.hash(previous: previous, appealID: id, sequence: index + 1, event: event)
                    stored.append(
                        StoredEvent(
                            appealID: id, sequence: index + 1, event: event, hash: hash, previousHash: previous))
                    previous = hash
                }
                try db.execute(
                    sql: """
                        INSERT INTO appeals (id, tracking, channel, source_key, kind, status, department, policy,
                            received_at, registered_at, due, text, language, routing, last_event_seq, last_event_hash,
                            deadline_from, next_check)
                        VALUES (?, ?, 'call', ?, 'ariza', 'assigned', 'ABROAD', 'standard', ?, ?, '2025-03-10',
                            'matn', 'uz', '{}', 2, ?, ?, '2025-03-07')
                        """,
                    arguments: [
                        id, TrackingNumber(sequence: id).value, "m\(id)", Codecs.millis(at), Codecs.millis(at),
                        previous, Codecs.millis(at),
                    ])
            }
            // Written in the order of the old table's key: appeal, then sequence.
            for event in stored {
                try db.execute(
                    sql: """
                        INSERT INTO events (appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.appealID, event.sequence, Codecs.millis(event.event.at), event.event.actor,
                        event.event.kind.rawValue, event.event.why, Codecs.json(event.event.data),
                        event.event.status?.rawValue, event.previousHash, event.hash,
                    ])
            }
        }
        return (path, stored)
    }

    @Test func theEventLogKeepsEveryEventAndItsRulesWhenItIsRebuiltInOrderOfWriting() async throws {
        let (path, before) = try databaseAtV6()
        let store = try SQLiteStore(path: path)
        for id in [Int64(1), 2] {
            let history = try await store.history(of: id)
            #expect(history == before.filter { $0.appealID == id })
            #expect(EventChain.firstBrokenLink(in: history) == nil)
        }
        let note = AppealEvent(at: Date(timeIntervalSince1970: 1_740_086_400), actor: "vali", kind: .followUp)
        let third = try await store.record(note, on: 1, expecting: .assigned)
        #expect(third.sequence == 3)
        #expect(third.previousHash == before[1].hash)
        #expect(EventChain.firstBrokenLink(in: try await store.history(of: 1)) == nil)
        // Still append-only, still one event per place in a chain.
        #expect(throws: (any Error).self) { try store.executeForTests("UPDATE events SET why = 'edited'") }
        #expect(throws: (any Error).self) { try store.executeForTests("DELETE FROM events") }
        #expect(throws: (any Error).self) {
            try store.executeForTests(
                """
                INSERT INTO events (appeal_id, seq, at, actor, kind, prev_hash, hash)
                VALUES (1, 3, 0, 'x', 'noted', 'p', 'h')
                """)
        }
        let schema = try await store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        }
        #expect(schema?.contains("WITHOUT ROWID") == false, "events go at the end of the table as they are written")
    }

    @Test func theOpenQueueStillListsADepartmentsOpenAppealsAfterItsIndexIsRebuilt() async throws {
        let (path, _) = try databaseAtV6()
        let store = try SQLiteStore(path: path)
        let queue = try await store.appeals(AppealQuery(department: "ABROAD", openOnly: true))
        #expect(queue.map(\.id) == [1, 2])
    }
}
