/// The life cycle of an appeal. Transitions are explicit: ``Status/applying(_:)`` refuses what the law or the
/// state forbids, so every caller (CLI, router, web UI) goes through the same table.
public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
    case received
    case triage
    case registered
    case assigned
    case inProgress = "in_progress"
    case answered
    case closed
    case forwarded
    case leftWithoutConsideration = "left_without_consideration"

    /// Whether the legal clock is still running for an appeal in this state.
    public var isOpen: Bool {
        switch self {
        case .received, .triage, .registered, .assigned, .inProgress: true
        case .answered, .closed, .forwarded, .leftWithoutConsideration: false
        }
    }

    /// The state after `action`, or an error naming the refused transition.
    public func applying(_ action: StatusAction) throws(TransitionError) -> Status {
        guard let next = Status.table[self]?[action] else {
            throw TransitionError(from: self, action: action)
        }
        return next
    }

    /// The actions allowed from this state, for menus and help texts.
    public var allowedActions: [StatusAction] {
        StatusAction.allCases.filter { Status.table[self]?[$0] != nil }
    }

    private static let table: [Status: [StatusAction: Status]] = [
        // A duplicate (a copy of an appeal already received) is joined to the first and closed (art. 3), from any
        // open state; reopening undoes a mistaken join.
        .received: [.sendToTriage: .triage, .register: .registered, .joinDuplicate: .closed],
        .triage: [
            .register: .registered, .forward: .forwarded, .leaveWithoutConsideration: .leftWithoutConsideration,
            .joinDuplicate: .closed,
        ],
        .registered: [
            .assign: .assigned, .answer: .answered, .forward: .forwarded,
            .leaveWithoutConsideration: .leftWithoutConsideration, .sendToTriage: .triage, .joinDuplicate: .closed,
        ],
        .assigned: [
            .assign: .assigned, .startWork: .inProgress, .answer: .answered, .forward: .forwarded,
            .leaveWithoutConsideration: .leftWithoutConsideration, .sendToTriage: .triage, .joinDuplicate: .closed,
        ],
        .inProgress: [
            .assign: .assigned, .answer: .answered, .forward: .forwarded,
            .leaveWithoutConsideration: .leftWithoutConsideration, .joinDuplicate: .closed,
        ],
        .answered: [.close: .closed, .reopen: .inProgress],
        .closed: [.reopen: .inProgress],
        .forwarded: [:],
        .leftWithoutConsideration: [:],
    ]
}

/// Something done to an appeal that may change its status.
public enum StatusAction: String, Sendable, Hashable, Codable, CaseIterable {
    case sendToTriage = "send_to_triage"
    case register
    case assign
    case startWork = "start_work"
    case answer
    case close
    case forward
    case leaveWithoutConsideration = "leave_without_consideration"
    case reopen
    case joinDuplicate = "join_duplicate"
}

/// A transition the life cycle does not allow.
public struct TransitionError: WordedError, Sendable, Hashable, CustomStringConvertible {
    public let from: Status
    public let action: StatusAction

    public init(from: Status, action: StatusAction) {
        self.from = from
        self.action = action
    }

    public var wording: Wording {
        let allowed = from.allowedActions
        let list = Wording { language in allowed.map { $0.wording[language] }.joined(separator: ", ") }
        return Wording(
            uz: "«\(from.wording.uz)» holatidagi murojaatni \(action.wording.uz) mumkin emas"
                + (allowed.isEmpty ? " (boshqa amal qolmagan)" : " (mumkin: \(list.uz))"),
            ru: "Нельзя \(action.wording.ru) обращение в статусе «\(from.wording.ru)»"
                + (allowed.isEmpty ? " (дальнейшие действия невозможны)" : " (можно: \(list.ru))"),
            en: "cannot \(action.rawValue) an appeal that is \(from.rawValue)"
                + (allowed.isEmpty
                    ? " (no further action is possible)"
                    : " (allowed: \(allowed.map(\.rawValue).joined(separator: ", ")))"))
    }

    public var description: String { wording.en }
}
