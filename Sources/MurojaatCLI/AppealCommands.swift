import ArgumentParser
import Foundation
import Ingest
import MurojaatCore
import Rules
import Store

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
    }

    enum CodingKeys: String, CodingKey {
        case tracking, channel, sourceKey = "source_key", department, coExecutors = "co_executors", kind, status
        case urgent, policy, receivedAt = "received_at", registeredAt = "registered_at", due, forwardTo = "forward_to"
        case tags, language, applicant, region, country, subject, text
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
        query.department = department
        if let status {
            guard let parsed = Status(rawValue: status.replacingOccurrences(of: "-", with: "_")) else {
                throw CLIError(
                    "unknown status \"\(status)\" (known: "
                        + Status.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            query.status = parsed
        }
        if let channel {
            guard let parsed = Channel(name: channel) else { throw CLIError("unknown channel \"\(channel)\"") }
            query.channel = parsed
        }
        if let dueBefore {
            guard let parsed = LocalDate(dueBefore) else {
                throw CLIError("--due-before must be a date like 2025-12-31, not \"\(dueBefore)\"")
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
            print("no appeals match")
            return
        }
        print(
            Output.pad("TRACKING", 11) + Output.pad("DUE", 12) + Output.pad("DEPARTMENT", 13) + Output.pad("STATUS", 12)
                + Output.pad("KIND", 9) + Output.pad("CHANNEL", 18) + "TEXT")
        for appeal in appeals {
            let mark = appeal.urgent ? "!" : " "
            print(
                Output.pad(appeal.tracking.value, 10) + mark + Output.pad(appeal.due?.dotted ?? "-", 12)
                    + Output.pad(appeal.department ?? (appeal.forwardTo != nil ? "→ forward" : "-"), 13)
                    + Output.pad(appeal.status.rawValue, 12) + Output.pad(appeal.kind.rawValue, 9)
                    + Output.pad(appeal.channel.rawValue, 18) + Output.line(appeal.text, width: 60))
        }
        print("\(appeals.count) appeal(s); ! marks urgent")
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
            throw CLIError("\(error)")
        }
        let store = try await locations.openStore()
        guard
            let appeal = try await storeCall({ () async throws(StoreError) in try await store.appeal(tracking: number) }
            )
        else { throw CLIError("no appeal has the tracking number \(number.value)") }
        let history = try await storeCall { () async throws(StoreError) in try await store.history(of: appeal.id) }
        let assignments = try await storeCall { () async throws(StoreError) in
            try await store.assignments(of: appeal.id)
        }
        let documents = try await storeCall { () async throws(StoreError) in
            try await store.documents(channel: appeal.channel, sourceKey: appeal.sourceKey)
        }
        let broken = EventChain.firstBrokenLink(in: history)
        let routing = try? JSONDecoder().decode(RoutingExplanation.self, from: Data(appeal.routing.utf8))
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
        print(
            "\(appeal.tracking.value)  \(appeal.kind.rawValue)  \(appeal.status.rawValue)"
                + (appeal.urgent ? "  URGENT" : ""))
        print("channel:     \(appeal.channel.rawValue) (\(appeal.sourceKey))")
        print("received:    \(Output.shortTime(appeal.receivedAt))")
        print(
            "department:  \(appeal.department ?? "-")"
                + (appeal.coExecutors.isEmpty ? "" : " with \(appeal.coExecutors.joined(separator: ", "))"))
        if let forwardTo = appeal.forwardTo { print("forward to:  \(forwardTo)") }
        print("due:         \(appeal.due?.dotted ?? "-") (\(appeal.policy))")
        let who = [
            appeal.applicant.name, appeal.applicant.phone, appeal.applicant.email, appeal.region, appeal.country,
        ]
        .compactMap { $0 }.filter { !$0.isEmpty }
        print("applicant:   \(who.isEmpty ? "-" : who.joined(separator: ", "))")
        if let subject = appeal.subject, !subject.isEmpty { print("subject:     \(subject)") }
        print("text:        \(appeal.text)")
        if !documents.isEmpty {
            print("documents:")
            for document in documents {
                let name = document.role == .original ? "original message" : document.name ?? "(no name)"
                var line = "  \(name)  \(document.contentType), \(Output.size(document.size))"
                if let note = document.note { line += "  (\(note))" }
                print(line)
            }
        }
        print("")
        print("history" + (broken == nil ? " (hash chain intact)" : " (HASH CHAIN BROKEN at event \(broken!))") + ":")
        for stored in history {
            let event = stored.event
            var line = "  \(stored.sequence). \(Output.shortTime(event.at))  \(event.kind.rawValue)"
            if let status = event.status { line += " → \(status.rawValue)" }
            line += "  by \(event.actor)"
            print(line)
            if let why = event.why, !why.isEmpty { print("       why: \(why)") }
            if let deadline = event.data["deadline"] { print("       deadline: \(deadline)") }
            if let department = event.data["department"] { print("       department: \(department)") }
            if let earlier = event.data["repeat_of"] { print("       repeat of: \(earlier)") }
            if event.kind == .repeatReceived, let later = event.data["tracking"] { print("       repeat: \(later)") }
            if event.kind == .followUp, let text = event.data["text"] {
                print("       \(event.data["subject"].map { "subject: \($0); " } ?? "")text: \(Output.line(text))")
            }
            if let candidates = event.data["candidates"], !candidates.isEmpty {
                print("       candidates: \(candidates)")
            }
        }
        if let routing {
            print("")
            print("routing: \(routing.reason)")
            for rule in routing.rules {
                let words = rule.words.map { "\"\($0.text)\" (\($0.keyword)) at \($0.field) \($0.offset)" }
                print("  \(rule.id) (\(rule.department ?? "modifier")): " + words.joined(separator: ", "))
            }
        }
    }
}

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Records that could not be read, with their raw bytes and the reason.",
        subcommands: [QuarantineList.self, QuarantineShow.self, QuarantineRetry.self])
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
                            position: $0.record.position, reason: $0.record.reason, sourceKey: $0.record.sourceKey,
                            raw: String(decoding: $0.record.raw, as: UTF8.self), at: Output.time($0.record.at))
                    }))
            return
        }
        if entries.isEmpty {
            print("quarantine is empty")
            return
        }
        for entry in entries {
            let record = entry.record
            print("#\(entry.id)  \(record.source) \(record.position ?? "")  \(record.reason)")
            print("     raw: \(Output.line(String(decoding: record.raw, as: UTF8.self), width: 100))")
        }
        print("\(entries.count) record(s) in quarantine")
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
        else { throw CLIError("no quarantined record #\(id)") }
        Output.standardError(
            "#\(entry.id) \(entry.record.source) \(entry.record.position ?? ""): \(entry.record.reason)")
        FileHandle.standardOutput.write(Data(entry.record.raw))
    }
}

