/// Language of a text, as detected from its letters and most common words.
public enum DetectedLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case uzLatn = "uz-Latn"
    case uzCyrl = "uz-Cyrl"
    case ru
    case en
    case mixed
}

/// Text reduced to ``MatchAlphabet`` symbols, with each symbol's position in the original text.
public struct NormalizedText: Sendable {
    // The buffers only grow; `count` says how much of them is this text. Reallocating or clearing them for every
    // text cost more than the normalizing.
    var symbolStorage: [UInt8] = []
    var offsetStorage: [Int32] = []
    /// Number of symbols.
    public internal(set) var count = 0
    public var language: DetectedLanguage = .mixed

    public init() {}

    /// Symbols, starting and ending with a separator, with runs of separators collapsed.
    public var symbols: [UInt8] { Array(symbolStorage[0..<count]) }
    /// For each symbol, the offset (in Unicode scalars) of the original character it came from.
    public var offsets: [Int32] { Array(offsetStorage[0..<count]) }

    /// The symbol at `index`.
    @inline(__always) public func symbol(at index: Int) -> UInt8 { symbolStorage[index] }
    /// The offset (in Unicode scalars of the original text) of the character the symbol at `index` came from.
    @inline(__always) public func offset(ofSymbol index: Int) -> Int { Int(offsetStorage[index]) }

    /// The symbols, in place, for matching.
    @inline(__always)
    public func withSymbols<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try symbolStorage.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[0..<count]))
        }
    }

    /// The symbols spelled out, e.g. `" ozbekiston pasport "`.
    public var spelled: String { withSymbols(MatchAlphabet.spell) }
}

/// Normalizes text for matching: Uzbek Cyrillic to Latin, every apostrophe dropped, case folded, q and g made one
/// letter, ё made е; Russian kept in Cyrillic. Words are told apart by their letters (ў қ ғ ҳ are Uzbek, ы щ are
/// Russian) and by common words; a Cyrillic word with neither follows the language of the whole text.
///
/// ```swift
/// var normalizer = TextNormalizer()
/// normalizer.normalize("Паспортимни олиб қўйишди").spelled  // " pasportimni olib goyishdi "
/// ```
///
/// A normalizer keeps its buffers between calls, so reuse one per worker; it is not shared between tasks. Every
/// appeal goes through here before routing, so the loops run over buffers that only grow, through pointers.
public struct TextNormalizer: Sendable {
    /// Unicode scalars of the last text: `scalarStorage[0..<scalarCount]`; offsets in ``NormalizedText`` index them.
    private var scalarStorage: [UInt32] = []
    private var scalarCount = 0
    private var wordStorage: [Word] = []
    private var wordCount = 0
    private var output = NormalizedText()
    private var cyrillicLeansUzbek = false

    public init() {}

    struct Word {
        var start: Int32
        var end: Int32
        var script: Script
    }

    enum Script: UInt8 {
        case latinUz, latinEn, latinUnknown, cyrillicUz, cyrillicRu, cyrillicUnknown, digits
    }

    /// Normalizes `text` and detects its language. The result is valid until the next call.
    public mutating func normalize(_ text: String) -> NormalizedText {
        decode(text)
        findWords()
        let language = detectLanguage()
        emit(uzbekCyrillicDefault: language == .uzCyrl || (language == .mixed && cyrillicLeansUzbek))
        output.language = language
        return output
    }

    /// Language detection alone.
    public mutating func detectLanguage(of text: String) -> DetectedLanguage {
        decode(text)
        findWords()
        return detectLanguage()
    }

    // MARK: decoding

