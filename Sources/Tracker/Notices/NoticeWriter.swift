public import Foundation
public import MurojaatCore
public import Rules
public import Store

/// Turns the notice templates of `Rules/notices/` into e-mails for the outbox: who gets them (from `org.yaml`),
/// in which language, with the appeal's facts filled in.
public struct NoticeWriter: Sendable {
    public let rules: TrackerRules
    public let org: OrgChart
    public let zone: TimeZone

    public init(rules: TrackerRules, org: OrgChart, zone: TimeZone = WorkingCalendar.tashkent) {
        self.rules = rules
        self.org = org
        self.zone = zone
    }

    /// The applicant's language for notices: Russian for an appeal written in Russian, Uzbek otherwise.
    public static func applicantLanguage(_ appeal: Appeal) -> String { appeal.language == "ru" ? "ru" : "uz" }

    /// The facts every notice may use.
    public func values(_ appeal: Appeal, language: String) -> [String: String] {
        let received = LocalDate(appeal.receivedAt, in: zone)
        let excerpt = appeal.text.count > 400 ? String(appeal.text.prefix(400)) + "…" : appeal.text
        return [
            "tracking": appeal.tracking.value,
            "applicant": appeal.applicant.name ?? (language == "ru" ? "заявитель" : "murojaatchi"),
            "department": appeal.department.flatMap { org.department($0)?.name(language) }
                ?? (language == "ru" ? "на сортировке" : "saralashda"),
            "due": appeal.due?.dotted ?? "—",
            "received": received.dotted,
            "kind": appeal.kind.rawValue,
            "channel": appeal.channel.rawValue,
            "subject": appeal.subject ?? "—",
            "excerpt": excerpt,
        ]
    }

    /// A notice to the applicant, or nil when no e-mail address is known (the department then writes a letter).
    public func toApplicant(
        _ name: String, _ appeal: Appeal, extra: [String: String] = [:], attachments: [Notice.Attachment] = [],
        at: Date
    ) -> Notice? {
        guard let email = appeal.applicant.email, !email.isEmpty else { return nil }
        let language = Self.applicantLanguage(appeal)
        let text = rules.notice(name).render(language, values(appeal, language: language).merging(extra) { $1 })
        return Notice(
            kind: name, appealID: appeal.id, to: [email], subject: text.subject, text: text.body,
            attachments: attachments, createdAt: at)
    }

    /// The e-mail addresses of an audience for an appeal. An appeal without a department (in triage) has nobody
    /// to remind there, so the department's audiences fall to the control department.
    public func addresses(_ audiences: [Audience], for appeal: Appeal) -> [String] {
        addresses(audiences, department: appeal.department, coExecutors: appeal.coExecutors)
    }

    /// The addresses of an audience for a department (nil: none, as for the daily report, so the control
    /// department stands in).
    public func addresses(_ audiences: [Audience], department code: String?, coExecutors: [String] = []) -> [String] {
        let control = org.department(rules.ladder.controlDepartment)
        let department = code.flatMap { org.department($0) }
        var result: [String?] = []
        for audience in audiences {
            switch audience {
            case .department:
                if let department {
                    result += [department.email] + coExecutors.map { org.department($0)?.email }
                } else {
                    result.append(control?.email)
                }
            case .head: result.append((department ?? control)?.head?.email)
            case .control: result.append(control?.email)
            case .supervisor: result.append(org.deputy((department ?? control)?.supervisor ?? "")?.email)
            case .deputies: result += org.deputies.map(\.email)
            case .director: result.append(org.director.email)
            }
        }
        var seen: Set<String> = []
        return result.compactMap { $0 }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The notice of a ladder step, to everyone the step names, or to `notify` when the sweep widens the step to
    /// the audiences of the steps it passed over.
    public func escalation(
        _ step: EscalationStep, _ appeal: Appeal, state: SLAState, at: Date, notify: [Audience]? = nil
    ) -> Notice? {
        let audiences = notify ?? step.notify
        let to = addresses(audiences, for: appeal)
        guard !to.isEmpty else { return nil }
        let language = rules.ladder.staffLanguage
        let department = appeal.department.flatMap { org.department($0) }
        let extra = [
            "step": step.id, "step_summary": step.summary[Language(rawValue: language) ?? .uz],
            "sla": Self.describe(state, language: language),
            "recipient": Self.greeting(audiences, language: language),
            "supervisor": org.deputy(department?.supervisor ?? "")?.name ?? "—",
        ]
        let text = rules.notice("escalation").render(language, values(appeal, language: language).merging(extra) { $1 })
        return Notice(
            kind: "escalation", appealID: appeal.id, to: to, subject: text.subject, text: text.body, createdAt: at)
    }

    /// The alert that an urgent appeal has come to its department (`urgent_notify` of escalation.yaml), or nil when
    /// it has none or nobody is to hear. Its dedup key names the department, so the alert goes once per department
    /// however often the appeal is saved, and again when it moves to another.
    public func urgent(_ appeal: Appeal, at: Date) -> Notice? {
        guard appeal.urgent, let department = appeal.department else { return nil }
        let audiences = rules.ladder.urgentNotify
        let to = addresses(audiences, for: appeal)
        guard !to.isEmpty else { return nil }
        let language = rules.ladder.staffLanguage
        let extra = [
            "recipient": Self.greeting(audiences, language: language),
            "tags": appeal.tags.isEmpty ? "—" : appeal.tags.joined(separator: ", "),
        ]
        let text = rules.notice("urgent").render(language, values(appeal, language: language).merging(extra) { $1 })
        return Notice(
            kind: "urgent", appealID: appeal.id, to: to, subject: text.subject, text: text.body,
            dedupKey: "urgent:\(appeal.id):\(department)", createdAt: at)
    }

    /// Whom a notice greets ("Ijrochi bo‘lim, bo‘lim boshlig‘i, e'tibor bering."), in the words the control page
    /// and the daily report name the audiences by.
    static func greeting(_ audiences: [Audience], language: String) -> String {
        let names = audiences.map { $0.name[Language(rawValue: language) ?? .uz] }.joined(separator: ", ")
        return names.isEmpty ? "—" : names.prefix(1).uppercased() + names.dropFirst()
    }

    /// The SLA state in words, for subjects and lists.
    public static func describe(_ state: SLAState, language: String) -> String {
        switch (state, language) {
        case (.onTrack, "ru"): "в срок"
        case (.onTrack, _): "muddatida"
        case (.dueSoon(let days), "ru"): "осталось \(days) раб. дн."
        case (.dueSoon(let days), _): "\(days) ish kuni qoldi"
        case (.dueToday, "ru"): "срок сегодня"
        case (.dueToday, _): "muddat bugun"
        case (.overdue(let days), "ru"): "просрочено на \(days) раб. дн."
        case (.overdue(let days), _): "\(days) ish kuni kechikdi"
        }
    }
}
