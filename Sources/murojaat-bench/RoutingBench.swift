import Foundation
import MurojaatCore
import MurojaatTesting
import Rules

/// Routing decisions per second on one core, for 300-character texts, with the shipped rules and with generated
/// keyword rule sets of growing size. The texts are the same length for every set and match about as many rules,
/// so the figures show what the number of rules costs.
struct RoutingBench {
    var rulesDirectory: URL
    var runs: Int
    var secondsPerRun: Double
    /// Decisions per run, when given: no warm-up and no timing of the batch size.
    var fixedDecisions: Int?
    /// Cases to run; nil runs all.
    var cases: Set<String>?

    /// Sentences of the kind appeals are made of, in the three scripts the Agency receives.
    static let sentences = [
        "Assalomu alaykum, men Rossiyaning Moskva shahrida qurilishda ishlayman.",
        "Ish beruvchi uch oydan beri ish haqimni bermayapti va pasportimni olib qo'ygan.",
        "Iltimos, yordam bering, oilam qiyin ahvolda qoldi.",
        "Koreyaga ishga borish uchun tanlov qachon bo'lishini bilmoqchiman.",
        "Xususiy agentlik mendan pul olib, ishga joylashtirmadi.",
        "Ассалому алайкум, мен Қозоғистонда ишлаяпман, иш берувчи шартномани бузди.",
        "Здравствуйте, мой брат находится в Санкт-Петербурге, его задержали на улице.",
        "Прошу помочь вернуть страховой взнос после возвращения на родину.",
        "Til kurslariga yozilmoqchiman, stipendiya beriladimi?",
        "Oldingi murojaatimga hali javob bermadingiz, bir oy o'tdi.",
        "Viloyat filialida xodimlar qo'pol muomala qilishdi.",
        "Germaniyada hamshira bo'lib ishlash uchun qanday hujjatlar kerak?",
        "Xorijda ish ilovasiga kira olmayapman, parol kelmayapti.",
        "Sug'urta pulini qaytarib olish tartibini tushuntirib bering.",
    ]

    func run() throws -> [Figures] {
        var results: [Figures] = []
        let shipped = try RuleBook.load(directory: rulesDirectory)
        var generator = SplitMix64(seed: 2025)
        let natural = (0..<2048).map { _ in Self.text(adding: [], generator: &generator) }
        func wanted(_ name: String) -> Bool { cases?.contains(name) ?? true }
        if wanted("shipped") { results.append(measure(book: shipped, texts: natural, name: "shipped")) }
        if wanted("shipped-new-words") {
            // Names, numbers and misspellings: words no earlier appeal had. Five per text, in 40,000 texts: more new
            // words than a cache of 65,536 words would hold, so the case shows what such a cache costs on appeals
            // rather than on the 14 sentences alone.
            var generator = SplitMix64(seed: 2027)
            let texts = (0..<40_000).map { i in
                Self.text(adding: Self.newWords(i), generator: &generator)
            }
            results.append(measure(book: shipped, texts: texts, name: "shipped-new-words"))
        }
        if wanted("shipped-explained") {
            results.append(measure(book: shipped, texts: natural, name: "shipped-explained", explained: true))
        }
        for count in [100, 1000, 10_000] where wanted("generated-\(count)") {
            let (book, keywords) = try generatedBook(rules: count, departments: shipped.org.departments.map(\.code))
            var generator = SplitMix64(seed: 2026)
            let texts = (0..<2048).map { _ in
                Self.text(
                    adding: (0..<2).map { _ in keywords.randomElement(using: &generator)! }, generator: &generator)
            }
            results.append(measure(book: book, texts: texts, name: "generated-\(count)"))
        }
        return results
    }

    /// Five words of text number `index` that no other text has: three Latin, one Cyrillic, a phone number.
    static func newWords(_ index: Int) -> [String] {
        let cyrillic: [Character: String] = [
            "q": "қ", "b": "б", "d": "д", "f": "ф", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "p": "п",
            "r": "р", "s": "с", "t": "т", "v": "в", "z": "з", "a": "а", "e": "е", "i": "и", "o": "о", "u": "у",
            "x": "х",
        ]
        let latin = (0..<3).map { pseudoWord(1_000_000 + index * 4 + $0).capitalized }
        let other = pseudoWord(1_000_000 + index * 4 + 3).map { cyrillic[$0] ?? String($0) }.joined()
        return latin + [other, "+99890\(1_000_000 + index)"]
    }

