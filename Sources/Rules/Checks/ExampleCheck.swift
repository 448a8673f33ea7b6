public import MurojaatCore

/// The outcome of one example of a rule file.
public struct ExampleResult: Sendable {
    public var rule: String
    public var location: String
    public var text: String
    /// What differed from the expectation, in each language; empty when the example passed.
    public var failures: [Wording]
    public var decision: RoutingDecision

    public var passed: Bool { failures.isEmpty }
}

extension RuleBook {
    /// Routes every example of every rule through the whole rule set and compares with what the example expects.
    public func checkExamples() -> [ExampleResult] {
        var router = Router(book: self)
        var results: [ExampleResult] = []
        for rule in rules {
            for example in rule.examples {
                let decision = router.route(
                    RoutingInput(
                        text: example.text, channel: example.channel,
                        kind: example.kind, region: example.region,
                        country: example.country))
                results.append(
                    ExampleResult(
                        rule: rule.id, location: example.location, text: example.text,
                        failures: Self.compare(example.expect, decision), decision: decision))
            }
        }
        return results
    }

    static func compare(_ expect: RuleExample.Expectation, _ decision: RoutingDecision) -> [Wording] {
        var failures: [Wording] = []
        // `name` is the key of `expect:`, the values are as YAML writes them: both read the same in every language.
        func differs(_ name: String, _ wanted: String, _ got: String) {
            failures.append(
                Wording(
                    uz: "\(name): \(wanted) kutilgan edi, \(got) chiqdi",
                    ru: "\(name): ожидалось \(wanted), получено \(got)",
                    en: "\(name): expected \(wanted), got \(got)"))
        }
        func check<T: Equatable>(_ name: String, _ wanted: T?, _ got: T, _ show: (T) -> String) {
            if let wanted, wanted != got { differs(name, show(wanted), show(got)) }
        }
        if let wanted = expect.department, wanted != decision.department {
            differs("department", wanted ?? "null", decision.department ?? "null")
        }
        check("triage", expect.triage, decision.triage) { "\($0)" }
        check("urgent", expect.urgent, decision.urgent) { "\($0)" }
        check("kind", expect.kind, decision.kind) { $0.rawValue }
        check("policy", expect.policy, decision.policy) { $0 }
        check("out_of_competence", expect.outOfCompetence, decision.outOfCompetence) { "\($0)" }
        if let wanted = expect.forwardTo, wanted != decision.forwardTo {
            differs("forward_to", wanted, decision.forwardTo ?? "null")
        }
        for tag in expect.tags where !decision.tags.contains(tag) {
            let tags = decision.tags.joined(separator: ", ")
            failures.append(
                Wording(
                    uz: "tags: [\(tags)] orasida \(tag) kutilgan edi", ru: "tags: ожидалось \(tag) среди [\(tags)]",
                    en: "tags: expected \(tag) among [\(tags)]"))
        }
        let matched = Set(decision.rules.map(\.id))
        for rule in expect.rules where !matched.contains(rule) {
            failures.append(
                Wording(
                    uz: "rules: \(rule) qoidasi mos kelishi kutilgan edi",
                    ru: "rules: ожидалось, что сработает правило \(rule)", en: "rules: expected \(rule) to match"))
        }
        if !failures.isEmpty {
            // The stored reason is English; the explanation says it again in Uzbek and Russian.
            let reason = decision.explanation.reasonWording
            failures.append(
                Wording(uz: "qaror: \(reason.uz)", ru: "решение: \(reason.ru)", en: "decision: \(decision.reason)"))
        }
        return failures
    }
}
