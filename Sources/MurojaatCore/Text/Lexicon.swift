/// The small amount of linguistic knowledge the normalizer needs: transliteration, and the most common words that
/// tell Uzbek from Russian and English when a word has no telltale letter.
enum Lexicon {
    static let uzbekCyrillicWords: Set<String> = [
        "ва", "билан", "учун", "мен", "менга", "менинг", "мени", "бу", "хам", "эмас", "бор", "керак", "деб", "биз",
        "бизга", "бизнинг", "сиз", "сизга", "илтимос", "ёрдам", "берди", "бермади", "бериш", "олиб", "келди", "кетди",
        "ишлаб", "ишлаган", "ишлайман", "иш", "ишга", "ишни", "бола", "болам", "акам", "укам", "отам", "онам", "ака",
        "ука", "опа", "хотиним", "эрим", "шу", "ана", "лекин", "аммо", "агар", "ёки", "яна", "хали", "нима", "нега",
        "ойлик", "ойдан", "йил", "йилдан", "пул", "пулни", "маош", "маошни", "бермаяпти", "жуда", "катта",
    ]
    static let russianWords: Set<String> = [
        "и", "в", "во", "на", "не", "что", "я", "по", "с", "со", "за", "для", "как", "это", "у", "мне", "меня", "мой",
        "моя", "мои", "моего", "моей", "он", "она", "они", "его", "ее", "её", "их", "нам", "нас", "вы", "вас", "вам",
        "от", "до", "из", "к", "ко", "же", "бы", "ли", "но", "а", "или", "уже", "есть", "был", "была", "были",
        "быть", "нет", "да", "так", "когда", "где", "очень", "помогите", "прошу", "пожалуйста", "месяц", "месяца",
        "работе", "работу", "работы", "работал", "работаю", "зарплату", "зарплата", "деньги", "сын", "брат", "муж",
    ]
    static let uzbekLatinWords: Set<String> = [
        "va", "bilan", "uchun", "men", "menga", "mening", "meni", "bu", "ham", "emas", "bor", "kerak", "deb", "biz",
        "bizga", "sizga", "iltimos", "yordam", "berdi", "bermadi", "olib", "keldi", "ketdi", "ish", "ishga", "ishni",
        "lekin", "agar", "yoki", "yana", "hali", "nima", "nega", "oylik", "yil", "pul", "pulni", "maosh", "juda",
        "akam", "ukam", "otam", "onam", "bolam", "hamda", "haqida", "yuzasidan", "bo'yicha", "boyicha", "bo'lib",
        "bolib", "edi", "ekan", "bormi", "kerakmi", "qanday", "qachon", "hozir", "shu", "ushbu",
    ]
    static let englishWords: Set<String> = [
        "the", "and", "of", "to", "is", "my", "i", "in", "for", "not", "please", "was", "have", "has", "with",
        "are", "be", "this", "that", "me", "it", "on", "at", "from", "by", "we", "you", "he", "she", "they", "help",
        "did", "do", "does", "no", "salary", "work", "job", "passport", "employer", "an", "a",
    ]

    /// Uzbek suffixes that Russian words do not end with, in Cyrillic. The plural with its case endings and the
    /// question particle after a verb ("мигрантларга", "бериладими") mark the words of a short question that has
    /// no ў қ ғ ҳ.
    static let uzbekCyrillicEndings: [String] = [
        "лар", "ларни", "нинг", "ган", "моқда", "япти", "дим", "миз", "ман", "моқчи", "ларга", "ларда", "лардан",
        "лари", "ларим", "дими", "ингиз", "япман", "япсиз",
    ]
    static let uzbekLatinEndings = [
        "lar", "larni", "ning", "ganman", "yapti", "moqda", "dim", "miz", "man", "dan", "ga",
    ]
    static let englishEndings = ["tion", "ing", "ed", "ly"]

    // Word lookups run for every word of every appeal, so they work on numbers the normalizer's loop builds anyway:
    // each letter of a word, lower-cased, is one byte (``keyByte(_:)``), and the word is known by its first eight
    // and last eight such bytes and its length (``WordKey``), which tells apart every word of up to sixteen letters.
    // Endings are compared on the last eight bytes in one masked step. No String is made.
    static let known = WordTable(
        // Earlier sets win: Russian over Uzbek for a Cyrillic word in both.
        [
            (russianWords, TextNormalizer.Script.cyrillicRu), (uzbekCyrillicWords, .cyrillicUz),
            (uzbekLatinWords, .latinUz), (englishWords, .latinEn),
        ])
    static let cyrillicEndingTails = uzbekCyrillicEndings.compactMap(Tail.init)
    static let latinUzEndingTails = uzbekLatinEndings.compactMap(Tail.init)
    static let latinEnEndingTails = englishEndings.compactMap(Tail.init)