struct QuarantineRetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Read a quarantined record again, after a mapping or the software changed.",
        discussion: """
            An e-mail is parsed and sorted again; with --as-appeal it goes in as an appeal even if it looks like an \
            auto-reply (an operator decided it is one). A whole call-card file is imported again. A single bad \
            row cannot be read without its file: correct the file and import it again. A record that goes in is \
            marked resolved and kept, with its bytes, for the record.
            """)
    @OptionGroup var locations: Locations
    @Argument(help: "The record's number from `quarantine list`.") var id: Int64
    @Flag(help: "For e-mail: take it as an appeal even if it looks like machine mail.") var asAppeal = false

    func run() async throws {
        let store = try await locations.openStore()
        guard
            let entry = try await storeCall({ () async throws(StoreError) in try await store.quarantineEntry(id: id) })
        else { throw CLIError("no quarantined record #\(id)") }
        if entry.resolved { throw CLIError("record #\(id) was resolved already") }
        let record = entry.record
        switch record.channel {
        case .email, .eXat:
            let importer = EmailImport(store: store, reader: EmailReader(channel: record.channel))
            let mail = RawMail(bytes: record.raw, position: record.position ?? record.source, arrived: record.at)
            let report: EmailImport.Report
            do {
                report = try await importer.importMessages(
                    [mail], source: record.source, now: Date(), asAppeal: asAppeal)
            } catch {
                throw CLIError("\(error)")
            }
            guard report.added + report.alreadyKnown == 1 else {
                throw CLIError("#\(id) is still not an appeal: \(report.notes.first ?? "unknown reason")")
            }
            print(report.added == 1 ? "#\(id) went into the inbox; run `murojaat route`" : "#\(id) was in already")
        case .call where record.position == "whole file":
            let mappingURL = locations.rulesDirectory.appendingPathComponent("adapters/call-cards.yaml")
            let importer = CallCardImport(store: store, mapping: try CallCardMapping.load(from: mappingURL))
            do {
                let report = try await importer.importBytes(record.raw, sourceName: record.source, now: Date())
                print("#\(id): \(report.rows) rows, \(report.added) new, \(report.quarantined) quarantined")
            } catch {
                throw CLIError("#\(id) still cannot be read: \(error)")
            }
        default:
            throw CLIError(
                "#\(id) is one row of \(record.source): correct the file and import it again (rows already in are "
                    + "skipped)")
        }
        try await storeCall { () async throws(StoreError) in try await store.resolveQuarantine(id: id) }
    }
}
