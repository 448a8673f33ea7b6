import MurojaatCore

/// The outcome of one example of a rule file.
public struct ExampleResult: Sendable {
    public var rule: String
    public var location: String
    public var text: String
    /// What differed from the expectation; empty when the example passed.
    public var failures: [String]
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

    static func compare(_ expect: RuleExample.Expectation, _ decision: RoutingDecision) -> [String] {
        var failures: [String] = []
        func check<T: Equatable>(_ name: String, _ wanted: T?, _ got: T, _ show: (T) -> String) {
            if let wanted, wanted != got { failures.append("\(name): expected \(show(wanted)), got \(show(got))") }
        }
        if let wanted = expect.department, wanted != decision.department {
            failures.append("department: expected \(wanted ?? "null"), got \(decision.department ?? "null")")
        }
        check("triage", expect.triage, decision.triage) { "\($0)" }
        check("urgent", expect.urgent, decision.urgent) { "\($0)" }
        check("kind", expect.kind, decision.kind) { $0.rawValue }
        check("policy", expect.policy, decision.policy) { $0 }
        check("out_of_competence", expect.outOfCompetence, decision.outOfCompetence) { "\($0)" }
        if let wanted = expect.forwardTo, wanted != decision.forwardTo {
            failures.append("forward_to: expected \(wanted), got \(decision.forwardTo ?? "null")")
        }
        for tag in expect.tags where !decision.tags.contains(tag) {
            failures.append("tags: expected \(tag) among [\(decision.tags.joined(separator: ", "))]")
        }
        let matched = Set(decision.rules.map(\.id))
        for rule in expect.rules where !matched.contains(rule) {
            failures.append("rules: expected \(rule) to match")
        }
        if !failures.isEmpty { failures.append("decision: \(decision.reason)") }
        return failures
    }
}
