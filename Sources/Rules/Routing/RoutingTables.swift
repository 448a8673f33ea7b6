import MurojaatCore

/// The rule book laid out for the router's inner loop: one flat array per property of rules, keywords and
/// outcomes, so a decision reads numbers instead of copying rule structs. Shared by every router and every decision
/// made from one book (a decision keeps it to write its explanation when asked).
final class RoutingTables: Sendable {
    let settings: RoutingSettings
    let automaton: KeywordAutomaton
    /// For each keyword, the rules it can trigger: `keywordRules[keywordRuleStart[k]..<keywordRuleStart[k + 1]]`.
    let keywordRuleStart: [Int32]
    let keywordRules: [Int32]
    /// Rules that can hold without any keyword (channel-only, `not`-only): looked at for every appeal.
    let alwaysRules: [Int32]
    let rules: [RoutingRule]
    let keywords: [Keyword]
    let conditions: ConditionLayout
    let ruleWeight: [Double]
    let rulePriority: [Int]
    let ruleUrgent: [Bool]
    let ruleKind: [Kind?]
    let rulePolicy: [String?]
    /// Outcome each rule votes for (index into `outcomes`), or -1.
    let ruleOutcome: [Int32]
    /// The keywords each rule's condition names not under a `not`, once each in the order written: what an
    /// explanation shows as the words that made the rule match. `ruleWords[ruleWordStart[r]..<ruleWordStart[r + 1]]`.
    let ruleWordStart: [Int32]
    let ruleWords: [Int32]
    /// Symbols of each keyword, the separators included.
    let keywordLength: [Int32]
    let keywordIsPrefix: [Bool]
    /// Department codes, then `→ body` for each competent body outside the Agency.
    let outcomes: [String]
    /// Each outcome's place in the order of their names: ties between equal scores go to the earlier name.
    let outcomeRank: [Int32]
    /// The competent body for `→ body` outcomes.
    let forwardBody: [String?]
    /// The policy of each kind (by `Kind.allCases` index) when no rule sets one.
    let defaultPolicy: [String]

    init(
        settings: RoutingSettings, rules: [RoutingRule], keywords: [Keyword], outcomes: [String],
        ruleOutcome: [Int32], defaults: [Kind: String], automaton: KeywordAutomaton, keywordRuleStart: [Int32],
        keywordRules: [Int32], alwaysRules: [Int32]
    ) {
        self.settings = settings
        self.automaton = automaton
        self.keywordRuleStart = keywordRuleStart
        self.keywordRules = keywordRules
        self.alwaysRules = alwaysRules
        self.rules = rules
        self.keywords = keywords
        conditions = ConditionLayout(rules.map(\.condition))
        var wordStart: [Int32] = [0]
        var words: [Int32] = []
        var ids: [(id: Int, negated: Bool)] = []
        for rule in rules {
            ids.removeAll(keepingCapacity: true)
            rule.condition.allKeywords(into: &ids)
            var own: [Int32] = []
            for (id, negated) in ids where !negated && !own.contains(Int32(id)) { own.append(Int32(id)) }
            words += own
            wordStart.append(Int32(words.count))
        }
        ruleWordStart = wordStart
        ruleWords = words
        ruleWeight = rules.map(\.weight)
        rulePriority = rules.map(\.priority)
        ruleUrgent = rules.map { $0.action.urgent == true }
        ruleKind = rules.map(\.action.kind)
        rulePolicy = rules.map(\.action.policy)
        self.ruleOutcome = ruleOutcome
        keywordLength = keywords.map { Int32($0.symbols.count) }
        keywordIsPrefix = keywords.map(\.isPrefix)
        self.outcomes = outcomes
        var rank = [Int32](repeating: 0, count: outcomes.count)
        for (place, index) in outcomes.indices.sorted(by: { outcomes[$0] < outcomes[$1] }).enumerated() {
            rank[index] = Int32(place)
        }
        outcomeRank = rank
        forwardBody = outcomes.map { $0.hasPrefix("→ ") ? String($0.dropFirst(2)) : nil }
        defaultPolicy = Kind.allCases.map { defaults[$0] ?? "standard" }
    }

