public import MurojaatCore

/// One routing rule from `Rules/routing/*.yaml`, compiled: its keywords are indexes into the book's keyword table.
public struct RoutingRule: Sendable {
    public var id: String
    public var description: String?
    public var weight: Double
    public var priority: Int
    public var action: RuleAction
    public var examples: [RuleExample]
    /// Where the rule is written, `Rules/routing/abroad.yaml:12:5`.
    public var location: String
    var condition: Condition
    /// The rule's position across all files (files in name order), the last tie-breaker.
    var order: Int
}

/// What a rule does when it matches.
public struct RuleAction: Sendable, Hashable {
    public var department: String?
    public var coExecutors: [String] = []
    public var kind: Kind?
    public var urgent: Bool?
    public var policy: String?
    public var tags: [String] = []
    /// The competent body, when the appeal is outside the Agency's competence.
    public var forwardTo: String?
    /// Where each field stands in its file (`department`, `co_executors`, `policy`), so lint points at the value.
    var locations: [String: String] = [:]

    /// True when the rule has no effect at all (lint reports it).
    var isEmpty: Bool {
        department == nil && coExecutors.isEmpty && kind == nil && urgent == nil && policy == nil && tags.isEmpty
            && forwardTo == nil
    }
}

/// An example in a rule file: a text and what the whole rule set must decide for it.
public struct RuleExample: Sendable {
    public var text: String
    public var channel: Channel?
    public var kind: Kind?
    public var region: String?
    public var country: String?
    public var expect: Expectation
    public var location: String

    public struct Expectation: Sendable {
        /// `.some(nil)` expects no department.
        public var department: String??
        public var triage: Bool?
        public var urgent: Bool?
        public var kind: Kind?
        public var policy: String?
        public var outOfCompetence: Bool?
        public var forwardTo: String?
        public var tags: [String] = []
        public var rules: [String] = []
    }
}

/// A rule's condition tree. Keywords are ids into ``RuleBook``'s keyword table.
indirect enum Condition: Sendable {
    case keyword(Int)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case channel(Set<Channel>)
    case kind(Set<Kind>)
    case language(Set<DetectedLanguage>)
    /// Normalized spellings of regions.
    case region(Set<String>)
    case abroad(Bool)
    case country(Set<String>)

    /// Whether the condition can only hold when some keyword matched; such rules are looked at only when one of
    /// their keywords is found, which keeps a decision's cost independent of the number of rules.
    var needsKeyword: Bool {
        switch self {
        case .keyword: true
        case .all(let items): items.contains { $0.needsKeyword }
        case .any(let items): !items.isEmpty && items.allSatisfy { $0.needsKeyword }
        case .not, .channel, .kind, .language, .region, .abroad, .country: false
        }
    }

    /// Keywords whose presence can make the condition true (those not under a `not`).
    func positiveKeywords(into result: inout [Int]) {
        switch self {
        case .keyword(let id): result.append(id)
        case .all(let items), .any(let items): for item in items { item.positiveKeywords(into: &result) }
        default: break
        }
    }

    func allKeywords(into result: inout [(id: Int, negated: Bool)], negated: Bool = false) {
        switch self {
        case .keyword(let id): result.append((id, negated))
        case .all(let items), .any(let items): for item in items { item.allKeywords(into: &result, negated: negated) }
        case .not(let inner): inner.allKeywords(into: &result, negated: !negated)
        default: break
        }
    }
}

/// A keyword or phrase after normalization.
public struct Keyword: Sendable, Hashable {
    /// As written in the rule file.
    public var text: String
    /// Normalized symbols, starting with a word separator, ending with one unless ``isPrefix``.
    var symbols: [UInt8]
    /// Written with a trailing `*`: any ending of the last word matches.
    public var isPrefix: Bool
}