    private mutating func decode(_ text: String) {
        var text = text
        let byteCount = text.utf8.count
        // A text has at most as many scalars as bytes.
        if scalarStorage.count < byteCount + 1 {
            scalarStorage = [UInt32](repeating: 0, count: max(byteCount + 1, scalarStorage.count * 2, 256))
        }
        scalarCount = text.withUTF8 { bytes in
            scalarStorage.withUnsafeMutableBufferPointer { out in
                TextNormalizer.decode(bytes, into: out.baseAddress!)
            }
        }
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt32>) -> Int {
        guard let p = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var index = 0
        var written = 0
        while index < count {
            let lead = p[index]
            if lead < 0x80 {
                out[written] = UInt32(lead)
                index &+= 1
            } else if lead < 0xE0, index + 1 < count {
                out[written] = UInt32(lead & 0x1F) << 6 | UInt32(p[index + 1] & 0x3F)
                index &+= 2
            } else if lead < 0xF0, index + 2 < count {
                out[written] =
                    UInt32(lead & 0x0F) << 12 | UInt32(p[index + 1] & 0x3F) << 6 | UInt32(p[index + 2] & 0x3F)
                index &+= 3
            } else if index + 3 < count {
                out[written] =
                    UInt32(lead & 0x07) << 18 | UInt32(p[index + 1] & 0x3F) << 12
                    | UInt32(p[index + 2] & 0x3F) << 6 | UInt32(p[index + 3] & 0x3F)
                index &+= 4
            } else {
                out[written] = 0xFFFD
                index &+= 1
            }
            written &+= 1
        }
        return written
    }

    // MARK: words

    @inline(__always) static func isApostrophe(_ s: UInt32) -> Bool {
        s == 0x27 || s == 0x60 || s == 0x2018 || s == 0x2019 || s == 0x02BB || s == 0x02BC || s == 0xB4
            || s == 0x02B9
    }

    @inline(__always) static func isLatinLetter(_ s: UInt32) -> Bool {
        (s &- 0x41 <= 0x5A - 0x41) || (s &- 0x61 <= 0x7A - 0x61) || (s >= 0xC0 && s <= 0x24F && s != 0xD7 && s != 0xF7)
    }

    @inline(__always) static func isCyrillic(_ s: UInt32) -> Bool { s &- 0x400 <= 0xFF }

    @inline(__always) static func isDigit(_ s: UInt32) -> Bool { s &- 0x30 <= 9 }

    private mutating func findWords() {
        // Words need a character between them, so a text has at most half as many words as scalars, rounded up.
        let bound = scalarCount / 2 + 1
        if wordStorage.count < bound {
            wordStorage = [Word](
                repeating: Word(start: 0, end: 0, script: .digits), count: max(bound, wordStorage.count * 2, 128))
        }
        let count = scalarCount
        wordCount = scalarStorage.withUnsafeBufferPointer { scalars in
            wordStorage.withUnsafeMutableBufferPointer { words in
                TextNormalizer.findWords(scalars.baseAddress!, count, into: words.baseAddress!)
            }
        }
    }

    private static func findWords(
        _ scalars: UnsafePointer<UInt32>, _ count: Int, into words: UnsafeMutablePointer<Word>
    ) -> Int {
        let tables = CharacterTables.shared
        let known = Lexicon.known
        var found = 0
        var index = 0
        while index < count {
            guard tables.classOf(scalars[index]) & CharacterTables.wordCharacter != 0 else {
                index &+= 1
                continue
            }
            let start = index
            var latin = 0
            var cyrillic = 0
            var uzMarks = 0
            var ruMarks = 0
            // The word's last eight key bytes for the lexicon are taken on the way, so the word is read once.
            var tail: UInt64 = 0
            while index < count {
                let c = scalars[index]
                let kind = tables.classOf(c)
                if kind & CharacterTables.wordCharacter != 0 {
                    if kind & CharacterTables.latin != 0 {
                        latin &+= 1
                    } else if kind & CharacterTables.cyrillic != 0 {
                        cyrillic &+= 1
                    }
                    if kind & CharacterTables.uzbekMark != 0 { uzMarks &+= 1 }
                    if kind & CharacterTables.russianMark != 0 { ruMarks &+= 1 }
                    if kind & CharacterTables.hardSign != 0 {
                        // Russian writes ъ only before е ё ю я (объявление); Uzbek uses it as the apostrophe
                        // (маълумот, таъминот).
                        let next = index + 1 < count ? scalars[index + 1] | 0x20 : 0
                        if next != 0x435 && next != 0x451 && next != 0x44E && next != 0x44F { uzMarks &+= 1 }
                    }
                } else if kind & CharacterTables.apostrophe != 0, index + 1 < count,
                    tables.classOf(scalars[index + 1]) & (CharacterTables.latin | CharacterTables.cyrillic) != 0
                {
                    // An apostrophe inside a word (o'zbek, ma'lumot) belongs to it.
                    if latin > 0 { uzMarks &+= 1 }
                } else {
                    break
                }
                tail = tail << 8 | UInt64(tables.keyOf(c))
                index &+= 1
            }
            let script: Script
            if cyrillic > 0 && cyrillic >= latin {
                if uzMarks > 0 {
                    script = .cyrillicUz
                } else if ruMarks > 0 {
                    script = .cyrillicRu
                } else {
                    script = Lexicon.cyrillicWord(
                        known[Lexicon.WordKey(scalars, start, index, tail: tail)], tail: tail, length: index - start)
                }
            } else if latin > 0 {
                script =
                    uzMarks > 0
                    ? .latinUz
                    : Lexicon.latinWord(
                        known[Lexicon.WordKey(scalars, start, index, tail: tail)], tail: tail, length: index - start)
            } else {
                script = .digits
            }
            words[found] = Word(start: Int32(start), end: Int32(index), script: script)
            found &+= 1
        }
        return found
    }

