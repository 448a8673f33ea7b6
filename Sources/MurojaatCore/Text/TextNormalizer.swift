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
    /// Symbols, starting and ending with a separator, with runs of separators collapsed.
    public var symbols: [UInt8] = []
    /// For each symbol, the offset (in Unicode scalars) of the original character it came from.
    public var offsets: [Int32] = []
    public var language: DetectedLanguage = .mixed

    public init() {}

    /// The symbols spelled out, e.g. `" ozbekiston pasport "`.
    public var spelled: String { MatchAlphabet.spell(symbols) }
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
/// A normalizer keeps its buffers between calls, so reuse one per worker; it is not shared between tasks.
public struct TextNormalizer: Sendable {
    /// The Unicode scalars of the last text normalized: offsets in ``NormalizedText/offsets`` index into them.
    public private(set) var scalars: [UInt32] = []
    private var words: [Word] = []
    private var output = NormalizedText()

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
        scalars.removeAll(keepingCapacity: true)
        var copy = text
        copy.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let lead = bytes[index]
                if lead < 0x80 {
                    scalars.append(UInt32(lead))
                    index += 1
                } else if lead < 0xE0, index + 1 < count {
                    scalars.append(UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F))
                    index += 2
                } else if lead < 0xF0, index + 2 < count {
                    scalars.append(
                        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                            | UInt32(bytes[index + 2] & 0x3F))
                    index += 3
                } else if index + 3 < count {
                    scalars.append(
                        UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                            | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F))
                    index += 4
                } else {
                    scalars.append(0xFFFD)
                    index += 1
                }
            }
        }
    }

    // MARK: words

    @inline(__always) static func isApostrophe(_ s: UInt32) -> Bool {
        s == 0x27 || s == 0x60 || s == 0x2018 || s == 0x2019 || s == 0x02BB || s == 0x02BC || s == 0xB4
            || s == 0x02B9
    }

    @inline(__always) static func isLatinLetter(_ s: UInt32) -> Bool {
        (s >= 0x41 && s <= 0x5A) || (s >= 0x61 && s <= 0x7A) || (s >= 0xC0 && s <= 0x24F && s != 0xD7 && s != 0xF7)
    }

    @inline(__always) static func isCyrillic(_ s: UInt32) -> Bool { s >= 0x400 && s <= 0x4FF }

    @inline(__always) static func isDigit(_ s: UInt32) -> Bool { s >= 0x30 && s <= 0x39 }

    private mutating func findWords() {
        words.removeAll(keepingCapacity: true)
        let count = scalars.count
        var index = 0
        while index < count {
            let s = scalars[index]
            guard TextNormalizer.isLatinLetter(s) || TextNormalizer.isCyrillic(s) || TextNormalizer.isDigit(s) else {
                index += 1
                continue
            }
            let start = index
            var latin = 0
            var cyrillic = 0
            var uzMarks = 0
            var ruMarks = 0
            while index < count {
                let c = scalars[index]
                if TextNormalizer.isLatinLetter(c) {
                    latin += 1
                    if c == 0x71 || c == 0x51 || c == 0x78 || c == 0x58 { uzMarks += 1 }  // q, x
                } else if TextNormalizer.isCyrillic(c) {
                    cyrillic += 1
                    switch c {
                    case 0x45E, 0x40E, 0x49B, 0x49A, 0x493, 0x492, 0x4B3, 0x4B2: uzMarks += 1  // ў қ ғ ҳ
                    default: break
                    }
                    if c == 0x44B || c == 0x42B || c == 0x449 || c == 0x429 { ruMarks += 1 }  // ы щ
                    if c == 0x44A || c == 0x42A {
                        // Russian writes ъ only before е ё ю я (объявление); Uzbek uses it as the apostrophe
                        // (маълумот, таъминот).
                        let next = index + 1 < count ? scalars[index + 1] | 0x20 : 0
                        if ![0x435, 0x451, 0x44E, 0x44F].contains(next) { uzMarks += 1 }
                    }
                } else if TextNormalizer.isDigit(c) {
                } else if TextNormalizer.isApostrophe(c), index + 1 < count,
                    TextNormalizer.isLatinLetter(scalars[index + 1]) || TextNormalizer.isCyrillic(scalars[index + 1])
                {
                    // An apostrophe inside a word (o'zbek, ma'lumot) belongs to it.
                    if latin > 0 { uzMarks += 1 }
                } else {
                    break
                }
                index += 1
            }
            let script: Script
            if cyrillic > 0 && cyrillic >= latin {
                if uzMarks > 0 {
                    script = .cyrillicUz
                } else if ruMarks > 0 {
                    script = .cyrillicRu
                } else {
                    script = Lexicon.cyrillicWord(scalars, start, index)
                }
            } else if latin > 0 {
                script = uzMarks > 0 ? .latinUz : Lexicon.latinWord(scalars, start, index)
            } else {
                script = .digits
            }
            words.append(Word(start: Int32(start), end: Int32(index), script: script))
        }
    }

    private var cyrillicLeansUzbek = false

    private mutating func detectLanguage() -> DetectedLanguage {
        var counts = (uzL: 0, en: 0, latin: 0, uzC: 0, ru: 0, cyr: 0)
        for word in words {
            switch word.script {
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
        // a separator per word), then cut to length: appending checked uniqueness on every symbol.
        let bound = scalars.count * 3 + 2
        // Moved out of `output` so they are uniquely referenced while written.
        var symbols = output.symbols
        var offsets = output.offsets
        output.symbols = []
        output.offsets = []
        symbols.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        symbols.append(contentsOf: repeatElement(0, count: bound))
        offsets.append(contentsOf: repeatElement(0, count: bound))
        let written = symbols.withUnsafeMutableBufferPointer { symbols in
            offsets.withUnsafeMutableBufferPointer { offsets in
                var sink = Sink(symbols: symbols.baseAddress!, offsets: offsets.baseAddress!)
                emit(into: &sink, uzbekCyrillicDefault: uzbekCyrillicDefault)
                return sink.count
            }
        }
        symbols.removeLast(bound - written)
        offsets.removeLast(bound - written)
        output.symbols = symbols
        output.offsets = offsets
    }

    private func emit(into sink: inout Sink, uzbekCyrillicDefault: Bool) {
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
            var previousVowel = false
            while index < end {
                let s = scalars[index]
                let offset = Int32(index)
                if s < 0x80 {
                    if s >= 0x61 && s <= 0x7A {
                        sink.put(MatchAlphabet.latin(UInt8(s)), offset)
                    } else if s >= 0x41 && s <= 0x5A {
                        sink.put(MatchAlphabet.latin(UInt8(s) + 32), offset)
                    } else if s >= 0x30 && s <= 0x39 {
                        sink.put(MatchAlphabet.digitBase + UInt8(s - 0x30), offset)
                    }
                    // Apostrophes inside words are dropped: o'zbek, o`zbek and ozbek are one word.
                } else if TextNormalizer.isCyrillic(s) {
                    if transliterate {
                        previousVowel = TextNormalizer.putUzbekCyrillic(
                            s, offset, into: &sink, wordStart: index == Int(word.start),
                            afterVowel: previousVowel)
                        index += 1
                        continue
                    } else {
                        TextNormalizer.putRussian(s, offset, into: &sink)
                    }
                } else if let folded = Lexicon.latinExtended(s) {
                    sink.putLatin(folded, offset)
                }
                previousVowel = false
                index += 1
            }
            if sink.last != MatchAlphabet.separator { sink.put(MatchAlphabet.separator, word.end) }
        }
    }

    /// Where ``emit(into:uzbekCyrillicDefault:)`` writes: buffers with room for the worst case.
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

        /// Writes the (up to two) letters of a ``Latin/pack(_:)`` value.
        @inline(__always) mutating func putLatin(_ letters: UInt16, _ offset: Int32) {
            if letters & 0xFF != 0 { put(MatchAlphabet.latin(UInt8(letters & 0xFF)), offset) }
            if letters >> 8 != 0 { put(MatchAlphabet.latin(UInt8(letters >> 8)), offset) }
        }
    }

    private static func putRussian(_ s: UInt32, _ offset: Int32, into sink: inout Sink) {
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
    private static func putUzbekCyrillic(
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
