import Testing

@testable import Rules

@Suite struct KeywordAutomatonTests {
    /// The automaton (symbol classes, renumbered states, packed entries) must find exactly what a naive search
    /// finds: every occurrence of every pattern, at its end index.
    @Test(arguments: [1, 2, 3])
    func findsWhatANaiveSearchFinds(seed: UInt64) {
        var random = Generator(state: seed)
        // A small alphabet makes overlaps, shared prefixes and suffix outputs common.
        let patterns = (0..<300).map { _ in
            (0..<Int.random(in: 1...7, using: &random)).map { _ in UInt8.random(in: 0..<5, using: &random) * 7 }
        }
        let automaton = KeywordAutomaton(patterns: patterns, alphabet: 69)
        for _ in 0..<20 {
            let text = (0..<Int.random(in: 0...200, using: &random)).map { _ in
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

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
