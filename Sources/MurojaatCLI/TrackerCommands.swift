import ArgumentParser
import Foundation
import MurojaatCore
import Rules
import Store
import Tracker

/// Who acts: `--by`, else `$MUROJAAT_USER`, else the login name.
struct Acting: ParsableArguments {
    @Option(help: "Who acts (a login; default $MUROJAAT_USER or $USER). Recorded in the appeal's history.")
    var by: String?

    var actor: String {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            guard let name = by ?? environment["MUROJAAT_USER"] ?? environment["USER"], !name.isEmpty else {
                throw CLIError(
                    uz: "Kim bajarayotganini ko‘rsating: --by LOGIN (yoki MUROJAAT_USER ni o‘rnating)",
                    ru: "Укажите, кто действует: --by LOGIN (или задайте MUROJAAT_USER)",
                    en: "say who acts: --by LOGIN (or set MUROJAAT_USER)")
            }
            return name
        }
    }
}

/// The tracker's parts for a command: the rules, the store and the actions over them.
struct TrackerContext {
    let book: RuleBook
    let tracker: TrackerRules
    let store: any AppealStore
    let actions: AppealActions

    init(_ locations: Locations) async throws {
        book = try locations.loadRules()
        tracker = try locations.loadTrackerRules(book)
        store = try await locations.openStore()
        actions = AppealActions(store: store, book: book, tracker: tracker)
    }

    var clock: DeadlineClock { actions.clock }

    /// Runs one action on the appeal `tracking` names, by the acting person, now, and prints the result.
    static func perform(
        _ locations: Locations, _ acting: Acting, _ tracking: String,
        _ action: (AppealActions, Int64, String, Date) async throws(ActionError) -> Appeal
    ) async throws {
        let context = try await TrackerContext(locations)
        let id = try appealID(tracking)
        let actor = try acting.actor
        let now = try CommandClock.now()
        try await context.act { () async throws(ActionError) in try await action(context.actions, id, actor, now) }
    }

    /// Runs an action and prints the appeal's new state in one line. In English the status is its code, as the
    /// line has always been; in Uzbek and Russian it is the word a person reads.
    func act(_ body: () async throws(ActionError) -> Appeal) async throws {
        let appeal: Appeal
        do { appeal = try await body() } catch {
            throw CLIError(Wording(uz: "Rad etildi", ru: "Отказано", en: "refused"), cause: error)
        }
        let head = appeal.tracking.value
        let department = appeal.department.map { ", \($0)" } ?? ""
        let due = appeal.due?.dotted
        Say.line(
            uz: "\(head): \(appeal.status.wording.uz)\(department)" + (due.map { ", muddat \($0)" } ?? ""),
            ru: "\(head): \(appeal.status.wording.ru)\(department)" + (due.map { ", срок \($0)" } ?? ""),
            en: "\(head): \(appeal.status.rawValue)\(department)" + (due.map { " due \($0)" } ?? ""))
    }
}

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Assign (or reassign) an appeal: the main executor, then co-executors.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "The main executing department's code.") var department: String
    @Option(name: .customLong("co"), help: "Co-executing departments, comma-separated.") var coExecutors: String?
    @Option(help: "Why.") var why: String?

    func run() async throws {
        let co = coExecutors?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.assign(id, main: department, coExecutors: co, by: actor, why: why, now: now)
        }
    }
}

struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Mark that the executor has started work on an appeal.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.startWork(id, by: actor, now: now)
        }
    }
}

struct NeedsStudyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "needs-study",
        abstract: "Extra study, a check or documents are needed: the deadline becomes one month (ZRU-445, art. 28).",
        discussion: "For a proposal the month stays, and the proposer is told within 10 days (by e-mail, or a task).")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "What must be studied, checked or requested.") var why: String

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.markNeedsStudy(id, by: actor, why: why, now: now)
        }
    }
}

struct ExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Extend the deadline once, by at most one month, on a head's decision (ZRU-445, art. 28).")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "The new due date (YYYY-MM-DD); default the longest the law allows.") var until: String?
    @Option(help: "Why the extension is needed.") var reason: String
    @Option(name: .customLong("approved-by"), help: "The approving head's id from org.yaml.") var approvedBy: String

    func run() async throws {
        let day = try until.map { text throws -> LocalDate in
            guard let day = LocalDate(text) else {
                throw CLIError(
                    uz: "--until \(text) sana emas (YYYY-MM-DD)", ru: "--until \(text) — не дата (YYYY-MM-DD)",
                    en: "--until \(text) is not a date (YYYY-MM-DD)")
            }
            return day
        }
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.extend(id, until: day, reason: reason, approvedBy: approvedBy, by: actor, now: now)
        }
    }
}

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Send an appeal outside the Agency's competence to the competent body (within 5 days).")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(name: .customLong("to"), help: "The competent state body.") var body: String
    @Option(help: "Why that body is competent.") var reason: String

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.forward(id, to: body, reason: reason, by: actor, now: now)
        }
    }
}

