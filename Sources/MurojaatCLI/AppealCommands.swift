import ArgumentParser
import Foundation
import Ingest
import MurojaatCore
import Rules
import Store
import Tracker

/// The JSON face of an appeal in `list` and `show`.
struct AppealJSON: Encodable {
    var tracking: String
    var channel: String
    var sourceKey: String
    var department: String?
    var coExecutors: [String]
    var kind: String
    var status: String
    var urgent: Bool
    var policy: String
    var receivedAt: String
    var registeredAt: String
    var due: String?
    var forwardTo: String?
    var tags: [String]
    var language: String
    var applicant: Applicant
    var region: String?
    var country: String?
    var subject: String?
    var text: String
    /// What the source said beside the documented fields (a call card's operator, an export's own columns).
    var extra: [String: String]

    init(_ appeal: Appeal) {
        tracking = appeal.tracking.value
        channel = appeal.channel.rawValue
        sourceKey = appeal.sourceKey
        department = appeal.department
        coExecutors = appeal.coExecutors
        kind = appeal.kind.rawValue
        status = appeal.status.rawValue
        urgent = appeal.urgent
        policy = appeal.policy
        receivedAt = Output.time(appeal.receivedAt)
        registeredAt = Output.time(appeal.registeredAt)
        due = appeal.due?.iso
        forwardTo = appeal.forwardTo
        tags = appeal.tags
        language = appeal.language
        applicant = appeal.applicant
        region = appeal.region
        country = appeal.country
        subject = appeal.subject
        text = appeal.text
        extra = appeal.extra
    }

