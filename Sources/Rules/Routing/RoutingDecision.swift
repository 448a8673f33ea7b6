import Foundation
public import MurojaatCore

/// What the router decided for one appeal, and why.
///
/// The decision itself is a handful of values; the explanation (``rules``, ``candidates``, ``reason``) and the
/// lists that follow from the matched rules (``coExecutors``, ``tags``) are made from a compact record of the rules
/// that matched and where their words stand, when they are read: most decisions are stored, few are read.
public struct RoutingDecision: Sendable, Encodable {
    /// The main executor's code; nil in triage and for appeals outside the Agency's competence.
    public let department: String?
    /// True when an operator must decide: no rule, a weak score, or a tie.
    public let triage: Bool
    public let urgent: Bool
    public let outOfCompetence: Bool
    public let forwardTo: String?
    public let kind: Kind
    public let policy: String
    /// The winner's share of all candidates' scores (0 when nothing matched).
    public let confidence: Double
    public let language: DetectedLanguage
    let trace: RoutingTrace

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

    /// Co-executors named by the matched rules of the chosen department, in rule order.
    public var coExecutors: [String] {
        guard let department else { return [] }
        var codes: [String] = []
        for rule in trace.matchedRules {
            let action = trace.tables.rules[rule].action
            guard action.department == department else { continue }
            for code in action.coExecutors where code != department && !codes.contains(code) { codes.append(code) }
        }
        return codes
    }