struct LeaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave",
        abstract: "Leave an appeal without consideration (ZRU-445, art. 29) on a conclusion a head approved.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "anonymous, false-data or no-authority (a representative without proof of authority).")
    var ground: String
    @Option(help: "The written conclusion.") var conclusion: String
    @Option(name: .customLong("approved-by"), help: "The approving head's id from org.yaml.") var approvedBy: String

    func run() async throws {
        guard let ground = AppealActions.Ground(rawValue: ground) else {
            throw CLIError(
                uz: "--ground qiymati anonymous, false-data yoki no-authority bo‘ladi",
                ru: "--ground — одно из: anonymous, false-data, no-authority",
                en: "--ground is one of anonymous, false-data, no-authority")
        }
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.leaveWithoutConsideration(
                id, ground: ground, conclusion: conclusion, approvedBy: approvedBy, by: actor, now: now)
        }
    }
}

struct AnswerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Answer an appeal; the applicant gets the answer by e-mail when an address is known.",
        discussion:
            "An --interim answer keeps the appeal under control (ZRU-445, art. 27); a final one stops the clock.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "The answer's text.") var text: String?
    @Option(name: .customLong("text-file"), help: "Read the answer's text from a file (UTF-8).") var textFile: String?
    @Option(name: .customLong("attach"), help: "A file to attach (repeatable).") var attachments: [String] = []
    @Flag(help: "An interim answer: the appeal stays open.") var interim = false
    @Flag(help: "Close the appeal with the answer.") var close = false

    func run() async throws {
        var body = text ?? ""
        if let textFile {
            do { body = try String(contentsOfFile: textFile, encoding: .utf8) } catch {
                let cause = fileProblem(error)
                throw CLIError(
                    uz: "\(textFile) faylini o‘qib bo‘lmadi: \(cause.uz)",
                    ru: "Не удалось прочитать \(textFile): \(cause.ru)",
                    en: "cannot read \(textFile): \(cause.en)")
            }
        }
        var documents: [Document] = []
        for path in attachments {
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                let cause = fileProblem(error)
                throw CLIError(
                    uz: "\(path) ilovasini o‘qib bo‘lmadi: \(cause.uz)",
                    ru: "Не удалось прочитать вложение \(path): \(cause.ru)",
                    en: "cannot read the attachment \(path): \(cause.en)")
            }
            let name = URL(fileURLWithPath: path).lastPathComponent
            documents.append(
                Document(
                    role: .answer, name: name, contentType: Self.contentType(name), size: bytes.count,
                    sha256: EventChain.digest(bytes), content: bytes))
        }
        let close = self.close
        let interim = self.interim
        let attached = documents
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.answer(
                id, text: body, attachments: attached, interim: interim, close: close, by: actor, now: now)
        }
    }

    static func contentType(_ name: String) -> String {
        switch URL(fileURLWithPath: name).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "doc": "application/msword"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}

struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close an answered appeal.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.close(id, by: actor, now: now)
        }
    }
}

struct ReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Consider an answered appeal again: a complaint about the answer was found justified.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "Why the complaint is justified.") var reason: String

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.reopen(id, reason: reason, by: actor, now: now)
        }
    }
}

struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a duplicate (a copy of an appeal already received) to that appeal; the copy is closed.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number of the copy.") var tracking: String
    @Option(help: "Tracking number of the appeal it copies.") var into: String
    @Option(help: "Why.") var why: String?

    func run() async throws {
        let main = try appealID(into)
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.joinDuplicate(id, into: main, why: why, by: actor, now: now)
        }
    }
}

struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Link two appeals of the same matter (a repeated appeal); both stay open.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "Tracking number of the related appeal.") var with: String
    @Option(help: "Why.") var why: String?

    func run() async throws {
        let other = try appealID(with)
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.link(id, with: other, why: why, by: actor, now: now)
        }
    }
}

struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Add or remove tags (minor, confidential, ...).")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Option(help: "Tags to add, comma-separated.") var add: String?
    @Option(help: "Tags to remove, comma-separated.") var remove: String?
    @Option(help: "Why.") var why: String?

    func run() async throws {
        func list(_ text: String?) -> [String] {
            text?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        }
        let (added, removed) = (list(add), list(remove))
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.tag(id, add: added, remove: removed, by: actor, why: why, now: now)
        }
    }
}

struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Open tasks with deadlines of their own (notify a proposer within 10 days).",
        subcommands: [TaskList.self, TaskDone.self], defaultSubcommand: TaskList.self)
}

struct TaskList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List open tasks, soonest first.")
    @OptionGroup var locations: Locations

    func run() async throws {
        let store = try await locations.openStore()
        let tasks = try await storeCall { () async throws(StoreError) in try await store.openTasks(dueThrough: nil) }
        if tasks.isEmpty { Say.line(uz: "Ochiq topshiriqlar yo‘q", ru: "Открытых задач нет", en: "no open tasks") }
        for task in tasks {
            let head = "#\(task.id)  \(TrackingNumber(sequence: task.appealID).value)"
            let tail = "\(task.due.dotted)  \(task.kind)" + (task.note.map { ": \($0)" } ?? "")
            Say.line(uz: "\(head)  muddat \(tail)", ru: "\(head)  срок \(tail)", en: "\(head)  due \(tail)")
        }
    }
}

