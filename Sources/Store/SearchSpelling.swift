public import MurojaatCore

/// The words of search, as every store keeps and asks for them: an appeal's name, subject and text in their matching
/// spelling (Cyrillic Uzbek in Latin, apostrophes dropped, q and g one letter), and a query's words in each spelling
/// they may have been indexed under. Each store writes these in its own index and query syntax.
public enum SearchSpelling {
    /// The words indexed for an appeal.
    public static func words(
        _ normalizer: inout TextNormalizer, name: String?, subject: String?, text: String
    )
        -> String
    {
        let combined = [name, subject, text].compactMap { $0 }.joined(separator: "\n")
        return normalizer.normalize(combined).spelled
    }

    /// For each of the query's first 12 words, its distinct spellings (one or two); empty when nothing searchable is
    /// left (punctuation only). Normalized words hold letters and digits only, so quoting them is enough.
    ///
    /// A short query in Cyrillic without an Uzbek letter ("ПАСПОРТ") could be Russian or Uzbek, and the two are
    /// indexed differently (Russian stays Cyrillic, Uzbek becomes Latin): each word is looked for in both readings.
    /// The second reading leans the normalizer to Uzbek with a trailing "ў", which it then drops.
    public static func queryForms(_ query: String) -> [[String]] {
        var normalizer = TextNormalizer()
        let asGiven = normalizer.normalize(query).spelled.split(separator: " ").prefix(12).map(String.init)
        guard !asGiven.isEmpty else { return [] }
        let uzbek = normalizer.normalize(query + " ў").spelled.split(separator: " ").dropLast().prefix(12)
            .map(String.init)
        let readings = uzbek.count == asGiven.count ? zip(asGiven, uzbek).map { [$0, $1] } : asGiven.map { [$0] }
        return readings.map { forms in forms.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } } }
    }
}
