public import Foundation
import GRDB
public import MurojaatCore
public import Store

/// Search: an FTS5 index of each appeal's words in their matching spelling (Cyrillic Uzbek in Latin, apostrophes
/// dropped, q and g one letter), so a Latin query finds a Cyrillic letter. The index is contentless (the appeal row
/// holds the text) and keyed by the appeal's id; appeals' texts never change after registration, so it is written
/// once, in the registration's transaction.
extension SQLiteStore {
    /// The words indexed for an appeal: name, subject and text, spelled for matching.
    static func searchWords(_ normalizer: inout TextNormalizer, name: String?, subject: String?, text: String) -> String
    {
        let combined = [name, subject, text].compactMap { $0 }.joined(separator: "\n")
        return normalizer.normalize(combined).spelled
    }

    static func indexWords(
        _ statement: RawStatement, _ normalizer: inout TextNormalizer, id: Int64, name: String?, subject: String?,
        text: String
    ) throws {
        statement.reset()
        statement.bind(1, id)
        statement.bind(2, searchWords(&normalizer, name: name, subject: subject, text: text))
        try statement.execute()
    }

    static let insertWordsSQL = "INSERT INTO appeal_words (rowid, words) VALUES (?, ?)"

    /// An FTS5 query in which every word must occur as the beginning of a word, or nil when nothing searchable is
    /// left (punctuation only). Normalized words hold letters and digits only, so quoting them is enough.
    ///
    /// A short query in Cyrillic without an Uzbek letter ("ПАСПОРТ") could be Russian or Uzbek, and the two are
    /// indexed differently (Russian stays Cyrillic, Uzbek becomes Latin): each word is looked for in both readings.
    /// The second reading leans the normalizer to Uzbek with a trailing "ў", which it then drops.
    static func matchExpression(_ words: String) -> String? {
        var normalizer = TextNormalizer()
        let asGiven = normalizer.normalize(words).spelled.split(separator: " ").prefix(12).map(String.init)
        guard !asGiven.isEmpty else { return nil }
        let uzbek = normalizer.normalize(words + " ў").spelled.split(separator: " ").dropLast().prefix(12)
            .map(String.init)
        let readings = uzbek.count == asGiven.count ? zip(asGiven, uzbek).map { [$0, $1] } : asGiven.map { [$0] }
        return readings.map { forms in
            let unique = forms.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return unique.count == 1
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
