public import Foundation
public import MurojaatCore
import PostgresNIO
public import Store

/// Search: each appeal's words in their matching spelling (Cyrillic Uzbek in Latin, apostrophes dropped, q and g
/// one letter), the same words SQLiteStore indexes, kept as a `tsvector` of the `simple` configuration (no
/// stemming, no stop words) with a GIN index. Written once, in the registration's transaction: an appeal's texts
/// never change after it.
extension PostgresStore {
    /// The words indexed for an appeal: name, subject and text, spelled for matching.
    static func searchWords(_ normalizer: inout TextNormalizer, name: String?, subject: String?, text: String) -> String
    {
        let combined = [name, subject, text].compactMap { $0 }.joined(separator: "\n")
        return normalizer.normalize(combined).spelled
    }

    /// A `tsquery` in which every word must occur as the beginning of a word, or nil when nothing searchable is
    /// left (punctuation only). Normalized words hold letters and digits only, so quoting them is enough.
    ///
    /// A short query in Cyrillic without an Uzbek letter ("ПАСПОРТ") could be Russian or Uzbek, and the two are
    /// indexed differently (Russian stays Cyrillic, Uzbek becomes Latin): each word is looked for in both readings,
    /// as SQLiteStore does. The second reading leans the normalizer to Uzbek with a trailing "ў", which it then
    /// drops.
    static func searchQuery(_ words: String) -> String? {
        var normalizer = TextNormalizer()
        let asGiven = normalizer.normalize(words).spelled.split(separator: " ").prefix(12).map(String.init)
        guard !asGiven.isEmpty else { return nil }
        let uzbek = normalizer.normalize(words + " ў").spelled.split(separator: " ").dropLast().prefix(12)
            .map(String.init)
        let readings = uzbek.count == asGiven.count ? zip(asGiven, uzbek).map { [$0, $1] } : asGiven.map { [$0] }
        return readings.map { forms in
            let unique = forms.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return "(" + unique.map { "'\($0)':*" }.joined(separator: " | ") + ")"
        }.joined(separator: " & ")
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
