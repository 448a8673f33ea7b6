public import Foundation
public import MurojaatCore
import Yams

/// How sure the router must be before it routes without an operator (`Rules/routing.yaml`).
public struct RoutingSettings: Sendable, Hashable {
    /// The winning department's score must reach this.
    public var minScore: Double = 1
    /// And be at least this share of all candidates' scores together.
    public var minShare: Double = 0.6

    public init(minScore: Double = 1, minShare: Double = 0.6) {
        self.minScore = minScore
        self.minShare = minShare
    }
}

/// Everything in `Rules/`, loaded, checked and compiled once: the org chart, the deadline policies and calendar,
/// and the routing rules with all their keywords in one automaton.
///
/// ```swift
/// let book = try RuleBook.load(directory: URL(fileURLWithPath: "Rules"))
/// var router = Router(book: book)
/// let decision = router.route(RoutingInput(text: "Rossiyada ish haqimni bermayapti"))
/// ```
/// Throws ``RulesErrors`` listing every problem found, each pointing into its file.
public struct RuleBook: Sendable {
    public let org: OrgChart
    public let deadlines: DeadlineBook
    public let settings: RoutingSettings
    public let rules: [RoutingRule]
    /// Every keyword of every rule, once for each of its readings: a Cyrillic keyword that reads as Uzbek on its
    /// own is here also as Russian, under the same text.
    public let keywords: [Keyword]
    /// Problems that do not stop loading (rules that can never fire, rules without examples, keywords that add
    /// nothing to their list, words mixing scripts).
    public let warnings: [RulesError]
    /// The files read, for `rules lint` and `rules test` reports.
    public let files: [String]

    /// Outcomes rules vote for: department codes, then `→ body` for each out-of-competence body.
    let outcomes: [String]
    let ruleOutcome: [Int32]
    let forwardBodies: Set<Int32>
    let usesRegion: Bool
    let abroadAliases: Set<String>
    /// The same, laid out for the router.
    let tables: RoutingTables

    /// Loads and compiles `directory` (the `Rules/` folder).
    public static func load(directory: URL) throws(RulesErrors) -> RuleBook {
        let fm = FileManager.default
        let base = directory.path
        func display(_ url: URL) -> String {
            let name = url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
            return directory.lastPathComponent + (name.hasPrefix("/") ? name : "/" + name)
        }
        func yamlFiles(_ folder: String) -> [URL] {
            let url = directory.appendingPathComponent(folder)
            let names = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { url.appendingPathComponent($0) }
        }
        var problems: [RulesError] = []
        func read(_ url: URL) -> YAMLFile? {
            do { return try YAMLFile(url: url, displayPath: display(url)) } catch {
                problems.append(error)
                return nil
            }
        }
        guard fm.fileExists(atPath: directory.path) else {
            throw RulesErrors([
                RulesError(
                    code: .unreadable, file: directory.path,
                    problem: Wording(
                        uz: "bu yerda qoidalar katalogi yo‘q (--rules yoki MUROJAAT_RULES_DIR ni ko‘rsating)",
                        ru: "здесь нет папки правил (укажите --rules или MUROJAAT_RULES_DIR)",
                        en: "no rules folder here (set --rules or MUROJAAT_RULES_DIR)"))
            ])
        }
        let org = read(directory.appendingPathComponent("org.yaml"))
        let deadlines = read(directory.appendingPathComponent("deadlines.yaml"))
        let settingsFile =
            fm.fileExists(atPath: directory.appendingPathComponent("routing.yaml").path)
            ? read(directory.appendingPathComponent("routing.yaml")) : nil
        let calendars = yamlFiles("calendar").compactMap(read)
        let routing = yamlFiles("routing").compactMap(read)
        guard let org, let deadlines, problems.isEmpty else { throw RulesErrors(problems) }
        return try compile(
            org: org, deadlines: deadlines, calendars: calendars, settings: settingsFile,
            routing: routing)
    }

    /// Compiles rule files given as text, for tests and benchmarks: `(path, yaml)` pairs.
    public static func compile(
        org: (String, String), deadlines: (String, String), calendars: [(String, String)],
        settings: (String, String)? = nil, routing: [(String, String)]
    ) throws(RulesErrors) -> RuleBook {
        var problems: [RulesError] = []
        func parse(_ pair: (String, String)) -> YAMLFile? {
            do { return try YAMLFile(text: pair.1, path: pair.0) } catch {
                problems.append(error)
                return nil
            }
        }
        let orgFile = parse(org)
        let deadlineFile = parse(deadlines)
        let calendarFiles = calendars.compactMap(parse)
        let settingsFile = settings.flatMap(parse)
        let routingFiles = routing.compactMap(parse)
        guard let orgFile, let deadlineFile, problems.isEmpty else { throw RulesErrors(problems) }
        return try compile(
            org: orgFile, deadlines: deadlineFile, calendars: calendarFiles, settings: settingsFile,
            routing: routingFiles)
    }

