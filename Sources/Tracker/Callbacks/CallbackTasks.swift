public import Foundation
public import MurojaatCore
public import Store

/// Closes callback tasks once the caller got through: a later answered call to a trust line, or a call card
/// from the same number. The task is answered and closed, each step an event saying what closed it.
public struct CallbackTasks: Sendable {
    public let store: any AppealStore
    public var actor: String

    public init(store: any AppealStore, actor: String = "system:tracker") {
        self.store = store
        self.actor = actor
    }

    /// A moment the caller and the call centre spoke.
    public struct Contact: Sendable, Hashable {
        /// E.164.
        public var phone: String
        public var at: Date
        /// For the history: "an answered call to 1282", "call card CC-1042".
        public var what: Wording
        public init(phone: String, at: Date, what: Wording) {
            self.phone = phone
            self.at = at
            self.what = what
        }

        /// An answered call from the number, as the PBX recorded it.
        public static func answeredCall(phone: String, at: Date) -> Contact {
            Contact(
                phone: phone, at: at,
                what: Wording(uz: "javob berilgan qo‘ng‘iroq", ru: "отвеченный звонок", en: "an answered call"))
        }
    }

    /// Closes every open callback task whose number made a contact after the task was received; returns how many.
    public func close(after contacts: [Contact], now: Date) async throws(StoreError) -> Int {
        if contacts.isEmpty { return 0 }
        let tasks = try await store.openCallbacks()
        if tasks.isEmpty { return 0 }
        var byPhone: [String: [Contact]] = [:]
        for contact in contacts { byPhone[contact.phone, default: []].append(contact) }
        var runs: [EventRun] = []
        for task in tasks {
            guard let phone = task.phone,
                let contact = byPhone[phone]?.filter({ $0.at > task.receivedAt }).min(by: { $0.at < $1.at })
            else { continue }
            let moment = Self.format(contact.at)
            let why = Wording { language in
                Wording(
                    uz: "qo‘ng‘iroq qilgan kishi bilan bog‘lanildi", ru: "со звонившим связались",
                    en: "the caller got through")[language]
                    + ": \(contact.what[language]), \(moment)"
            }
            var status = task.status
            var events: [AppealEvent] = []
            for action in Self.steps(from: status) {
                // The steps follow the status table; a refusal here would be a programming error.
                guard let next = try? status.applying(action) else {
                    preconditionFailure("cannot \(action.rawValue) a callback task that is \(status.rawValue)")
                }
                let kind: AppealEvent.Kind =
                    switch action {
                    case .register: .registered
                    case .answer: .answered
                    default: .closed
                    }
                events.append(
                    AppealEvent(
                        at: now, actor: actor, kind: kind, reason: why, data: ["form": "callback"], status: next))
                status = next
            }
            runs.append(EventRun(appealID: task.id, expecting: task.status, events: events))
        }
        // One transaction for all; a task someone acted on meanwhile is left as they left it.
        let stored = try await store.record(runs)
        return Set(stored.filter { $0.event.kind == .closed }.map(\.appealID)).count
    }

    /// From an open status to closed: a triaged task is registered first, then answered, then closed.
    static func steps(from status: Status) -> [StatusAction] {
        switch status {
        case .received, .triage: [.register, .answer, .close]
        default: [.answer, .close]
        }
    }

    /// `24.11.2025 09:10` in Tashkent time; by calendar fields, since a DateFormatter per task showed in profiles.
    static func format(_ moment: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        return String(
            format: "%02d.%02d.%04d %02d:%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WorkingCalendar.tashkent
        return calendar
    }()
}
