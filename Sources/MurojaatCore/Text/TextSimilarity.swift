/// How alike two appeals' texts are, on their normalized words: the same complaint written again in the other
/// script, with other apostrophes or a sentence added still reads as the same.
///
/// ```swift
/// var similarity = TextSimilarity()
/// similarity.isRepeat("Pasportimni olib qo'yishdi", "Паспортимни олиб қўйишди")  // true
/// ```
public struct TextSimilarity: Sendable {
    private var normalizer = TextNormalizer()

    /// Jaccard similarity at or above this, or one text's words nearly all in the other, is "substantially the
    /// same".
    public var jaccardThreshold = 0.6
    public var containmentThreshold = 0.85
    /// Texts with fewer distinct words than this are too short to call repeats ("Yordam bering").
    public var minimumWords = 5

    public init() {}

    /// The distinct words of at least three letters, normalized.
    public mutating func words(_ text: String) -> Set<Substring> {
        let spelled = normalizer.normalize(text).spelled
        return Set(spelled.split(separator: " ").filter { $0.count >= 3 })
    }

    public mutating func isRepeat(_ first: String, _ second: String) -> Bool {
        isRepeat(words(first), words(second))
    }

    public func isRepeat(_ first: Set<Substring>, _ second: Set<Substring>) -> Bool {
        guard first.count >= minimumWords, second.count >= minimumWords else { return false }
        let shared = Double(first.intersection(second).count)
        let union = Double(first.union(second).count)
        return shared / union >= jaccardThreshold
            || shared / Double(min(first.count, second.count)) >= containmentThreshold
    }
}
