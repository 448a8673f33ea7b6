/// Lookup tables the normalizer's loops read instead of branching on every character: a class for each scalar
/// below U+0500 (Latin, Latin-1, Latin Extended, Cyrillic), and the symbols each ASCII and Cyrillic letter
/// becomes. They are built once from ``Lexicon``'s functions, so the rules of transliteration live in one place.
///
/// Raw pointers, allocated once for the life of the process and never written after `init`: array bounds checks
/// and `static let` guards cost more than the lookups themselves.
final class CharacterTables: @unchecked Sendable {
    static let shared = CharacterTables()

    /// Class bits of scalars below ``classCount``.
    static let latin: UInt8 = 1
    static let cyrillic: UInt8 = 2
    static let digit: UInt8 = 4
    static let apostrophe: UInt8 = 8
    /// A letter only Uzbek uses (q x in Latin; ў қ ғ ҳ in Cyrillic).
    static let uzbekMark: UInt8 = 16
    /// A letter only Russian uses (ы щ).
    static let russianMark: UInt8 = 32
    /// ъ: the Uzbek apostrophe, or Russian before е ё ю я.
    static let hardSign: UInt8 = 64
    static let wordCharacter = latin | cyrillic | digit
    static let classCount = 0x500

    let classes: UnsafeMutablePointer<UInt8>
    /// ``Lexicon/keyByte(_:)`` of each scalar below ``classCount``.
    let keys: UnsafeMutablePointer<UInt8>
    /// The symbol of each ASCII character, or 0xFF when it has none (punctuation, apostrophes).
    let ascii: UnsafeMutablePointer<UInt8>
    /// Up to two symbols (first in the low byte, 0 for none) for each scalar U+0400...U+04FF: in a Russian word,
    /// in an Uzbek word, and in an Uzbek word where е is said "ye" (at the start or after a vowel).
    let russian: UnsafeMutablePointer<UInt16>
    let uzbek: UnsafeMutablePointer<UInt16>
    let uzbekYe: UnsafeMutablePointer<UInt16>
    /// Whether the Uzbek letter is a vowel (an е after it is "ye").
    let uzbekVowel: UnsafeMutablePointer<Bool>

    /// What the normalizer's loops read, as a value of plain pointers: copied into each normalizer once, so the hot
    /// loops neither check `shared`'s initialization nor retain it.
    let packed: Packed

    private init() {
        classes = .allocate(capacity: Self.classCount)
        classes.initialize(repeating: 0, count: Self.classCount)
        for s in 0..<UInt32(Self.classCount) {
            var c: UInt8 = 0
            if TextNormalizer.isLatinLetter(s) { c |= Self.latin }
            if TextNormalizer.isCyrillic(s) { c |= Self.cyrillic }
            if TextNormalizer.isDigit(s) { c |= Self.digit }
            if TextNormalizer.isApostrophe(s) { c |= Self.apostrophe }
            switch s {
            case 0x71, 0x51, 0x78, 0x58, 0x45E, 0x40E, 0x49B, 0x49A, 0x493, 0x492, 0x4B3, 0x4B2: c |= Self.uzbekMark
            case 0x44B, 0x42B, 0x449, 0x429: c |= Self.russianMark
            case 0x44A, 0x42A: c |= Self.hardSign
            default: break
            }
            classes[Int(s)] = c
        }
        keys = .allocate(capacity: Self.classCount)
        for s in 0..<Self.classCount { keys[s] = Lexicon.keyByte(UInt32(s)) }
        ascii = .allocate(capacity: 128)
        for s in 0..<128 {
            let byte = UInt8(s)
            if byte >= 0x61 && byte <= 0x7A {
                ascii[s] = MatchAlphabet.latin(byte)
            } else if byte >= 0x41 && byte <= 0x5A {
                ascii[s] = MatchAlphabet.latin(byte + 32)
            } else if byte >= 0x30 && byte <= 0x39 {
                ascii[s] = MatchAlphabet.digitBase + (byte - 0x30)
            } else {
                ascii[s] = 0xFF
            }
        }
        russian = .allocate(capacity: 256)
        uzbek = .allocate(capacity: 256)
        uzbekYe = .allocate(capacity: 256)
        uzbekVowel = .allocate(capacity: 256)
        let symbols = UnsafeMutablePointer<UInt8>.allocate(capacity: 4)
        let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
        defer {
            symbols.deallocate()
            offsets.deallocate()
        }
        func symbolsOf(_ write: (inout TextNormalizer.Sink) -> Void) -> UInt16 {
            var sink = TextNormalizer.Sink(symbols: symbols, offsets: offsets)
            write(&sink)
            precondition(sink.count <= 2)
            return (sink.count > 0 ? UInt16(symbols[0]) : 0) | (sink.count > 1 ? UInt16(symbols[1]) << 8 : 0)
        }
        for i in 0..<256 {
            let s = UInt32(0x400 + i)
            russian[i] = symbolsOf { TextNormalizer.putRussian(s, 0, into: &$0) }
            var vowel = false
            uzbek[i] = symbolsOf {
                vowel = TextNormalizer.putUzbekCyrillic(s, 0, into: &$0, wordStart: false, afterVowel: false)
            }
            uzbekYe[i] = symbolsOf {
                _ = TextNormalizer.putUzbekCyrillic(s, 0, into: &$0, wordStart: true, afterVowel: false)
            }
            uzbekVowel[i] = vowel
        }
        packed = Packed(
            classes: classes, keys: keys, ascii: ascii, russian: russian, uzbek: uzbek, uzbekYe: uzbekYe,
            uzbekVowel: uzbekVowel)
    }

