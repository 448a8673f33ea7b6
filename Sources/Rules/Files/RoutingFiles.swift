import Foundation
import MurojaatCore
import Yams

/// Reads `routing/*.yaml` into rules, collecting every problem instead of stopping at the first, so `rules lint`
/// shows them all. A rule with an error is left out; the others still load.
struct RoutingFileParser {
    var keywords: [Keyword] = []
    var keywordIndex: [Keyword: Int] = [:]
    var normalizer = TextNormalizer()
    var problems: [RulesError] = []
    /// Problems that do not stop loading: keywords that add nothing to their list.
    var warnings: [RulesError] = []
    var rules: [RoutingRule] = []
    var seenIDs: [String: String] = [:]

    mutating func parse(_ file: YAMLFile) {
        do {
            let routingFile = Wording(uz: "yo‘naltirish fayli", ru: "файл маршрутизации", en: "a routing file")
            let root = try file.mapping(file.root, routingFile)
            try file.checkKeys(root, allowed: ["rules"], in: routingFile)
            for node in try file.sequence(root["rules"], .key("rules")) {
                do {
                    let rule = try parseRule(node, file)
                    if let first = seenIDs[rule.id] {
                        problems.append(
                            file.error(
                                Wording(
                                    uz: "qoida id si \"\(rule.id)\" takrorlangan (birinchisi: \(first))",
                                    ru: "повторный id правила \"\(rule.id)\" (первый: \(first))",
                                    en: "duplicate rule id \"\(rule.id)\" (first at \(first))"), at: node,
                                code: .duplicate))
                        continue
                    }
                    seenIDs[rule.id] = rule.location
                    rules.append(rule)
                } catch {
                    problems.append(error)
                }
            }
        } catch {
            problems.append(error)
        }
    }

    static let ruleKeys: Set<String> = ["id", "description", "weight", "priority", "when", "then", "examples"]
    static let whenKeys: Set<String> = [
        "any", "all", "not", "channel", "kind", "language", "region", "abroad",
        "country",
    ]
    static let thenKeys: Set<String> = [
        "department", "co_executors", "kind", "urgent", "policy", "tags",
        "out_of_competence",
    ]

    mutating func parseRule(_ node: Node, _ file: YAMLFile) throws(RulesError) -> RoutingRule {
        let rule = Wording(uz: "qoida", ru: "правило", en: "a rule")
        let map = try file.mapping(node, rule)
        try file.checkKeys(map, allowed: RoutingFileParser.ruleKeys, in: rule)
        let id = try file.string(map["id"], Wording(uz: "qoida id si", ru: "id правила", en: "rule id"))
        let location = "\(file.path):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
        let weight = try map["weight"].map { n throws(RulesError) in try file.double(n, .key("weight")) } ?? 1
        guard weight > 0 else {
            throw file.error(
                Wording(
                    uz: "weight 0 dan katta bo‘lishi kerak", ru: "weight должен быть больше 0",
                    en: "weight must be above 0"), at: map["weight"])
        }
        let priority = try map["priority"].map { n throws(RulesError) in try file.int(n, .key("priority")) } ?? 0
        guard let when = map["when"] else {
            throw file.error(
                Wording(
                    uz: "\(id) qoidasida `when` yo‘q", ru: "в правиле \(id) нет `when`",
                    en: "rule \(id) has no `when`"), at: node)
        }
        let condition = try parseWhen(when, file)
        let action = try parseThen(map["then"], file, rule: id, at: node)
        var examples: [RuleExample] = []
        for example in try file.sequence(map["examples"], .key("examples")) {
            examples.append(try parseExample(example, file))
        }
        return RoutingRule(
            id: id, description: map["description"]?.string, weight: weight, priority: priority,
            action: action, examples: examples, location: location, condition: condition,
            order: 0)
    }

