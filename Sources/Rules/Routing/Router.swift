import Foundation
import MurojaatCore

/// Decides where an appeal goes, with the explanation.
///
/// A router keeps scratch buffers between decisions, so a worker makes one and reuses it; the ``RuleBook`` it reads
/// is shared. One decision costs time in proportion to the text and the rules it actually touches: the text is
/// normalized once, every keyword of every rule is found by one walk of the automaton from each word, and only the
/// rules those keywords belong to are looked at. The decision records which rules matched and where their words
/// are; the explanation's strings are made from that record only when somebody reads them.
public struct Router: Sendable {
    public let book: RuleBook
    private let tables: RoutingTables
    private var normalizer = TextNormalizer()
    /// Generation stamps: `keywordSeen[k] == generation` means keyword k matched in this decision. No clearing.
    private var keywordSeen: [UInt32]
    private var keywordEnd: [Int32]
    private var ruleSeen: [UInt32]
    private var generation: UInt32 = 0
    /// Scratch, sized once for the worst case and written through pointers.
    private var found: [Int32]
    private var candidates: [Int32]
    private var matched: [Int32]
    private var scores: [Double]
    private var touched: [Int32]
    /// Region and country spellings repeat from appeal to appeal (a call-centre file has fourteen regions).
    private var placeCache: [String: String] = [:]

    public init(book: RuleBook) {
        self.book = book
        tables = book.tables
        keywordSeen = [UInt32](repeating: 0, count: book.keywords.count)
        keywordEnd = [Int32](repeating: 0, count: book.keywords.count)
        ruleSeen = [UInt32](repeating: 0, count: book.rules.count)
        found = [Int32](repeating: 0, count: book.keywords.count)
        candidates = [Int32](repeating: 0, count: book.rules.count)
        matched = [Int32](repeating: 0, count: book.rules.count)
        scores = [Double](repeating: 0, count: book.tables.outcomes.count)
        touched = [Int32](repeating: 0, count: book.tables.outcomes.count)
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
        let language = normalized.language
        let foundCount = findKeywords(normalized)
        // Where each keyword found stands in the original, taken now: the normalizer's buffers are reused below.
        var trace = [Int32](repeating: 0, count: 1 + foundCount * 3)
        locate(foundCount, normalized, into: &trace)

        var facts = Facts(input: input, language: language)
        if book.usesRegion, let region = input.region { facts.region = place(region) }
        if let country = input.country, !country.isEmpty {
            let spelled = place(country)
            facts.country = spelled
            facts.abroad = !book.abroadAliases.contains(spelled)
        }
        let matchedCount = matchRules(foundCount, facts)
        trace[0] = Int32(matchedCount)
        matched.withUnsafeBufferPointer { trace.append(contentsOf: $0[0..<matchedCount]) }
        return decide(
            matchedCount: matchedCount, input: input, language: language,
            trace: RoutingTrace(tables: tables, text: combined, subjectLength: subjectLength, data: trace))
    }

    /// Walks the automaton from each word of the symbols; returns how many distinct keywords were found, listed in
    /// `found`.
    private mutating func findKeywords(_ normalized: NormalizedText) -> Int {
        let generation = self.generation
        let automaton = tables.automaton
        return normalized.withSymbols { text in
            keywordSeen.withUnsafeMutableBufferPointer { seen in
                keywordEnd.withUnsafeMutableBufferPointer { ends in
                    found.withUnsafeMutableBufferPointer { list in
                        var count = 0
                        automaton.scan(text) { keyword, end in
                            // Occurrences come in the order of their starts: the first is the one to show.
                            if seen[keyword] != generation {
                                seen[keyword] = generation
                                ends[keyword] = Int32(truncatingIfNeeded: end)
                                list[count] = Int32(truncatingIfNeeded: keyword)
                                count &+= 1
                            }
                        }
                        return count
                    }
                }
            }
        }
    }