    /// One packed entry per scalar for the word loop, and one per scalar and reading for the emitting loop, built
    /// from the plainer tables above.
    ///
    /// The word loop needs, for every character, whether it continues a word, its key byte, and which of four
    /// counters it adds to (Latin, Cyrillic, Uzbek mark, Russian mark). Branching on each class bit cost more than
    /// the rest of the loop, so the counters are twelve-bit lanes of one integer and a character's entry holds a 1
    /// in each lane it counts for: counting is one addition. Lanes cannot carry into each other in a word shorter
    /// than 4096 characters; a longer word is counted again plainly.
    struct Packed: @unchecked Sendable {
        /// A word character other than ъ: counted and keyed with no questions asked.
        static let plainWord: UInt64 = 1 << 48
        /// ъ, whose Uzbek mark depends on the next letter.
        static let hardSign: UInt64 = 1 << 49
        /// An apostrophe, inside a word only before a letter.
        static let apostrophe: UInt64 = 1 << 50
        /// A Latin or Cyrillic letter: what may follow an apostrophe inside a word.
        static let letter: UInt64 = 1 << 51
        static let latinLane: UInt64 = 1
        static let cyrillicLane: UInt64 = 1 << 12
        static let uzbekMarkLane: UInt64 = 1 << 24
        static let russianMarkLane: UInt64 = 1 << 36
        static let laneMask: UInt64 = 0xFFF
        /// Longest word whose lanes cannot overflow.
        static let longestCountedWord = 4095

        /// Entry of each scalar below ``CharacterTables/classCount``: lanes in bits 0...47, flags in 48...55, the
        /// key byte in 56...63 (carries out of the lanes' sum into these bits are ignored).
        let entries: UnsafeMutablePointer<UInt64>
        /// The entry of U+2018 and U+2019, the only scalars above the table that can be inside a word.
        static let typographicApostrophe = apostrophe

        /// ``Lexicon/keyByte(_:)`` of each scalar below ``CharacterTables/classCount``, for the first eight letters
        /// of the few words longer than eight.
        let keys: UnsafeMutablePointer<UInt8>

        init(
            classes: UnsafeMutablePointer<UInt8>, keys: UnsafeMutablePointer<UInt8>, ascii: UnsafeMutablePointer<UInt8>,
            russian: UnsafeMutablePointer<UInt16>, uzbek: UnsafeMutablePointer<UInt16>,
            uzbekYe: UnsafeMutablePointer<UInt16>, uzbekVowel: UnsafeMutablePointer<Bool>
        ) {
            self.keys = keys
            entries = .allocate(capacity: CharacterTables.classCount)
            for s in 0..<CharacterTables.classCount {
                let c = classes[s]
                var entry = UInt64(keys[s]) << 56
                if c & CharacterTables.wordCharacter != 0 {
                    entry |= c & CharacterTables.hardSign != 0 ? Self.hardSign : Self.plainWord
                    if c & CharacterTables.latin != 0 {
                        entry |= Self.latinLane
                    } else if c & CharacterTables.cyrillic != 0 {
                        entry |= Self.cyrillicLane
                    }
                    if c & CharacterTables.uzbekMark != 0 { entry |= Self.uzbekMarkLane }
                    if c & CharacterTables.russianMark != 0 { entry |= Self.russianMarkLane }
                }
                if c & (CharacterTables.latin | CharacterTables.cyrillic) != 0 { entry |= Self.letter }
                if c & CharacterTables.apostrophe != 0 { entry |= Self.apostrophe }
                entries[s] = entry
            }
            symbols = .allocate(capacity: 3 * Self.readingSize)
            for code in 0..<Self.readingSize {
                for reading in [Self.plainReading, Self.uzbekReading, Self.uzbekYeReading] {
                    var letters: UInt16 = 0
                    var next = reading == Self.plainReading ? Self.plainReading : Self.uzbekReading
                    if code < 0x80 {
                        letters = ascii[code] == 0xFF ? 0 : UInt16(ascii[code])
                    } else if code >= 0x400 && code < 0x500 {
                        let i = code - 0x400
                        switch reading {
                        case Self.plainReading: letters = russian[i]
                        case Self.uzbekReading: letters = uzbek[i]
                        default: letters = uzbekYe[i]
                        }
                        if reading != Self.plainReading && uzbekVowel[i] { next = Self.uzbekYeReading }
                    } else if let folded = Lexicon.latinExtended(UInt32(code)) {
                        letters = UInt16(MatchAlphabet.latin(UInt8(folded & 0xFF)))
                        if folded >> 8 != 0 { letters |= UInt16(MatchAlphabet.latin(UInt8(folded >> 8))) << 8 }
                    }
                    let count: UInt32 = letters == 0 ? 0 : letters >> 8 == 0 ? 1 : 2
                    symbols[reading + code] = UInt32(letters) | count << 16 | UInt32(next) << 18
                }
            }
        }

        /// The emitting loop's entries: for each reading, one per code (see `TextNormalizer.code`), holding the
        /// symbols (first in bits 0...7, second in 8...15, unused ones 0), how many there are (bits 16...17), and
        /// the reading of the next scalar of the word (bits 18 and up). Plain reading (Russian, Latin, digits):
        /// Cyrillic as Russian. Uzbek reading: Uzbek Cyrillic in Latin; its "ye" variant, at the start of a word and
        /// after a vowel, writes е as "ye".
        let symbols: UnsafeMutablePointer<UInt32>
        static let readingSize = CharacterTables.classCount + 1
        static let plainReading = 0
        static let uzbekReading = readingSize
        static let uzbekYeReading = 2 * readingSize

        /// The word loop's entry of any scalar.
        @inline(__always) func entry(_ s: UInt32) -> UInt64 {
            if s < UInt32(CharacterTables.classCount) { return entries[Int(s)] }
            return s == 0x2018 || s == 0x2019 ? Self.typographicApostrophe : 0
        }
    }
}
