public import Foundation
public import MurojaatCore

/// A change to one appeal that the tracker decided: its events, the cached fields they change, the assignments,
/// the notices and tasks they cause. A store applies it whole in one transaction, so a notice exists
/// exactly when its event does.
public struct AppealChange: Sendable {
    public var appealID: Int64
    /// The appeal's event count when the change was decided; a store refuses the change when it has moved on
    /// (someone else acted meanwhile), so two decisions never interleave.
    public var expectedSequence: Int
    public var events: [AppealEvent]
    public var updates: [AppealField]
    /// Replaces the active assignments (main executor first), keeping the old ones as inactive history.
    public var assignments: [NewAssignment]?
    public var notices: [Notice]
    public var tasks: [NewTask]
    /// Tasks this change completes (ids).
    public var completedTasks: [Int64]
    /// Files to keep with the appeal (an answer's attachments), after the documents it has.
    public var documents: [Document]

    public init(
        appealID: Int64, expectedSequence: Int, events: [AppealEvent], updates: [AppealField] = [],
        assignments: [NewAssignment]? = nil, notices: [Notice] = [], tasks: [NewTask] = [],
        completedTasks: [Int64] = [], documents: [Document] = []
    ) {
        self.appealID = appealID
        self.expectedSequence = expectedSequence
        self.events = events
        self.updates = updates
        self.assignments = assignments
        self.notices = notices
        self.tasks = tasks
        self.completedTasks = completedTasks
        self.documents = documents
    }
}

/// A cached field of an appeal that a change sets. The status is not here: it follows the events.
public enum AppealField: Sendable, Hashable {
    case department(String?)
    case coExecutors([String])
    case kind(Kind)
    case policy(String)
    case due(LocalDate?)
    /// The moment the term runs from; nil once a person or the source fixed the due date.
    case deadlineFrom(Date?)
    case nextCheck(LocalDate?)
    case escalations([String])
    case extensions(Int)
    case answeredAt(Date?)
    case closedAt(Date?)
    case forwardTo(String?)
    case tags([String])
}

public struct NewAssignment: Sendable, Hashable {
    public var department: String
    public var role: Assignment.Role
    public init(department: String, role: Assignment.Role) {
        self.department = department
        self.role = role
    }
}

/// An e-mail to send, written to the outbox in the transaction of the event that causes it.
public struct Notice: Sendable, Hashable {
    public struct Attachment: Sendable, Hashable {
        public var name: String
        public var contentType: String
        public var content: [UInt8]
        public init(name: String, contentType: String, content: [UInt8]) {
            self.name = name
            self.contentType = contentType
            self.content = content
        }
    }

    /// What it is, for listings and metrics: `acknowledgement`, `escalation`, `extension_notice`, `daily_report`.
    public var kind: String
    public var appealID: Int64?
    public var to: [String]
    public var cc: [String]
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// At most one notice with this key is ever written (the daily report of a date): a second instance or
    /// a rerun adds nothing.
    public var dedupKey: String?
    public var createdAt: Date

    public init(
        kind: String, appealID: Int64?, to: [String], cc: [String] = [], subject: String, text: String,
        html: String? = nil, attachments: [Attachment] = [], dedupKey: String? = nil, createdAt: Date
    ) {
        self.kind = kind
        self.appealID = appealID
        self.to = to
        self.cc = cc
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.dedupKey = dedupKey
        self.createdAt = createdAt
    }
}