    enum CodingKeys: String, CodingKey {
        case tracking, channel, sourceKey = "source_key", department, coExecutors = "co_executors", kind, status
        case urgent, policy, receivedAt = "received_at", registeredAt = "registered_at", due, forwardTo = "forward_to"
        case tags, language, applicant, region, country, subject, text, extra
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(tracking, forKey: .tracking)
        try c.encode(channel, forKey: .channel)
        try c.encode(sourceKey, forKey: .sourceKey)
        try c.encode(department, forKey: .department)
        try c.encode(coExecutors, forKey: .coExecutors)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(urgent, forKey: .urgent)
        try c.encode(policy, forKey: .policy)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(registeredAt, forKey: .registeredAt)
        try c.encode(due, forKey: .due)
        try c.encode(forwardTo, forKey: .forwardTo)
        try c.encode(tags, forKey: .tags)
        try c.encode(language, forKey: .language)
        try c.encode(applicant, forKey: .applicant)
        try c.encode(region, forKey: .region)
        try c.encode(country, forKey: .country)
        try c.encode(subject, forKey: .subject)
        try c.encode(text, forKey: .text)
        try c.encode(extra, forKey: .extra)
    }
}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List appeals, soonest deadline first.")

    @OptionGroup var locations: Locations
    @Option(help: "Department code, e.g. ABROAD.") var department: String?
    @Option(
        help:
            "Status: received, triage, registered, assigned, in_progress, answered, closed, forwarded, left_without_consideration."
    )
    var status: String?
    @Option(help: "Channel: email, call, virtual-reception, ijro, e-xat, webhook.") var channel: String?
    @Option(name: .customLong("due-before"), help: "Only appeals due before this day (YYYY-MM-DD).")
    var dueBefore: String?
    @Flag(help: "Only urgent appeals.") var urgent = false
    @Option(help: "At most this many.") var limit = 1000
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var query = AppealQuery(limit: limit)
        // A code as typed ("abroad") means the org chart's department; one the chart does not know (a department
        // since removed) is still looked for, and an empty answer then says the chart does not know it.
        let chart = department.flatMap { _ in try? locations.loadRules().org }
        let known = department.flatMap { chart?.department(typed: $0) }
        query.department = known?.code ?? department
        if let status {
            guard let parsed = Status(rawValue: status.replacingOccurrences(of: "-", with: "_")) else {
                let known = Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw CLIError(
                    uz: "\"\(status)\" degan holat yo‘q (bor: \(known))",
                    ru: "неизвестный статус \"\(status)\" (есть: \(known))",
                    en: "unknown status \"\(status)\" (known: \(known))")
            }
            query.status = parsed
        }
        if let channel {
            guard let parsed = Channel(name: channel) else {
                throw CLIError(
                    uz: "\"\(channel)\" degan kanal yo‘q", ru: "неизвестный канал \"\(channel)\"",
                    en: "unknown channel \"\(channel)\"")
            }
            query.channel = parsed
        }
        if let dueBefore {
            guard let parsed = LocalDate(dueBefore) else {
                throw CLIError(
                    uz: "--due-before sana bo‘lishi kerak, masalan 2025-12-31, \"\(dueBefore)\" emas",
                    ru: "--due-before должен быть датой вида 2025-12-31, а не \"\(dueBefore)\"",
                    en: "--due-before must be a date like 2025-12-31, not \"\(dueBefore)\"")
            }
            query.dueBefore = parsed
        }
        if urgent { query.urgent = true }
        let store = try await locations.openStore()
        let appeals = try await storeCall { () async throws(StoreError) in try await store.appeals(query) }
        if json {
            print(try Output.json(appeals.map(AppealJSON.init)))
            return
        }
        if appeals.isEmpty {
            if let department, chart != nil, known == nil {
                Say.line(
                    uz: "mos murojaat yo‘q; org.yaml da \"\(department)\" bo‘limi ham yo‘q",
                    ru: "подходящих обращений нет; в org.yaml нет и отдела \"\(department)\"",
                    en: "no appeals match; org.yaml has no department \"\(department)\" either")
                return
            }
            Say.line(uz: "mos murojaat yo‘q", ru: "подходящих обращений нет", en: "no appeals match")
            return
        }
        func column(_ uz: String, _ ru: String, _ en: String, _ width: Int) -> String {
            Output.pad(Say.text(uz: uz, ru: ru, en: en), width)
        }
        print(
            column("RAQAM", "НОМЕР", "TRACKING", 11) + column("MUDDAT", "СРОК", "DUE", 12)
                + column("BO‘LIM", "ОТДЕЛ", "DEPARTMENT", 13) + column("HOLAT", "СТАТУС", "STATUS", 12)
                + column("TURI", "ВИД", "KIND", 9) + column("KANAL", "КАНАЛ", "CHANNEL", 18)
                + Say.text(uz: "MATN", ru: "ТЕКСТ", en: "TEXT"))
        let forward = Say.text(uz: "→ yuborish", ru: "→ переслать", en: "→ forward")
        for appeal in appeals {
            let mark = appeal.urgent ? "!" : " "
            print(
                Output.pad(appeal.tracking.value, 10) + mark + Output.pad(appeal.due?.dotted ?? "-", 12)
                    + Output.pad(appeal.department ?? (appeal.forwardTo != nil ? forward : "-"), 13)
                    + Output.pad(appeal.status.rawValue, 12) + Output.pad(appeal.kind.rawValue, 9)
                    + Output.pad(appeal.channel.rawValue, 18) + Output.line(appeal.text, width: 60))
        }
        Say.line(
            uz: "\(appeals.count) ta murojaat; ! — shoshilinch", ru: "обращений: \(appeals.count); ! — срочное",
            en: "\(appeals.count) appeal(s); ! marks urgent")
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one appeal with its history and the routing explanation.")

    @OptionGroup var locations: Locations
    @Argument(help: "Tracking number, e.g. K7P4-9QXM (case, spaces and dashes do not matter).") var tracking: String
    @Flag(help: "Print JSON.") var json = false

    struct EventJSON: Encodable {
        var seq: Int
        var at: String
        var actor: String
        var what: String
        var why: String?
        var status: String?
        var data: [String: String]
        var hash: String
    }

    struct ShowJSON: Encodable {
        var appeal: AppealJSON
        var history: [EventJSON]
        var historyIntact: Bool
        var routing: RoutingExplanation?
        var assignments: [[String: String]]
        var documents: [DocumentJSON]
        enum CodingKeys: String, CodingKey {
            case appeal, history, historyIntact = "history_intact", routing, assignments, documents
        }
    }

    struct DocumentJSON: Encodable {
        var role: String
        var name: String?
        var contentType: String
        var size: Int
        var sha256: String
        var stored: Bool
        var note: String?
        enum CodingKeys: String, CodingKey {
            case role, name, contentType = "content_type", size, sha256, stored, note
        }
    }

    func run() async throws {
        let number: TrackingNumber
        do {
            number = try TrackingNumber(parsing: tracking)
        } catch {
            throw CLIError(cause: error)
        }
        let store = try await locations.openStore()
        guard
            let appeal = try await storeCall({ () async throws(StoreError) in try await store.appeal(tracking: number) }
            )
        else {
            throw CLIError(
                uz: "\(number.value) kuzatuv raqamli murojaat yo‘q", ru: "обращения с номером \(number.value) нет",
                en: "no appeal has the tracking number \(number.value)")
        }
        let history = try await storeCall { () async throws(StoreError) in try await store.history(of: appeal.id) }
        let assignments = try await storeCall { () async throws(StoreError) in
            try await store.assignments(of: appeal.id)
        }
        let documents = try await storeCall { () async throws(StoreError) in
            try await store.documents(channel: appeal.channel, sourceKey: appeal.sourceKey)
        }
        let broken = EventChain.firstBrokenLink(in: history)
        let routing = RoutingExplanation(json: appeal.routing)
        if json {
            let value = ShowJSON(
                appeal: AppealJSON(appeal),
                history: history.map {
                    EventJSON(
                        seq: $0.sequence, at: Output.time($0.event.at), actor: $0.event.actor,
                        what: $0.event.kind.rawValue, why: $0.event.why, status: $0.event.status?.rawValue,
                        data: $0.event.data, hash: $0.hash)
                }, historyIntact: broken == nil, routing: routing,
                assignments: assignments.map {
                    [
                        "department": $0.department, "role": $0.role.rawValue,
                        "assigned_at": Output.time($0.assignedAt),
                        "assigned_by": $0.assignedBy, "active": String($0.active),
                    ]
                },
                documents: documents.map {
                    DocumentJSON(
                        role: $0.role.rawValue, name: $0.name, contentType: $0.contentType, size: $0.size,
                        sha256: $0.sha256, stored: $0.stored, note: $0.note)
                })
            print(try Output.json(value))
            return
        }
        // Labels take the same 13 columns in every language, so the values line up.
        func label(_ uz: String, _ ru: String, _ en: String) -> String {
            Output.pad(Say.text(uz: uz, ru: ru, en: en), 13)
        }
        print(
            // The status in words, with the code `list --status` takes beside it.
            "\(appeal.tracking.value)  \(appeal.kind.rawValue)  "
                + "\(appeal.status.wording[Say.language]) (\(appeal.status.rawValue))"
                + (appeal.urgent ? Say.text(uz: "  SHOSHILINCH", ru: "  СРОЧНО", en: "  URGENT") : ""))
        print(label("kanal:", "канал:", "channel:") + "\(appeal.channel.rawValue) (\(appeal.sourceKey))")
        print(label("keldi:", "поступило:", "received:") + Output.shortTime(appeal.receivedAt))
        let coExecutors = appeal.coExecutors.joined(separator: ", ")
        print(
            label("bo‘lim:", "отдел:", "department:") + (appeal.department ?? "-")
                + (appeal.coExecutors.isEmpty
                    ? ""
                    : Say.text(
                        uz: ", hamijrochilar: \(coExecutors)", ru: ", соисполнители: \(coExecutors)",
                        en: " with \(coExecutors)")))
        if let forwardTo = appeal.forwardTo { print(label("qayerga:", "переслать в:", "forward to:") + forwardTo) }
        print(label("muddat:", "срок:", "due:") + "\(appeal.due?.dotted ?? "-") (\(appeal.policy))")
        let who = [
            appeal.applicant.name, appeal.applicant.phone, appeal.applicant.email, appeal.region, appeal.country,
        ]
        .compactMap { $0 }.filter { !$0.isEmpty }
        print(label("murojaatchi:", "заявитель:", "applicant:") + (who.isEmpty ? "-" : who.joined(separator: ", ")))
        if let subject = appeal.subject, !subject.isEmpty { print(label("mavzu:", "тема:", "subject:") + subject) }
        print(label("matn:", "текст:", "text:") + appeal.text)
        let fields = ExtraFields.listed(appeal.extra, in: Say.language)
        if !fields.isEmpty {
            Say.line(
                uz: "manbadagi boshqa maydonlar:", ru: "другие поля из источника:", en: "other fields from the source:")
            for field in fields { print("  \(field.label): " + Output.line(field.value, width: 100)) }
        }
        if !documents.isEmpty {
            Say.line(uz: "hujjatlar:", ru: "документы:", en: "documents:")
            for document in documents {
                let name =
                    document.role == .original
                    ? Say.text(uz: "asl xabar", ru: "исходное сообщение", en: "original message")
                    : document.name ?? Say.text(uz: "(nomsiz)", ru: "(без имени)", en: "(no name)")
                var line = "  \(name)  \(document.contentType), \(Document.sizeText(document.size))"
                if let note = document.note { line += "  (\(note))" }
                print(line)
            }
        }
        print("")
        if let broken {
            Say.line(
                uz: "tarix (XESH ZANJIRI \(broken)-hodisada UZILGAN):",
                ru: "история (ЦЕПОЧКА ХЕШЕЙ НАРУШЕНА на событии \(broken)):",
                en: "history (HASH CHAIN BROKEN at event \(broken)):")
        } else {
            Say.line(
                uz: "tarix (xesh zanjiri butun):", ru: "история (цепочка хешей цела):",
                en: "history (hash chain intact):")
        }
        // Without rules the history still reads, with the deadlines as they were written.
        let reading = HistoryReading(
            appeal: appeal, explanation: routing, deadlines: try? DeadlineBook.load(directory: locations.rulesDirectory)
        )
        for stored in history {
            let event = stored.event
            var line = "  \(stored.sequence). \(Output.shortTime(event.at))  \(event.kind.wording[Say.language])"
            // An event named after the status it sets ("Ro‘yxatga olindi") would say it twice.
            if let status = event.status, status.wording != event.kind.wording {
                line += " → \(status.wording[Say.language])"
            }
            let actor = event.actorWording[Say.language]
            line += Say.text(uz: "  \(actor) tomonidan", ru: "  кто: \(actor)", en: "  by \(actor)")
            print(line)
            if let why = reading.why(event, in: Say.language), !why.isEmpty {
                Say.line(uz: "       sabab: \(why)", ru: "       причина: \(why)", en: "       why: \(why)")
            }
            if let deadline = reading.deadline(event, in: Say.language) {
                Say.line(
                    uz: "       hisob: \(deadline)", ru: "       расчёт: \(deadline)",
                    en: "       deadline: \(deadline)")
            }
            if let department = event.data["department"] {
                Say.line(
                    uz: "       bo‘lim: \(department)", ru: "       отдел: \(department)",
                    en: "       department: \(department)")
            }
            if let earlier = event.data["repeat_of"] {
                Say.line(
                    uz: "       avvalgi murojaat: \(earlier)", ru: "       повтор обращения: \(earlier)",
                    en: "       repeat of: \(earlier)")
            }
            if event.kind == .repeatReceived, let later = event.data["tracking"] {
                Say.line(
                    uz: "       takroriy murojaat: \(later)", ru: "       повторное обращение: \(later)",
                    en: "       repeat: \(later)")
            }
            if event.kind == .followUp, let text = event.data["text"] {
                let shown = Output.line(text)
                let subject = event.data["subject"]
                Say.line(
                    uz: "       \(subject.map { "mavzu: \($0); " } ?? "")matn: \(shown)",
                    ru: "       \(subject.map { "тема: \($0); " } ?? "")текст: \(shown)",
                    en: "       \(subject.map { "subject: \($0); " } ?? "")text: \(shown)")
            }
            if let candidates = event.data["candidates"], !candidates.isEmpty {
                Say.line(
                    uz: "       taklif etilgan bo‘limlar: \(candidates)",
                    ru: "       предложенные отделы: \(candidates)",
                    en: "       candidates: \(candidates)")
            }
        }
        if let routing {
            print("")
            Say.line(
                uz: "yo‘naltirish: \(routing.reasonWording.uz)", ru: "маршрутизация: \(routing.reasonWording.ru)",
                en: "routing: \(routing.reason)")
            for rule in routing.rules {
                let words = rule.words.map { word in
                    // The explanation names the field by its code ("subject", "text"); a reader gets its name.
                    let field =
                        word.field == "subject"
                        ? Wording(uz: "mavzuda", ru: "в теме", en: "in the subject")
                        : Wording(uz: "matnda", ru: "в тексте", en: "in the text")
                    return Say.text(
                        uz: "\"\(word.text)\" (\(word.keyword)) \(field.uz), \(word.offset)-o‘rinda",
                        ru: "\"\(word.text)\" (\(word.keyword)) \(field.ru), позиция \(word.offset)",
                        en: "\"\(word.text)\" (\(word.keyword)) \(field.en) at \(word.offset)")
                }
                let department =
                    rule.department ?? Say.text(uz: "modifikator", ru: "модификатор", en: "modifier")
                print("  \(rule.id) (\(department)): " + words.joined(separator: ", "))
            }
        }
    }
}

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Records that could not be read, with their raw bytes and the reason.",
        subcommands: [QuarantineList.self, QuarantineShow.self, QuarantineRetryCommand.self])
}