    /// Tags of all matched rules, in rule order.
    public var tags: [String] {
        var tags: [String] = []
        for rule in trace.matchedRules {
            for tag in trace.tables.rules[rule].action.tags where !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    /// Every outcome that got votes, best first: department codes, or `→ body` for a competent body.
    public var candidates: [Candidate] {
        // Few outcomes get votes: parallel arrays in first-vote order, as the router summed them.
        var outcomes: [Int] = []
        var scores: [Double] = []
        for rule in trace.matchedRules {
            let outcome = Int(trace.tables.ruleOutcome[rule])
            guard outcome >= 0 else { continue }
            if let place = outcomes.firstIndex(of: outcome) {
                scores[place] += trace.tables.ruleWeight[rule]
            } else {
                outcomes.append(outcome)
                scores.append(trace.tables.ruleWeight[rule])
            }
        }
        return zip(outcomes, scores).map { Candidate(outcome: trace.tables.outcomes[$0], score: $1) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.outcome < $1.outcome }
    }

    /// Why the appeal went to triage, or how it was routed, in one sentence.
    public var reason: String { reason(candidates: candidates) }

    private func reason(candidates: [Candidate]) -> String {
        let settings = trace.tables.settings
        let percent = { (share: Double) in Int((share * 100).rounded()) }
        switch trace.verdict {
        case .noRule:
            return "no rule matched"
        case .belowMinScore:
            return "score \(Router.format(candidates[0].score)) for \(candidates[0].outcome) is below min_score "
                + Router.format(settings.minScore)
        case .tie:
            return "tie: \(candidates[0].outcome) and \(candidates[1].outcome) both scored "
                + Router.format(candidates[0].score)
        case .notSure:
            return "not sure: \(candidates[0].outcome) has \(percent(confidence))% of the score, "
                + "min_share is \(percent(settings.minShare))%"
        case .forward:
            return "outside the Agency's competence: forward to \(forwardTo ?? "")"
        case .routed:
            return "routed to \(department ?? "") with \(percent(confidence))% of the score"
        }
    }

    /// The matched rules with the words that made them match.
    public var rules: [MatchedRule] {
        let matched = trace.matchedRules
        if matched.isEmpty { return [] }
        let tables = trace.tables
        // Matched words are cut out of the original by scalar offsets: their byte offsets are found in one pass
        // over the UTF-8, which costs less than walking the string's scalar indexes (every stored appeal's
        // explanation is written this way).
        var text = trace.text
        return text.withUTF8 { utf8 in
            var wanted: [Int] = []
            wanted.reserveCapacity(trace.foundCount * 2)
            for i in 0..<trace.foundCount {
                wanted.append(trace.foundStart(i))
                wanted.append(trace.foundEnd(i))
            }
            wanted.sort()
            var bytes: [Int] = []
            bytes.reserveCapacity(wanted.count)
            var position = 0
            var scalar = 0
            for target in wanted {
                while scalar < target && position < utf8.count {
                    position += 1
                    while position < utf8.count && utf8[position] & 0xC0 == 0x80 { position += 1 }
                    scalar += 1
                }
                bytes.append(position)
            }
            func byteOffset(at target: Int) -> Int? {
                guard let place = wanted.firstIndex(of: target) else { return nil }
                return bytes[place]
            }
            return matched.map { index in
                let rule = tables.rules[index]
                var words: [MatchedWord] = []
                for slot in Int(tables.ruleWordStart[index])..<Int(tables.ruleWordStart[index + 1]) {
                    let id = Int(tables.ruleWords[slot])
                    guard let (start, stop) = trace.location(ofKeyword: id) else { continue }
                    var field = "text"
                    var offset = start
                    if trace.subjectLength > 0 {
                        if start < trace.subjectLength {
                            field = "subject"
                        } else {
                            offset = start - trace.subjectLength
                        }
                    }
                    var cut = ""
                    if start < stop, let from = byteOffset(at: start), let to = byteOffset(at: stop) {
                        cut = String(decoding: UnsafeBufferPointer(rebasing: utf8[from..<to]), as: UTF8.self)
                    }
                    words.append(
                        MatchedWord(
                            keyword: tables.keywords[id].text, text: cut, field: field, offset: offset,
                            length: stop - start))
                }
                return MatchedRule(id: rule.id, department: rule.action.department, weight: rule.weight, words: words)
            }
        }
    }

    /// The decision with its explanation written out.
    public var explanation: RoutingExplanation {
        let candidates = self.candidates
        return RoutingExplanation(
            department: department, coExecutors: coExecutors, triage: triage, urgent: urgent,
            outOfCompetence: outOfCompetence, forwardTo: forwardTo, kind: kind, policy: policy, tags: tags,
            confidence: confidence, candidates: candidates, rules: rules, reason: reason(candidates: candidates),
            language: language)
    }

    public func encode(to encoder: any Encoder) throws {
        try explanation.encode(to: encoder)
    }
}

/// A routing decision with its explanation written out as values: what `explain --json` prints, and what is stored
/// with each appeal and read back by `show`.
public struct RoutingExplanation: Sendable, Hashable, Codable {
    public var department: String?
    public var coExecutors: [String]
    public var triage: Bool
    public var urgent: Bool
    public var outOfCompetence: Bool
    public var forwardTo: String?
    public var kind: Kind
    public var policy: String
    public var tags: [String]
    public var confidence: Double
    public var candidates: [RoutingDecision.Candidate]
    public var rules: [RoutingDecision.MatchedRule]
    public var reason: String
    public var language: DetectedLanguage

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

/// The compact record a decision is explained from.
struct RoutingTrace: Sendable {
    enum Verdict: UInt8, Sendable {
        case noRule, belowMinScore, tie, notSure, forward, routed
    }

    let tables: RoutingTables
    /// The text routed (the subject, a line break and the body when there is a subject).
    let text: String
    let subjectLength: Int
    /// `[matched count, (keyword, first scalar, end scalar) for each keyword found, matched rule indexes]`.
    let data: [Int32]
    var verdict = Verdict.noRule

    init(tables: RoutingTables, text: String, subjectLength: Int, data: [Int32]) {
        self.tables = tables
        self.text = text
        self.subjectLength = subjectLength
        self.data = data
    }

    private var matchedCount: Int { Int(data[0]) }
    var foundCount: Int { (data.count - 1 - matchedCount) / 3 }
    func foundStart(_ i: Int) -> Int { Int(data[2 + i * 3]) }
    func foundEnd(_ i: Int) -> Int { Int(data[3 + i * 3]) }

    var matchedRules: [Int] {
        let first = 1 + foundCount * 3
        return data[first..<(first + matchedCount)].map(Int.init)
    }

    /// Scalar offsets of the first place a keyword was found, when it was.
    func location(ofKeyword keyword: Int) -> (Int, Int)? {
        for i in 0..<foundCount where Int(data[1 + i * 3]) == keyword {
            return (Int(data[2 + i * 3]), Int(data[3 + i * 3]))
        }
        return nil
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
    public var jsonText: String { explanation.jsonText }
}

extension RoutingExplanation {
    /// The explanation an appeal keeps (``jsonText``), read back; nil when there is none or it does not read.
    public init?(json: String) {
        guard !json.isEmpty, let value = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = value
    }

    /// The explanation as JSON, the same document `JSONEncoder` writes, written directly.
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
