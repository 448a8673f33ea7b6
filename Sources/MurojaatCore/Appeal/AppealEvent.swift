public import Foundation

/// One entry of an appeal's append-only history: who did what, when, and why.
public struct AppealEvent: Sendable, Hashable, Codable {
    /// What happened, e.g. `registered`, `assigned`, `answered`. Open-ended so later features add their own.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }

        public static let received: Kind = "received"
        public static let routed: Kind = "routed"
        public static let sentToTriage: Kind = "sent_to_triage"
        public static let registered: Kind = "registered"
        public static let assigned: Kind = "assigned"
        public static let answered: Kind = "answered"
        public static let closed: Kind = "closed"
        public static let deadlineSet: Kind = "deadline_set"
        /// The applicant wrote again about this appeal (a reply quoting its tracking number).
        public static let followUp: Kind = "follow_up"
        /// The same applicant sent substantially the same text again; the data names the new appeal.
        public static let repeatReceived: Kind = "repeat_received"
        /// A step of the escalation ladder fired; the data names the step and who was told.
        public static let escalated: Kind = "escalated"
        /// The deadline moved: an extension, "needs study", a reopening or a recomputation after the calendar or a
        /// policy changed. The data holds the old and the new due date.
        public static let deadlineChanged: Kind = "deadline_changed"
        public static let extended: Kind = "extended"
        public static let needsStudy: Kind = "needs_study"
        public static let forwarded: Kind = "forwarded"
        public static let leftWithoutConsideration: Kind = "left_without_consideration"
        /// An interim answer: the appeal stays under control (art. 27), the clock runs on.
        public static let interimAnswer: Kind = "interim_answer"
        public static let reopened: Kind = "reopened"
        /// This appeal was a copy of another (a duplicate, art. 3) and was joined to it; the data names that one.
        public static let joinedAsDuplicate: Kind = "joined_as_duplicate"
        /// A copy of this appeal was joined to it; the data names the copy.
        public static let duplicateJoined: Kind = "duplicate_joined"
        /// An operator linked two appeals of the same matter (a repeated appeal, art. 3); each names the other.
        public static let linked: Kind = "linked"
        public static let workStarted: Kind = "work_started"
        public static let taskCreated: Kind = "task_created"
        public static let taskDone: Kind = "task_done"
    }

    public var at: Date
    /// Who acted: a user login, or `system:router`, `system:ingest` for the software itself.
    public var actor: String
    public var kind: Kind
    public var why: String?
    /// The facts of the event (department, due date, ...), flat so every store keeps them the same way.
    public var data: [String: String]
    /// The status after the event, when it changed the status.
    public var status: Status?

    public init(
        at: Date, actor: String, kind: Kind, why: String? = nil, data: [String: String] = [:], status: Status? = nil
    ) {
        self.at = at
        self.actor = actor
        self.kind = kind
        self.why = why
        self.data = data
        self.status = status
    }
}
