import Testing

@testable import MurojaatCore

@Suite struct MatchAlphabetTests {
    /// Every symbol spells as the letter it stands for (one UTF-8 byte for Latin, digits and the separator, two for
    /// Cyrillic), alone and in a run.
    @Test func everySymbolSpellsAsItsLetter() {
        func letter(_ symbol: UInt8) -> String {
            switch symbol {
            case MatchAlphabet.separator: " "
            case MatchAlphabet.latinBase..<MatchAlphabet.digitBase:
                String(UnicodeScalar(symbol - MatchAlphabet.latinBase + 97))
            case MatchAlphabet.digitBase..<MatchAlphabet.cyrillicBase:
                String(UnicodeScalar(symbol - MatchAlphabet.digitBase + 48))
            default: String(UnicodeScalar(UInt32(symbol - MatchAlphabet.cyrillicBase) + 0x430)!)
            }
        }
        let all = (0...255).map { UInt8($0) }
        for symbol in all { #expect(MatchAlphabet.spell([symbol]) == letter(symbol)) }
        #expect(MatchAlphabet.spell(all) == all.map(letter).joined())
        #expect(MatchAlphabet.spell([UInt8]()) == "")
        #expect(MatchAlphabet.spell([0, 16, 1, 19, 16, 15, 18, 20, 0, 37, 44, 0]) == " pasport аз ")
    }
}