struct QuarantineList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List quarantined records.")
    @OptionGroup var locations: Locations
    @Flag(help: "Print JSON.") var json = false

    struct EntryJSON: Encodable {
        var id: Int64
        var channel: String
        var source: String
        var position: String?
        var reason: String
        var sourceKey: String?
        var raw: String
        var at: String
        enum CodingKeys: String, CodingKey {
            case id, channel, source, position, reason, sourceKey = "source_key", raw, at
        }
    }

    func run() async throws {
        let store = try await locations.openStore()
        let entries = try await storeCall { () async throws(StoreError) in
            try await store.quarantined(QuarantineQuery())
        }
        if json {
            print(
                try Output.json(
                    entries.map {
                        EntryJSON(
                            id: $0.id, channel: $0.record.channel.rawValue, source: $0.record.source,
                            position: $0.record.position, reason: $0.record.reason.en, sourceKey: $0.record.sourceKey,
                            raw: $0.record.rawText(), at: Output.time($0.record.at))
                    }))
            return
        }
        if entries.isEmpty {
            Say.line(uz: "karantin bo‘sh", ru: "карантин пуст", en: "quarantine is empty")
            return
        }
        for entry in entries {
            let record = entry.record
            print(
                "#\(entry.id)  \(record.source) \(record.positionWording?[Say.language] ?? "")  "
                    + record.reason[Say.language])
            // The start is enough for one line: a whole quarantined file can be megabytes.
            let raw = Output.line(record.rawText(bytes: 1024), width: 100)
            Say.line(uz: "     xom ma’lumot: \(raw)", ru: "     исходные данные: \(raw)", en: "     raw: \(raw)")
        }
        Say.line(
            uz: "karantinda \(entries.count) ta yozuv", ru: "записей в карантине: \(entries.count)",
            en: "\(entries.count) record(s) in quarantine")
    }
}

