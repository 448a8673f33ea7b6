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
    let conditions: [Condition]
    let ruleWeight: [Double]
    let rulePriority: [Int]
    let ruleUrgent: [Bool]
    let ruleKind: [Kind?]
    let rulePolicy: [String?]
    /// Outcome each rule votes for (index into `outcomes`), or -1.
    let ruleOutcome: [Int32]
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
        conditions = rules.map(\.condition)
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