    private mutating func detectLanguage() -> DetectedLanguage {
        var counts = (uzL: 0, en: 0, latin: 0, uzC: 0, ru: 0, cyr: 0)
        for i in 0..<wordCount {
            switch wordStorage[i].script {
            case .latinUz: counts.uzL += 1; counts.latin += 1
            case .latinEn: counts.en += 1; counts.latin += 1
            case .latinUnknown: counts.latin += 1
            case .cyrillicUz: counts.uzC += 1; counts.cyr += 1
            case .cyrillicRu: counts.ru += 1; counts.cyr += 1
            case .cyrillicUnknown: counts.cyr += 1
            case .digits: break
            }
        }
        cyrillicLeansUzbek = counts.uzC > counts.ru
        let cyrillicLanguage: DetectedLanguage = cyrillicLeansUzbek ? .uzCyrl : .ru
        let latinLanguage: DetectedLanguage = counts.en > counts.uzL ? .en : .uzLatn
        let total = counts.latin + counts.cyr
        if total == 0 { return .mixed }
        // A text is of one language when at least 85% of its words are in that script and its own language's
        // marked words outnumber the other language's: "Rossiyada pasport" in a Russian text is still Russian.
        if counts.cyr * 100 >= total * 85 {
            if counts.uzC > 0 && counts.ru > 0 && min(counts.uzC, counts.ru) * 3 >= max(counts.uzC, counts.ru) {
                return .mixed
            }
            return cyrillicLanguage
        }
        if counts.latin * 100 >= total * 85 {
            if counts.uzL > 0 && counts.en > 0 && min(counts.uzL, counts.en) * 3 >= max(counts.uzL, counts.en) {
                return .mixed
            }
            return latinLanguage
        }
        return .mixed
    }

    // MARK: emitting symbols

    private mutating func emit(uzbekCyrillicDefault: Bool) {
        // Symbols are written through pointers into buffers sized for the worst case (two letters per scalar and
        // a separator per word): appending checked uniqueness on every symbol.
        let bound = scalarCount * 3 + 2
        // Moved out of `output` so they are uniquely referenced while written.
        var symbols = output.symbolStorage
        var offsets = output.offsetStorage
        output.symbolStorage = []
        output.offsetStorage = []
        if symbols.count < bound {
            let size = max(bound, symbols.count * 2, 1024)
            symbols = [UInt8](repeating: 0, count: size)
            offsets = [Int32](repeating: 0, count: size)
        }
        let wordCount = self.wordCount
        let written = symbols.withUnsafeMutableBufferPointer { symbols in
            offsets.withUnsafeMutableBufferPointer { offsets in
                scalarStorage.withUnsafeBufferPointer { scalars in
                    wordStorage.withUnsafeBufferPointer { words in
                        var sink = Sink(symbols: symbols.baseAddress!, offsets: offsets.baseAddress!)
                        TextNormalizer.emit(
                            words: UnsafeBufferPointer(rebasing: words[0..<wordCount]), scalars: scalars.baseAddress!,
                            into: &sink, uzbekCyrillicDefault: uzbekCyrillicDefault)
                        return sink.count
                    }
                }
            }
        }
        output.symbolStorage = symbols
        output.offsetStorage = offsets
        output.count = written
    }

