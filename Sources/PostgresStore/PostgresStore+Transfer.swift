import Foundation
import MurojaatCore
import PostgresNIO
public import Store

/// Moving an installation in: neutral rows (``Store/TransferValue``) written with this schema's own types, which
/// are read from the catalog, so a value of the wrong kind is refused rather than cast into something else.
extension PostgresStore: InstallationTarget {
    /// A column as the catalog describes it.
    struct CatalogColumn: Sendable {
        var name: String
        /// `int8`, `text`, `timestamptz`, `_text` (a text array), ...
        var type: String
        var identity: Bool
    }

    /// Columns the store fills itself on import, from the others.
    static let derived: [String: Set<String>] = ["appeals": ["search_words"]]

    /// The tables of the schema, but the migrations' record.
    func tables() async throws(StoreError) -> Set<String> {
        Set(
            try await read(
                "read the schema",
                """
                SELECT tablename::text FROM pg_tables
                WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'
                """
            ) { try $0.value(0, as: String.self) })
    }

    func catalogColumns(of table: String) async throws(StoreError) -> [CatalogColumn] {
        try await read(
            "read the columns of \(table)",
            """
            SELECT column_name::text, udt_name::text, is_identity::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table) ORDER BY ordinal_position
            """
        ) { row in
            CatalogColumn(
                name: try row.value(0), type: try row.value(1), identity: try row.value(2, as: String.self) == "YES")
        }
    }

    /// `table` when the schema has it: table names come from the source and end up in SQL.
    func knownTable(_ table: String) async throws(StoreError) -> String {
        guard try await tables().contains(table) else {
            throw StoreError(.notFound, "the PostgreSQL schema has no table \(table) to move into")
        }
        return table
    }

    public func isEmpty() async throws(StoreError) -> Bool {
        let tables = try await tables().sorted()
        if tables.isEmpty { return true }
        let any = tables.map { "EXISTS (SELECT 1 FROM \($0))" }.joined(separator: " OR ")
        let rows = try await read("look for data", PostgresQuery(unsafeSQL: "SELECT \(any)")) {
            try $0.value(0, as: Bool.self)
        }
        return rows.first == false
    }

    public func importBatch(_ batch: TransferBatch) async throws(StoreError) {
        let table = try await knownTable(batch.table)
        let catalog = try await catalogColumns(of: table)
        let derived = Self.derived[table] ?? []
        let given = Set(batch.columns)
        // Every column is either given, numbered by the database, or derived here: none is left to its default.
        for column in catalog where !given.contains(column.name) && !column.identity && !derived.contains(column.name) {
            throw StoreError(.failed, "the source gives no \(table).\(column.name)")
        }
        var rows = BulkInsert()
        for (index, name) in batch.columns.enumerated() {
            guard let column = catalog.first(where: { $0.name == name }), !derived.contains(name) else {
                throw StoreError(.failed, "the PostgreSQL schema has no column \(table).\(name) to move into")
            }
            var values: [TransferValue] = []
            values.reserveCapacity(batch.rows.count)
            for row in batch.rows {
                guard index < row.count else {
                    throw StoreError(.failed, "a row of \(table) has fewer values than columns")
                }
                values.append(row[index])
            }
            try Self.add(values, as: column, of: table, to: &rows)
        }
        if table == "appeals" {
            // The search index is this store's own: filled from the texts as registration fills it.
            func texts(_ name: String) -> [String?] {
                guard let index = batch.columns.firstIndex(of: name) else { return batch.rows.map { _ in nil } }
                return batch.rows.map { row in
                    if case .text(let text) = row[index] { return text }
                    return nil
                }
            }
            var normalizer = TextNormalizer()
            let words = zip(zip(texts("applicant_name"), texts("subject")), texts("text")).map { pair, text in
                SearchSpelling.words(&normalizer, name: pair.0, subject: pair.1, text: text ?? "")
            }
            rows.column("search_words", words, "to_tsvector('simple', $)")
        }
        if rows.names.isEmpty || batch.rows.isEmpty { return }
        let query = rows.query(into: table)
        let logger = self.logger
        try await transaction("move rows into \(table)") { connection in try await connection.run(query, logger) }
    }

