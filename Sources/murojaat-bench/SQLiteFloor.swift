import Foundation
import GRDB
import MurojaatCore
import SQLiteStore
import Store

/// What SQLite alone takes to write the rows a call-card run wrote, in the product's schema, transaction sizes and
/// connection settings: the ceiling for any code on top of this schema on this machine.
///
/// A new database is made by ``SQLiteStore`` (its migrations and page size); the run's rows are then copied into
/// it with `INSERT … SELECT` from the run's database, in the order the product writes them: the import (inbox rows
/// and drafts), then for each batch the claim (the lease), the appeals, their events, assignments and search words,
/// and the inbox items marked done. No Swift value is made per row inside the measured time, so the figure is
/// SQLite's own work (B-trees, indexes, the full-text index, the write-ahead log and its checkpoints).
struct SQLiteFloor {
    /// Rows per transaction: the import's parts and the routing worker's batches.
    var part = 5000

    struct Timing {
        var seconds: Double
        var cpuSeconds: Double
    }

    /// Copies the run's database at `source` into a new database at `target` and times it.
    func measure(source: String, target: String) throws -> Timing {
        _ = try SQLiteStore(path: target)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // As SQLiteStore's writer (SQLiteStore.init).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(64 * 1024 * 1024 / pageSize)")
        }
        let queue = try DatabaseQueue(path: target, configuration: configuration)
        let rows = try queue.inDatabase { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
            // The copy numbers inbox items and appeals alike, as one routing worker did in the run.
            let mismatched = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source.inbox WHERE appeal_id IS NOT id")
            guard mismatched == 0 else {
                throw BenchError("the run's inbox items and appeals are numbered differently; no floor measured")
            }
            // Search words are spelled by the routing worker in Swift: made here before the clock starts.
            try db.execute(sql: "CREATE TEMP TABLE floor_words (id INTEGER PRIMARY KEY, words TEXT NOT NULL)")
            var normalizer = TextNormalizer()
            let appeals = try Row.fetchCursor(
                db, sql: "SELECT id, applicant_name, subject, text FROM source.appeals ORDER BY id")
            let insert = try db.makeStatement(sql: "INSERT INTO floor_words (id, words) VALUES (?, ?)")
            var count = 0
            while let row = try appeals.next() {
                let words = SearchSpelling.words(
                    &normalizer, name: row["applicant_name"], subject: row["subject"], text: row["text"])
                try insert.execute(arguments: [row["id"] as Int64, words])
                count += 1
            }
            return count
        }
        let imports = [
            """
            INSERT INTO inbox (id, channel, source_key, received_at, enqueued_at)
            SELECT id, channel, source_key, received_at, enqueued_at FROM source.inbox WHERE id BETWEEN ?1 AND ?2
            """,
            "INSERT INTO inbox_drafts SELECT * FROM source.inbox_drafts WHERE inbox_id BETWEEN ?1 AND ?2",
        ]
        // A batch is claimed (its lease written) in one transaction and registered in the next.
        let claim = "UPDATE inbox SET lease_until = 1, attempts = attempts + 1 WHERE id BETWEEN ?1 AND ?2"
        let registrations = [
            "INSERT INTO appeals SELECT * FROM source.appeals WHERE id BETWEEN ?1 AND ?2",
            "INSERT INTO events SELECT * FROM source.events WHERE appeal_id BETWEEN ?1 AND ?2",
            "INSERT INTO assignments SELECT * FROM source.assignments WHERE appeal_id BETWEEN ?1 AND ?2",
            "INSERT INTO appeal_words (rowid, words) SELECT id, words FROM floor_words WHERE id BETWEEN ?1 AND ?2",
            """
            UPDATE inbox SET state = 'done', appeal_id = id, draft = NULL, lease_until = NULL
            WHERE id BETWEEN ?1 AND ?2
            """,
        ]
        let cpuAtStart = processCPUSeconds()
        let wall = try seconds {
            for first in stride(from: 1, through: rows, by: part) {
                try queue.inTransaction { db in
                    for sql in imports { try db.execute(sql: sql, arguments: [first, first + part - 1]) }
                    return .commit
                }
            }
            for first in stride(from: 1, through: rows, by: part) {
                try queue.inTransaction { db in
                    try db.execute(sql: claim, arguments: [first, first + part - 1])
                    return .commit
                }
                try queue.inTransaction { db in
                    for sql in registrations { try db.execute(sql: sql, arguments: [first, first + part - 1]) }
                    return .commit
                }
            }
        }
        let cpu = processCPUSeconds() - cpuAtStart
        // A copy that missed rows would flatter the floor.
        try queue.inDatabase { db in
            for table in ["inbox", "inbox_drafts", "appeals", "events", "assignments"] {
                let copied = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.\(table)")
                let written = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source.\(table)")
                guard copied == written else {
                    throw BenchError("the floor copied \(copied ?? 0) rows of \(table), the run wrote \(written ?? 0)")
                }
            }
        }
        return Timing(seconds: wall, cpuSeconds: cpu)
    }
}
