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

    /// Uzbek suffixes that Russian words do not end with, in Cyrillic.
    static let uzbekCyrillicEndings: [String] = [
        "лар", "ларни", "нинг", "ган", "моқда", "япти", "дим", "миз", "ман", "моқчи",
    ]

    static func word(_ scalars: [UInt32], _ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        for index in start..<end {
            var s = scalars[index]
            if s >= 0x41 && s <= 0x5A { s += 0x20 }
            if s >= 0x410 && s <= 0x42F { s += 0x20 }
            if let scalar = Unicode.Scalar(s) { view.append(scalar) }
        }
        return String(view)
    }

    static func cyrillicWord(_ scalars: [UInt32], _ start: Int, _ end: Int) -> TextNormalizer.Script {
        let text = word(scalars, start, end)
        if russianWords.contains(text) { return .cyrillicRu }
        if uzbekCyrillicWords.contains(text) { return .cyrillicUz }
        if end - start >= 5 {
            for ending in uzbekCyrillicEndings where text.hasSuffix(ending) { return .cyrillicUz }
        }
        return .cyrillicUnknown
    }

    static func latinWord(_ scalars: [UInt32], _ start: Int, _ end: Int) -> TextNormalizer.Script {
        let text = word(scalars, start, end)
        if uzbekLatinWords.contains(text) { return .latinUz }
        if englishWords.contains(text) { return .latinEn }
        if end - start >= 5 {
            for ending in ["lar", "larni", "ning", "ganman", "yapti", "moqda", "dim", "miz", "man", "dan", "ga"]
            where text.hasSuffix(ending) { return .latinUz }
            for ending in ["tion", "ing", "ed", "ly"] where text.hasSuffix(ending) { return .latinEn }
        }
        return .latinUnknown
    }

    /// Latin letters with diacritics as some people type Uzbek (Turkish-style ş, ç, ğ) or names.
    @inline(__always) static func latinExtended(_ s: UInt32) -> String? {
        switch s {
        case 0x15F, 0x15E: "sh"
        case 0xE7, 0xC7: "ch"
        case 0x11F, 0x11E: "g"
        case 0xF6, 0xD6, 0xF3, 0xD3, 0xF2, 0xD2, 0xF4, 0xD4, 0xF5: "o"
        case 0xFC, 0xDC, 0xFA, 0xDA, 0xF9, 0xFB: "u"
        case 0x131, 0x130, 0xED, 0xCD, 0xEC, 0xEE, 0xEF: "i"
        case 0xE9, 0xC9, 0xE8, 0xEA, 0xEB: "e"
        case 0xE1, 0xC1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5: "a"
        case 0xF1, 0xD1: "n"
        case 0xDF: "ss"
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
    @inline(__always) static func uzbekCyrillicToLatin(_ lower: UInt32, wordStart: Bool, afterVowel: Bool) -> String? {
        switch lower {
        case 0x430: "a"
        case 0x431: "b"
        case 0x432: "v"
        case 0x433: "g"
        case 0x434: "d"
        case 0x435: wordStart || afterVowel ? "ye" : "e"
        case 0x451: "yo"
        case 0x436: "j"
        case 0x437: "z"
        case 0x438: "i"
        case 0x439: "y"
        case 0x43A: "k"
        case 0x43B: "l"
        case 0x43C: "m"
        case 0x43D: "n"
        case 0x43E: "o"
        case 0x43F: "p"
        case 0x440: "r"
        case 0x441: "s"
        case 0x442: "t"
        case 0x443: "u"
        case 0x444: "f"
        case 0x445: "x"
        case 0x446: "ts"
        case 0x447: "ch"
        case 0x448: "sh"
        case 0x449: "sh"
        case 0x44A: ""  // the hard sign is the Uzbek apostrophe (маъно = ma'no), dropped like any apostrophe
        case 0x44B: "i"
        case 0x44C: ""
        case 0x44D: "e"
        case 0x44E: "yu"
        case 0x44F: "ya"
        case 0x45E: "o"  // ў = o'
        case 0x49B: "q"  // қ = q (folded onto g by the alphabet)
        case 0x493: "g"  // ғ = g'
        case 0x4B3: "h"  // ҳ = h
        default: nil
        }
    }
}
