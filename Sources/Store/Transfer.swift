import Crypto
public import Foundation
public import MurojaatCore

/// A stored value on its way from one store to another, in neither store's column types: each store converts its
/// own columns to and from these, so neither needs to know the other's schema. A moment is whole milliseconds in
/// both stores (the event chain hashes them), so `time` carries a `Date` that rounds back to the same milliseconds.
public enum TransferValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    case time(Date)
    /// A calendar day (a deadline, a check day): one store keeps `YYYY-MM-DD` text, the other a `date`.
    case day(LocalDate)
    case boolean(Bool)
    case list([String])
    /// A JSON document as text (a string map, an attachment listing).
    case json(String)

    /// The case's name, for error messages: never the value, which may be personal data.
    public var kind: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .text: "text"
        case .bytes: "bytes"
        case .time: "time"
        case .day: "day"
        case .boolean: "boolean"
        case .list: "list"
        case .json: "json"
        }
    }
}

/// Rows of one table, columns named as both schemas name them (snake_case, the same in both stores).
public struct TransferBatch: Sendable, Hashable {
    public var table: String
    public var columns: [String]
    public var rows: [[TransferValue]]
    /// The key of the last row, opaque to everyone but the source: the next batch starts after it.
    public var last: [TransferValue]

    public init(table: String, columns: [String], rows: [[TransferValue]], last: [TransferValue]) {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.last = last
    }
}

/// A store an installation can be moved out of.
public protocol InstallationSource: Sendable {
    /// The tables to move, each after the tables it refers to. Throws when the store's schema has a table or a
    /// column the export does not account for: a transfer that would leave something behind does not start.
    func transferTables() async throws(StoreError) -> [String]
    /// Up to `limit` rows after the row whose key is `after` (empty: from the first), in key order; nil when
    /// there are no more. A batch may hold fewer rows than `limit` when they are large (file contents).
    func exportBatch(table: String, after: [TransferValue], limit: Int) async throws(StoreError) -> TransferBatch?
    /// How many rows of `table` a full export yields.
    func transferCount(table: String) async throws(StoreError) -> Int
    /// ``EventsChecksum`` over every stored event.
    func eventsChecksum() async throws(StoreError) -> String
}

/// A store an installation can be moved into.
public protocol InstallationTarget: Sendable {
    /// True when no table holds a row: a transfer never mixes two installations.
    func isEmpty() async throws(StoreError) -> Bool
    /// Writes one batch in one transaction, keeping ids as given (tracking numbers derive from appeal ids), and
    /// fills what the store derives itself (its search index).
    func importBatch(_ batch: TransferBatch) async throws(StoreError)
    /// After the last batch: numbering continues above the moved ids, and readers see that the data changed.
    func finishImport() async throws(StoreError)
    func transferCount(table: String) async throws(StoreError) -> Int
    func eventsChecksum() async throws(StoreError) -> String
}

/// SHA-256 over every event's `appeal_id|seq|hash` line in (appeal_id, seq) order, hex. The hashes cover each
/// event's content and its predecessor, so equal checksums say both stores hold the same histories.
public struct EventsChecksum {
    var hasher = SHA256()
    public private(set) var count = 0

    public init() {}

    /// Adds the next event; callers add them in (appeal id, sequence) order.
    public mutating func add(appealID: Int64, sequence: Int64, hash: String) {
        hasher.update(data: Data("\(appealID)|\(sequence)|\(hash)\n".utf8))
        count += 1
    }

    public func finalize() -> String {
        EventChain.hex(hasher.finalize())
    }
}

/// Moves a whole installation from one store to another, table by table in batches, then checks that both
/// hold the same: rows per table and the events checksum.
public enum InstallationTransfer {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var source: Int
        public var target: Int
    }

    public struct Report: Sendable, Hashable {
        public var tables: [Table]
        public var sourceChecksum: String
        public var targetChecksum: String
        public var matches: Bool { sourceChecksum == targetChecksum && tables.allSatisfy { $0.source == $0.target } }
        /// What differs, one line each; empty when everything matches.
        public var differences: [String] {
            tables.filter { $0.source != $0.target }.map {
                "\($0.name): \($0.source) rows in the source, \($0.target) moved"
            }
                + (sourceChecksum == targetChecksum
                    ? [] : ["events checksum: \(sourceChecksum) in the source, \(targetChecksum) moved"])
        }
    }

    /// Copies everything from `source` into the empty `target`. `progress` hears each table's rows so far after
    /// every batch. Throws `conflict` when the target holds data, and whatever either store throws; a failed
    /// transfer leaves the batches written before it, so the target is to be dropped and made again.
    public static func run(
        from source: any InstallationSource, to target: any InstallationTarget, batch: Int = 1000,
        progress: (_ table: String, _ rows: Int) -> Void = { _, _ in }
    ) async throws(StoreError) -> Report {
        guard try await target.isEmpty() else {
            throw StoreError(.conflict, "the target database is not empty: transfer only into a new database")
        }
        let tables = try await source.transferTables()
        for table in tables {
            var after: [TransferValue] = []
            var moved = 0
            progress(table, 0)
            while let rows = try await source.exportBatch(table: table, after: after, limit: max(1, batch)) {
                try await target.importBatch(rows)
                moved += rows.rows.count
                after = rows.last
                progress(table, moved)
            }
        }
        try await target.finishImport()
        var counts: [Table] = []
        for table in tables {
            counts.append(
                Table(
                    name: table, source: try await source.transferCount(table: table),
                    target: try await target.transferCount(table: table)))
        }
        return Report(
            tables: counts, sourceChecksum: try await source.eventsChecksum(),
            targetChecksum: try await target.eventsChecksum())
    }
}