/// An outbox row.
public struct OutboxItem: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending, sent
        /// Refused for good (a permanent SMTP error) or retried too often: a person must look.
        case failed
    }
    public var id: Int64
    public var notice: Notice
    public var state: State
    public var attempts: Int
    public var sentAt: Date?
    public var lastError: String?
    public init(
        id: Int64, notice: Notice, state: State, attempts: Int, sentAt: Date?, lastError: String?
    ) {
        self.id = id
        self.notice = notice
        self.state = state
        self.attempts = attempts
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

/// A task with a deadline of its own inside an appeal (art. 28: tell the proposer within 10 days that the
/// proposal needs further study).
public struct NewTask: Sendable, Hashable {
    public var kind: String
    public var due: LocalDate
    public var note: String?
    public init(kind: String, due: LocalDate, note: String? = nil) {
        self.kind = kind
        self.due = due
        self.note = note
    }
}

public struct AppealTask: Sendable, Hashable {
    public var id: Int64
    public var appealID: Int64
    public var kind: String
    public var due: LocalDate
    public var note: String?
    public var createdAt: Date
    public var doneAt: Date?
    public init(
        id: Int64, appealID: Int64, kind: String, due: LocalDate, note: String?, createdAt: Date, doneAt: Date?
    ) {
        self.id = id
        self.appealID = appealID
        self.kind = kind
        self.due = due
        self.note = note
        self.createdAt = createdAt
        self.doneAt = doneAt
    }
}

/// What ``AppealStore/apply(_:)`` did.
public struct ApplyResult: Sendable, Hashable {
    /// The changes applied, by appeal id, with the events stored.
    public var stored: [StoredEvent]
    /// Appeals whose change was refused because they had moved on since it was decided.
    public var conflicts: [Int64]
    public init(stored: [StoredEvent] = [], conflicts: [Int64] = []) {
        self.stored = stored
        self.conflicts = conflicts
    }
}

/// Which figures the daily report asks for: the state at one moment, counted by department.
public struct FiguresQuery: Sendable, Hashable {
    /// The moment the open appeals are counted at (the start of the report's day).
    public var at: Date
    /// The day of ``at``: due on it is "due today", before it "overdue".
    public var day: LocalDate
    /// The last due date that counts as "due soon".
    public var dueSoonThrough: LocalDate
    /// Answers given in [answeredFrom, answeredUntil) are counted, and those after their due date as late.
    public var answeredFrom: Date
    public var answeredUntil: Date
    /// The offset of the calendar's time zone, to tell on which day an answer was given (Tashkent: +5 h, no DST).
    public var zoneOffsetSeconds: Int

    public init(
        at: Date, day: LocalDate, dueSoonThrough: LocalDate, answeredFrom: Date, answeredUntil: Date,
        zoneOffsetSeconds: Int
    ) {
        self.at = at
        self.day = day
        self.dueSoonThrough = dueSoonThrough
        self.answeredFrom = answeredFrom
        self.answeredUntil = answeredUntil
        self.zoneOffsetSeconds = zoneOffsetSeconds
    }
}

/// Where open appeals stand against their deadlines at one moment, and what was answered in a period: the
/// daily report's figures for one department, or for all.
public struct ControlFigures: Sendable, Hashable, Codable {
    /// Open appeals (the legal clock running).
    public var open = 0
    /// Due within the "due soon" window, not today.
    public var dueSoon = 0
    public var dueToday = 0
    public var overdue = 0
    /// Open appeals whose deadline was extended.
    public var extended = 0
    /// Answered in the period.
    public var answered = 0
    /// Of those, answered after their due date.
    public var answeredLate = 0

    public init(
        open: Int = 0, dueSoon: Int = 0, dueToday: Int = 0, overdue: Int = 0, extended: Int = 0, answered: Int = 0,
        answeredLate: Int = 0
    ) {
        self.open = open
        self.dueSoon = dueSoon
        self.dueToday = dueToday
        self.overdue = overdue
        self.extended = extended
        self.answered = answered
        self.answeredLate = answeredLate
    }
}

/// A department's figures (nil department: appeals in triage).
public struct DepartmentFigures: Sendable, Hashable {
    public var department: String?
    public var figures: ControlFigures
    public init(department: String?, figures: ControlFigures) {
        self.department = department
        self.figures = figures
    }
}

/// The daily report of one date as it was when it was sent, kept so that the report of a past day reads what its
/// recipients read that morning: the store keeps each appeal's current deadline, department and escalations, so a
/// report built later from it can differ. `body` is the report as JSON, opaque to the store.
public struct KeptReport: Sendable, Hashable {
    public var date: LocalDate
    public var keptAt: Date
    public var body: [UInt8]

    public init(date: LocalDate, keptAt: Date, body: [UInt8]) {
        self.date = date
        self.keptAt = keptAt
        self.body = body
    }
}
