public import Foundation
public import MurojaatCore
import PostgresNIO
public import Store

/// Search: each appeal's words in their matching spelling (Cyrillic Uzbek in Latin, apostrophes dropped, q and g
/// one letter), the same words SQLiteStore indexes, kept as a `tsvector` of the `simple` configuration (no
/// stemming, no stop words) with a GIN index. Written once, in the registration's transaction: an appeal's texts
/// never change after it.
extension PostgresStore {
    /// A `tsquery` in which every word must occur as the beginning of a word, in either of its spellings
    /// (`SearchSpelling.queryForms`, as SQLiteStore asks), or nil when nothing searchable is left.
    static func searchQuery(_ words: String) -> String? {
        let forms = SearchSpelling.queryForms(words)
        guard !forms.isEmpty else { return nil }
        return forms.map { unique in "(" + unique.map { "'\($0)':*" }.joined(separator: " | ") + ")" }
            .joined(separator: " & ")
    }

    public func search(_ query: AppealSearch) async throws(StoreError) -> [Appeal] {
        var sql = PostgresQuery(unsafeSQL: "SELECT \(Self.appealColumns) FROM appeals WHERE ")
        if let words = query.words, !words.isEmpty {
            guard let match = Self.searchQuery(words) else { return [] }
            sql.binds.append(match)
            sql.sql += "search_words @@ to_tsquery('simple', $\(sql.binds.count))"
        } else if let phone = query.phone {
            sql.binds.append(phone)
            sql.sql += "applicant_phone = $\(sql.binds.count)"
        } else if let email = query.email {
            sql.binds.append(email)
            sql.sql += "lower(applicant_email) = lower($\(sql.binds.count))"
        } else {
            return []
        }
        if let department = query.department {
            sql.binds.append(department)
            sql.sql += " AND (department = $\(sql.binds.count) OR $\(sql.binds.count) = ANY(co_executors))"
        }
        sql.binds.append(query.limit)
        sql.sql += " ORDER BY id DESC LIMIT $\(sql.binds.count)"
        return try await read("search appeals", sql, Self.appeal)
    }

    public func escalations(from: Date, until: Date, limit: Int) async throws(StoreError) -> [StoredEvent] {
        try await read(
            "read escalations",
            """
            SELECT appeal_id, seq, at, actor, kind, why, data::text, status, prev_hash, hash FROM events
            WHERE kind = 'escalated' AND at >= \(Instant(from)) AND at < \(Instant(until))
            ORDER BY at DESC LIMIT \(limit)
            """, Self.storedEvent)
    }
}
