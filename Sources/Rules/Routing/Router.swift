import Foundation
import MurojaatCore

/// Decides where an appeal goes, with the explanation.
///
/// A router keeps scratch buffers between decisions, so a worker makes one and reuses it; the ``RuleBook`` it reads
/// is shared. One decision costs time in proportion to the text and the rules it actually touches.
public struct Router: Sendable {
    public let book: RuleBook
    private var normalizer = TextNormalizer()
    /// Generation stamps: `keywordSeen[k] == generation` means keyword k matched in this decision. No clearing.
    private var keywordSeen: [UInt32]
    private var keywordFirstEnd: [Int32]
    private var ruleSeen: [UInt32]
    private var generation: UInt32 = 0
    private var matchedKeywords: [Int32] = []
    private var candidateRules: [Int32] = []
    private var scores: [Double]

    public init(book: RuleBook) {
        self.book = book
        keywordSeen = [UInt32](repeating: 0, count: book.keywords.count)
        keywordFirstEnd = [Int32](repeating: 0, count: book.keywords.count)
        ruleSeen = [UInt32](repeating: 0, count: book.rules.count)
        scores = [Double](repeating: 0, count: book.outcomes.count)
    }

    /// Routes one appeal.
    public mutating func route(_ input: RoutingInput) -> RoutingDecision {
        generation &+= 1
        if generation == 0 {
            // Wrapped after four billion decisions: start the stamps again.
            for i in keywordSeen.indices { keywordSeen[i] = 0 }
            for i in ruleSeen.indices { ruleSeen[i] = 0 }
            generation = 1
        }
        let subjectLength = input.subject.map { $0.unicodeScalars.count + 1 } ?? 0
        let combined = input.subject.map { $0 + "\n" + input.text } ?? input.text
        let normalized = normalizer.normalize(combined)

        matchedKeywords.removeAll(keepingCapacity: true)
        candidateRules.removeAll(keepingCapacity: true)
        let generation = self.generation
        book.automaton.scan(normalized.symbols) { keyword, end in
            if keywordSeen[keyword] != generation {
                keywordSeen[keyword] = generation
                keywordFirstEnd[keyword] = Int32(end)
                matchedKeywords.append(Int32(keyword))
            }
        }
        for keyword in matchedKeywords {
            let k = Int(keyword)
            for slot in Int(book.keywordRuleStart[k])..<Int(book.keywordRuleStart[k + 1]) {
                let rule = book.keywordRules[slot]
                if ruleSeen[Int(rule)] != generation {
                    ruleSeen[Int(rule)] = generation
                    candidateRules.append(rule)
                }
            }
        }
        candidateRules += book.alwaysRules
        if candidateRules.count > 1 { candidateRules.sort() }

        var facts = Facts(input: input, language: normalized.language)
        if book.usesRegion, let region = input.region {
            facts.region = normalizer.normalize(region).spelled.trimmingCharacters(in: .whitespaces)
        }
        if let country = input.country, !country.isEmpty {
            let spelled = normalizer.normalize(country).spelled.trimmingCharacters(in: .whitespaces)
            facts.country = spelled
            facts.abroad = !book.abroadAliases.contains(spelled)
        }

        var matched: [Int32] = []
        for rule in candidateRules where evaluate(book.rules[Int(rule)].condition, facts) {
            matched.append(rule)
        }
        return decide(
            matched: matched, input: input, facts: facts, normalized: normalized, text: combined,
            subjectLength: subjectLength)
    }

    struct Facts {
        var channel: Channel?
        var kind: Kind?
        var language: DetectedLanguage
        var region: String?
        var country: String?
        var abroad = false

        init(input: RoutingInput, language: DetectedLanguage) {
            channel = input.channel
            kind = input.kind
            self.language = language
        }
    }

    private func evaluate(_ condition: Condition, _ facts: Facts) -> Bool {
        switch condition {
        case .keyword(let id): return keywordSeen[id] == generation
        case .all(let items):
            for item in items where !evaluate(item, facts) { return false }
            return true
        case .any(let items):
            for item in items where evaluate(item, facts) { return true }
            return false
        case .not(let inner): return !evaluate(inner, facts)
        case .channel(let set): return facts.channel.map(set.contains) ?? false
        case .kind(let set): return facts.kind.map(set.contains) ?? false
        case .language(let set): return set.contains(facts.language)
        case .region(let set): return facts.region.map(set.contains) ?? false
        case .country(let set): return facts.country.map(set.contains) ?? false
        case .abroad(let wanted): return facts.abroad == wanted
        }
    }