    /// Writes `(keyword, first scalar, end scalar)` of each keyword found into `trace` from index 1.
    private func locate(_ count: Int, _ normalized: NormalizedText, into trace: inout [Int32]) {
        for i in 0..<count {
            let keyword = Int(found[i])
            let end = Int(keywordEnd[keyword])
            let startSymbol = end - Int(tables.keywordLength[keyword]) + 2  // skip the leading separator
            var lastSymbol = tables.keywordIsPrefix[keyword] ? end : end - 1
            if tables.keywordIsPrefix[keyword] {
                // Show the whole word a prefix matched: "pasportimni" for pasport*.
                while lastSymbol + 1 < normalized.count
                    && normalized.symbol(at: lastSymbol + 1) != MatchAlphabet.separator
                {
                    lastSymbol += 1
                }
            }
            trace[1 + i * 3] = Int32(keyword)
            trace[2 + i * 3] = Int32(normalized.offset(ofSymbol: max(0, startSymbol)))
            trace[3 + i * 3] = Int32(normalized.offset(ofSymbol: max(0, lastSymbol)) + 1)
        }
    }

    /// The rules whose conditions hold, in rule order, into `matched`; returns how many.
    private mutating func matchRules(_ foundCount: Int, _ facts: Facts) -> Int {
        let generation = self.generation
        var candidateCount = 0
        let tables = self.tables
        ruleSeen.withUnsafeMutableBufferPointer { seen in
            candidates.withUnsafeMutableBufferPointer { list in
                for i in 0..<foundCount {
                    let keyword = Int(found[i])
                    for slot in Int(tables.keywordRuleStart[keyword])..<Int(tables.keywordRuleStart[keyword + 1]) {
                        let rule = tables.keywordRules[slot]
                        if seen[Int(rule)] != generation {
                            seen[Int(rule)] = generation
                            list[candidateCount] = rule
                            candidateCount &+= 1
                        }
                    }
                }
                for rule in tables.alwaysRules {
                    list[candidateCount] = rule
                    candidateCount &+= 1
                }
                // Few candidates: insertion sort, in place.
                if candidateCount > 1 {
                    for i in 1..<candidateCount {
                        let value = list[i]
                        var j = i
                        while j > 0 && list[j - 1] > value {
                            list[j] = list[j - 1]
                            j -= 1
                        }
                        list[j] = value
                    }
                }
            }
        }
        var matchedCount = 0
        let conditions = tables.conditions
        conditions.nodes.withUnsafeBufferPointer { nodes in
            keywordSeen.withUnsafeBufferPointer { seen in
                for i in 0..<candidateCount {
                    let rule = candidates[i]
                    if holds(Int(conditions.roots[Int(rule)]), nodes, seen, facts) {
                        matched[matchedCount] = rule
                        matchedCount += 1
                    }
                }
            }
        }
        return matchedCount
    }

    private mutating func place(_ name: String) -> String {
        if let spelled = placeCache[name] { return spelled }
        let spelled = normalizer.normalize(name).spelled.trimmingCharacters(in: .whitespaces)
        if placeCache.count > 1024 { placeCache.removeAll(keepingCapacity: true) }
        placeCache[name] = spelled
        return spelled
    }

    struct Facts {
        /// Bits of the channel, kind and language among their `allCases` (``ConditionLayout/bit(_:)``); 0 when
        /// unknown, so no set holds it.
        var channel: UInt32
        var kind: UInt32
        var language: UInt32
        var region: String?
        var country: String?
        var abroad = false

        init(input: RoutingInput, language: DetectedLanguage) {
            channel = input.channel.map(ConditionLayout.bit) ?? 0
            kind = input.kind.map(ConditionLayout.bit) ?? 0
            self.language = ConditionLayout.bit(language)
        }
    }

