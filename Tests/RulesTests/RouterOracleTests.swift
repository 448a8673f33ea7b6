import Foundation
import MurojaatCore
import MurojaatTesting
import Testing

@testable import Rules

/// The router finds keywords with one walk of the automaton from each word start, taking its first steps without
/// a test, and finds the word starts eight symbols at a time. Here it is held to the plainest reading of what it must find: every
/// keyword of the shipped rules looked for at every word start of the normalized text, one by one, and shown from
/// the first character of its first word to the last of its last.
@Suite struct RouterOracleTests {
    /// `(keyword, first scalar, end scalar)` of the first occurrence of every keyword in `text`.
    static func expectedFinds(_ text: String, _ book: RuleBook) -> Set<[Int]> {
        var normalizer = TextNormalizer()
        let normalized = normalizer.normalize(text)
        let symbols = normalized.symbols
        let offsets = normalized.offsets
        var finds = Set<[Int]>()
        // Every place a keyword could start: a separator, by the letter after it.
        var starts: [UInt8: [Int]] = [:]
        for i in symbols.indices.dropLast() where symbols[i] == MatchAlphabet.separator {
            starts[symbols[i + 1], default: []].append(i)
        }
        for (id, keyword) in book.keywords.enumerated() {
            let pattern = keyword.symbols
            guard let start = starts[pattern[1]]?.first(where: { symbols[$0...].starts(with: pattern) }) else {
                continue
            }
            var last = start + pattern.count - (keyword.isPrefix ? 1 : 2)
            while keyword.isPrefix && symbols[last + 1] != MatchAlphabet.separator { last += 1 }
            finds.insert([id, Int(offsets[start + 1]), Int(offsets[last]) + 1])
        }
        return finds
    }

    static func finds(_ decision: RoutingDecision) -> Set<[Int]> {
        let trace = decision.trace
        return Set(
            (0..<trace.foundCount).map {
                [Int(trace.data[1 + $0 * 3]), trace.foundStart($0), trace.foundEnd($0)]
            })
    }

    /// Texts of the shipped keywords (phrases too, and prefixes with endings), in both scripts and in capitals,
    /// between words of appeals, so phrases continue across words and meet the words around them.
    static func texts(_ book: RuleBook, count: Int) -> [String] {
        let words = book.keywords.map { $0.text.replacingOccurrences(of: "*", with: "") }
        let endings = ["", "", "", "ni", "lar", "ga", "ами", "ни"]
        let others = [
            "men", "ish", "haqi", "olib", "qo'ygan", "мен", "иш", "ҳақи", "паспорт", "паспортимни", "Россияда", "и",
            "не", "bu", "da", "2025", "+998901234567", "o‘z", "ъ", "ь", "ещё", "мы", "щи", "ўзбек", "ёрдам",
        ]
        let gaps = [" ", " ", ", ", ". ", "\n", "-", "'", "’ "]
        var generator = SplitMix64(seed: 31)
        return (0..<count).map { _ in
            var text = ""
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                var word =
                    Int.random(in: 0..<3, using: &generator) == 0
                    ? others.randomElement(using: &generator)! : words.randomElement(using: &generator)!
                word += endings.randomElement(using: &generator)!
                if Int.random(in: 0..<10, using: &generator) == 0 { word = word.uppercased() }
                text += word + gaps.randomElement(using: &generator)!
            }
            return text
        }
    }

    @Test func findsWhatThePlainSearchFinds() throws {
        let book = try RuleBook.load(directory: RulesFolder.url)
        var router = Router(book: book)
        var disagreements = 0
        var found = 0
        let texts = Self.texts(book, count: 2000)
        for text in texts {
            let expected = Self.expectedFinds(text, book)
            let actual = Self.finds(router.route(RoutingInput(text: text)))
            found += actual.count
            guard actual != expected else { continue }
            disagreements += 1
            if disagreements <= 5 {
                Issue.record(
                    Comment(
                        rawValue: "\(text.debugDescription): missing \(expected.subtracting(actual)), "
                            + "extra \(actual.subtracting(expected))"))
            }
        }
        #expect(disagreements == 0)
        // The texts do find keywords, phrases among them.
        #expect(found > texts.count * 4)
    }
}
