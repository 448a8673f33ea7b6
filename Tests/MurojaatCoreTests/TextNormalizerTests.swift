import MurojaatTesting
import Testing

@testable import MurojaatCore

@Suite struct TextNormalizerTests {
    /// Every spelling of one Uzbek word must reduce to the same symbols.
    @Test(arguments: [
        (
            [
                "O'zbekiston", "Oʻzbekiston", "O‘zbekiston", "O`zbekiston", "O’zbekiston", "Ozbekiston", "OZBEKISTON",
                "Ўзбекистон", "ЎЗБЕКИСТОН",
            ], " ozbekiston "
        ),
        (["g'alla", "gʻalla", "g‘alla", "galla", "ғалла", "Ғалла"], " galla "),
        (["huquqlarini", "huquglarini", "ҳуқуқларини", "HUQUQLARINI"], " huguglarini "),
        (["qilish", "gilish", "қилиш"], " gilish "),
        (["so'rov", "soʻrov", "sorov", "сўров", "СЎРОВ"], " sorov "),
        (["ma'lumot", "maʼlumot", "malumot", "маълумот"], " malumot "),
        (["yetkazib berdi", "етказиб берди"], " yetkazib berdi "),
        (["shikoyat ham", "шикоят ҳам", "SHIKOYAT HAM"], " shikoyat ham "),
        (["choy bor", "чой бор"], " choy bor "),
        (["xorijda ish", "хорижда иш", "Xorijda  ish!"], " xorijda ish "),
    ])
    func spellingsOfOneWordAgree(variants: [String], expected: String) {
        var normalizer = TextNormalizer()
        for variant in variants {
            #expect(normalizer.normalize(variant).spelled == expected, "\(variant)")
        }
    }