    static func compile(
        org orgFile: YAMLFile, deadlines deadlineFile: YAMLFile, calendars: [YAMLFile],
        settings settingsFile: YAMLFile?,
        routing: [YAMLFile]
    ) throws(RulesErrors) -> RuleBook {
        var problems: [RulesError] = []
        var org: OrgChart?
        var deadlines: DeadlineBook?
        var settings = RoutingSettings()
        do { org = try OrgChart.load(orgFile) } catch { problems.append(error) }
        do { deadlines = try DeadlineBook.load(deadlines: deadlineFile, calendars: calendars) } catch {
            problems.append(error)
        }
        if let file = settingsFile {
            do {
                let map = try file.mapping(file.root, .key("routing.yaml"))
                try file.checkKeys(map, allowed: ["min_score", "min_share"], in: .key("routing.yaml"))
                if let node = map["min_score"] { settings.minScore = try file.double(node, .key("min_score")) }
                if let node = map["min_share"] { settings.minShare = try file.double(node, .key("min_share")) }
            } catch {
                problems.append(error)
            }
        }
        var parser = RoutingFileParser()
        for file in routing { parser.parse(file) }
        problems += parser.problems
        guard let org, let deadlines else { throw RulesErrors(problems) }

        // References between files: departments and policies must exist.
        let departmentCodes = Set(org.departments.map(\.code))
        var rules: [RoutingRule] = []
        for var rule in parser.rules {
            var bad = false
            for code in [rule.action.department].compactMap({ $0 }) + rule.action.coExecutors
            where !departmentCodes.contains(code) {
                let known = departmentCodes.sorted().joined(separator: ", ")
                problems.append(
                    RulesError(
                        code: .reference,
                        file: rule.action.locations[code == rule.action.department ? "department" : "co_executors"]
                            ?? rule.location,
                        problem: Wording(
                            uz: "\(rule.id) qoidasi: noma’lum bo‘lim \"\(code)\" (bor: \(known))",
                            ru: "правило \(rule.id): неизвестный отдел \"\(code)\" (есть: \(known))",
                            en: "rule \(rule.id): unknown department \"\(code)\" (known: \(known))")))
                bad = true
            }
            if let policy = rule.action.policy, deadlines.policies[policy] == nil {
                problems.append(
                    RulesError(
                        code: .reference, file: rule.action.locations["policy"] ?? rule.location,
                        problem: Wording(
                            uz: "\(rule.id) qoidasi: noma’lum muddat siyosati \"\(policy)\"",
                            ru: "правило \(rule.id): неизвестная политика сроков \"\(policy)\"",
                            en: "rule \(rule.id): unknown deadline policy \"\(policy)\"")))
                bad = true
            }
            for example in rule.examples {
                if case .some(.some(let code)) = example.expect.department, !departmentCodes.contains(code) {
                    problems.append(
                        RulesError(
                            code: .reference, file: example.location,
                            problem: Wording(
                                uz: "misol noma’lum bo‘limni kutadi: \"\(code)\"",
                                ru: "пример ожидает неизвестный отдел \"\(code)\"",
                                en: "example expects unknown department \"\(code)\"")))
                    bad = true
                }
            }
            if bad { continue }
            rule.order = rules.count
            rules.append(rule)
        }
        guard problems.isEmpty else { throw RulesErrors(problems) }
        return RuleBook(
            org: org, deadlines: deadlines, settings: settings, rules: rules, keywords: parser.keywords,
            warnings: parser.warnings,
            files: ([orgFile, deadlineFile] + calendars + (settingsFile.map { [$0] } ?? []) + routing)
                .map(\.path))
    }