    private static func emit(
        words: UnsafeBufferPointer<Word>, scalars: UnsafePointer<UInt32>, into sink: inout Sink,
        uzbekCyrillicDefault: Bool
    ) {
        let tables = CharacterTables.shared
        sink.put(MatchAlphabet.separator, 0)
        for word in words {
            let transliterate: Bool
            switch word.script {
            case .cyrillicUz: transliterate = true
            case .cyrillicRu: transliterate = false
            case .cyrillicUnknown: transliterate = uzbekCyrillicDefault
            default: transliterate = false
            }
            var index = Int(word.start)
            let end = Int(word.end)
            // An Uzbek е is "ye" at the start of a word and after a vowel.
            var sayYe = true
            while index < end {
                let s = scalars[index]
                let offset = Int32(truncatingIfNeeded: index)
                if s < 0x80 {
                    // Apostrophes inside words have no symbol: o'zbek, o`zbek and ozbek are one word.
                    let symbol = tables.ascii[Int(s)]
                    if symbol != 0xFF { sink.put(symbol, offset) }
                    sayYe = false
                } else if s &- 0x400 <= 0xFF {
                    let i = Int(s &- 0x400)
                    if transliterate {
                        sink.putSymbols(sayYe ? tables.uzbekYe[i] : tables.uzbek[i], offset)
                        sayYe = tables.uzbekVowel[i]
                    } else {
                        sink.putSymbols(tables.russian[i], offset)
                        sayYe = false
                    }
                } else {
                    if let folded = Lexicon.latinExtended(s) { sink.putLatin(folded, offset) }
                    sayYe = false
                }
                index &+= 1
            }
            if sink.last != MatchAlphabet.separator { sink.put(MatchAlphabet.separator, word.end) }
        }
    }

    /// Where the emitting loop writes: buffers with room for the worst case.
    struct Sink {
        let symbols: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int32>
        var count = 0

        var last: UInt8 { symbols[count - 1] }

        @inline(__always) mutating func put(_ symbol: UInt8, _ offset: Int32) {
            symbols[count] = symbol
            offsets[count] = offset
            count += 1
        }

        /// Writes up to two symbols packed in one integer (first in the low byte, 0 for none).
        @inline(__always) mutating func putSymbols(_ packed: UInt16, _ offset: Int32) {
            if packed & 0xFF != 0 { put(UInt8(truncatingIfNeeded: packed), offset) }
            if packed >> 8 != 0 { put(UInt8(truncatingIfNeeded: packed >> 8), offset) }
        }

        /// Writes the (up to two) letters of a ``Latin/pack(_:)`` value.
        @inline(__always) mutating func putLatin(_ letters: UInt16, _ offset: Int32) {
            if letters & 0xFF != 0 { put(MatchAlphabet.latin(UInt8(letters & 0xFF)), offset) }
            if letters >> 8 != 0 { put(MatchAlphabet.latin(UInt8(letters >> 8)), offset) }
        }
    }

    static func putRussian(_ s: UInt32, _ offset: Int32, into sink: inout Sink) {
        var lower = s
        if s >= 0x410 && s <= 0x42F { lower = s + 0x20 }
        if s == 0x401 || s == 0x451 { lower = 0x435 }  // ё -> е
        if lower >= 0x430 && lower <= 0x44F {
            sink.put(MatchAlphabet.cyrillicBase + UInt8(lower - 0x430), offset)
        } else if let latin = Lexicon.uzbekCyrillicToLatin(lower, wordStart: false, afterVowel: false) {
            // Letters outside Russian (ў қ ...) in a word judged Russian: write them in Latin rather than lose them.
            sink.putLatin(latin, offset)
        }
    }

    /// Returns whether the letter written was a vowel (е after a vowel is "ye").
    static func putUzbekCyrillic(
        _ s: UInt32, _ offset: Int32, into sink: inout Sink, wordStart: Bool, afterVowel: Bool
    ) -> Bool {
        var lower = s
        if s >= 0x410 && s <= 0x42F { lower = s + 0x20 }
        if s == 0x401 { lower = 0x451 }
        if s >= 0x490 && s <= 0x4FF && s & 1 == 0 { lower = s + 1 }  // capitals of ў қ ғ ҳ are the even code points
        if s == 0x40E { lower = 0x45E }
        guard let latin = Lexicon.uzbekCyrillicToLatin(lower, wordStart: wordStart, afterVowel: afterVowel) else {
            return false
        }
        sink.putLatin(latin, offset)
        return Lexicon.isCyrillicVowel(lower)
    }
}
