import ArgumentParser
import Foundation
import Ingest
import MurojaatCore
import Rules

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check the rules before they go live.",
        subcommands: [RulesTest.self, RulesLint.self])
}

struct RulesTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Route every example in the rule files and compare with what it expects.")
    @OptionGroup var locations: Locations
    @Flag(help: "Also list the examples that pass.") var verbose = false

    func run() async throws {
        let book = try locations.loadRules()
        let results = book.checkExamples()
        var failed = 0
        for result in results {
            if result.passed {
                if verbose { print("ok    \(result.rule)  \(Output.line(result.text, width: 80))") }
                continue
            }
            failed += 1
            print("FAIL  \(result.location)  \(result.rule)")
            print("      text: \(Output.line(result.text, width: 100))")
            for failure in result.failures { print("      \(failure)") }
        }
        print("\(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct RulesLint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Report unknown departments and policies, duplicate ids, rules that can never fire, bad notices.")
    @OptionGroup var locations: Locations

    func run() async throws {
        let book: RuleBook
        do {
            book = try RuleBook.load(directory: locations.rulesDirectory)
        } catch {
            print("\(error)")
            print("\(error.errors.count) problem(s)")
            throw ExitCode(1)
        }
        for warning in book.warnings { print(warning) }
        // The adapters' mappings live beside the rules and are checked with them (Rules cannot read them itself:
        // the mapping belongs to its adapter).
        var adapterProblems = 0
        let callCards = locations.rulesDirectory.appendingPathComponent("adapters/call-cards.yaml")
        do {
            _ = try CallCardMapping.load(from: callCards)
        } catch {
            adapterProblems += 1
            print("\(error)")
        }
        // The tracker's ladder and notice texts refer to the org chart, so they are checked after it.
        var trackerProblems = 0
        var trackerFiles = 0
        do {
            let tracker = try TrackerRules.load(directory: locations.rulesDirectory, org: book.org)
            trackerFiles = 1 + tracker.notices.count
        } catch {
            trackerProblems = error.errors.count
            print("\(error)")
        }
        let problems = book.warnings.count + adapterProblems + trackerProblems
        print(
            "\(book.files.count + 1 + trackerFiles) files, \(book.rules.count) rules, \(book.keywords.count) keywords, "
                + "\(book.org.departments.count) departments: \(problems) problem(s)")
        if problems > 0 { throw ExitCode(1) }
    }
}

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show what the rules decide for a text, and why.")
    @OptionGroup var locations: Locations
    @Option(help: "Channel the text came by.") var channel: String?
    @Option(help: "Kind declared by the source: ariza, taklif, shikoyat.") var kind: String?
    @Option(help: "Region of residence.") var region: String?
    @Option(help: "Country where the applicant is now.") var country: String?
    @Flag(help: "Print JSON.") var json = false
    @Argument(help: "The appeal's text.") var text: [String]

    func run() async throws {
        // Options are checked before the rules load, so a typo is reported as such.
        var input = RoutingInput(text: text.joined(separator: " "), region: region, country: country)
        if let channel {
            guard let parsed = Channel(name: channel) else {
                throw CLIError(
                    "unknown channel \"\(channel)\" (known: "
                        + Channel.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            input.channel = parsed
        }
        if let kind {
            guard let parsed = Kind(rawValue: kind) else {
                throw CLIError("unknown kind \"\(kind)\" (known: ariza, taklif, shikoyat)")
            }
            input.kind = parsed
        }
        let book = try locations.loadRules()
        var router = Router(book: book)
        let decision = router.route(input)
        if json {
            print(try Output.json(decision))
            return
        }
        if decision.triage {
            print("triage: \(decision.reason)")
        } else if decision.outOfCompetence {
            print("outside the Agency's competence: forward to \(decision.forwardTo ?? "?")")
        } else {
            let name = decision.department.flatMap { book.org.department($0)?.name() } ?? ""
            print("department: \(decision.department ?? "-") \(name)")
        }
        if !decision.coExecutors.isEmpty { print("co-executors: \(decision.coExecutors.joined(separator: ", "))") }
        print(
            "kind: \(decision.kind.rawValue), policy: \(decision.policy), urgent: \(decision.urgent ? "yes" : "no"), "
                + "language: \(decision.language.rawValue), confidence: \(decision.confidence)")
        if !decision.tags.isEmpty { print("tags: \(decision.tags.joined(separator: ", "))") }
        if !decision.candidates.isEmpty {
            print(
                "scores: "
                    + decision.candidates.map { "\($0.outcome) \(Router.format($0.score))" }
                    .joined(separator: ", "))
        }
        for rule in decision.rules {
            print(
                "  \(rule.id) (\(rule.department ?? "modifier"), weight \(Router.format(rule.weight))): "
                    + rule.words.map { "\"\($0.text)\" at \($0.offset)" }.joined(separator: ", "))
        }
    }
}

struct DeadlineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadline", abstract: "Compute a legal deadline on the working-day calendar, with its steps.")
    @OptionGroup var locations: Locations
    @Option(help: "When the appeal was received, ISO 8601 (2025-03-18T10:00:00+05:00) or a date (Tashkent).")
    var received: String
    @Option(help: "ariza, taklif or shikoyat.") var kind: String
    @Option(help: "A policy from Rules/deadlines.yaml; without it the kind's default applies.") var policy: String?
    @Flag(help: "Print JSON.") var json = false

    struct DeadlineJSON: Encodable {
        var due: String
        var received: String
        var kind: String
        var policy: String
        var term: String
        var legalSource: String
        var summary: String
        var steps: [Deadline.Step]
        enum CodingKeys: String, CodingKey {
            case due, received, kind, policy, term, legalSource = "legal_source", summary, steps
        }
    }

    func run() async throws {
        guard let kind = Kind(rawValue: kind) else {
            throw CLIError("unknown kind \"\(self.kind)\" (ariza, taklif, shikoyat)")
        }
        let book: DeadlineBook
        do {
            book = try DeadlineBook.load(directory: locations.rulesDirectory)
        } catch {
            throw CLIError("the deadline rules in \(locations.rulesDirectory.path) do not load:\n\(error)")
        }
        let moment: Date
        if let parsed = ISO8601DateFormatter().date(from: received) {
            moment = parsed
        } else if let day = LocalDate(received) {
            moment = day.start(in: book.calendar.zone).addingTimeInterval(12 * 3600)
        } else {
            throw CLIError("--received must be ISO 8601 like 2025-03-18T10:00:00+05:00, not \"\(received)\"")
        }
        let deadline: Deadline
        do {
            deadline = try book.deadline(from: moment, kind: kind, policy: policy)
        } catch {
            throw CLIError("\(error)")
        }
        if json {
            print(
                try Output.json(
                    DeadlineJSON(
                        due: deadline.due.iso, received: Output.time(moment), kind: kind.rawValue,
                        policy: deadline.policy,
                        term: deadline.term.description, legalSource: deadline.legalSource, summary: deadline.summary,
                        steps: deadline.steps)))
        } else {
            print(deadline.due.iso)
            print(deadline.summary)
        }
    }
}