struct QuarantineShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one record's raw bytes.")
    @OptionGroup var locations: Locations
    @Argument(help: "The record's number from `quarantine list`.") var id: Int64

    func run() async throws {
        let store = try await locations.openStore()
        guard
            let entry = try await storeCall({ () async throws(StoreError) in try await store.quarantineEntry(id: id) })
        else { throw CLIError(cause: QuarantineRetry.noSuchRecord(id)) }
        Output.standardError(
            "#\(entry.id) \(entry.record.source) \(entry.record.positionWording?[Say.language] ?? ""): "
                + entry.record.reason[Say.language])
        FileHandle.standardOutput.write(Data(entry.record.raw))
    }
}

struct QuarantineRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Read a quarantined record again, after a mapping or the software changed.",
        discussion: """
            An e-mail is parsed and sorted again; with --as-appeal it goes in as an appeal even if it looks like an \
            auto-reply (an operator decided it is one). A whole call-card or Virtual Reception file is imported again \
            with the mappings in Rules/adapters as they are now. A single bad \
            row cannot be read without its file: correct the file and import it again. A record that goes in is \
            marked resolved and kept, with its bytes, for the record.
            """)
    @OptionGroup var locations: Locations
    @Argument(help: "The record's number from `quarantine list`.") var id: Int64
    @Flag(help: "For e-mail: take it as an appeal even if it looks like machine mail.") var asAppeal = false

    func run() async throws {
        let store = try await locations.openStore()
        let now = try CommandClock.now()
        let retry = QuarantineRetry(
            store: store, adapters: locations.rulesDirectory.appendingPathComponent("adapters"))
        let outcome: QuarantineRetry.Outcome
        do {
            outcome = try await retry.retry(id, asAppeal: asAppeal, now: now)
        } catch {
            throw CLIError(cause: error)
        }
        // Here nothing routes on its own (under `serve` the routing worker does): say what to run next.
        let next =
            outcome == .enqueued
            ? Wording(
                uz: "; `murojaat route` ni ishga tushiring", ru: "; запустите `murojaat route`",
                en: "; run `murojaat route`")
            : Wording(verbatim: "")
        print(outcome.wording(record: id)[Say.language] + next[Say.language])
    }
}
