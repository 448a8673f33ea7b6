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
    // text cost more than the normalizing. Usable from inline code so the router's per-symbol reads are inlined
    // rather than calls into this module.
    @usableFromInline var symbolStorage: [UInt8] = []
    @usableFromInline var offsetStorage: [Int32] = []
    /// Number of symbols.
    public internal(set) var count = 0
    public var language: DetectedLanguage = .mixed

    public init() {}

    /// Symbols, starting and ending with a separator, with runs of separators collapsed.
    public var symbols: [UInt8] { Array(symbolStorage[0..<count]) }
    /// For each symbol, the offset (in Unicode scalars) of the original character it came from.
    public var offsets: [Int32] { Array(offsetStorage[0..<count]) }

    /// The symbol at `index`.
    @inlinable @inline(__always) public func symbol(at index: Int) -> UInt8 { symbolStorage[index] }
    /// The offset (in Unicode scalars of the original text) of the character the symbol at `index` came from.
    @inlinable @inline(__always) public func offset(ofSymbol index: Int) -> Int { Int(offsetStorage[index]) }

    /// The symbols, in place, for matching.
    @inlinable @inline(__always)
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
    /// For each Unicode scalar of the last text, its code for the emitting loop: the scalar itself below U+0500,
    /// U+0500 above (inside a word that is only a typographic apostrophe, which has no symbol). `codeCount` of them;
    /// offsets in ``NormalizedText`` index them.
    private var codeStorage: [UInt16] = []
    private var codeCount = 0
    private var wordStorage: [Word] = []
    private var wordCount = 0
    /// Words of each ``Script`` in the last text, counted as they were found.
    private var scriptCounts = ScriptCounts()
    private var output = NormalizedText()
    private var cyrillicLeansUzbek = false
    private let tables = Tables.shared

    public init() {}

    struct Word {
        var start: Int32
        var end: Int32
        var script: Script
    }

    enum Script: UInt8 {
        case latinUz, latinEn, latinUnknown, cyrillicUz, cyrillicRu, cyrillicUnknown, digits
    }

    /// Number of words of each script, indexed by `Script.rawValue`.
    struct ScriptCounts {
        var counts: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

        subscript(script: Script) -> Int {
            withUnsafeBytes(of: counts) { $0.load(fromByteOffset: Int(script.rawValue) * 8, as: Int.self) }
        }
    }

    /// Everything the loops read, as plain pointers taken from the shared tables once per normalizer: reading
    /// `static let`s in the loops checked their initialization every time.
    struct Tables: @unchecked Sendable {
        static let shared = Tables()

        let packed = CharacterTables.shared.packed
        let known = Lexicon.known
        let cyrillicEndings = Lexicon.cyrillicEndings
        let latinEndings = Lexicon.latinEndings
    }

    /// Normalizes `text` and detects its language. The result is valid until the next call.
    public mutating func normalize(_ text: String) -> NormalizedText {
        scan(text)
        let language = detectLanguage()
        emit(uzbekCyrillicDefault: language == .uzCyrl || (language == .mixed && cyrillicLeansUzbek))
        output.language = language
        return output
    }

    /// Normalizes `text` reading every Cyrillic word as Russian, whatever its letters and the text's language
    /// suggest: the reading a Cyrillic keyword also needs when, on its own, it looks Uzbek ("доллар" ends like
    /// the Uzbek plural, but a Russian text spells "долларов"). Letters Russian lacks (ў қ ғ ҳ) are still written
    /// in Latin.
    public mutating func normalizeAsRussian(_ text: String) -> NormalizedText {
        scan(text)
        let language = detectLanguage()
        for i in 0..<wordCount {
            switch wordStorage[i].script {
            case .cyrillicUz, .cyrillicUnknown: wordStorage[i].script = .cyrillicRu
            default: break
            }
        }
        emit(uzbekCyrillicDefault: false)
        output.language = language
        return output
    }

    /// Language detection alone.
    public mutating func detectLanguage(of text: String) -> DetectedLanguage {
        scan(text)
        return detectLanguage()
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

    /// Decodes the text, finds its words and their scripts, and counts the words of each script, in one pass over
    /// the UTF-8: decoding into a buffer first, then reading the buffer again for words and once more for the
    /// counts, cost a fifth of the whole routing decision.
    private mutating func scan(_ text: String) {
        var text = text
        let byteCount = text.utf8.count
        // A text has at most as many scalars as bytes, and at most half as many words as scalars, rounded up
        // (words need a character between them).
        if codeStorage.count < byteCount + 1 {
            codeStorage = [UInt16](repeating: 0, count: max(byteCount + 1, codeStorage.count * 2, 256))
        }
        if wordStorage.count < byteCount / 2 + 1 {
            wordStorage = [Word](
                repeating: Word(start: 0, end: 0, script: .digits),
                count: max(byteCount / 2 + 1, wordStorage.count * 2, 128))
        }
        let tables = self.tables
        var counts = ScriptCounts()
        (codeCount, wordCount) = text.withUTF8 { bytes in
            codeStorage.withUnsafeMutableBufferPointer { codes in
                wordStorage.withUnsafeMutableBufferPointer { words in
                    withUnsafeMutableBytes(of: &counts.counts) { counts in
                        TextNormalizer.scan(
                            bytes, codes: codes.baseAddress!, words: words.baseAddress!,
                            counts: counts.baseAddress!.assumingMemoryBound(to: Int.self), tables: tables)
                    }
                }
            }
        }
        scriptCounts = counts
    }

    /// The scalar at `bytes[index]`, moving `index` past it. Swift strings are valid UTF-8; a sequence cut short
    /// would be U+FFFD.
    @inline(__always)
    static func decode(_ bytes: UnsafePointer<UInt8>, _ index: inout Int, _ count: Int) -> UInt32 {
        let lead = bytes[index]
        if lead < 0x80 {
            index &+= 1
            return UInt32(lead)
        }
        return decodeMultibyte(bytes, &index, count)
    }

    static func decodeMultibyte(_ p: UnsafePointer<UInt8>, _ index: inout Int, _ count: Int) -> UInt32 {
        let lead = p[index]
        if lead < 0xE0, index + 1 < count {
            index &+= 2
            return UInt32(lead & 0x1F) << 6 | UInt32(p[index - 1] & 0x3F)
        } else if lead < 0xF0, index + 2 < count {
            index &+= 3
            return UInt32(lead & 0x0F) << 12 | UInt32(p[index - 2] & 0x3F) << 6 | UInt32(p[index - 1] & 0x3F)
        } else if index + 3 < count {
            index &+= 4
            return UInt32(lead & 0x07) << 18 | UInt32(p[index - 3] & 0x3F) << 12 | UInt32(p[index - 2] & 0x3F) << 6
                | UInt32(p[index - 1] & 0x3F)
        }
        index &+= 1
        return 0xFFFD
    }

    /// The scalar at `bytes[index]`, without moving past it.
    @inline(__always) static func peek(_ bytes: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> UInt32 {
        var index = index
        return decode(bytes, &index, count)
    }

    @inline(__always) static func code(_ s: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: min(s, 0x500)) }

    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, codes: UnsafeMutablePointer<UInt16>, words: UnsafeMutablePointer<Word>,
        counts: UnsafeMutablePointer<Int>, tables: Tables
    ) -> (scalars: Int, words: Int) {
        guard let p = bytes.baseAddress else { return (0, 0) }
        typealias Packed = CharacterTables.Packed
        let packed = tables.packed
        let count = bytes.count
        var index = 0
        var scalars = 0
        var found = 0
        while index < count {
            var s = decode(p, &index, count)
            codes[scalars] = code(s)
            scalars &+= 1
            var entry = packed.entry(s)
            guard entry & (Packed.plainWord | Packed.hardSign) != 0 else { continue }
            let start = scalars &- 1
            var end: Int
            // Lanes of counters (see ``CharacterTables/Packed``), and the word's last eight key bytes for the
            // lexicon, taken on the way so the word is read once.
            var lanes: UInt64 = 0
            var tail: UInt64 = 0
            while true {
                if entry & Packed.plainWord != 0 {
                    lanes &+= entry
                } else if entry & Packed.hardSign != 0 {
                    lanes &+= entry
                    // Russian writes ъ only before е ё ю я (объявление); Uzbek uses it as the apostrophe
                    // (маълумот, таъминот).
                    let next = index < count ? peek(p, index, count) | 0x20 : 0
                    if next != 0x435 && next != 0x451 && next != 0x44E && next != 0x44F {
                        lanes &+= Packed.uzbekMarkLane
                    }
                } else if entry & Packed.apostrophe != 0, index < count,
                    packed.entry(peek(p, index, count)) & Packed.letter != 0
                {
                    // An apostrophe inside a word (o'zbek, ma'lumot) belongs to it; after a Latin letter it is Uzbek.
                    if lanes & Packed.laneMask != 0 { lanes &+= Packed.uzbekMarkLane }
                } else {
                    end = scalars &- 1
                    break
                }
                tail = tail << 8 | entry >> 56
                guard index < count else {
                    end = scalars
                    break
                }
                s = decode(p, &index, count)
                codes[scalars] = code(s)
                scalars &+= 1
                entry = packed.entry(s)
            }
            let length = end &- start
            var latin = Int(lanes & Packed.laneMask)
            var cyrillic = Int(lanes >> 12 & Packed.laneMask)
            var uzMarks = Int(lanes >> 24 & Packed.laneMask)
            var ruMarks = Int(lanes >> 36 & Packed.laneMask)
            if length > Packed.longestCountedWord {
                (latin, cyrillic, uzMarks, ruMarks) = recount(codes, start, end, scalars: scalars, packed: packed)
            }
            let script: Script
            let cyrillicWord = cyrillic > 0 && cyrillic >= latin
            if uzMarks > 0 && (cyrillicWord || latin > 0) {
                script = cyrillicWord ? .cyrillicUz : .latinUz
            } else if cyrillicWord && ruMarks > 0 {
                script = .cyrillicRu
            } else if cyrillicWord || latin > 0 {
                // One lookup for both scripts, so its code is inlined once.
                let known = known(codes, start, end, tail: tail, tables: tables)
                script =
                    cyrillicWord
                    ? Lexicon.cyrillicWord(known, tail: tail, length: length, endings: tables.cyrillicEndings)
                    : Lexicon.latinWord(known, tail: tail, length: length, endings: tables.latinEndings)
            } else {
                script = .digits
            }
            words[found] = Word(
                start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end), script: script)
            found &+= 1
            counts[Int(script.rawValue)] &+= 1
        }
        return (scalars, found)
    }

    /// The lexicon's script for the word `codes[start..<end]`, whose last eight key bytes are `tail`.
    @inline(__always)
    private static func known(
        _ codes: UnsafePointer<UInt16>, _ start: Int, _ end: Int, tail: UInt64, tables: Tables
    ) -> Script? {
        guard tables.known.mayHold(length: end &- start, last: tail) else { return nil }
        // Few words are longer than eight letters; only theirs are read again for the first eight.
        var head: UInt64 = 0
        if end &- start > 8 {
            let keys = tables.packed.keys
            for position in start..<(start &+ 8) {
                let code = codes[position]
                head = head << 8 | UInt64(code < CharacterTables.classCount ? keys[Int(code)] : 0)
            }
        }
        return tables.known[Lexicon.WordKey(head: head, tail: tail, length: end &- start)]
    }

    /// The counters of a word too long for the lanes, counted plainly. `scalars` is how many scalars were decoded:
    /// the word's end, or one past it when a character ended it.
    private static func recount(
        _ codes: UnsafePointer<UInt16>, _ start: Int, _ end: Int, scalars: Int, packed: CharacterTables.Packed
    ) -> (Int, Int, Int, Int) {
        typealias Packed = CharacterTables.Packed
        var latin = 0
        var cyrillic = 0
        var uzMarks = 0
        var ruMarks = 0
        for position in start..<end {
            // Inside a word, a code of U+0500 is a typographic apostrophe.
            let code = codes[position]
            let entry = code < CharacterTables.classCount ? packed.entries[Int(code)] : Packed.typographicApostrophe
            if entry & (Packed.plainWord | Packed.hardSign) != 0 {
                latin += Int(entry & Packed.laneMask)
                cyrillic += Int(entry >> 12 & Packed.laneMask)
                uzMarks += Int(entry >> 24 & Packed.laneMask)
                ruMarks += Int(entry >> 36 & Packed.laneMask)
                if entry & Packed.hardSign != 0 {
                    let next = position + 1 < scalars ? UInt32(codes[position + 1]) | 0x20 : 0
                    if next != 0x435 && next != 0x451 && next != 0x44E && next != 0x44F { uzMarks += 1 }
                }
            } else if latin > 0 {
                uzMarks += 1
            }
        }
        return (latin, cyrillic, uzMarks, ruMarks)
    }

    private mutating func detectLanguage() -> DetectedLanguage {
        let words = scriptCounts
        let counts = (
            uzL: words[.latinUz], en: words[.latinEn],
            latin: words[.latinUz] + words[.latinEn] + words[.latinUnknown], uzC: words[.cyrillicUz],
            ru: words[.cyrillicRu], cyr: words[.cyrillicUz] + words[.cyrillicRu] + words[.cyrillicUnknown]
        )
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
        // a separator per word, and one symbol of slack for writing two at once): appending checked uniqueness on
        // every symbol.
        let bound = codeCount * 3 + 4
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
        let table = tables.packed.symbols
        let written = symbols.withUnsafeMutableBufferPointer { symbols in
            offsets.withUnsafeMutableBufferPointer { offsets in
                codeStorage.withUnsafeBufferPointer { codes in
                    wordStorage.withUnsafeBufferPointer { words in
                        TextNormalizer.emit(
                            words: UnsafeBufferPointer(rebasing: words[0..<wordCount]), codes: codes.baseAddress!,
                            symbols: symbols.baseAddress!, offsets: offsets.baseAddress!,
                            uzbekCyrillicDefault: uzbekCyrillicDefault, table: table)
                    }
                }
            }
        }
        output.symbolStorage = symbols
        output.offsetStorage = offsets
        output.count = written
    }

    /// Writes the words' symbols; returns how many. Every scalar takes the same path: its entry in the reading the
    /// word is in (see ``CharacterTables/Packed/symbols``) gives up to two symbols, written both at once with
    /// their offsets, and how many of them count. Branching per scalar on ASCII, Cyrillic, transliteration and
    /// "ye" cost more than the writing.
    private static func emit(
        words: UnsafeBufferPointer<Word>, codes: UnsafePointer<UInt16>, symbols: UnsafeMutablePointer<UInt8>,
        offsets: UnsafeMutablePointer<Int32>, uzbekCyrillicDefault: Bool, table: UnsafePointer<UInt32>
    ) -> Int {
        typealias Packed = CharacterTables.Packed
        symbols[0] = MatchAlphabet.separator
        offsets[0] = 0
        var count = 1
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
            @inline(__always) func put(_ entry: UInt32) {
                UnsafeMutableRawPointer(symbols + count).storeBytes(
                    of: UInt16(truncatingIfNeeded: entry), as: UInt16.self)
                let offset = UInt64(UInt32(truncatingIfNeeded: index))
                UnsafeMutableRawPointer(offsets + count).storeBytes(of: offset | offset << 32, as: UInt64.self)
                count &+= Int(truncatingIfNeeded: entry >> 16 & 3)
            }
            if transliterate {
                // An Uzbek е is "ye" at the start of a word and after a vowel. The next scalar's reading is taken
                // from this scalar's code, not from the entry just read, so one scalar's loads do not wait for the
                // last one's.
                var reading = Packed.uzbekYeReading
                while index < end {
                    let code = Int(truncatingIfNeeded: codes[index])
                    put(table[reading &+ code])
                    reading = Int(truncatingIfNeeded: table[Packed.uzbekReading &+ code] >> 18)
                    index &+= 1
                }
            } else {
                while index < end {
                    put(table[Int(truncatingIfNeeded: codes[index])])
                    index &+= 1
                }
            }
            // A word whose letters all have no symbol (a lone ь) leaves no second separator.
            symbols[count] = MatchAlphabet.separator
            offsets[count] = word.end
            count &+= symbols[count &- 1] != MatchAlphabet.separator ? 1 : 0
        }
        return count
    }

    /// Where the plain transliteration functions below write; ``CharacterTables`` runs them once per scalar to
    /// build the emitting loop's entries.
    struct Sink {
        let symbols: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int32>
        var count = 0

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