    /// About 300 characters of sentences with `keywords` put in between them.
    static func text(adding keywords: [String], generator: inout SplitMix64) -> String {
        var words: [String] = []
        var length = keywords.reduce(0) { $0 + $1.count + 1 }
        while length < 300 {
            let sentence = sentences.randomElement(using: &generator)!
            words.append(sentence)
            length += sentence.count + 1
        }
        for keyword in keywords { words.insert(keyword, at: Int.random(in: 0...words.count, using: &generator)) }
        return String(words.joined(separator: " ").prefix(300))
    }

    /// Decisions per second; with `explained`, each decision's explanation is also written out as the JSON the
    /// routing worker stores with every appeal.
    func measure(book: RuleBook, texts: [String], name: String, explained: Bool = false) -> Figures {
        var router = Router(book: book)
        let inputs = texts.map { RoutingInput(text: $0) }
        var sink = 0
        func decide(_ input: RoutingInput) -> Int {
            let decision = router.route(input)
            if explained { return decision.jsonText.utf8.count }
            return (decision.triage ? 1 : 0) &+ (decision.department?.utf8.count ?? 0)
        }
        // Warm up and find how many decisions fill a run.
        var batch = fixedDecisions ?? 1000
        while fixedDecisions == nil {
            let elapsed = seconds {
                for i in 0..<batch { sink &+= decide(inputs[i % inputs.count]) }
            }
            if elapsed > secondsPerRun / 4 {
                batch = max(1000, Int(Double(batch) * secondsPerRun / elapsed))
                break
            }
            batch *= 4
        }
        var perSecond: [Double] = []
        var perCPUSecond: [Double] = []
        var matched = 0
        for _ in 0..<runs {
            var cpu = 0.0
            let elapsed = seconds {
                cpu = processorSeconds {
                    for i in 0..<batch { sink &+= decide(inputs[i % inputs.count]) }
                }
            }
            perSecond.append(Double(batch) / elapsed)
            perCPUSecond.append(Double(batch) / cpu)
        }
        for input in inputs.prefix(256) { matched += router.route(input).rules.count }
        let chars = inputs.reduce(0) { $0 + $1.text.count } / inputs.count
        return Figures(
            bench: "routing", name: name, unit: "decisions", runs: perSecond,
            extra: [
                "rules": "\(book.rules.count)", "keywords": "\(book.keywords.count)", "text_chars": "\(chars)",
                "matched_rules_per_text": String(format: "%.2f", Double(matched) / 256),
                "decisions_per_run": "\(batch)", "sink": "\(sink & 1)",
                // Decisions per second of the process's processor time: the figure for one core when other work
                // shares the machine (per_second is wall-clock time).
                "per_cpu_second": String(Int(Figures(bench: "", name: "", unit: "", runs: perCPUSecond).median)),
            ])
    }

    /// A rule book with the shipped organisation, deadlines and calendar, and `count` generated keyword rules:
    /// each votes for a department with one word (with an ending wildcard) or a two-word phrase.
    func generatedBook(rules count: Int, departments: [String]) throws -> (RuleBook, [String]) {
        func read(_ path: String) throws -> (String, String) {
            (path, try String(contentsOf: rulesDirectory.appendingPathComponent(path), encoding: .utf8))
        }
        var yaml = "rules:\n"
        var keywords: [String] = []
        for index in 0..<count {
            let word = Self.pseudoWord(index * 3)
            let phrase = Self.pseudoWord(index * 3 + 1) + " " + Self.pseudoWord(index * 3 + 2)
            keywords.append(word + "lari")
            keywords.append(phrase)
            yaml += """
                  - id: generated.r\(index)
                    weight: \(1 + index % 3)
                    when: {any: ["\(word)*", "\(phrase)"]}
                    then: {department: \(departments[index % departments.count])}

                """
        }
        let calendarFolder = rulesDirectory.appendingPathComponent("calendar")
        let calendars = try FileManager.default.contentsOfDirectory(atPath: calendarFolder.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { try read("calendar/" + $0) }
        let book = try RuleBook.compile(
            org: try read("org.yaml"), deadlines: try read("deadlines.yaml"), calendars: calendars,
            routing: [("generated.yaml", yaml)])
        return (book, keywords)
    }

    /// A pronounceable word unique to `index` (syllables as digits), unlike any word of the sentences.
    static func pseudoWord(_ index: Int) -> String {
        let consonants = Array("bdfjklmnprstvz")
        let vowels = Array("aeiou")
        var n = index
        var word = "q"
        repeat {
            word.append(consonants[n % consonants.count])
            n /= consonants.count
            word.append(vowels[n % vowels.count])
            n /= vowels.count
        } while n > 0
        return word + "x"
    }
}