    /// The byte a (lower-cased) character of a word is known by: ASCII as itself, U+0400...U+047F (Russian and
    /// the common Cyrillic letters) as 0x80...0xFF, anything else as 0. No word of the lexicon and no ending has a
    /// 0 byte, so a word with such a character is never taken for one of them, exactly as if it were compared
    /// character by character.
    static func keyByte(_ scalar: UInt32) -> UInt8 {
        let lower = lower(scalar)
        if lower < 0x80 { return UInt8(lower) }
        if lower &- 0x400 < 0x80 { return UInt8(lower - 0x400 + 0x80) }
        return 0
    }

    /// A word as the lexicon knows it: its first eight key bytes (when it has more than eight), its last eight,
    /// and its length in characters.
    struct WordKey: Hashable, Sendable {
        var head: UInt64
        var tail: UInt64
        var length: Int

        /// Nil when a character has no key byte: no such word is in the lexicon.
        init?(_ word: String) {
            let bytes = word.unicodeScalars.map { keyByte($0.value) }
            if bytes.contains(0) || bytes.count > 16 { return nil }
            tail = bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
            head = bytes.count > 8 ? bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } : 0
            length = bytes.count
        }

        @inline(__always) init(head: UInt64, tail: UInt64, length: Int) {
            self.head = length > 8 ? head : 0
            self.tail = tail
            self.length = length
        }

