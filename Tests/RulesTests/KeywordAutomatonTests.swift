import MurojaatTesting
import Testing

@testable import Rules

@Suite struct KeywordAutomatonTests {
    /// The automaton (symbol classes, renumbered states, packed entries, walks from each separator) must find
    /// exactly what a naive search finds: every occurrence of every pattern, at its end index, in the order of the
    /// occurrences' starts.
    @Test(arguments: [1, 2, 3])
    func findsWhatANaiveSearchFinds(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Keywords begin with the separator (0). A small alphabet makes overlaps, shared prefixes, phrases across
        // separators and keywords inside others common; some texts have runs of separators, which normalized
        // text does not, so the walks are checked without relying on that.
        let patterns = (0..<300).map { _ in
            [0] + (0..<Int.random(in: 1...7, using: &random)).map { _ in UInt8.random(in: 0..<5, using: &random) * 7 }
        }
        let automaton = KeywordAutomaton(patterns: patterns, alphabet: 69)
        for _ in 0..<20 {
            let text = (0..<Int.random(in: 0...600, using: &random)).map { _ in
                UInt8.random(in: 0..<6, using: &random) * 7
            }
            var found: [[Int]] = []
            text.withUnsafeBufferPointer { buffer in automaton.scan(buffer) { found.append([$0, $1]) } }
            var expected: [[Int]] = []
            for end in text.indices {
                for (id, pattern) in patterns.enumerated()
                where pattern.count <= end + 1 && Array(text[(end + 1 - pattern.count)...end]) == pattern {
                    expected.append([id, end])
                }
            }
            #expect(
                found.sorted { $0.lexicographicallyPrecedes($1) }
                    == expected.sorted { $0.lexicographicallyPrecedes($1) })
            let starts = found.map { $0[1] + 1 - patterns[$0[0]].count }
            #expect(starts == starts.sorted(), "occurrences come in the order of their starts")
        }
    }
}