    @Test func russianStaysCyrillic() {
        var normalizer = TextNormalizer()
        #expect(
            normalizer.normalize("Забрали ПАСПОРТ, не платят зарплату!").spelled
                == " забрали паспорт не платят зарплату ")
        #expect(normalizer.normalize("Ещё ёлка").spelled == " еще елка ")
    }

    @Test func uzbekCyrillicTextIsWrittenInLatinEvenWithoutTelltaleLetters() {
        var normalizer = TextNormalizer()
        // "паспортимни" alone could be either; the text has қ and ў, so the whole text is Uzbek.
        #expect(normalizer.normalize("Паспортимни олиб қўйишди").spelled == " pasportimni olib goyishdi ")
        #expect(normalizer.normalize("Маош бермади").spelled == " maosh bermadi ")
    }

    @Test func aLoneCyrillicWordWithoutUzbekSignsIsTakenAsRussian() {
        // Nothing in "шикоят" alone says Uzbek; in a text, its neighbours decide (see the test above).
        var normalizer = TextNormalizer()
        #expect(normalizer.normalize("шикоят").spelled == " шикоят ")
        #expect(normalizer.normalize("шикоят қилдим").spelled == " shikoyat gildim ")
    }

    @Test func theRussianReadingKeepsEveryCyrillicWordInCyrillic() {
        var normalizer = TextNormalizer()
        // "доллар" ends like the Uzbek plural and alone reads as Uzbek; the Russian reading keeps it.
        #expect(normalizer.normalize("Доллар*").spelled == " dollar ")
        #expect(normalizer.normalizeAsRussian("Доллар").spelled == " доллар ")
        #expect(normalizer.normalizeAsRussian("Ещё маош бермади").spelled == " еще маош бермади ")
        // Letters Russian lacks are still written in Latin, and Latin words stay as they are.
        #expect(normalizer.normalizeAsRussian("қўл O'zbek").spelled == " goл ozbek ")
    }

    @Test func offsetsPointIntoTheOriginalText() {
        var normalizer = TextNormalizer()
        let text = "Oʻzbek  ПАСПОРТ"
        let normalized = normalizer.normalize(text)
        let scalars = Array(text.unicodeScalars)
        // The symbol for "п" must point at "П", the 9th character (after "Oʻzbek" and two spaces).
        let index = normalized.symbols.firstIndex { $0 >= 37 }!
        #expect(scalars[Int(normalized.offsets[index])] == "П")
        #expect(normalized.offsets[1] == 0)
    }

    @Test(arguments: [
        ("Assalomu alaykum, mening akam Rossiyada ishlaydi, ish haqini bermayapti", DetectedLanguage.uzLatn),
        ("Здравствуйте, мой брат работает в России, ему не платят зарплату", .ru),
        ("Менинг акам Россияда ишлаяпти, иш ҳақини беришмаяпти", .uzCyrl),
        // No ў қ ғ ҳ and no common word: the plural's case ending and the question particle say Uzbek.
        ("Мигрантларга имтиёзли кредит бериладими?", .uzCyrl),
        ("Мигрантам дают льготный кредит?", .ru),
        ("My brother works in Korea and the employer took his passport", .en),
        ("Здравствуйте, мой брат работает. Mening akam Rossiyada ishlaydi, pulini bermayapti", .mixed),
    ])
    func languageIsDetected(text: String, expected: DetectedLanguage) {
        var normalizer = TextNormalizer()
        #expect(normalizer.detectLanguage(of: text) == expected)
        #expect(normalizer.normalize(text).language == expected)
    }

    @Test func emptyAndSymbolOnlyTextsAreHarmless() {
        var normalizer = TextNormalizer()
        #expect(normalizer.normalize("").spelled == " ")
        #expect(normalizer.normalize("!!! ... ???").spelled == " ")
        #expect(normalizer.normalize("🙂 \u{0}\u{FFFD}").spelled == " ")
    }

    /// The fast normalizer agrees with the plain one on texts made of the pieces that make normalizing hard: both
    /// scripts, every apostrophe, the telltale letters, ъ before and not before е, е after vowels, Latin letters
    /// with diacritics, capitals, digits, words of mixed script, and the common words language detection counts.
    @Test func agreesWithThePlainRulesOnGeneratedTexts() {
        let pieces: [String] =
            [
                "o'zbek", "Oʻzbekiston", "g‘alla", "ma`lumot", "so’rov", "bo'yicha", "boyicha", "qilish", "Xorijda",
                "HUQUQ", "ish", "haqi", "pasportimni", "lar", "larni", "ganman", "ishlayman", "the", "passport",
                "working", "station", "quickly", "Ўзбекистон", "ҳуқуқ", "ғалла", "ЎЗБЕК", "маълумот", "объявление",
                "подъезд", "съёмка", "ъ", "ь", "ёрдам", "Ёрдам", "етказиб", "иш", "мен", "эмас", "ишлаяпти",
                "ишлайман", "бермаяпти", "Ещё", "ёлка", "щи", "мы", "Здравствуйте", "пожалуйста", "зарплату",
                "паспорт", "ПАСПОРТ", "шикоят", "Şahar", "çay", "Göteborg", "café", "Straße", "ñandú", "ı", "İ",
                "2025", "+998901234567", "№5", "Pасport", "пасport", "aбв", "Ѐ", "ѝ", "ә", "ң", "ҷ", "ʹ", "´", "ʼ",
                "'", "`", "‘", "’", "\u{0301}", "🙂", "\u{FFFD}", "\u{0}", "",
            ] + Lexicon.russianWords.sorted().prefix(20) + Lexicon.uzbekCyrillicWords.sorted().prefix(20)
            + Lexicon.uzbekLatinWords.sorted().prefix(20) + Lexicon.englishWords.sorted().prefix(10)
            // Words are known by their first and last eight letters and their length: lexicon words of eight to
            // ten letters, words that share their last eight letters, and words of 16 and 17 letters.
            + [
                "yuzasidan", "Yuzasidan", "zuzasidan", "пожалуйста", "ПОЖАЛУЙСТА", "ложалуйста", "бермаяпти",
                "Assalomu", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq", "bo‘yicha",
                "переосвидетельствование", "qurilishdagilarimizning", "Rossiyaning",
            ]
            // Endings, in both scripts and in words of the other script.
            + [
                "ishlaganlar", "kitoblarni", "bermadim", "keldingiz", "sizdan", "Toshkentga", "nation", "talked",
                "quickly", "болалар", "китобларни", "ишладим", "ёзмиз", "абвгlar", "абвlar", "abcлар", "abcdлар",
            ]
            // Scalars the fast paths treat apart: Latin Extended-B (letters without symbols), × and ÷, scalars of
            // three and four bytes inside words, е after Uzbek vowels, apostrophes at the edges of words.
            + [
                "ƀ", "ȳ", "Ǆ", "a×b", "÷", "ab🙂cd", "a’b", "中文", "ՀԱՅ", "поезд", "оё", "Ўе", "ЮЕ", "ъе", "ЪЕ",
                "ье", "уе", "'abc", "abc'", "о'зб", "ʼа", "ä", "ŉ",
            ]
        let asciiPieces = pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        let gaps = [" ", " ", " ", "  ", ", ", ". ", "\n", "-", "!", "'", "’", "", "", "ʻ", "\t"]
        let asciiGaps = gaps.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        var generator = SplitMix64(seed: 7)
        var normalizer = TextNormalizer()
        var disagreements = 0
        for round in 0..<3000 {
            var text = ""
            // Some texts are pure ASCII, as most Latin appeals are.
            let ascii = round % 7 == 3
            for _ in 0..<Int.random(in: 0...(round % 10 == 0 ? 120 : 30), using: &generator) {
                text += (ascii ? asciiPieces : pieces).randomElement(using: &generator)!
                text += (ascii ? asciiGaps : gaps).randomElement(using: &generator)!
            }
            let plain = PlainNormalizer.normalize(text)
            let fast = normalizer.normalize(text)
            guard fast.symbols != plain.symbols || fast.offsets != plain.offsets || fast.language != plain.language
            else { continue }
            disagreements += 1
            if disagreements <= 5 {
                let plainSpelled = MatchAlphabet.spell(plain.symbols)
                Issue.record(
                    Comment(
                        rawValue: "\(text.debugDescription): fast \(fast.spelled) \(fast.offsets) \(fast.language), "
                            + "plain \(plainSpelled) \(plain.offsets) \(plain.language)"))
            }
        }
        #expect(disagreements == 0)
    }

    /// Words far longer than any appeal's, which the fast normalizer counts apart: its per-word counters are narrow.
    @Test(arguments: [4095, 4096, 5000])
    func agreesWithThePlainRulesOnVeryLongWords(length: Int) {
        let texts = [
            String(repeating: "b", count: length),
            String(repeating: "а", count: length) + String(repeating: "b", count: length - 1),
            String(repeating: "b", count: length) + String(repeating: "а", count: length - 1),
            String(repeating: "b", count: length) + String(repeating: "а", count: length),
            "ы" + String(repeating: "а", count: length),
            "q" + String(repeating: "а", count: length) + " мен",
            String(repeating: "а", count: length) + "ъ" + String(repeating: "b", count: length),
            String(repeating: "o'", count: length / 2) + "z",
        ]
        var normalizer = TextNormalizer()
        for text in texts {
            let plain = PlainNormalizer.normalize(text)
            let fast = normalizer.normalize(text)
            #expect(fast.symbols == plain.symbols && fast.offsets == plain.offsets && fast.language == plain.language)
        }
    }
}
