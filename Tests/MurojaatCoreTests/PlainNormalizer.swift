@testable import MurojaatCore

/// The normalizer's rules written plainly: a character at a time, words looked up in the lexicon's sets, no tables
/// and no buffers. ``TextNormalizer`` is written for speed; it must agree with this on every text.
enum PlainNormalizer {
    struct Result: Equatable {
        var symbols: [UInt8]
        var offsets: [Int32]
        var language: DetectedLanguage
    }

    enum Script { case latinUz, latinEn, latinUnknown, cyrillicUz, cyrillicRu, cyrillicUnknown, digits }

    static func isWordCharacter(_ s: UInt32) -> Bool {
        TextNormalizer.isLatinLetter(s) || TextNormalizer.isCyrillic(s) || TextNormalizer.isDigit(s)
    }

    static func isLetter(_ s: UInt32) -> Bool { TextNormalizer.isLatinLetter(s) || TextNormalizer.isCyrillic(s) }

    static let uzbekMarks: Set<UInt32> = [
        0x71, 0x51, 0x78, 0x58, 0x45E, 0x40E, 0x49B, 0x49A, 0x493, 0x492, 0x4B3, 0x4B2,
    ]
    static let russianMarks: Set<UInt32> = [0x44B, 0x42B, 0x449, 0x429]

    static func scalars(_ words: Set<String>) -> Set<[UInt32]> { Set(words.map { $0.unicodeScalars.map(\.value) }) }
    static let russianWords = scalars(Lexicon.russianWords)
    static let uzbekCyrillicWords = scalars(Lexicon.uzbekCyrillicWords)
    static let uzbekLatinWords = scalars(Lexicon.uzbekLatinWords)
    static let englishWords = scalars(Lexicon.englishWords)

    static func endsWithAny(_ word: [UInt32], _ endings: [String]) -> Bool {
        endings.contains { ending in
            let tail = ending.unicodeScalars.map(\.value)
            return word.count >= tail.count && Array(word.suffix(tail.count)) == tail
        }
    }

    static func script(of word: [UInt32], next: UInt32?) -> Script {
        var latin = 0
        var cyrillic = 0
        var uzbek = false
        var russian = false
        for (i, s) in word.enumerated() {
            if TextNormalizer.isLatinLetter(s) { latin += 1 }
            if TextNormalizer.isCyrillic(s) { cyrillic += 1 }
            if uzbekMarks.contains(s) { uzbek = true }
            if russianMarks.contains(s) { russian = true }
            if s == 0x44A || s == 0x42A {
                // ъ is Russian only before е ё ю я.
                let after = i + 1 < word.count ? word[i + 1] : next ?? 0
                if ![0x435, 0x451, 0x44E, 0x44F].contains(after | 0x20) { uzbek = true }
            }
            // An apostrophe inside a word with Latin letters before it is Uzbek (o'zbek).
            if TextNormalizer.isApostrophe(s) && latin > 0 { uzbek = true }
        }
        let lower = word.map(Lexicon.lower)
        if cyrillic > 0 && cyrillic >= latin {
            if uzbek { return .cyrillicUz }
            if russian { return .cyrillicRu }
            if russianWords.contains(lower) { return .cyrillicRu }
            if uzbekCyrillicWords.contains(lower) { return .cyrillicUz }
            if word.count >= 5 && endsWithAny(lower, Lexicon.uzbekCyrillicEndings) { return .cyrillicUz }
            return .cyrillicUnknown
        }
        if latin > 0 {
            if uzbek { return .latinUz }
            if uzbekLatinWords.contains(lower) { return .latinUz }
            if englishWords.contains(lower) { return .latinEn }
            if word.count >= 5 && endsWithAny(lower, Lexicon.uzbekLatinEndings) { return .latinUz }
            if word.count >= 5 && endsWithAny(lower, Lexicon.englishEndings) { return .latinEn }
            return .latinUnknown
        }
        return .digits
    }

    static func language(_ scripts: [Script]) -> (DetectedLanguage, cyrillicLeansUzbek: Bool) {
        let count = { (wanted: [Script]) in scripts.filter(wanted.contains).count }
        let uzL = count([.latinUz])
        let en = count([.latinEn])
        let latin = count([.latinUz, .latinEn, .latinUnknown])
        let uzC = count([.cyrillicUz])
        let ru = count([.cyrillicRu])
        let cyr = count([.cyrillicUz, .cyrillicRu, .cyrillicUnknown])
        let leansUzbek = uzC > ru
        let total = latin + cyr
        if total == 0 { return (.mixed, leansUzbek) }
        if cyr * 100 >= total * 85 {
            if uzC > 0 && ru > 0 && min(uzC, ru) * 3 >= max(uzC, ru) { return (.mixed, leansUzbek) }
            return (leansUzbek ? .uzCyrl : .ru, leansUzbek)
        }
        if latin * 100 >= total * 85 {
            if uzL > 0 && en > 0 && min(uzL, en) * 3 >= max(uzL, en) { return (.mixed, leansUzbek) }
            return (en > uzL ? .en : .uzLatn, leansUzbek)
        }
        return (.mixed, leansUzbek)
    }