    private mutating func decide(
        matched: [Int32], input: RoutingInput, facts: Facts, normalized: NormalizedText, text: String,
        subjectLength: Int
    ) -> RoutingDecision {
        var touched: [Int] = []
        var urgent = false
        var tags: [String] = []
        var kindRule: RoutingRule?
        var policyRule: RoutingRule?
        for index in matched {
            let rule = book.rules[Int(index)]
            let outcome = Int(book.ruleOutcome[Int(index)])
            if outcome >= 0 {
                if scores[outcome] == 0 { touched.append(outcome) }
                scores[outcome] += rule.weight
            }
            if rule.action.urgent == true { urgent = true }
            for tag in rule.action.tags where !tags.contains(tag) { tags.append(tag) }
            if rule.action.kind != nil, kindRule.map({ Router.outranks(rule, $0) }) ?? true { kindRule = rule }
            if rule.action.policy != nil, policyRule.map({ Router.outranks(rule, $0) }) ?? true { policyRule = rule }
        }
        var candidates: [RoutingDecision.Candidate] = []
        var total = 0.0
        for outcome in touched {
            candidates.append(.init(outcome: book.outcomes[outcome], score: scores[outcome]))
            total += scores[outcome]
            scores[outcome] = 0
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.outcome < $1.outcome }

        // A kind the source or an operator declared is a person's decision; rules only fill it in.
        let kind = input.kind ?? kindRule?.action.kind ?? .ariza
        var department: String?
        var forwardTo: String?
        var triage = true
        var reason: String
        var confidence = 0.0
        if let top = candidates.first {
            confidence = total > 0 ? top.score / total : 0
            let second = candidates.count > 1 ? candidates[1] : nil
            if top.score < book.settings.minScore {
                reason =
                    "score \(Router.format(top.score)) for \(top.outcome) is below min_score "
                    + Router.format(book.settings.minScore)
            } else if let second, second.score == top.score {
                reason = "tie: \(top.outcome) and \(second.outcome) both scored \(Router.format(top.score))"
            } else if confidence < book.settings.minShare {
                reason =
                    "not sure: \(top.outcome) has \(Int((confidence * 100).rounded()))% of the score, "
                    + "min_share is \(Int((book.settings.minShare * 100).rounded()))%"
            } else {
                triage = false
                if top.outcome.hasPrefix("→ ") {
                    forwardTo = String(top.outcome.dropFirst(2))
                    reason = "outside the Agency's competence: forward to \(forwardTo!)"
                } else {
                    department = top.outcome
                    reason = "routed to \(top.outcome) with \(Int((confidence * 100).rounded()))% of the score"
                }
            }
        } else {
            reason = "no rule matched"
        }

        var coExecutors: [String] = []
        if let department {
            for index in matched {
                let rule = book.rules[Int(index)]
                guard rule.action.department == department else { continue }
                for code in rule.action.coExecutors where code != department && !coExecutors.contains(code) {
                    coExecutors.append(code)
                }
            }
        }
        let policy: String
        if forwardTo != nil {
            policy = "forward"
        } else if let chosen = policyRule?.action.policy {
            policy = chosen
        } else {
            policy = book.deadlines.defaults[kind] ?? "standard"
        }

        return RoutingDecision(
            department: department, coExecutors: coExecutors, triage: triage, urgent: urgent,
            outOfCompetence: forwardTo != nil, forwardTo: forwardTo, kind: kind, policy: policy, tags: tags,
            confidence: (confidence * 1000).rounded() / 1000, candidates: candidates,
            rules: explain(matched: matched, normalized: normalized, text: text, subjectLength: subjectLength),
            reason: reason, language: normalized.language)
    }

    /// Higher priority, then higher weight, then the earlier rule.
    static func outranks(_ a: RoutingRule, _ b: RoutingRule) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.weight != b.weight { return a.weight > b.weight }
        return a.order < b.order
    }

    public static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private func explain(
        matched: [Int32], normalized: NormalizedText, text: String, subjectLength: Int
    ) -> [RoutingDecision.MatchedRule] {
        if matched.isEmpty { return [] }
        // Matched words are cut out of the original by scalar offsets; the normalizer has the scalars already.
        let scalars = normalizer.scalars
        var ids: [(id: Int, negated: Bool)] = []
        return matched.map { index in
            ids.removeAll(keepingCapacity: true)
            return explain(
                rule: Int(index), ids: &ids, normalized: normalized, scalars: scalars, subjectLength: subjectLength)
        }
    }

    private func explain(
        rule index: Int, ids: inout [(id: Int, negated: Bool)], normalized: NormalizedText, scalars: [UInt32],
        subjectLength: Int
    )
        -> RoutingDecision.MatchedRule
    {
        let rule = book.rules[index]
        rule.condition.allKeywords(into: &ids)
        var words: [RoutingDecision.MatchedWord] = []
        var seen: [Int] = []
        for (id, negated) in ids where !negated && keywordSeen[id] == generation && !seen.contains(id) {
            seen.append(id)
            let keyword = book.keywords[id]
            let end = Int(keywordFirstEnd[id])
            let startSymbol = end - keyword.symbols.count + 2  // skip the leading separator
            var lastSymbol = keyword.isPrefix ? end : end - 1
            if keyword.isPrefix {
                // Show the whole word a prefix matched: "pasportimni" for pasport*.
                while lastSymbol + 1 < normalized.symbols.count
                    && normalized.symbols[lastSymbol + 1] != MatchAlphabet.separator
                {
                    lastSymbol += 1
                }
            }
            let start = Int(normalized.offsets[max(0, startSymbol)])
            let stop = Int(normalized.offsets[max(0, lastSymbol)]) + 1
            var field = "text"
            var offset = start
            if subjectLength > 0 {
                if start < subjectLength { field = "subject" } else { offset = start - subjectLength }
            }
            var view = String.UnicodeScalarView()
            if start < stop && stop <= scalars.count {
                for value in scalars[start..<stop] { view.append(Unicode.Scalar(value) ?? "\u{FFFD}") }
            }
            words.append(
                .init(
                    keyword: keyword.text, text: String(view), field: field, offset: offset,
                    length: stop - start))
        }
        return .init(id: rule.id, department: rule.action.department, weight: rule.weight, words: words)
    }
}