    /// Adds one column of a batch in the column's own type.
    static func add(
        _ values: [TransferValue], as column: CatalogColumn, of table: String, to rows: inout BulkInsert
    ) throws(StoreError) {
        func convert<T>(_ convert: (TransferValue) -> T?) throws(StoreError) -> [T?] {
            var result: [T?] = []
            result.reserveCapacity(values.count)
            for value in values {
                if value == .null {
                    result.append(nil)
                } else if let converted = convert(value) {
                    result.append(converted)
                } else {
                    throw StoreError(
                        .failed, "\(table).\(column.name) is \(column.type) here, but the source gives a \(value.kind)")
                }
            }
            return result
        }
        switch column.type {
        case "int8", "int4", "int2":
            let numbers = try convert { value -> Int64? in
                if case .integer(let number) = value { return number }
                return nil
            }
            rows.column(column.name, numbers, column.type == "int8" ? "$" : "$::\(column.type)")
        case "text", "varchar":
            rows.column(
                column.name,
                try convert { value -> String? in
                    if case .text(let text) = value { return text }
                    return nil
                })
        case "timestamptz":
            rows.column(
                column.name,
                try convert { value -> Instant? in
                    if case .time(let date) = value { return Instant(date) }
                    return nil
                })
        case "date":
            rows.column(
                column.name,
                try convert { value -> Day? in
                    if case .day(let day) = value { return Day(day) }
                    return nil
                })
        case "bool":
            rows.column(
                column.name,
                try convert { value -> Bool? in
                    if case .boolean(let flag) = value { return flag }
                    return nil
                })
        case "_text":
            let lists = try convert { value -> String? in
                if case .list(let items) = value { return Self.list(items) }
                return nil
            }
            rows.column(column.name, lists, "$::text[]")
        case "jsonb":
            let documents = try convert { value -> String? in
                if case .json(let text) = value { return text }
                return nil
            }
            rows.column(column.name, documents, "$::jsonb")
        case "bytea":
            rows.column(
                column.name,
                try convert { value -> ByteBuffer? in
                    if case .bytes(let bytes) = value { return ByteBuffer(bytes: bytes) }
                    return nil
                })
        default:
            throw StoreError(.failed, "\(table).\(column.name) has a type the transfer does not fill (\(column.type))")
        }
    }

    public func finishImport() async throws(StoreError) {
        let identities = try await read(
            "read the identity columns",
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """
        ) { row in (try row.value(0, as: String.self), try row.value(1, as: String.self)) }
        let logger = self.logger
        try await transaction("continue numbering after the moved rows") { connection in
            // Rows came with their ids, which leaves each identity's sequence where it was: the next appeal
            // registered would take an id (and tracking number) that is taken.
            for (table, column) in identities {
                try await connection.run(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), COALESCE(MAX(\(column)), 0) + 1,
                                false) FROM \(table)
                            """), logger)
            }
            // Pages rendered before (by a server that was already running on this database) are out of date.
            try await connection.run("SELECT nextval('change_stamp')", logger)
        }
    }

    public func transferCount(table: String) async throws(StoreError) -> Int {
        let table = try await knownTable(table)
        let rows = try await read("count \(table)", PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")) {
            try $0.value(0, as: Int.self)
        }
        return rows.first ?? 0
    }

    public func eventsChecksum() async throws(StoreError) -> String {
        do {
            var checksum = EventsChecksum()
            // Streamed: an installation's events do not fit in memory at once.
            let rows = try await client.query(
                "SELECT appeal_id, seq::bigint, hash FROM events ORDER BY appeal_id, seq", logger: logger)
            for try await (appealID, sequence, hash) in rows.decode((Int64, Int64, String).self) {
                checksum.add(appealID: appealID, sequence: sequence, hash: hash)
            }
            return checksum.finalize()
        } catch {
            throw Self.failure(error, "read the events' hashes", endpoint: endpoint)
        }
    }
}