    static func latinSymbols(_ letters: UInt16) -> [UInt8] {
        var out: [UInt8] = []
        if letters & 0xFF != 0 { out.append(MatchAlphabet.latin(UInt8(letters & 0xFF))) }
        if letters >> 8 != 0 { out.append(MatchAlphabet.latin(UInt8(letters >> 8))) }
        return out
    }

    /// The symbols of one character of a word; `yeSound` is whether an Uzbek е here is said "ye".
    static func symbols(of s: UInt32, uzbek: Bool, yeSound: Bool) -> [UInt8] {
        if s >= 0x61 && s <= 0x7A { return [MatchAlphabet.latin(UInt8(s))] }
        if s >= 0x41 && s <= 0x5A { return [MatchAlphabet.latin(UInt8(s + 32))] }
        if s >= 0x30 && s <= 0x39 { return [27 + UInt8(s - 0x30)] }
        if s < 0x80 { return [] }
        if TextNormalizer.isCyrillic(s) {
            var lower = s
            if s >= 0x410 && s <= 0x42F { lower = s + 0x20 }
            if uzbek {
                if s == 0x401 { lower = 0x451 }
                if s >= 0x490 && s <= 0x4FF && s & 1 == 0 { lower = s + 1 }
                if s == 0x40E { lower = 0x45E }
                return Lexicon.uzbekCyrillicToLatin(lower, wordStart: yeSound, afterVowel: false).map(latinSymbols)
                    ?? []
            }
            if s == 0x401 || s == 0x451 { lower = 0x435 }
            if lower >= 0x430 && lower <= 0x44F { return [37 + UInt8(lower - 0x430)] }
            return Lexicon.uzbekCyrillicToLatin(lower, wordStart: false, afterVowel: false).map(latinSymbols) ?? []
        }
        return Lexicon.latinExtended(s).map(latinSymbols) ?? []
    }

    static func isUzbekVowel(_ s: UInt32) -> Bool {
        var lower = s
        if s >= 0x410 && s <= 0x42F { lower = s + 0x20 }
        if s == 0x401 { lower = 0x451 }
        if s >= 0x490 && s <= 0x4FF && s & 1 == 0 { lower = s + 1 }
        if s == 0x40E { lower = 0x45E }
        return Lexicon.uzbekCyrillicToLatin(lower, wordStart: false, afterVowel: false) != nil
            && Lexicon.isCyrillicVowel(lower)
    }

    static func normalize(_ text: String) -> Result {
        let scalars = text.unicodeScalars.map(\.value)
        var words: [(start: Int, end: Int, script: Script)] = []
        var index = 0
        while index < scalars.count {
            guard isWordCharacter(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count {
                let s = scalars[index]
                let apostropheInside =
                    TextNormalizer.isApostrophe(s) && index + 1 < scalars.count && isLetter(scalars[index + 1])
                guard isWordCharacter(s) || apostropheInside else { break }
                index += 1
            }
            let word = Array(scalars[start..<index])
            words.append((start, index, script(of: word, next: index < scalars.count ? scalars[index] : nil)))
        }
        let (language, leansUzbek) = language(words.map(\.script))
        let uzbekDefault = language == .uzCyrl || (language == .mixed && leansUzbek)
        var symbols: [UInt8] = [MatchAlphabet.separator]
        var offsets: [Int32] = [0]
        for word in words {
            let uzbek = word.script == .cyrillicUz || (word.script == .cyrillicUnknown && uzbekDefault)
            var yeSound = true
            for i in word.start..<word.end {
                let s = scalars[i]
                for symbol in PlainNormalizer.symbols(of: s, uzbek: uzbek, yeSound: yeSound) {
                    symbols.append(symbol)
                    offsets.append(Int32(i))
                }
                yeSound = uzbek && TextNormalizer.isCyrillic(s) && isUzbekVowel(s)
            }
            if symbols.last != MatchAlphabet.separator {
                symbols.append(MatchAlphabet.separator)
                offsets.append(Int32(word.end))
            }
        }
        return Result(symbols: symbols, offsets: offsets, language: language)
    }
}
