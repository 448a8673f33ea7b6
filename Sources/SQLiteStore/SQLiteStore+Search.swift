public import Foundation
import GRDB
public import MurojaatCore
public import Store

/// Search: an FTS5 index of each appeal's words in their matching spelling (Cyrillic Uzbek in Latin, apostrophes
/// dropped, q and g one letter), so a Latin query finds a Cyrillic letter. The index is contentless (the appeal row
/// holds the text) and keyed by the appeal's id; appeals' texts never change after registration, so it is written
/// once, in the registration's transaction.
extension SQLiteStore {
    static func indexWords(
        _ statement: RawStatement, _ normalizer: inout TextNormalizer, id: Int64, name: String?, subject: String?,
        text: String
    ) throws {
        try indexWords(statement, id: id, SearchSpelling.words(&normalizer, name: name, subject: subject, text: text))
    }

    /// Indexes words already spelled (``SearchSpelling/words(_:name:subject:text:)``).
    static func indexWords(_ statement: RawStatement, id: Int64, _ words: String) throws {
        statement.reset()
        statement.bind(1, id)
        statement.bind(2, words)
        try statement.execute()
    }

    static let insertWordsSQL = "INSERT INTO appeal_words (rowid, words) VALUES (?, ?)"

    /// An FTS5 query in which every word must occur as the beginning of a word, in either of its spellings
    /// (`SearchSpelling.queryForms`), or nil when nothing searchable is left.
    static func matchExpression(_ words: String) -> String? {
        let forms = SearchSpelling.queryForms(words)
        guard !forms.isEmpty else { return nil }
        return forms.map { unique in
            unique.count == 1
                ? "\"\(unique[0])\"*" : "(" + unique.map { "\"\($0)\"*" }.joined(separator: " OR ") + ")"
        }.joined(separator: " ")
    }

    public func search(_ query: AppealSearch) async throws(StoreError) -> [Appeal] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        var from = "appeals"
        var order = "id DESC"
        if let words = query.words, !words.isEmpty {
            guard let match = Self.matchExpression(words) else { return [] }
            from = "appeal_words JOIN appeals ON appeals.id = appeal_words.rowid"
            conditions.append("appeal_words MATCH ?")
            arguments.append(match)
            order = "appeal_words.rowid DESC"
        } else if let phone = query.phone {
            conditions.append("applicant_phone = ?")
            arguments.append(phone)
        } else if let email = query.email {
            conditions.append("applicant_email = ? COLLATE NOCASE")
            arguments.append(email)
        } else {
            return []
        }
        if let department = query.department {
            conditions.append("(department = ? OR instr(',' || co_executors || ',', ',' || ? || ',') > 0)")
            arguments.append(department)
            arguments.append(department)
        }
        arguments.append(query.limit)
        let columns = Self.appealColumns.split(separator: ",").map {
            "appeals." + $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }.joined(separator: ", ")
        let sql = """
            SELECT \(columns) FROM \(from) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?
            """
        let statementArguments = StatementArguments(arguments)
        return try await read("search appeals") { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map(Self.appeal)
        }
    }

    public func escalations(from: Date, until: Date, limit: Int) async throws(StoreError) -> [StoredEvent] {
        try await read("read escalations") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM events WHERE kind = 'escalated' AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?
                    """, arguments: [Codecs.millis(from), Codecs.millis(until), limit]
            ).map(Self.storedEvent)
        }
    }
}