struct TaskDone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a task done.")
    @OptionGroup var locations: Locations
    @OptionGroup var acting: Acting
    @Argument(help: "Tracking number.") var tracking: String
    @Argument(help: "The task's number (#N in `tasks list`).") var task: Int64
    @Option(help: "What was done.") var note: String?

    func run() async throws {
        try await TrackerContext.perform(locations, acting, tracking) {
            (actions, id, actor, now) async throws(ActionError) -> Appeal in
            try await actions.completeTask(id, task: task, note: note, by: actor, now: now)
        }
    }
}

struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Check the appeals whose day has come: fire due escalation steps and write their notices.",
        discussion: "`serve` sweeps every minute; this runs one sweep (MUROJAAT_NOW sets the time, for rehearsals).")
    @OptionGroup var locations: Locations

    func run() async throws {
        let context = try await TrackerContext(locations)
        let sweeper = Sweeper(
            store: context.store, clock: context.clock, notices: context.actions.notices)
        let now = try CommandClock.now()
        let summary = try await storeCall { () async throws(StoreError) in try await sweeper.sweep(now: now) }
        let busy = summary.conflicts
        Say.line(
            uz: "\(summary.checked) ta murojaat tekshirildi: \(summary.escalations) ta eskalatsiya bosqichi ishga "
                + "tushdi, \(summary.notices) ta xabarnoma yozildi" + (busy > 0 ? ", \(busy) tasi band" : ""),
            ru: "Проверено обращений — \(summary.checked): сработало ступеней эскалации — \(summary.escalations), "
                + "записано уведомлений — \(summary.notices)" + (busy > 0 ? ", занято — \(busy)" : ""),
            en: "checked \(summary.checked) appeals: \(summary.escalations) escalation steps fired, "
                + "\(summary.notices) notices written" + (busy > 0 ? ", \(busy) busy" : ""))
    }
}

struct RecomputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute",
        abstract: "After a change of the calendar or a deadline policy, recompute the deadlines of open appeals.",
        discussion: """
            Each appeal whose deadline moves gets a deadline_changed event. Due dates set by a source (binding) or by \\
            an extension are decisions and stay. `serve` does this by itself when it starts with changed rules.
            """)
    @OptionGroup var locations: Locations
    @Option(help: "What changed, for the events.") var why = "the calendar or a deadline policy changed"

    func run() async throws {
        let context = try await TrackerContext(locations)
        let recompute = DeadlineRecompute(store: context.store, deadlines: context.book.deadlines, clock: context.clock)
        let now = try CommandClock.now()
        let summary = try await storeCall { () async throws(StoreError) in
            try await recompute.run(now: now, why: Wording(verbatim: why))
        }
        try await storeCall { () async throws(StoreError) in
            try await context.store.saveCheckpoint(
                DeadlineRules.checkpoint, value: DeadlineRules.fingerprint(locations.rulesDirectory), at: now)
        }
        let (unknown, busy) = (summary.unknownPolicy.count, summary.conflicts)
        Say.line(
            uz: "\(summary.checked) ta ochiq murojaat tekshirildi: \(summary.moved) ta muddat o‘zgardi"
                + (unknown == 0 ? "" : ", \(unknown) tasining muddat qoidasi noma’lum")
                + (busy > 0 ? ", \(busy) tasi band (qayta ishga tushiring)" : ""),
            ru: "Проверено открытых обращений — \(summary.checked): сдвинуто сроков — \(summary.moved)"
                + (unknown == 0 ? "" : ", с неизвестным правилом срока — \(unknown)")
                + (busy > 0 ? ", занято — \(busy) (запустите снова)" : ""),
            en: "checked \(summary.checked) open appeals: \(summary.moved) deadlines moved"
                + (unknown == 0 ? "" : ", \(unknown) with an unknown policy")
                + (busy > 0 ? ", \(busy) busy (run again)" : ""))
    }
}

/// The deadline rules' fingerprint, kept as a checkpoint, so `serve` sees that the calendar or a policy changed
/// since deadlines were last computed.
enum DeadlineRules {
    static let checkpoint = "deadline-rules"

    /// SHA-256 over deadlines.yaml and every calendar file, by name.
    static func fingerprint(_ rules: URL) -> String {
        var bytes: [UInt8] = []
        let calendar = rules.appendingPathComponent("calendar")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: calendar.path)) ?? []).sorted()
        for url in [rules.appendingPathComponent("deadlines.yaml")] + names.map(calendar.appendingPathComponent) {
            bytes += Array(url.lastPathComponent.utf8) + [0]
            bytes += (try? Array(Data(contentsOf: url))) ?? []
            bytes += [0]
        }
        return EventChain.digest(bytes)
    }
}
