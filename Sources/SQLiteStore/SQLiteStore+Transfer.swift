import Foundation
import GRDB
import MurojaatCore
public import Store

/// Moving an installation out: every table as neutral values (``Store/TransferValue``), converted from the way
/// this store keeps them (milliseconds, comma-joined lists, integer flags, `YYYY-MM-DD` days, netstrings).
extension SQLiteStore: InstallationSource {
    /// How a column is kept here, so it can be said neutrally.
    enum Stored {
        case integer, text, bytes, millis, day, flag, list, json
        /// Netstrings (`Codecs.pairs`), said as JSON: the drafts' extra fields.
        case pairs
    }

    struct Column {
        var name: String
        /// What is selected; the column itself unless the table is read through a join.
        var expression: String
        var stored: Stored

        init(_ name: String, _ stored: Stored, _ expression: String? = nil) {
            self.name = name
            self.expression = expression ?? name
            self.stored = stored
        }
    }

    struct Exported {
        var name: String
        var columns: [Column]
        /// The primary key, or `rowid` for a table without one; selected after the columns.
        var key: [String]
        var from: String
        var filter: String?
        /// Columns of the table that do not move as they are, and why.
        var left: [String: String] = [:]
        /// The table whose columns ``columns`` and ``left`` must account for, when `from` is a join.
        var schemaTable: String
    }