    init(
        org: OrgChart, deadlines: DeadlineBook, settings: RoutingSettings, rules: [RoutingRule], keywords: [Keyword],
        warnings parsed: [RulesError], files: [String]
    ) {
        self.org = org
        self.deadlines = deadlines
        self.settings = settings
        self.rules = rules
        self.keywords = keywords
        self.files = files
        var perKeyword = [[Int32]](repeating: [], count: keywords.count)
        var always: [Int32] = []
        var outcomes = org.departments.map(\.code)
        var outcomeIndex = Dictionary(uniqueKeysWithValues: outcomes.enumerated().map { ($1, Int32($0)) })
        var ruleOutcome: [Int32] = []
        var forward: Set<Int32> = []
        var usesRegion = false
        var warnings = parsed
        for (index, rule) in rules.enumerated() {
            if rule.condition.needsKeyword {
                var ids: [Int] = []
                rule.condition.positiveKeywords(into: &ids)
                for id in Set(ids) { perKeyword[id].append(Int32(index)) }
            } else {
                always.append(Int32(index))
            }
            if let department = rule.action.department {
                ruleOutcome.append(outcomeIndex[department]!)
            } else if let body = rule.action.forwardTo {
                let key = "→ " + body
                if outcomeIndex[key] == nil {
                    outcomeIndex[key] = Int32(outcomes.count)
                    outcomes.append(key)
                }
                forward.insert(outcomeIndex[key]!)
                ruleOutcome.append(outcomeIndex[key]!)
            } else {
                ruleOutcome.append(-1)
            }
            if rule.condition.mentionsRegion { usesRegion = true }
            if !RuleBook.canFire(rule.condition) {
                warnings.append(
                    RulesError(
                        code: .schema, file: rule.location,
                        problem: Wording(
                            uz: "\(rule.id) qoidasi hech qachon ishlamaydi: uning shartlari bir-biriga zid",
                            ru: "правило \(rule.id) никогда не сработает: его условия противоречат друг другу",
                            en: "rule \(rule.id) can never fire: its conditions contradict each other")))
            }
            if rule.examples.isEmpty && rule.action.department != nil {
                warnings.append(
                    RulesError(
                        code: .schema, file: rule.location,
                        problem: Wording(
                            uz: "\(rule.id) qoidasida misol yo‘q: `rules test` uni tekshira olmaydi",
                            ru: "у правила \(rule.id) нет примеров: `rules test` не может его проверить",
                            en: "rule \(rule.id) has no examples: `rules test` cannot check it")))
            }
        }
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for list in perKeyword {
            flat += list
            starts.append(Int32(flat.count))
        }
        self.outcomes = outcomes
        self.ruleOutcome = ruleOutcome
        forwardBodies = forward
        self.usesRegion = usesRegion
        var normalizer = TextNormalizer()
        abroadAliases = Set(
            ["O'zbekiston", "Uzbekistan", "Узбекистан", "Ўзбекистон", "UZ", "UZB", "Uzbekiston"].map {
                normalizer.normalize($0).spelled.trimmingCharacters(in: .whitespaces)
            })
        self.warnings = warnings
        tables = RoutingTables(
            settings: settings, rules: rules, keywords: keywords, outcomes: outcomes, ruleOutcome: ruleOutcome,
            defaults: deadlines.defaults,
            automaton: KeywordAutomaton(patterns: keywords.map(\.symbols), alphabet: MatchAlphabet.count),
            keywordRuleStart: starts, keywordRules: flat, alwaysRules: always)
    }

    /// Whether some assignment of keywords (and of the appeal's facts) makes the condition true. Keywords that occur
    /// both plainly and negated are tried both ways; there are few in any real rule.
    static func canFire(_ condition: Condition) -> Bool {
        var occurrences: [(id: Int, negated: Bool)] = []
        condition.allKeywords(into: &occurrences)
        let positive = Set(occurrences.filter { !$0.negated }.map(\.id))
        let negative = Set(occurrences.filter { $0.negated }.map(\.id))
        let both = Array(positive.intersection(negative)).prefix(12)
        for mask in 0..<(1 << both.count) {
            var truth = positive.subtracting(negative)
            for (bit, id) in both.enumerated() where mask & (1 << bit) != 0 { truth.insert(id) }
            if condition.satisfiable(keywords: truth) { return true }
        }
        return false
    }
}

extension Condition {
    var mentionsRegion: Bool {
        switch self {
        case .region: true
        case .all(let items), .any(let items): items.contains { $0.mentionsRegion }
        case .not(let inner): inner.mentionsRegion
        default: false
        }
    }

    /// True when the condition holds for these keywords with the appeal's facts chosen favourably; facts
    /// contradict only when they cannot all hold (`abroad: false` with a country list, an empty list).
    func satisfiable(keywords: Set<Int>) -> Bool {
        switch self {
        case .keyword(let id): return keywords.contains(id)
        case .any(let items): return items.contains { $0.satisfiable(keywords: keywords) }
        case .all(let items):
            var abroad: Bool?
            var country = false
            for item in items {
                if case .abroad(let value) = item {
                    if let abroad, abroad != value { return false }
                    abroad = value
                }
                if case .country = item { country = true }
            }
            if abroad == false && country { return false }
            return items.allSatisfy { $0.satisfiable(keywords: keywords) }
        case .not(let inner):
            // `not` holds only keyword conditions (the grammar allows nothing else there), so this is exact.
            return !inner.satisfiable(keywords: keywords)
        case .channel(let set): return !set.isEmpty
        case .kind(let set): return !set.isEmpty
        case .language(let set): return !set.isEmpty
        case .region(let set), .country(let set): return !set.isEmpty
        case .abroad: return true
        }
    }
}
