public import Foundation
public import MurojaatCore
import Yams

/// Who hears from a step of the escalation ladder, resolved against `org.yaml`.
public enum Audience: String, Sendable, Hashable, CaseIterable, Codable {
    /// The executing department (its e-mail), and the co-executors.
    case department
    /// The executing department's head.
    case head
    /// The control department (`control_department` in escalation.yaml).
    case control
    /// The deputy director who supervises the executing department.
    case supervisor
    /// Every deputy director.
    case deputies
    case director
}

extension Audience {
    /// Who this is, in words: the control page and the daily report name a fired step by whom it told, not by the
    /// id an administrator gave it in escalation.yaml, and the notices greet their recipients so.
    public var name: Wording {
        switch self {
        case .department: Wording(uz: "ijrochi bo‘lim", ru: "исполняющий отдел", en: "executing department")
        case .head: Wording(uz: "bo‘lim boshlig‘i", ru: "начальник отдела", en: "head of department")
        case .control: Wording(uz: "nazorat boshqarmasi", ru: "управление контроля", en: "control department")
        case .supervisor:
            Wording(
                uz: "mas’ul direktor o‘rinbosari", ru: "курирующий заместитель директора",
                en: "supervising deputy director")
        case .deputies: Wording(uz: "direktor o‘rinbosarlari", ru: "заместители директора", en: "deputy directors")
        case .director: Wording(uz: "direktor", ru: "директор", en: "director")
        }
    }
}

/// One step of the ladder: when it falls due, measured in working days against the due date, and who is told.
public struct EscalationStep: Sendable, Hashable {
    public var id: String
    /// Working days relative to the due date: -3 is three working days before, 0 the due day, 5 five working
    /// days overdue.
    public var offset: Int
    public var notify: [Audience]
    /// What the step means, for the appeal's history and the notice's subject.
    public var summary: Wording

    /// Whom the step tells, in words: "direktor", "ijrochi bo‘lim, bo‘lim boshlig‘i".
    public var told: Wording { Wording { language in notify.map { $0.name[language] }.joined(separator: ", ") } }
}

/// The escalation ladder and the tracker's settings from `Rules/escalation.yaml`.
public struct EscalationLadder: Sendable, Hashable {
    /// Steps in the order they fall due.
    public var steps: [EscalationStep]
    /// How many working days before the due date an appeal counts as due soon.
    public var dueSoonDays: Int
    /// The department that watches every deadline.
    public var controlDepartment: String
    /// When the daily report goes out, in the calendar's time zone (minutes after midnight), on working days.
    public var reportMinute: Int
    public var reportTo: [Audience]
    /// The language of notices to staff (applicants get their appeal's language).
    public var staffLanguage: String
    /// Who hears at once when an urgent appeal gets its department (`urgent_notify`; the notice `urgent`), rather
    /// than only when the ladder's first step falls due; nobody when the key is absent.
    public var urgentNotify: [Audience] = []

    public func step(_ id: String) -> EscalationStep? { steps.first { $0.id == id } }