    /// Every table, each after the tables it refers to. Ids move as they are: tracking numbers derive from them.
    static let exports: [Exported] = [
        Exported(
            name: "inbox",
            columns: [
                Column("id", .integer), Column("channel", .text), Column("source_key", .text),
                Column("received_at", .millis), Column("enqueued_at", .millis), Column("state", .text),
                Column("lease_until", .millis), Column("attempts", .integer), Column("appeal_id", .integer),
            ], key: ["id"], from: "inbox",
            left: ["draft": "the first schema's drafts move as rows of inbox_drafts"], schemaTable: "inbox"),
        // Drafts enqueued before v2 live as JSON in the inbox row and have no row here: they are read from the
        // JSON (the hidden last column) and move as rows like the others.
        Exported(
            name: "inbox_drafts",
            columns: [
                Column("inbox_id", .integer, "inbox.id"), Column("intake", .text, "d.intake"),
                Column("text", .text, "d.text"), Column("subject", .text, "d.subject"),
                Column("kind", .text, "d.kind"), Column("applicant_name", .text, "d.applicant_name"),
                Column("applicant_phone", .text, "d.applicant_phone"),
                Column("applicant_email", .text, "d.applicant_email"),
                Column("applicant_address", .text, "d.applicant_address"), Column("region", .text, "d.region"),
                Column("country", .text, "d.country"), Column("language", .text, "d.language"),
                Column("binding_deadline", .day, "d.binding_deadline"),
                Column("oral_answer", .text, "d.oral_answer"), Column("origin", .text, "d.origin"),
                Column("extra", .pairs, "d.extra"), Column("follow_up_of", .text, "d.follow_up_of"),
            ], key: ["inbox.id"], from: "inbox LEFT JOIN inbox_drafts d ON d.inbox_id = inbox.id",
            filter: "(d.inbox_id IS NOT NULL OR inbox.draft IS NOT NULL)", schemaTable: "inbox_drafts"),
        Exported(
            name: "quarantine",
            columns: [
                Column("id", .integer), Column("channel", .text), Column("source", .text), Column("position", .text),
                Column("reason", .text), Column("reason_uz", .text), Column("reason_ru", .text),
                Column("raw", .bytes), Column("raw_sha256", .text),
                Column("source_key", .text), Column("created_at", .millis), Column("resolved", .flag),
            ], key: ["id"], from: "quarantine", schemaTable: "quarantine"),
        Exported(
            name: "appeals",
            columns: [
                Column("id", .integer), Column("tracking", .text), Column("channel", .text),
                Column("source_key", .text), Column("kind", .text), Column("status", .text),
                Column("department", .text), Column("co_executors", .list), Column("urgent", .flag),
                Column("policy", .text), Column("received_at", .millis), Column("registered_at", .millis),
                Column("due", .day), Column("text", .text), Column("subject", .text),
                Column("applicant_name", .text), Column("applicant_phone", .text),
                Column("applicant_email", .text), Column("applicant_address", .text), Column("region", .text),
                Column("country", .text), Column("language", .text), Column("tags", .list),
                Column("forward_to", .text), Column("routing", .text), Column("extra", .json),
                Column("last_event_seq", .integer), Column("last_event_hash", .text),
                Column("deadline_from", .millis), Column("next_check", .day), Column("escalations", .list),
                Column("extensions", .integer), Column("answered_at", .millis), Column("closed_at", .millis),
            ], key: ["id"], from: "appeals", schemaTable: "appeals"),
        // Hashes move as stored, never recomputed: the chain is the proof that nothing was changed.
        Exported(
            name: "events",
            columns: [
                Column("appeal_id", .integer), Column("seq", .integer), Column("at", .millis),
                Column("actor", .text), Column("kind", .text), Column("why", .text), Column("data", .json),
                Column("status", .text), Column("prev_hash", .text), Column("hash", .text),
            ], key: ["appeal_id", "seq"], from: "events", schemaTable: "events"),
        Exported(
            name: "assignments",
            columns: [
                Column("appeal_id", .integer), Column("department", .text), Column("role", .text),
                Column("assigned_at", .millis), Column("assigned_by", .text), Column("active", .flag),
            ], key: ["rowid"], from: "assignments", schemaTable: "assignments"),
        Exported(
            name: "blobs",
            columns: [Column("sha256", .text), Column("size", .integer), Column("content", .bytes)],
            key: ["id"], from: "blobs",
            left: ["id": "nothing refers to it: documents and notices name their content by sha256"],
            schemaTable: "blobs"),
        Exported(
            name: "documents",
            columns: [
                Column("channel", .text), Column("source_key", .text), Column("position", .integer),
                Column("role", .text), Column("name", .text), Column("content_type", .text),
                Column("size", .integer), Column("sha256", .text), Column("stored", .flag), Column("note", .text),
            ], key: ["channel", "source_key", "position"], from: "documents", schemaTable: "documents"),
        Exported(
            name: "checkpoints",
            columns: [Column("name", .text), Column("value", .text), Column("updated_at", .millis)],
            key: ["name"], from: "checkpoints", schemaTable: "checkpoints"),
        Exported(
            name: "outbox",
            columns: [
                Column("id", .integer), Column("kind", .text), Column("appeal_id", .integer),
                Column("dedup_key", .text), Column("recipients", .list), Column("cc", .list),
                Column("subject", .text), Column("body_text", .text), Column("body_html", .text),
                Column("attachments", .json), Column("created_at", .millis), Column("state", .text),
                Column("attempts", .integer), Column("next_attempt_at", .millis), Column("lease_until", .millis),
                Column("sent_at", .millis), Column("last_error", .text),
            ], key: ["id"], from: "outbox", schemaTable: "outbox"),
        Exported(
            name: "tasks",
            columns: [
                Column("id", .integer), Column("appeal_id", .integer), Column("kind", .text), Column("due", .day),
                Column("note", .text), Column("created_at", .millis), Column("done_at", .millis),
            ], key: ["id"], from: "tasks", schemaTable: "tasks"),
        Exported(
            name: "daily_reports",
            columns: [Column("date", .day), Column("kept_at", .millis), Column("body", .bytes)],
            key: ["date"], from: "daily_reports", schemaTable: "daily_reports"),
        Exported(
            name: "users",
            columns: [
                Column("id", .integer), Column("login", .text), Column("name", .text), Column("role", .text),
                Column("department", .text), Column("language", .text), Column("password_hash", .text),
                Column("disabled", .flag), Column("created_at", .millis),
            ], key: ["id"], from: "users", schemaTable: "users"),
        Exported(
            name: "sessions",
            columns: [
                Column("token_hash", .text), Column("user_id", .integer), Column("csrf", .text),
                Column("created_at", .millis), Column("expires_at", .millis),
            ], key: ["token_hash"], from: "sessions", schemaTable: "sessions"),
        Exported(
            name: "api_tokens",
            columns: [
                Column("id", .integer), Column("name", .text), Column("token_hash", .text),
                Column("user_id", .integer), Column("created_at", .millis), Column("revoked", .flag),
            ], key: ["id"], from: "api_tokens", schemaTable: "api_tokens"),
    ]

