public import Foundation
import MurojaatCore
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
        public var what: String
        public init(phone: String, at: Date, what: String) {
            self.phone = phone
            self.at = at
            self.what = what
        }
    }

    /// Closes every open callback task whose number made a contact after the task was received; returns how many.
    public func close(after contacts: [Contact], now: Date) async throws(StoreError) -> Int {
        if contacts.isEmpty { return 0 }
        let tasks = try await store.openCallbacks()
        if tasks.isEmpty { return 0 }
        var byPhone: [String: [Contact]] = [:]
        for contact in contacts { byPhone[contact.phone, default: []].append(contact) }
        var closed = 0
        for task in tasks {
            guard let phone = task.applicant.phone,
                let contact = byPhone[phone]?.filter({ $0.at > task.receivedAt }).min(by: { $0.at < $1.at })
            else { continue }
            let why = "the caller got through: \(contact.what), \(Self.format(contact.at))"
            var status = task.status
            do {
                for action in Self.steps(from: status) {
                    let next = try status.applying(action)
                    let kind: AppealEvent.Kind =
                        switch action {
                        case .register: .registered
                        case .answer: .answered
                        default: .closed
                        }
                    _ = try await store.record(
                        AppealEvent(
                            at: now, actor: actor, kind: kind, why: why, data: ["form": "callback"], status: next),
                        on: task.id, expecting: status)
                    status = next
                }
                closed += 1
            } catch let error as StoreError where error.code == .conflict {
                // Someone acted on the task meanwhile; their action stands.
                continue
            } catch let error as StoreError {
                throw error
            } catch {
                preconditionFailure("the callback steps broke the status table: \(error)")
            }
        }
        return closed
    }

    /// From an open status to closed: a triaged task is registered first, then answered, then closed.
    static func steps(from status: Status) -> [StatusAction] {
        switch status {
        case .received, .triage: [.register, .answer, .close]
        default: [.answer, .close]
        }
    }

    static func format(_ moment: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = WorkingCalendar.tashkent
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd.MM.yyyy HH:mm"
        return formatter.string(from: moment)
    }
}