        @inline(__always) var slot: Int {
            let mixed = ((tail ^ (head &* 0x9E37_79B9_7F4A_7C15)) &+ UInt64(length)) &* 0xFF51_AFD7_ED55_8CCD
            return Int(truncatingIfNeeded: mixed >> 40)
        }
    }

    /// An ending as the last key bytes of a word, so it is compared in one masked step.
    struct Tail: Sendable {
        var value: UInt64
        var mask: UInt64

        /// Nil for an ending with a character that has no key byte: such an ending has an Uzbek letter (моқда),
        /// and a word with one is taken as Uzbek before its ending is looked at.
        init?(_ ending: String) {
            let bytes = ending.unicodeScalars.map { keyByte($0.value) }
            precondition(bytes.count <= 8)
            if bytes.contains(0) { return nil }
            value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
            mask = bytes.count == 8 ? ~0 : (1 << (8 * UInt64(bytes.count))) - 1
        }
    }

    @inline(__always) static func lower(_ scalar: UInt32) -> UInt32 {
        if scalar &- 0x41 <= 25 { return scalar &+ 0x20 }
        if scalar &- 0x410 <= 0x1F { return scalar &+ 0x20 }
        return scalar
    }

    /// The script of a Cyrillic word without telltale letters: `known` is its entry in the table of common words,
    /// `tail` its last eight key bytes.
    @inline(__always)
    static func cyrillicWord(
        _ known: TextNormalizer.Script?, tail: UInt64, length: Int, endings: EndingTable
    ) -> TextNormalizer.Script {
        switch known {
        case .cyrillicRu: return .cyrillicRu
        case .cyrillicUz: return .cyrillicUz
        default: break
        }
        if length >= 5 { return endings.script(of: tail) ?? .cyrillicUnknown }
        return .cyrillicUnknown
    }

    /// The script of a Latin word without telltale letters: `known` is its entry in the table of common words,
    /// `tail` its last eight key bytes.
    @inline(__always)
    static func latinWord(
        _ known: TextNormalizer.Script?, tail: UInt64, length: Int, endings: EndingTable
    ) -> TextNormalizer.Script {
        switch known {
        case .latinUz: return .latinUz
        case .latinEn: return .latinEn
        default: break
        }
        if length >= 5 { return endings.script(of: tail) ?? .latinUnknown }
        return .latinUnknown
    }

    static let cyrillicEndings = EndingTable([(cyrillicEndingTails, .cyrillicUz)])
    /// Uzbek first: a word with an Uzbek ending is Uzbek even when it also has an English one.
    static let latinEndings = EndingTable([(latinUzEndingTails, .latinUz), (latinEnEndingTails, .latinEn)])

    /// Endings grouped by their last key byte, so a word is compared only with the endings it could have (most
    /// words, with none). Raw pointers, allocated once and never freed, so the table is a plain value.
    struct EndingTable: @unchecked Sendable {
        /// For each last byte, where its endings start in `tails` and `scripts`; they end where the next byte's
        /// start.
        private let starts: UnsafeMutablePointer<UInt8>
        private let tails: UnsafeMutablePointer<Tail>
        private let scripts: UnsafeMutablePointer<TextNormalizer.Script>

        /// Earlier groups win over later ones, as if each group's endings were all tried first.
        init(_ groups: [([Tail], TextNormalizer.Script)]) {
            var all: [(Tail, TextNormalizer.Script)] = []
            for (tails, script) in groups { all += tails.map { ($0, script) } }
            // A stable sort by last byte keeps earlier groups first within each byte.
            all = all.enumerated().sorted {
                ($0.element.0.value & 0xFF, $0.offset) < ($1.element.0.value & 0xFF, $1.offset)
            }
            .map(\.element)
            precondition(all.count < 256)
            starts = .allocate(capacity: 257)
            tails = .allocate(capacity: max(all.count, 1))
            scripts = .allocate(capacity: max(all.count, 1))
            var next = 0
            for byte in 0..<256 {
                starts[byte] = UInt8(next)
                while next < all.count && all[next].0.value & 0xFF == UInt64(byte) {
                    tails[next] = all[next].0
                    scripts[next] = all[next].1
                    next += 1
                }
            }
            starts[256] = UInt8(next)
        }

        /// The script of the first ending `tail` (a word's last eight key bytes) ends with, if any.
        @inline(__always) func script(of tail: UInt64) -> TextNormalizer.Script? {
            let last = Int(tail & 0xFF)
            var index = Int(starts[last])
            let end = Int(starts[last + 1])
            while index < end {
                let ending = tails[index]
                if tail & ending.mask == ending.value { return scripts[index] }
                index &+= 1
            }
            return nil
        }
    }

    /// Words to scripts, by linear probing in a table at most a quarter full, so a miss ends at the first or second
    /// slot. Most words looked up are not in it, so a word is first checked against the lengths of the words in it
    /// that end with its last key byte (no multiplication for most words), then a bit per slot saying whether the
    /// slot is taken. Raw pointers, allocated once and never freed, so the
    /// table is a plain value and a lookup retains nothing.
    struct WordTable: @unchecked Sendable {
        private let keys: UnsafeMutablePointer<WordKey>
        private let scripts: UnsafeMutablePointer<TextNormalizer.Script?>
        private let taken: UnsafeMutablePointer<UInt64>
        private let mask: Int
        /// For each last key byte, bit `n` is set when a word of `n` characters ending with it is in the table (all
        /// are shorter than 64).
        private let lengths: UnsafeMutablePointer<UInt64>

        init(_ sets: [(Set<String>, TextNormalizer.Script)]) {
            let total = sets.reduce(0) { $0 + $1.0.count }
            var size = 64
            while size < total * 4 { size *= 2 }
            let empty = WordKey(head: 0, tail: 0, length: 0)
            keys = .allocate(capacity: size)
            keys.initialize(repeating: empty, count: size)
            scripts = .allocate(capacity: size)
            scripts.initialize(repeating: nil, count: size)
            taken = .allocate(capacity: size / 64)
            taken.initialize(repeating: 0, count: size / 64)
            lengths = .allocate(capacity: 256)
            lengths.initialize(repeating: 0, count: 256)
            for (words, script) in sets {
                for word in words.sorted() {
                    guard let key = WordKey(word) else { continue }
                    lengths[Int(key.tail & 0xFF)] |= 1 << UInt64(key.length)
                    var slot = key.slot & (size - 1)
                    while keys[slot].length != 0 && keys[slot] != key { slot = (slot + 1) & (size - 1) }
                    if keys[slot].length == 0 {
                        keys[slot] = key
                        scripts[slot] = script
                        taken[slot >> 6] |= 1 << UInt64(slot & 63)
                    }
                }
            }
            mask = size - 1
        }

        /// Whether a word of `length` characters whose last eight key bytes are `last` may be in the table.
        @inline(__always) func mayHold(length: Int, last: UInt64) -> Bool {
            length < 64 && lengths[Int(truncatingIfNeeded: last & 0xFF)] & (1 << UInt64(length)) != 0
        }

        @inline(__always) subscript(key: WordKey) -> TextNormalizer.Script? {
            var slot = key.slot & mask
            if taken[slot >> 6] & (1 << UInt64(slot & 63)) == 0 { return nil }
            while true {
                let found = keys[slot]
                if found.length == 0 { return nil }
                if found == key { return scripts[slot] }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// Latin letters with diacritics as some people type Uzbek (Turkish-style ş, ç, ğ) or names.
    @inline(__always) static func latinExtended(_ s: UInt32) -> UInt16? {
        switch s {
        case 0x15F, 0x15E: Latin.pack("sh")
        case 0xE7, 0xC7: Latin.pack("ch")
        case 0x11F, 0x11E: Latin.pack("g")
        case 0xF6, 0xD6, 0xF3, 0xD3, 0xF2, 0xD2, 0xF4, 0xD4, 0xF5: Latin.pack("o")
        case 0xFC, 0xDC, 0xFA, 0xDA, 0xF9, 0xFB: Latin.pack("u")
        case 0x131, 0x130, 0xED, 0xCD, 0xEC, 0xEE, 0xEF: Latin.pack("i")
        case 0xE9, 0xC9, 0xE8, 0xEA, 0xEB: Latin.pack("e")
        case 0xE1, 0xC1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5: Latin.pack("a")
        case 0xF1, 0xD1: Latin.pack("n")
        case 0xDF: Latin.pack("ss")
        default: nil
        }
    }

    @inline(__always) static func isCyrillicVowel(_ lower: UInt32) -> Bool {
        switch lower {
        case 0x430, 0x435, 0x451, 0x438, 0x43E, 0x443, 0x44D, 0x44E, 0x44F, 0x45E: true
        default: false
        }
    }

    /// Uzbek Cyrillic (lower case) to Uzbek Latin, as the 1995 alphabet writes it, with apostrophes already dropped
    /// and q written as g (the matching alphabet has one letter for both).
    @inline(__always) static func uzbekCyrillicToLatin(_ lower: UInt32, wordStart: Bool, afterVowel: Bool) -> UInt16? {
        switch lower {
        case 0x430: Latin.pack("a")
        case 0x431: Latin.pack("b")
        case 0x432: Latin.pack("v")
        case 0x433: Latin.pack("g")
        case 0x434: Latin.pack("d")
        case 0x435: wordStart || afterVowel ? Latin.pack("ye") : Latin.pack("e")
        case 0x451: Latin.pack("yo")
        case 0x436: Latin.pack("j")
        case 0x437: Latin.pack("z")
        case 0x438: Latin.pack("i")
        case 0x439: Latin.pack("y")
        case 0x43A: Latin.pack("k")
        case 0x43B: Latin.pack("l")
        case 0x43C: Latin.pack("m")
        case 0x43D: Latin.pack("n")
        case 0x43E: Latin.pack("o")
        case 0x43F: Latin.pack("p")
        case 0x440: Latin.pack("r")
        case 0x441: Latin.pack("s")
        case 0x442: Latin.pack("t")
        case 0x443: Latin.pack("u")
        case 0x444: Latin.pack("f")
        case 0x445: Latin.pack("x")
        case 0x446: Latin.pack("ts")
        case 0x447: Latin.pack("ch")
        case 0x448: Latin.pack("sh")
        case 0x449: Latin.pack("sh")
        case 0x44A: 0  // the hard sign is the Uzbek apostrophe (маъно = ma'no), dropped like any apostrophe
        case 0x44B: Latin.pack("i")
        case 0x44C: 0
        case 0x44D: Latin.pack("e")
        case 0x44E: Latin.pack("yu")
        case 0x44F: Latin.pack("ya")
        case 0x45E: Latin.pack("o")  // ў = o'
        case 0x49B: Latin.pack("q")  // қ = q (folded onto g by the alphabet)
        case 0x493: Latin.pack("g")  // ғ = g'
        case 0x4B3: Latin.pack("h")  // ҳ = h
        default: nil
        }
    }
}

/// Up to two ASCII letters in one integer (first in the low byte; 0 is no letter), so transliteration tables
/// hand back letters without making strings.
enum Latin {
    @inline(__always) static func pack(_ letters: StaticString) -> UInt16 {
        let p = letters.utf8Start
        return letters.utf8CodeUnitCount == 1 ? UInt16(p[0]) : UInt16(p[0]) | UInt16(p[1]) << 8
    }
}
