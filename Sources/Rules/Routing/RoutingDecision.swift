public import MurojaatCore

/// What the router decided for one appeal, and why.
public struct RoutingDecision: Sendable, Hashable, Codable {
    /// The main executor's code; nil in triage and for appeals outside the Agency's competence.
    public var department: String?
    public var coExecutors: [String]
    /// True when an operator must decide: no rule, a weak score, or a tie.
    public var triage: Bool
    public var urgent: Bool
    public var outOfCompetence: Bool
    public var forwardTo: String?
    public var kind: Kind
    public var policy: String
    public var tags: [String]
    /// The winner's share of all candidates' scores (0 when nothing matched).
    public var confidence: Double
    /// Every outcome that got votes, best first: department codes, or `→ body` for a competent body.
    public var candidates: [Candidate]
    public var rules: [MatchedRule]
    /// Why the appeal went to triage, or how it was routed, in one sentence.
    public var reason: String
    public var language: DetectedLanguage

    public struct Candidate: Sendable, Hashable, Codable {
        public var outcome: String
        public var score: Double
    }

    public struct MatchedRule: Sendable, Hashable, Codable {
        public var id: String
        public var department: String?
        public var weight: Double
        public var words: [MatchedWord]
    }

    /// A keyword found in the text, with where it stands (offsets count Unicode characters of the field).
    public struct MatchedWord: Sendable, Hashable, Codable {
        public var keyword: String
        /// The words of the text that matched, as written there.
        public var text: String
        public var field: String
        public var offset: Int
        public var length: Int
    }

    enum CodingKeys: String, CodingKey {
        case department, coExecutors = "co_executors", triage, urgent, outOfCompetence = "out_of_competence"
        case forwardTo = "forward_to", kind, policy, tags, confidence, candidates, rules, reason, language
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // null is written, not left out: the JSON contract says `department` and `forward_to` are always there.
        try container.encode(department, forKey: .department)
        try container.encode(coExecutors, forKey: .coExecutors)
        try container.encode(triage, forKey: .triage)
        try container.encode(urgent, forKey: .urgent)
        try container.encode(outOfCompetence, forKey: .outOfCompetence)
        try container.encode(forwardTo, forKey: .forwardTo)
        try container.encode(kind, forKey: .kind)
        try container.encode(policy, forKey: .policy)
        try container.encode(tags, forKey: .tags)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(candidates, forKey: .candidates)
        try container.encode(rules, forKey: .rules)
        try container.encode(reason, forKey: .reason)
        try container.encode(language, forKey: .language)
    }
}

/// The facts of an appeal the rules look at.
public struct RoutingInput: Sendable {
    public var text: String
    public var subject: String?
    public var channel: Channel?
    public var kind: Kind?
    public var region: String?
    public var country: String?

    public init(
        text: String, subject: String? = nil, channel: Channel? = nil, kind: Kind? = nil,
        region: String? = nil, country: String? = nil
    ) {
        self.text = text
        self.subject = subject
        self.channel = channel
        self.kind = kind
        self.region = region
        self.country = country
    }

    public init(_ draft: AppealDraft) {
        self.init(
            text: draft.text, subject: draft.subject, channel: draft.channel, kind: draft.kind,
            region: draft.region, country: draft.country)
    }
}

extension RoutingDecision {
    /// The decision as JSON, the same document `JSONEncoder` writes, written directly: the routing worker stores one
    /// for every appeal it registers.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 512)
        writer.object { w in
            w.field("department", department)
            w.key("co_executors")
            w.strings(coExecutors)
            w.key("triage")
            w.bool(triage)
            w.key("urgent")
            w.bool(urgent)
            w.key("out_of_competence")
            w.bool(outOfCompetence)
            w.field("forward_to", forwardTo)
            w.field("kind", kind.rawValue)
            w.field("policy", policy)
            w.key("tags")
            w.strings(tags)
            w.key("confidence")
            w.number(confidence)
            w.key("candidates")
            w.array { w in
                for candidate in candidates {
                    w.object { w in
                        w.field("outcome", candidate.outcome)
                        w.key("score")
                        w.number(candidate.score)
                    }
                }
            }
            w.key("rules")
            w.array { w in
                for rule in rules {
                    w.object { w in
                        w.field("id", rule.id)
                        w.field("department", rule.department)
                        w.key("weight")
                        w.number(rule.weight)
                        w.key("words")
                        w.array { w in
                            for word in rule.words {
                                w.object { w in
                                    w.field("keyword", word.keyword)
                                    w.field("text", word.text)
                                    w.field("field", word.field)
                                    w.key("offset")
                                    w.number(Int64(word.offset))
                                    w.key("length")
                                    w.number(Int64(word.length))
                                }
                            }
                        }
                    }
                }
            }
            w.field("reason", reason)
            w.field("language", language.rawValue)
        }
        return writer.text
    }
}