    /// Tables that do not move, and why.
    static let staying: [String: String] = [
        "grdb_migrations": "this store's own migration record",
        // Contentless: it holds no words to read back; the target indexes the appeals' texts itself.
        "appeal_words": "the search index, rebuilt by the target from the appeals",
        "sign_in_failures": "minutes-old failed sign-ins: the limit starts afresh on the new database",
    ]

    /// A batch stops early past this many bytes of values, so a table of scans does not fill the memory.
    static let batchBytes = 32 << 20

    public func transferTables() async throws(StoreError) -> [String] {
        let exports = Self.exports
        let staying = Self.staying
        let unaccounted: [String] = try await read("read the schema") { db in
            var unaccounted: [String] = []
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                // FTS5 keeps its own shadow tables under the index's name.
                if staying[table] != nil || staying.keys.contains(where: { table.hasPrefix($0 + "_") }) { continue }
                guard let export = exports.first(where: { $0.schemaTable == table }) else {
                    unaccounted.append("table \(table)")
                    continue
                }
                let moved = Set(export.columns.map(\.name)).union(export.left.keys)
                for column in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))") {
                    let name: String = column["name"]
                    if !moved.contains(name) { unaccounted.append("column \(table).\(name)") }
                }
            }
            return unaccounted
        }
        guard unaccounted.isEmpty else {
            throw StoreError(
                .failed,
                "the transfer does not know how to move \(unaccounted.joined(separator: ", ")): nothing was moved")
        }
        return exports.map(\.name)
    }

    static func export(_ table: String) throws(StoreError) -> Exported {
        guard let export = exports.first(where: { $0.name == table }) else {
            throw StoreError(.notFound, "the SQLite store has no table \(table) to move")
        }
        return export
    }

    public func exportBatch(
        table: String, after: [TransferValue], limit: Int
    ) async throws(StoreError) -> TransferBatch? {
        let export = try Self.export(table)
        var conditions = export.filter.map { [$0] } ?? []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !after.isEmpty {
            guard after.count == export.key.count else {
                throw StoreError(.failed, "a transfer of \(table) resumed after a key of another table")
            }
            conditions.append(
                "(\(export.key.joined(separator: ", "))) > (\(after.map { _ in "?" }.joined(separator: ", ")))")
            for value in after {
                switch value {
                case .integer(let number): arguments.append(number)
                case .text(let text): arguments.append(text)
                default: throw StoreError(.failed, "a transfer of \(table) resumed after a key it did not give")
                }
            }
        }
        let legacy = table == "inbox_drafts" ? ", CASE WHEN d.inbox_id IS NULL THEN inbox.draft END" : ""
        let sql = """
            SELECT \(export.columns.map(\.expression).joined(separator: ", ")), \(export.key.joined(separator: ", "))\(legacy)
            FROM \(export.from) \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(export.key.joined(separator: ", ")) LIMIT ?
            """
        arguments.append(limit)
        let statementArguments = StatementArguments(arguments)
        return try await read("export \(table)") { db throws -> TransferBatch? in
            var rows: [[TransferValue]] = []
            var last: [TransferValue] = []
            var bytes = 0
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: statementArguments)
            while let row = try cursor.next() {
                var values: [TransferValue] = []
                values.reserveCapacity(export.columns.count)
                for (index, column) in export.columns.enumerated() {
                    let value = try Self.neutral(row[index], column.stored, table: table, column: column.name)
                    bytes += Self.size(value)
                    values.append(value)
                }
                last = try export.key.indices.map { offset throws -> TransferValue in
                    let value = row[export.columns.count + offset] as DatabaseValue
                    switch value.storage {
                    case .int64(let number): return .integer(number)
                    case .string(let text): return .text(text)
                    default: throw StoreError(.corrupt, "a row of \(table) has a key that is neither number nor text")
                    }
                }
                if !legacy.isEmpty, let json = row[export.columns.count + export.key.count] as String? {
                    values = try Self.legacyDraft(json, inboxID: values[0], columns: export.columns)
                }
                rows.append(values)
                if bytes >= Self.batchBytes { break }
            }
            return rows.isEmpty
                ? nil : TransferBatch(table: table, columns: export.columns.map(\.name), rows: rows, last: last)
        }
    }

    static func size(_ value: TransferValue) -> Int {
        switch value {
        case .text(let text), .json(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .list(let items): items.reduce(0) { $0 + $1.utf8.count }
        default: 8
        }
    }

    static func neutral(
        _ value: DatabaseValue, _ stored: Stored, table: String, column: String
    ) throws -> TransferValue {
        func unreadable() -> StoreError {
            StoreError(.corrupt, "\(table).\(column) holds a value this store does not write there")
        }
        switch (stored, value.storage) {
        // A draft without extra fields is kept as NULL here and read back as none; PostgreSQL keeps `{}`.
        case (.pairs, .null): return .json("{}")
        case (_, .null): return .null
        case (.integer, .int64(let number)): return .integer(number)
        case (.millis, .int64(let number)): return .time(Codecs.date(number))
        case (.flag, .int64(let number)): return .boolean(number != 0)
        case (.text, .string(let text)): return .text(text)
        case (.list, .string(let text)): return .list(Codecs.list(text))
        case (.json, .string(let text)): return .json(text)
        case (.pairs, .string(let text)): return .json(Codecs.json(try Codecs.map(pairs: text)))
        case (.day, .string(let text)):
            guard let day = LocalDate(text) else { throw unreadable() }
            return .day(day)
        case (.bytes, .blob(let data)): return .bytes(Array(data))
        default: throw unreadable()
        }
    }

    /// A draft of the first schema, as a row of inbox_drafts.
    static func legacyDraft(_ json: String, inboxID: TransferValue, columns: [Column]) throws -> [TransferValue] {
        let draft = try Codecs.draft(fromJSON: json)
        func text(_ value: String?) -> TransferValue { value.map { .text($0) } ?? .null }
        let values: [String: TransferValue] = [
            "inbox_id": inboxID, "intake": .text(draft.intake.rawValue), "text": .text(draft.text),
            "subject": text(draft.subject), "kind": text(draft.kind?.rawValue),
            "applicant_name": text(draft.applicant.name), "applicant_phone": text(draft.applicant.phone),
            "applicant_email": text(draft.applicant.email), "applicant_address": text(draft.applicant.address),
            "region": text(draft.region), "country": text(draft.country), "language": text(draft.language),
            "binding_deadline": draft.bindingDeadline.map { .day($0) } ?? .null,
            "oral_answer": text(draft.oralAnswer), "origin": text(draft.origin),
            "extra": .json(Codecs.json(draft.extra)), "follow_up_of": text(draft.followUpOf?.value),
        ]
        return columns.map { values[$0.name] ?? .null }
    }

    public func transferCount(table: String) async throws(StoreError) -> Int {
        let export = try Self.export(table)
        let sql = "SELECT count(*) FROM \(export.from)" + (export.filter.map { " WHERE " + $0 } ?? "")
        return try await read("count \(table)") { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    public func eventsChecksum() async throws(StoreError) -> String {
        try await read("read the events' hashes") { db in
            var checksum = EventsChecksum()
            let rows = try Row.fetchCursor(db, sql: "SELECT appeal_id, seq, hash FROM events ORDER BY appeal_id, seq")
            while let row = try rows.next() {
                checksum.add(appealID: row[0], sequence: row[1], hash: row[2])
            }
            return checksum.finalize()
        }
    }
}
