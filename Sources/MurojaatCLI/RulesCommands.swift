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
            print(Output.pad(Say.text(uz: "XATO", ru: "СБОЙ", en: "FAIL"), 6) + "\(result.location)  \(result.rule)")
            let text = Output.line(result.text, width: 100)
            Say.line(uz: "      matn: \(text)", ru: "      текст: \(text)", en: "      text: \(text)")
            for failure in result.failures { print("      \(failure[Say.language])") }
        }
        let passed = results.count - failed
        Say.line(
            uz: "\(passed) tasi o‘tdi, \(failed) tasi o‘tmadi", ru: "прошло: \(passed), не прошло: \(failed)",
            en: "\(passed) passed, \(failed) failed")
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
            print(error.wording[Say.language])
            let count = error.errors.count
            Say.line(uz: "\(count) ta muammo", ru: "проблем: \(count)", en: "\(count) problem(s)")
            throw ExitCode(1)
        }
        for warning in book.warnings { print(warning.text(Say.language)) }
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
            print(error.wording[Say.language])
        }
        let problems = book.warnings.count + adapterProblems + trackerProblems
        let files = book.files.count + 1 + trackerFiles
        // A keyword with two readings (see RuleBook.keywords) is still one keyword to the person who wrote it.
        let keywords = Set(book.keywords.map(\.text)).count
        let (rules, departments) = (book.rules.count, book.org.departments.count)
        Say.line(
            uz: "\(files) ta fayl, \(rules) ta qoida, \(keywords) ta kalit so‘z, \(departments) ta bo‘lim: "
                + "\(problems) ta muammo",
            ru: "файлов: \(files), правил: \(rules), ключевых слов: \(keywords), отделов: \(departments); "
                + "проблем: \(problems)",
            en: "\(files) files, \(rules) rules, \(keywords) keywords, \(departments) departments: "
                + "\(problems) problem(s)")
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
                let known = Channel.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError(
                    uz: "\"\(channel)\" degan kanal yo‘q (bor: \(known))",
                    ru: "неизвестный канал \"\(channel)\" (есть: \(known))",
                    en: "unknown channel \"\(channel)\" (known: \(known))")
            }
            input.channel = parsed
        }
        if let kind {
            guard let parsed = Kind(rawValue: kind) else {
                throw CLIError(
                    uz: "\"\(kind)\" degan tur yo‘q (bor: ariza, taklif, shikoyat)",
                    ru: "неизвестный вид \"\(kind)\" (есть: ariza, taklif, shikoyat)",
                    en: "unknown kind \"\(kind)\" (known: ariza, taklif, shikoyat)")
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
            let reason = decision.explanation.reasonWording
            Say.line(uz: "saralash: \(reason.uz)", ru: "сортировка: \(reason.ru)", en: "triage: \(decision.reason)")
        } else if decision.outOfCompetence {
            let body = decision.forwardTo ?? "?"
            Say.line(
                uz: "Agentlik vakolatiga kirmaydi: \(body) ga yuborish kerak",
                ru: "вне компетенции Агентства: направить в \(body)",
                en: "outside the Agency's competence: forward to \(body)")
        } else {
            let name = decision.department.flatMap { book.org.department($0)?.name(Say.language.rawValue) } ?? ""
            let department = "\(decision.department ?? "-") \(name)"
            Say.line(uz: "bo‘lim: \(department)", ru: "отдел: \(department)", en: "department: \(department)")
        }
        if !decision.coExecutors.isEmpty {
            let coExecutors = decision.coExecutors.joined(separator: ", ")
            Say.line(
                uz: "hamijrochilar: \(coExecutors)", ru: "соисполнители: \(coExecutors)",
                en: "co-executors: \(coExecutors)")
        }
        Say.line(
            uz: "turi: \(decision.kind.rawValue), muddat qoidasi: \(decision.policy), "
                + "shoshilinch: \(decision.urgent ? "ha" : "yo‘q"), til: \(decision.language.rawValue), "
                + "ishonch: \(decision.confidence)",
            ru: "вид: \(decision.kind.rawValue), правило срока: \(decision.policy), "
                + "срочно: \(decision.urgent ? "да" : "нет"), язык: \(decision.language.rawValue), "
                + "уверенность: \(decision.confidence)",
            en: "kind: \(decision.kind.rawValue), policy: \(decision.policy), "
                + "urgent: \(decision.urgent ? "yes" : "no"), language: \(decision.language.rawValue), "
                + "confidence: \(decision.confidence)")
        if !decision.tags.isEmpty {
            let tags = decision.tags.joined(separator: ", ")
            Say.line(uz: "teglar: \(tags)", ru: "метки: \(tags)", en: "tags: \(tags)")
        }
        if !decision.candidates.isEmpty {
            let scores = decision.candidates.map { "\($0.outcome) \(Router.format($0.score))" }
                .joined(separator: ", ")
            Say.line(uz: "ballar: \(scores)", ru: "баллы: \(scores)", en: "scores: \(scores)")
        }
        for rule in decision.rules {
            let department = rule.department ?? Say.text(uz: "modifikator", ru: "модификатор", en: "modifier")
            let weight = Router.format(rule.weight)
            let words = rule.words.map { word in
                Say.text(
                    uz: "\"\(word.text)\" \(word.offset)-o‘rinda", ru: "\"\(word.text)\" на позиции \(word.offset)",
                    en: "\"\(word.text)\" at \(word.offset)")
            }
            let weighted = Say.text(
                uz: "\(department), vazni \(weight)", ru: "\(department), вес \(weight)",
                en: "\(department), weight \(weight)")
            print("  \(rule.id) (\(weighted)): " + words.joined(separator: ", "))
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
            throw CLIError(
                uz: "\"\(self.kind)\" degan tur yo‘q (ariza, taklif, shikoyat)",
                ru: "неизвестный вид \"\(self.kind)\" (ariza, taklif, shikoyat)",
                en: "unknown kind \"\(self.kind)\" (ariza, taklif, shikoyat)")
        }
        let book: DeadlineBook
        do {
            book = try DeadlineBook.load(directory: locations.rulesDirectory)
        } catch {
            // The problems are a list, one a line, so they start on a line of their own.
            let path = locations.rulesDirectory.path
            let lead = Wording(
                uz: "\(path) dagi muddat qoidalari yuklanmadi", ru: "правила сроков в \(path) не загружаются",
                en: "the deadline rules in \(path) do not load")
            let problems = CLIError(cause: error).wording
            throw CLIError(Wording { lead[$0] + ":\n" + problems[$0] })
        }
        let moment: Date
        if let parsed = ISO8601DateFormatter().date(from: received) {
            moment = parsed
        } else if let day = LocalDate(received) {
            moment = day.start(in: book.calendar.zone).addingTimeInterval(12 * 3600)
        } else {
            throw CLIError(
                uz: "--received ISO 8601 ko‘rinishida bo‘lishi kerak, masalan 2025-03-18T10:00:00+05:00, "
                    + "\"\(received)\" emas",
                ru: "--received должен быть в формате ISO 8601, например 2025-03-18T10:00:00+05:00, "
                    + "а не \"\(received)\"",
                en: "--received must be ISO 8601 like 2025-03-18T10:00:00+05:00, not \"\(received)\"")
        }
        let deadline: Deadline
        do {
            deadline = try book.deadline(from: moment, kind: kind, policy: policy)
        } catch {
            throw CLIError(cause: error)
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
            print(deadline.summaryWording[Say.language])
        }
    }
}