    /// ``EscalationStep/told`` of every step, by step id: what a report names a fired step by.
    public var toldByStep: [String: Wording] {
        Dictionary(steps.map { ($0.id, $0.told) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A notice text in the languages it exists in, with `{{placeholders}}`.
public struct NoticeTemplate: Sendable, Hashable {
    public struct Text: Sendable, Hashable {
        public var subject: String
        public var body: String
        public init(subject: String, body: String) {
            self.subject = subject
            self.body = body
        }
    }
    public var name: String
    /// By language: `uz` always, `ru` and `en` where written.
    public var texts: [String: Text]

    public init(name: String, texts: [String: Text]) {
        self.name = name
        self.texts = texts
    }

    /// The text in `language` (falling back to Uzbek) with every `{{name}}` replaced; an unknown name stays
    /// visible rather than vanishing, though `rules lint` refuses such a template.
    public func render(_ language: String, _ values: [String: String]) -> Text {
        let text = texts[language] ?? texts["uz"] ?? Text(subject: name, body: "")
        return Text(subject: Self.fill(text.subject, values), body: Self.fill(text.body, values))
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let key = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[key] ?? "{{\(key)}}"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    static func placeholders(_ text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }
}

/// What the tracker reads from `Rules/`: the ladder (`escalation.yaml`) and the notice texts (`notices/*.yaml`).
///
/// ```swift
/// let tracker = try TrackerRules.load(directory: rulesURL, org: book.org)
/// tracker.ladder.steps.map(\.id)   // ["department", "head", "control", "deputy", "director"]
/// ```
public struct TrackerRules: Sendable, Hashable {
    public var ladder: EscalationLadder
    public var notices: [String: NoticeTemplate]

    /// The notices the tracker sends, and the placeholders each may use.
    public static let noticeVariables: [String: Set<String>] = {
        let appeal: Set<String> = [
            "tracking", "applicant", "department", "due", "received", "kind", "channel", "subject", "excerpt",
        ]
        return [
            "acknowledgement": appeal,
            "urgent": appeal.union(["recipient", "tags"]),
            "escalation": appeal.union(["step", "step_summary", "sla", "recipient", "supervisor"]),
            "extension": appeal.union(["old_due", "reason", "approved_by"]),
            "needs-study": appeal.union(["old_due"]),
            "proposal-study": appeal.union(["notice_due"]),
            "forwarded": appeal.union(["body", "reason"]),
            "left-without-consideration": appeal.union(["ground", "conclusion", "approved_by"]),
            "answer": appeal.union(["answer", "answered_by"]),
            "reopened": appeal.union(["reason", "old_due"]),
            "duplicate": appeal.union(["main", "main_answered"]),
            "daily-report": ["date", "period", "open", "overdue", "due_today", "due_soon"],
        ]
    }()

    public func notice(_ name: String) -> NoticeTemplate {
        notices[name] ?? NoticeTemplate(name: name, texts: ["uz": .init(subject: name, body: "")])
    }

    /// Reads `escalation.yaml` and `notices/` under `directory`; every problem is reported with its file and line.
    public static func load(directory: URL, org: OrgChart) throws(RulesErrors) -> TrackerRules {
        var problems: [RulesError] = []
        let base = directory.lastPathComponent
        func read(_ relative: String) -> YAMLFile? {
            do {
                return try YAMLFile(
                    url: directory.appendingPathComponent(relative), displayPath: "\(base)/\(relative)")
            } catch {
                problems.append(error)
                return nil
            }
        }
        var ladder: EscalationLadder?
        if let file = read("escalation.yaml") {
            do { ladder = try loadLadder(file, org: org) } catch { problems.append(error) }
        }
        var notices: [String: NoticeTemplate] = [:]
        let folder = directory.appendingPathComponent("notices")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        for name in names {
            guard let file = read("notices/\(name)") else { continue }
            do {
                let template = try loadTemplate(file, name: String(name.dropLast(5)))
                notices[template.name] = template
            } catch {
                problems.append(error)
            }
        }
        // A file that is there but wrong was reported above; only absent ones are missing.
        let present = Set(names.map { String($0.dropLast(5)) })
        for (name, _) in noticeVariables.sorted(by: { $0.key < $1.key }) where !present.contains(name) {
            problems.append(
                RulesError(
                    code: .reference, file: "\(base)/notices/\(name).yaml",
                    problem: Wording(
                        uz: "\"\(name)\" xabarnomasi yo‘q: nazorat tizimi uni yuboradi",
                        ru: "нет уведомления \"\(name)\": система контроля его отправляет",
                        en: "the notice \"\(name)\" is missing: the tracker sends it")))
        }
        guard let ladder, problems.isEmpty else { throw RulesErrors(problems) }
        return TrackerRules(ladder: ladder, notices: notices)
    }

    static func loadLadder(_ file: YAMLFile, org: OrgChart) throws(RulesError) -> EscalationLadder {
        let root = try file.mapping(file.root, .key("escalation.yaml"))
        try file.checkKeys(
            root,
            allowed: [
                "due_soon_working_days", "control_department", "daily_report", "staff_language", "urgent_notify",
                "steps",
            ],
            in: .key("escalation.yaml"))
        let dueSoon = try root["due_soon_working_days"].map { node throws(RulesError) in
            try file.int(node, .key("due_soon_working_days"))
        }
        let control = try file.string(root["control_department"], .key("control_department"))
        guard org.department(control) != nil else {
            throw file.error(
                Wording(
                    uz: "control_department \"\(control)\" org.yaml dagi bo‘lim emas",
                    ru: "control_department \"\(control)\" не является отделом из org.yaml",
                    en: "control_department \"\(control)\" is not a department of org.yaml"),
                at: root["control_department"], code: .reference)
        }
        func audiences(_ node: Node?, _ what: Wording) throws(RulesError) -> [Audience] {
            var result: [Audience] = []
            for name in try file.strings(node, what) {
                guard let audience = Audience(rawValue: name) else {
                    let known = Audience.allCases.map(\.rawValue).joined(separator: ", ")
                    throw file.error(
                        Wording(
                            uz: "noma’lum qabul qiluvchi \"\(name)\" (bor: \(known))",
                            ru: "неизвестный получатель \"\(name)\" (есть: \(known))",
                            en: "unknown audience \"\(name)\" (known: \(known))"), at: node)
                }
                result.append(audience)
            }
            guard !result.isEmpty else {
                throw file.error(
                    Wording(
                        uz: "\(what.uz): hech kim ko‘rsatilmagan", ru: "\(what.ru): никто не указан",
                        en: "\(what.en) names nobody"), at: node)
            }
            return result
        }
        var minute = 9 * 60
        var reportTo: [Audience] = [.control, .deputies]
        if let node = root["daily_report"] {
            let map = try file.mapping(node, .key("daily_report"))
            try file.checkKeys(map, allowed: ["time", "to"], in: .key("daily_report"))
            if let time = map["time"] {
                let text = try file.string(time, .key("daily_report time"))
                let parts = text.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                    throw file.error(
                        Wording(
                            uz: "daily_report time HH:MM ko‘rinishida bo‘lishi kerak, masalan 09:00",
                            ru: "daily_report time: ожидается время ЧЧ:ММ, например 09:00",
                            en: "daily_report time must be HH:MM, as 09:00"), at: time)
                }
                minute = parts[0] * 60 + parts[1]
            }
            if let to = map["to"] { reportTo = try audiences(to, .key("daily_report to")) }
        }
        var steps: [EscalationStep] = []
        let step = Wording(uz: "bosqich", ru: "шаг", en: "step")
        for node in try file.sequence(root["steps"], .key("steps")) {
            let map = try file.mapping(node, step)
            try file.checkKeys(
                map, allowed: ["id", "before_due", "on_due_day", "overdue", "notify", "summary"], in: step)
            let id = try file.string(map["id"], Wording(uz: "bosqich id si", ru: "id шага", en: "step id"))
            guard !steps.contains(where: { $0.id == id }) else {
                throw file.error(
                    Wording(
                        uz: "\"\(id)\" bosqichi ikki marta yozilgan", ru: "шаг \"\(id)\" описан дважды",
                        en: "step \"\(id)\" is defined twice"), at: map["id"], code: .duplicate)
            }
            var offsets: [Int] = []
            if let days = map["before_due"] { offsets.append(-(try file.int(days, .key("before_due")))) }
            if let flag = map["on_due_day"], try file.bool(flag, .key("on_due_day")) { offsets.append(0) }
            if let days = map["overdue"] { offsets.append(try file.int(days, .key("overdue"))) }
            guard offsets.count == 1, let offset = offsets.first else {
                throw file.error(
                    Wording(
                        uz: "\(id) bosqichida before_due, on_due_day: true, overdue dan faqat bittasi bo‘lishi kerak",
                        ru: "в шаге \(id) нужен ровно один из ключей before_due, on_due_day: true, overdue",
                        en: "step \(id) needs exactly one of before_due, on_due_day: true, overdue"), at: node)
            }
            if let last = steps.last, last.offset >= offset {
                throw file.error(
                    Wording(
                        uz:
                            "\(id) bosqichi \(last.id) bosqichidan keyin kelishi kerak: "
                            + "bosqichlarni tartib bilan yozing",
                        ru: "шаг \(id) должен наступать после шага \(last.id): перечислите шаги по порядку",
                        en: "step \(id) must fall due after step \(last.id): list the steps in order"), at: node)
            }
            steps.append(
                EscalationStep(
                    id: id, offset: offset,
                    notify: try audiences(
                        map["notify"],
                        Wording(uz: "\(id) bosqichining notify", ru: "notify шага \(id)", en: "step \(id) notify")),
                    summary: try map["summary"].map { node throws(RulesError) in
                        try file.wording(
                            node,
                            Wording(
                                uz: "\(id) bosqichining summary", ru: "summary шага \(id)", en: "step \(id) summary"))
                    } ?? Wording(verbatim: id)))
        }
        let language = root["staff_language"]?.string ?? "uz"
        let urgent = try root["urgent_notify"].map { node throws(RulesError) in
            try audiences(node, .key("urgent_notify"))
        }
        return EscalationLadder(
            steps: steps, dueSoonDays: dueSoon ?? 3, controlDepartment: control, reportMinute: minute,
            reportTo: reportTo, staffLanguage: language, urgentNotify: urgent ?? [])
    }

    static func loadTemplate(_ file: YAMLFile, name: String) throws(RulesError) -> NoticeTemplate {
        let notice = Wording(uz: "\(name) xabarnomasi", ru: "уведомление \(name)", en: "notice \(name)")
        let root = try file.mapping(file.root, notice)
        try file.checkKeys(root, allowed: ["uz", "ru", "en"], in: notice)
        let allowed = noticeVariables[name]
        var texts: [String: NoticeTemplate.Text] = [:]
        for (key, value) in root {
            let language = key.string ?? ""
            let version = Wording(
                uz: "\(name) xabarnomasi (\(language))", ru: "уведомление \(name) (\(language))",
                en: "notice \(name) \(language)")
            let map = try file.mapping(value, version)
            try file.checkKeys(map, allowed: ["subject", "text"], in: version)
            let text = NoticeTemplate.Text(
                subject: try file.string(map["subject"], .key("subject")),
                body: try file.string(map["text"], .key("text")))
            if let allowed {
                for placeholder in NoticeTemplate.placeholders(text.subject + text.body)
                where !allowed.contains(placeholder) {
                    let known = allowed.sorted().joined(separator: ", ")
                    throw file.error(
                        Wording(
                            uz: "noma’lum o‘zgaruvchi {{\(placeholder)}} (bu xabarnomada bor: \(known))",
                            ru: "неизвестная переменная {{\(placeholder)}} (в этом уведомлении есть: \(known))",
                            en: "unknown placeholder {{\(placeholder)}} (this notice knows: \(known))"),
                        at: value, code: .reference)
                }
            }
            texts[language] = text
        }
        guard texts["uz"] != nil else {
            throw file.error(
                Wording(
                    uz: "\(name) xabarnomasiga o‘zbekcha (uz) matn kerak",
                    ru: "для уведомления \(name) нужен текст на узбекском (uz)",
                    en: "notice \(name) needs an Uzbek (uz) text"), at: file.root)
        }
        return NoticeTemplate(name: name, texts: texts)
    }
}