    mutating func parseWhen(_ node: Node, _ file: YAMLFile) throws(RulesError) -> Condition {
        let map = try file.mapping(node, .key("when"))
        try file.checkKeys(map, allowed: RoutingFileParser.whenKeys, in: .key("when"))
        var parts: [Condition] = []
        for (key, value) in map {
            switch key.string ?? "" {
            case "any": parts.append(.any(try items(value, file, "any")))
            case "all": parts.append(.all(try items(value, file, "all")))
            case "not": parts.append(.not(.any(try items(value, file, "not"))))
            case "channel":
                var set: Set<Channel> = []
                for item in try file.sequence(value, .key("channel")) {
                    guard let channel = Channel(name: item.string ?? "") else {
                        let known = "email, call, virtual-reception, ijro, e-xat, webhook"
                        throw file.error(.unknownChannel(item.string ?? "", known: known), at: item)
                    }
                    set.insert(channel)
                }
                parts.append(.channel(set))
            case "kind":
                var set: Set<Kind> = []
                for item in try file.sequence(value, .key("kind")) {
                    guard let kind = Kind(rawValue: item.string ?? "") else {
                        throw file.error(.unknownKind(item.string ?? ""), at: item)
                    }
                    set.insert(kind)
                }
                parts.append(.kind(set))
            case "language":
                var set: Set<DetectedLanguage> = []
                for item in try file.sequence(value, .key("language")) {
                    guard let language = DetectedLanguage(rawValue: item.string ?? "") else {
                        let name = item.string ?? ""
                        throw file.error(
                            Wording(
                                uz: "noma’lum til \"\(name)\" (uz-Latn, uz-Cyrl, ru, en, mixed)",
                                ru: "неизвестный язык \"\(name)\" (uz-Latn, uz-Cyrl, ru, en, mixed)",
                                en: "unknown language \"\(name)\" (uz-Latn, uz-Cyrl, ru, en, mixed)"), at: item)
                    }
                    set.insert(language)
                }
                parts.append(.language(set))
            case "region":
                parts.append(.region(Set(try file.strings(value, .key("region")).map { normalizedName($0) })))
            case "country":
                parts.append(.country(Set(try file.strings(value, .key("country")).map { normalizedName($0) })))
            case "abroad":
                parts.append(.abroad(try file.bool(value, .key("abroad"))))
            default:
                break
            }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    mutating func items(_ node: Node, _ file: YAMLFile, _ what: String) throws(RulesError) -> [Condition] {
        var result: [Condition] = []
        /// The readings of each keyword of this list, to tell which add nothing.
        var written: [[Int]] = []
        let list = try file.sequence(node, .key(what))
        if list.isEmpty {
            throw file.error(Wording(uz: "`\(what)` bo‘sh", ru: "`\(what)` пуст", en: "`\(what)` is empty"), at: node)
        }
        for item in list {
            if let nested = item.mapping {
                try file.checkKeys(
                    nested, allowed: ["any", "all", "not"],
                    in: Wording(uz: "ichki shart", ru: "вложенное условие", en: "a nested condition"))
                guard nested.count == 1, let (key, value) = nested.first else {
                    throw file.error(
                        Wording(
                            uz: "ichki shartda any, all, not dan faqat bittasi bo‘ladi",
                            ru: "во вложенном условии ровно один из ключей any, all, not",
                            en: "a nested condition has exactly one of any, all, not"), at: item)
                }
                let inner = try items(value, file, key.string ?? "")
                switch key.string {
                case "any": result.append(.any(inner))
                case "all": result.append(.all(inner))
                default: result.append(.not(.any(inner)))
                }
            } else {
                let text = try file.string(item, Wording(uz: "kalit so‘z", ru: "ключевое слово", en: "a keyword"))
                let ids = try keyword(text, at: item, file)
                checkRedundancy(of: ids, at: item, against: written, in: what, file)
                written.append(ids)
                result.append(ids.count == 1 ? .keyword(ids[0]) : .any(ids.map(Condition.keyword)))
            }
        }
        return result
    }

    /// Warns when a keyword (its readings `ids`) finds nothing another keyword of the same list does not: the two
    /// are spelled the same after normalization ("o'qish" and "oqish", "платёж*" and "платеж*"), or one is found
    /// inside the other ("pasport*" in "pasportim", "shartnoma*" in "mehnat shartnoma*"). In `any` and `not` the
    /// longer one adds nothing; in `all` the shorter one does. Either way the administrator meant something else,
    /// or can drop a line.
    mutating func checkRedundancy(
        of ids: [Int], at node: Node, against earlier: [[Int]], in list: String, _ file: YAMLFile
    ) {
        let new = ids.map { keywords[$0] }
        for other in earlier {
            let old = other.map { keywords[$0] }
            // One keyword per script is how rules are written ("dollar*" for Uzbek, "доллар*" for Russian), though
            // a Cyrillic keyword's Uzbek reading may also find the Latin one's words.
            guard Self.isCyrillic(old[0].text) == Self.isCyrillic(new[0].text) else { continue }
            let problem: Wording
            if Self.covers(old, new, exactly: true) && Self.covers(new, old, exactly: true) {
                problem = Wording(
                    uz:
                        "\"\(new[0].text)\" va \"\(old[0].text)\" normallashtirilgandan keyin bir xil: bittasi ortiqcha",
                    ru: "\"\(new[0].text)\" и \"\(old[0].text)\" после нормализации совпадают: одно из них лишнее",
                    en: "\"\(new[0].text)\" and \"\(old[0].text)\" are the same after normalization: one of them is "
                        + "redundant")
            } else if let (general, specific) =
                Self.covers(old, new, exactly: false)
                ? (old[0], new[0]) : Self.covers(new, old, exactly: false) ? (new[0], old[0]) : nil
            {
                let redundant = list == "all" ? general : specific
                problem = Wording(
                    uz: "\"\(general.text)\" \"\(specific.text)\" topadigan har bir so‘zni topadi: `\(list)` ichida "
                        + "\"\(redundant.text)\" ortiqcha",
                    ru: "\"\(general.text)\" находит всё, что находит \"\(specific.text)\": в `\(list)` "
                        + "\"\(redundant.text)\" лишнее",
                    en: "\"\(general.text)\" matches everything \"\(specific.text)\" matches: in `\(list)`, "
                        + "\"\(redundant.text)\" is redundant")
            } else {
                continue
            }
            warnings.append(file.error(problem, at: node, code: .duplicate))
        }
    }

    /// Whether every reading of `specific` is matched wherever it occurs by a reading of `general`: the same
    /// symbols, or (unless `exactly`) symbols found inside them. Every keyword's symbols begin at a word, so
    /// `general` found inside `specific` matches words of every text `specific` matches: "pasport*" at the start
    /// of "pasportim", "shartnoma*" inside "mehnat shartnoma*".
    static func covers(_ general: [Keyword], _ specific: [Keyword], exactly: Bool) -> Bool {
        specific.allSatisfy { s in
            general.contains { g in
                (g.symbols == s.symbols && g.isPrefix == s.isPrefix)
                    || (!exactly && s.symbols.count > g.symbols.count
                        && s.symbols.indices.contains { s.symbols[$0...].starts(with: g.symbols) })
            }
        }
    }

    mutating func keyword(_ text: String, at node: Node, _ file: YAMLFile) throws(RulesError) -> [Int] {
        var body = text.trimmingCharacters(in: .whitespaces)
        let isPrefix = body.hasSuffix("*")
        if isPrefix { body.removeLast() }
        if body.contains("*") {
            throw file.error(
                Wording(
                    uz: "`*` faqat kalit so‘z oxirida bo‘lishi mumkin: \"\(text)\"",
                    ru: "`*` может стоять только в конце ключевого слова: \"\(text)\"",
                    en: "`*` may only end a keyword: \"\(text)\""), at: node)
        }
        if let word = body.split(separator: " ").first(where: Self.mixesScripts) {
            warnings.append(
                file.error(
                    Wording(
                        uz: "\"\(word)\" so‘zida lotin va kirill harflari aralash: xato yozilganmi?",
                        ru: "в слове \"\(word)\" смешаны латинские и кириллические буквы: опечатка?",
                        en: "the word \"\(word)\" mixes Latin and Cyrillic letters: a typo?"), at: node))
        }
        var readings = [normalizer.normalize(body).symbols]
        if Self.isCyrillic(body) && !body.unicodeScalars.contains(where: { Self.uzbekOnlyLetters.contains($0.value) }) {
            let russian = normalizer.normalizeAsRussian(body).symbols
            if russian != readings[0] { readings.append(russian) }
        }
        var ids: [Int] = []
        for var symbols in readings {
            guard symbols.count > 2 || (symbols.count == 2 && symbols[0] != symbols[1]) else {
                throw file.error(
                    Wording(
                        uz: "\"\(text)\" kalit so‘zida izlanadigan harf yoki raqam yo‘q",
                        ru: "в ключевом слове \"\(text)\" нет букв или цифр для поиска",
                        en: "keyword \"\(text)\" has no letters or digits to match"), at: node)
            }
            if isPrefix { symbols.removeLast() }
            let keyword = Keyword(text: text, symbols: symbols, isPrefix: isPrefix)
            if let id = keywordIndex[keyword] {
                ids.append(id)
            } else {
                keywords.append(keyword)
                keywordIndex[keyword] = keywords.count - 1
                ids.append(keywords.count - 1)
            }
        }
        return ids
    }

    /// Whether a word has both Latin and Cyrillic letters: "вакансi" with a Latin i looks right and matches nothing.
    static func mixesScripts(_ word: Substring) -> Bool {
        let scalars = word.unicodeScalars
        return scalars.contains { ($0.value | 0x20) >= 0x61 && ($0.value | 0x20) <= 0x7A }
            && scalars.contains { $0.value >= 0x400 && $0.value <= 0x4FF }
    }

    static func isCyrillic(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value >= 0x400 && $0.value <= 0x4FF }
    }

    /// ў қ ғ ҳ and their capitals: a Cyrillic word with one of them is Uzbek.
    static let uzbekOnlyLetters: Set<UInt32> = [0x45E, 0x40E, 0x49B, 0x49A, 0x493, 0x492, 0x4B3, 0x4B2]

    mutating func normalizedName(_ name: String) -> String {
        normalizer.normalize(name).spelled.trimmingCharacters(in: .whitespaces)
    }

    func parseThen(_ node: Node?, _ file: YAMLFile, rule: String, at ruleNode: Node) throws(RulesError) -> RuleAction {
        guard let node else {
            throw file.error(
                Wording(
                    uz: "\(rule) qoidasida `then` yo‘q", ru: "в правиле \(rule) нет `then`",
                    en: "rule \(rule) has no `then`"), at: ruleNode)
        }
        let map = try file.mapping(node, .key("then"))
        try file.checkKeys(map, allowed: RoutingFileParser.thenKeys, in: .key("then"))
        var action = RuleAction()
        action.department = try map["department"].map { n throws(RulesError) in try file.string(n, .key("department")) }
        action.coExecutors = try file.strings(map["co_executors"], .key("co_executors"))
        if let node = map["kind"] {
            guard let kind = Kind(rawValue: node.string ?? "") else {
                throw file.error(.unknownKind(node.string ?? ""), at: node)
            }
            action.kind = kind
        }
        action.urgent = try map["urgent"].map { n throws(RulesError) in try file.bool(n, .key("urgent")) }
        action.policy = try map["policy"].map { n throws(RulesError) in try file.string(n, .key("policy")) }
        action.tags = try file.strings(map["tags"], .key("tags"))
        if let node = map["out_of_competence"] {
            let inner = try file.mapping(node, .key("out_of_competence"))
            try file.checkKeys(inner, allowed: ["forward_to"], in: .key("out_of_competence"))
            action.forwardTo = try file.string(inner["forward_to"], .key("out_of_competence.forward_to"))
        }
        for key in ["department", "co_executors", "policy"] {
            if let mark = map[key]?.mark { action.locations[key] = "\(file.path):\(mark.line):\(mark.column)" }
        }
        if action.isEmpty {
            throw file.error(
                Wording(
                    uz: "\(rule) qoidasi: `then` hech narsa qilmaydi", ru: "правило \(rule): `then` ничего не делает",
                    en: "rule \(rule): `then` does nothing"), at: node)
        }
        return action
    }

    func parseExample(_ node: Node, _ file: YAMLFile) throws(RulesError) -> RuleExample {
        let example = Wording(uz: "misol", ru: "пример", en: "an example")
        let map = try file.mapping(node, example)
        try file.checkKeys(map, allowed: ["text", "channel", "kind", "region", "country", "expect"], in: example)
        let location = "\(file.path):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
        var channel: Channel?
        if let value = map["channel"] {
            guard let parsed = Channel(name: value.string ?? "") else {
                throw file.error(.unknownChannel(value.string ?? ""), at: value)
            }
            channel = parsed
        }
        var kind: Kind?
        if let value = map["kind"] {
            guard let parsed = Kind(rawValue: value.string ?? "") else {
                throw file.error(Wording(uz: "noma’lum tur", ru: "неизвестный вид", en: "unknown kind"), at: value)
            }
            kind = parsed
        }
        let expectMap = try file.mapping(map["expect"], .key("expect"))
        try file.checkKeys(
            expectMap,
            allowed: [
                "department", "triage", "urgent", "kind", "policy",
                "out_of_competence", "forward_to", "tags", "rules",
            ], in: .key("expect"))
        var expect = RuleExample.Expectation()
        if let value = expectMap["department"] {
            expect.department =
                value.tag.rawValue == "tag:yaml.org,2002:null" || value.string == "null"
                    || value.string == "~" || value.string == "" ? .some(nil) : .some(value.string)
        }
        expect.triage = try expectMap["triage"].map { n throws(RulesError) in try file.bool(n, .key("triage")) }
        expect.urgent = try expectMap["urgent"].map { n throws(RulesError) in try file.bool(n, .key("urgent")) }
        if let value = expectMap["kind"] {
            guard let parsed = Kind(rawValue: value.string ?? "") else {
                throw file.error(Wording(uz: "noma’lum tur", ru: "неизвестный вид", en: "unknown kind"), at: value)
            }
            expect.kind = parsed
        }
        expect.policy = expectMap["policy"]?.string
        expect.outOfCompetence = try expectMap["out_of_competence"].map { n throws(RulesError) in
            try file.bool(n, .key("out_of_competence"))
        }
        expect.forwardTo = expectMap["forward_to"]?.string
        expect.tags = try file.strings(expectMap["tags"], .key("tags"))
        expect.rules = try file.strings(expectMap["rules"], .key("rules"))
        return RuleExample(
            text: try file.string(map["text"], Wording(uz: "misol matni", ru: "текст примера", en: "example text")),
            channel: channel, kind: kind,
            region: map["region"]?.string, country: map["country"]?.string, expect: expect,
            location: location)
    }
}
