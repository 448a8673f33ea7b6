import MurojaatTesting
import Testing

@testable import Rules

@Suite struct KeywordAutomatonTests {
    /// The automaton (symbol classes, renumbered states, packed entries) must find exactly what a naive search
    /// finds: every occurrence of every pattern, at its end index.
    @Test(arguments: [1, 2, 3])
    func findsWhatANaiveSearchFinds(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // A small alphabet makes overlaps, shared prefixes and suffix outputs common.
        let patterns = (0..<300).map { _ in
            (0..<Int.random(in: 1...7, using: &random)).map { _ in UInt8.random(in: 0..<5, using: &random) * 7 }
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
        }
    }
}