    /// Whether the condition at `node` holds, from the keywords found (generation stamps) and the facts.
    private func holds(
        _ node: Int, _ nodes: UnsafeBufferPointer<ConditionNode>, _ seen: UnsafeBufferPointer<UInt32>, _ facts: Facts
    ) -> Bool {
        let condition = nodes[node]
        let children = Int(condition.first)..<Int(condition.first) + Int(condition.count)
        switch condition.operation {
        case .keyword: return seen[Int(condition.argument)] == generation
        case .all:
            for child in children where !holds(child, nodes, seen, facts) { return false }
            return true
        case .any:
            for child in children where holds(child, nodes, seen, facts) { return true }
            return false
        case .not: return !holds(children.lowerBound, nodes, seen, facts)
        case .channel: return condition.argument & facts.channel != 0
        case .kind: return condition.argument & facts.kind != 0
        case .language: return condition.argument & facts.language != 0
        case .region: return facts.region.map(tables.conditions.places[Int(condition.argument)].contains) ?? false
        case .country: return facts.country.map(tables.conditions.places[Int(condition.argument)].contains) ?? false
        case .abroad: return facts.abroad == (condition.argument != 0)
        }
    }

    private mutating func decide(
        matchedCount: Int, input: RoutingInput, language: DetectedLanguage, trace: RoutingTrace
    ) -> RoutingDecision {
        let tables = self.tables
        var urgent = false
        var kindRule = -1
        var policyRule = -1
        var touchedCount = 0
        // The winner: highest score, ties to the earlier name; the runner-up, to tell a tie.
        var top = -1
        var second = -1
        var total = 0.0
        var topScore = 0.0
        var secondScore = -1.0
        scores.withUnsafeMutableBufferPointer { scores in
            touched.withUnsafeMutableBufferPointer { touched in
                for i in 0..<matchedCount {
                    let rule = Int(matched[i])
                    let outcome = Int(tables.ruleOutcome[rule])
                    if outcome >= 0 {
                        if scores[outcome] == 0 {
                            touched[touchedCount] = Int32(outcome)
                            touchedCount += 1
                        }
                        scores[outcome] += tables.ruleWeight[rule]
                    }
                    if tables.ruleUrgent[rule] { urgent = true }
                    if tables.ruleKind[rule] != nil, kindRule < 0 || tables.outranks(rule, kindRule) { kindRule = rule }
                    if tables.rulePolicy[rule] != nil, policyRule < 0 || tables.outranks(rule, policyRule) {
                        policyRule = rule
                    }
                }
                func better(_ a: Int, _ b: Int) -> Bool {
                    scores[a] != scores[b] ? scores[a] > scores[b] : tables.outcomeRank[a] < tables.outcomeRank[b]
                }
                for i in 0..<touchedCount {
                    let outcome = Int(touched[i])
                    total += scores[outcome]
                    if top < 0 || better(outcome, top) {
                        second = top
                        top = outcome
                    } else if second < 0 || better(outcome, second) {
                        second = outcome
                    }
                }
                topScore = top >= 0 ? scores[top] : 0
                secondScore = second >= 0 ? scores[second] : -1
                for i in 0..<touchedCount { scores[Int(touched[i])] = 0 }
            }
        }
        var verdict = RoutingTrace.Verdict.noRule
        var confidence = 0.0
        var department: String?
        var forwardTo: String?
        if top >= 0 {
            confidence = total > 0 ? topScore / total : 0
            if topScore < tables.settings.minScore {
                verdict = .belowMinScore
            } else if secondScore == topScore {
                verdict = .tie
            } else if confidence < tables.settings.minShare {
                verdict = .notSure
            } else if let body = tables.forwardBody[top] {
                verdict = .forward
                forwardTo = body
            } else {
                verdict = .routed
                department = tables.outcomes[top]
            }
        }
        // A kind the source or an operator declared is a person's decision; rules only fill it in.
        let kind = input.kind ?? (kindRule >= 0 ? tables.ruleKind[kindRule] : nil) ?? .ariza
        let policy: String
        if forwardTo != nil {
            policy = "forward"
        } else if policyRule >= 0, let chosen = tables.rulePolicy[policyRule] {
            policy = chosen
        } else {
            policy = tables.defaultPolicy[Kind.allCases.firstIndex(of: kind)!]
        }
        var trace = trace
        trace.verdict = verdict
        return RoutingDecision(
            department: department, triage: verdict != .routed && verdict != .forward, urgent: urgent,
            outOfCompetence: forwardTo != nil, forwardTo: forwardTo, kind: kind, policy: policy,
            confidence: (confidence * 1000).rounded() / 1000, language: language, trace: trace)
    }

    public static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