    /// Higher priority, then higher weight, then the earlier rule.
    @inline(__always) func outranks(_ a: Int, _ b: Int) -> Bool {
        if rulePriority[a] != rulePriority[b] { return rulePriority[a] > rulePriority[b] }
        if ruleWeight[a] != ruleWeight[b] { return ruleWeight[a] > ruleWeight[b] }
        return a < b  // a rule's index is its order across the files
    }
}

/// A rule's condition laid out flat for the router (``ConditionLayout``): a node's children stand side by side at
/// `first..<first + count`, so evaluating a rule walks indexes into one array instead of an indirect enum, whose
/// every step retained and released its payload (retains and releases fell from a tenth of a decision's time to a
/// twentieth).
struct ConditionNode: Sendable {
    enum Operation: UInt8, Sendable {
        case keyword, all, any, not, channel, kind, language, region, country, abroad
    }
    var operation: Operation
    /// The keyword id; the bit mask of channels, kinds or languages (by their `allCases` index); the index of a
    /// set of places in ``ConditionLayout/places``; 1 or 0 for `abroad`.
    var argument: UInt32
    var first: Int32
    var count: Int32
}

/// Every rule's condition as ``ConditionNode``s in one array; `roots[rule]` is where the rule's tree starts.
struct ConditionLayout: Sendable {
    private(set) var nodes: [ConditionNode] = []
    private(set) var roots: [Int32] = []
    /// The spelled region or country names of `region` and `country` nodes.
    private(set) var places: [Set<String>] = []

    init(_ conditions: [Condition]) {
        for condition in conditions {
            roots.append(Int32(nodes.count))
            nodes.append(Self.placeholder)
            lay(condition, at: nodes.count - 1)
        }
    }

    /// The bit of a case among `allCases`; channels, kinds and languages are far fewer than 32.
    static func bit<T: CaseIterable & Equatable>(_ value: T) -> UInt32 {
        let cases = T.allCases
        let position = cases.firstIndex(of: value).map { cases.distance(from: cases.startIndex, to: $0) } ?? 0
        return UInt32(1) << UInt32(position)
    }

    static func mask<T: CaseIterable & Equatable>(_ values: some Sequence<T>) -> UInt32 {
        values.reduce(0) { $0 | bit($1) }
    }

    private static let placeholder = ConditionNode(operation: .keyword, argument: 0, first: 0, count: 0)

    private mutating func lay(_ condition: Condition, at slot: Int) {
        func leaf(_ operation: ConditionNode.Operation, _ argument: UInt32) -> ConditionNode {
            ConditionNode(operation: operation, argument: argument, first: 0, count: 0)
        }
        func branch(_ operation: ConditionNode.Operation, _ children: [Condition]) {
            let first = nodes.count
            nodes.append(contentsOf: repeatElement(Self.placeholder, count: children.count))
            nodes[slot] = ConditionNode(
                operation: operation, argument: 0, first: Int32(first), count: Int32(children.count))
            for (offset, child) in children.enumerated() { lay(child, at: first + offset) }
        }
        switch condition {
        case .keyword(let id): nodes[slot] = leaf(.keyword, UInt32(id))
        case .all(let items): branch(.all, items)
        case .any(let items): branch(.any, items)
        case .not(let inner): branch(.not, [inner])
        case .channel(let set): nodes[slot] = leaf(.channel, Self.mask(set))
        case .kind(let set): nodes[slot] = leaf(.kind, Self.mask(set))
        case .language(let set): nodes[slot] = leaf(.language, Self.mask(set))
        case .region(let set):
            places.append(set)
            nodes[slot] = leaf(.region, UInt32(places.count - 1))
        case .country(let set):
            places.append(set)
            nodes[slot] = leaf(.country, UInt32(places.count - 1))
        case .abroad(let wanted): nodes[slot] = leaf(.abroad, wanted ? 1 : 0)
        }
    }
}
