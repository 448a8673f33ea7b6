public import Foundation
public import MurojaatCore

/// Where appeals live. The embedded default is SQLite; PostgreSQL implements the same protocol for scale-out, so
/// nothing here assumes one process, one writer, or SQLite's types.
///
/// Every batch call is one transaction: it happens completely or not at all, so a crash loses and duplicates
/// nothing.
public protocol AppealStore: Sendable {
    /// Puts drafts into the inbox queue. A draft whose (channel, source key) is already known is skipped, so
    /// importing the same source twice creates nothing new.
    func enqueue(_ drafts: [AppealDraft], at now: Date) async throws(StoreError) -> EnqueueSummary

    /// Keeps records that could not be read, with their raw bytes and the reason. The same bytes from the same
    /// source are kept once.
    func quarantine(_ records: [QuarantineRecord]) async throws(StoreError) -> Int

    /// Takes up to `limit` pending inbox items for routing, leased until `now + lease`; an item whose worker died
    /// is given out again when its lease ends. Several workers (and processes) never get the same item at once.
    func claimInbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [InboxItem]

    /// Registers routed appeals and records their first events, and marks their inbox items done, in one
    /// transaction. Returns the appeals with their ids and tracking numbers.
    func register(_ registrations: [Registration]) async throws(StoreError) -> [Appeal]

    /// Appends an event to an appeal, checking the status transition it makes; the cached state is updated with it.
    func record(
        _ event: AppealEvent, on appealID: Int64, expecting status: Status?
    ) async throws(StoreError)
        -> StoredEvent

    /// Appends several runs of events in one transaction. A run is applied in order to its appeal; a run whose
    /// appeal is no longer in the expected status is skipped whole (someone acted meanwhile) and the others go
    /// on. Returns the events stored.
    func record(_ runs: [EventRun]) async throws(StoreError) -> [StoredEvent]

    func appeal(id: Int64) async throws(StoreError) -> Appeal?
    func appeal(tracking: TrackingNumber) async throws(StoreError) -> Appeal?
    func appeals(_ query: AppealQuery) async throws(StoreError) -> [Appeal]
    func history(of appealID: Int64) async throws(StoreError) -> [StoredEvent]
    func assignments(of appealID: Int64) async throws(StoreError) -> [Assignment]

    /// Appeals found by words of their name, subject and text (in any script or apostrophe spelling), by the
    /// applicant's phone number or e-mail address, newest first.
    func search(_ query: AppealSearch) async throws(StoreError) -> [Appeal]

    /// The escalation events recorded in `[from, until)`, newest first: the control department's "today".
    func escalations(from: Date, until: Date, limit: Int) async throws(StoreError) -> [StoredEvent]

    /// Which of these source keys the inbox has seen on this channel (pending or long registered).
    func knownSourceKeys(channel: Channel, among keys: [String]) async throws(StoreError) -> Set<String>

    /// The latest few appeals (at most `perApplicant` for each number or address) received at or after `since`
    /// from any of these phone numbers or e-mail addresses: the candidates for repeats.
    func recentAppeals(
        phones: [String], emails: [String], since: Date, perApplicant: Int
    ) async throws(StoreError) -> [RecentAppeal]

    /// Every open callback task (an appeal under the `callback` policy, still open). They are few: each is closed
    /// within a working day or escalated.
    func openCallbacks() async throws(StoreError) -> [CallbackTask]

    /// Records follow-ups (replies that quote a tracking number) as events on their appeals and marks their inbox
    /// items done, in one transaction, so a crash records each follow-up once.
    func recordFollowUps(_ followUps: [FollowUp]) async throws(StoreError) -> [StoredEvent]

    /// The documents of a record (the original message, attachments) in the order received, without content.
    func documents(channel: Channel, sourceKey: String) async throws(StoreError) -> [Document]
    /// The bytes of a stored document; nil when no document with this SHA-256 is stored.
    func documentContent(sha256: String) async throws(StoreError) -> [UInt8]?

    /// How far a source has been read (an IMAP mailbox's UIDVALIDITY and last UID). A source saves it only after
    /// what it covers is committed, so a crash in between means reading again, which the inbox makes harmless.
    func checkpoint(_ name: String) async throws(StoreError) -> String?
    func saveCheckpoint(_ name: String, value: String, at now: Date) async throws(StoreError)

    func quarantined(_ query: QuarantineQuery) async throws(StoreError) -> [QuarantineEntry]
    func quarantineEntry(id: Int64) async throws(StoreError) -> QuarantineEntry?
    /// Marks a quarantined record as dealt with (it went in on a retry); it stays, with its bytes, for the record.
    func resolveQuarantine(id: Int64) async throws(StoreError)

    func counts() async throws(StoreError) -> StoreCounts

    /// A number that changes with every committed change, by this process or another. A page built at one stamp is
    /// still right while the stamp stays the same; it is compared for equality only.
    func changeStamp() async throws(StoreError) -> Int64

    // MARK: tracker

    /// Applies tracker changes, each whole in one transaction with the others. A change whose appeal has moved on
    /// since it was decided (its event count differs) is skipped and reported; the others go on.
    func apply(_ changes: [AppealChange]) async throws(StoreError) -> ApplyResult

    /// Open appeals whose next check has come (on or before `day`), earliest check first.
    func appealsToCheck(on day: LocalDate, limit: Int) async throws(StoreError) -> [Appeal]

    /// What a deadline recomputation needs of the open appeals, in id order after `id`: a page at a time.
    func deadlineBases(after id: Int64, limit: Int) async throws(StoreError) -> [DeadlineBasis]

    /// The daily report's counts by department, as they stood at `query.at`.
    func departmentFigures(_ query: FiguresQuery) async throws(StoreError) -> [DepartmentFigures]
    /// Appeals open at `at` whose due date is before `dueBefore`, oldest deadline first.
    func overdueAppeals(at: Date, dueBefore: LocalDate, limit: Int) async throws(StoreError) -> [Appeal]
    /// Appeals received in [from, until), by channel.
    func intake(from: Date, until: Date) async throws(StoreError) -> [Channel: Int]

    /// Keeps the daily report of `report.date` unless one is kept for that date already; returns the one kept
    /// (the first, when two instances race).
    func keepReport(_ report: KeptReport) async throws(StoreError) -> KeptReport
    func keptReport(for date: LocalDate) async throws(StoreError) -> KeptReport?
    /// Writes notices that no event causes (the daily report). One whose dedup key exists is skipped.
    /// Returns how many were added.
    func enqueueNotices(_ notices: [Notice]) async throws(StoreError) -> Int
    /// Takes up to `limit` notices due for sending, leased until `now + lease`, oldest first.
    func claimOutbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [OutboxItem]
    func markSent(_ id: Int64, at: Date) async throws(StoreError)
    /// Records a failed attempt: tried again at `retryAt`, or failed for good when it is nil.
    func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws(StoreError)
    func outbox(state: OutboxItem.State?, limit: Int) async throws(StoreError) -> [OutboxItem]

    func tasks(of appealID: Int64) async throws(StoreError) -> [AppealTask]
    /// Open tasks due on or before `dueThrough` (all open tasks when nil), soonest first.
    func openTasks(dueThrough: LocalDate?) async throws(StoreError) -> [AppealTask]
}

/// An open appeal's deadline inputs, for recomputing it after the calendar or a policy changed.
public struct DeadlineBasis: Sendable, Hashable {
    public var id: Int64
    public var kind: Kind
    public var policy: String
    /// The moment the term runs from; nil when the due date was set by the source or by a head's decision.
    public var deadlineFrom: Date?
    public var due: LocalDate?
    public var sequence: Int
    public var escalations: [String]
    public init(
        id: Int64, kind: Kind, policy: String, deadlineFrom: Date?, due: LocalDate?, sequence: Int,
        escalations: [String]
    ) {
        self.id = id
        self.kind = kind
        self.policy = policy
        self.deadlineFrom = deadlineFrom
        self.due = due
        self.sequence = sequence
        self.escalations = escalations
    }
}

/// What an ``AppealStore/enqueue(_:at:)`` call did.
public struct EnqueueSummary: Sendable, Hashable {
    public var added: Int
    /// Drafts skipped because their source key was already known.
    public var duplicates: Int
    public init(added: Int = 0, duplicates: Int = 0) {
        self.added = added
        self.duplicates = duplicates
    }
}

/// A draft waiting in the inbox queue.
public struct InboxItem: Sendable, Hashable {
    public var id: Int64
    public var draft: AppealDraft
    /// How many times the item was claimed (above 1: an earlier worker died or failed with it).
    public var attempts: Int
    public init(id: Int64, draft: AppealDraft, attempts: Int) {
        self.id = id
        self.draft = draft
        self.attempts = attempts
    }
}

/// A routed inbox item, ready to become an appeal.
public struct Registration: Sendable {
    public var inboxID: Int64
    public var draft: AppealDraft
    public var kind: Kind
    public var status: Status
    public var department: String?
    public var coExecutors: [String]
    public var urgent: Bool
    public var policy: String
    public var due: LocalDate?
    public var registeredAt: Date
    public var language: String
    public var tags: [String]
    public var forwardTo: String?
    /// The routing decision as JSON, kept for `show` and the UI.
    public var routing: String
    /// The first events, in order; the last status among them must equal ``status``.
    public var events: [AppealEvent]
    /// Who executes, when routed: the main department first.
    public var assignedBy: String
    /// The earlier appeal this one repeats (same applicant, substantially the same text): it gets a
    /// `repeat_received` event naming the new appeal, in the same transaction.
    public var repeatOf: Int64?
    /// The tracker's state from the start: the first check day, the moment the term runs from (nil when the source
    /// set a binding due date), and for a call answered on the spot its answer.
    public var control: Appeal.Control
    /// The notices the registration causes (the acknowledgement to the applicant), written in its transaction.
    /// A function of the registered appeal, because its tracking number is only known once the store numbers it.
    public var notices: (@Sendable (Appeal) -> [Notice])?
    /// The appeal's words for search, `SearchSpelling.words` of its name, subject and text. The routing worker makes
    /// them while it routes, so the store's one writer does not have to; a store makes them itself when nil.
    public var searchWords: String?

    public init(
        inboxID: Int64, draft: AppealDraft, kind: Kind, status: Status, department: String?, coExecutors: [String],
        urgent: Bool, policy: String, due: LocalDate?, registeredAt: Date, language: String, tags: [String],
        forwardTo: String?, routing: String, events: [AppealEvent], assignedBy: String, repeatOf: Int64? = nil,
        control: Appeal.Control = Appeal.Control(), notices: (@Sendable (Appeal) -> [Notice])? = nil,
        searchWords: String? = nil
    ) {
        self.inboxID = inboxID
        self.draft = draft
        self.kind = kind
        self.status = status
        self.department = department
        self.coExecutors = coExecutors
        self.urgent = urgent
        self.policy = policy
        self.due = due
        self.registeredAt = registeredAt
        self.language = language
        self.tags = tags
        self.forwardTo = forwardTo
        self.routing = routing
        self.events = events
        self.assignedBy = assignedBy
        self.repeatOf = repeatOf
        self.control = control
        self.notices = notices
        self.searchWords = searchWords
    }

    /// ``searchWords``, or the words made now when the registration has none.
    public func words(_ normalizer: inout TextNormalizer) -> String {
        searchWords
            ?? SearchSpelling.words(&normalizer, name: draft.applicant.name, subject: draft.subject, text: draft.text)
    }

    /// The event the earlier appeal (``repeatOf``) gets, naming this one by `tracking`: the same in every store.
    public func repeatReceived(as tracking: TrackingNumber) -> AppealEvent {
        AppealEvent(
            at: registeredAt, actor: assignedBy, kind: .repeatReceived,
            reason: Wording(
                uz: "murojaatchi mazmunan xuddi shu matnni yana yubordi",
                ru: "заявитель снова прислал по существу тот же текст",
                en: "the applicant sent substantially the same text again"),
            data: ["tracking": tracking.value, "channel": draft.channel.rawValue, "source_key": draft.sourceKey])
    }
}

/// An open callback task, as much as closing it needs.
public struct CallbackTask: Sendable, Hashable {
    public var id: Int64
    public var status: Status
    public var phone: String?
    public var receivedAt: Date
    public var due: LocalDate?
    public init(id: Int64, status: Status, phone: String?, receivedAt: Date, due: LocalDate?) {
        self.id = id
        self.status = status
        self.phone = phone
        self.receivedAt = receivedAt
        self.due = due
    }
}

/// An earlier appeal, as much as a repeat check needs.
public struct RecentAppeal: Sendable, Hashable {
    public var id: Int64
    public var receivedAt: Date
    public var text: String
    public var phone: String?
    public var email: String?
    public init(id: Int64, receivedAt: Date, text: String, phone: String?, email: String?) {
        self.id = id
        self.receivedAt = receivedAt
        self.text = text
        self.phone = phone
        self.email = email
    }
}

/// Events for one appeal, applied in order when the appeal is still in the status the caller saw.
public struct EventRun: Sendable {
    public var appealID: Int64
    /// nil: whatever the status (for events that change nothing, such as a link to a repeat).
    public var expecting: Status?
    public var events: [AppealEvent]
    public init(appealID: Int64, expecting: Status?, events: [AppealEvent]) {
        self.appealID = appealID
        self.expecting = expecting
        self.events = events
    }
}

/// A record that adds to an existing appeal: its event, and the inbox item it came from.
public struct FollowUp: Sendable {
    public var inboxID: Int64
    public var appealID: Int64
    public var event: AppealEvent
    public init(inboxID: Int64, appealID: Int64, event: AppealEvent) {
        self.inboxID = inboxID
        self.appealID = appealID
        self.event = event
    }
}

/// An event as stored: numbered within its appeal and chained by hash to the one before.
public struct StoredEvent: Sendable, Hashable {
    public var appealID: Int64
    /// 1, 2, 3... within the appeal.
    public var sequence: Int
    public var event: AppealEvent
    /// SHA-256 over the previous event's hash and this event's content, hex.
    public var hash: String
    public var previousHash: String

    public init(appealID: Int64, sequence: Int, event: AppealEvent, hash: String, previousHash: String) {
        self.appealID = appealID
        self.sequence = sequence
        self.event = event
        self.hash = hash
        self.previousHash = previousHash
    }
}

/// A department's part in an appeal (art. 24: the main executor leads, co-executors contribute).
public struct Assignment: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable { case main, co }
    public var department: String
    public var role: Role
    public var assignedAt: Date
    public var assignedBy: String
    public var active: Bool
    public init(department: String, role: Role, assignedAt: Date, assignedBy: String, active: Bool) {
        self.department = department
        self.role = role
        self.assignedAt = assignedAt
        self.assignedBy = assignedBy
        self.active = active
    }
}

/// Which appeals to list.
public struct AppealQuery: Sendable, Hashable {
    public var department: String?
    public var status: Status?
    public var channel: Channel?
    /// Due strictly before this day.
    public var dueBefore: LocalDate?
    public var urgent: Bool?
    /// Only appeals still under consideration (a department's queue); `status` narrows further.
    public var openOnly: Bool
    /// Urgent appeals before the others, each by deadline: the triage and department queues, where an appeal about a
    /// detention or a death must not wait behind routine ones that fall due sooner. Served by indexes for a `status`
    /// query and for a department's open queue.
    public var urgentFirst: Bool
    public var limit: Int
    public var offset: Int

    public init(
        department: String? = nil, status: Status? = nil, channel: Channel? = nil,
        dueBefore: LocalDate? = nil, urgent: Bool? = nil, openOnly: Bool = false, urgentFirst: Bool = false,
        limit: Int = 1000, offset: Int = 0
    ) {
        self.openOnly = openOnly
        self.urgentFirst = urgentFirst
        self.department = department
        self.status = status
        self.channel = channel
        self.dueBefore = dueBefore
        self.urgent = urgent
        self.limit = limit
        self.offset = offset
    }
}

/// What to look for: words (every word must occur, each as a word's beginning), a phone number (E.164) or an
/// e-mail address; the first of these that is given decides. `department` keeps to appeals that department executes
/// or co-executes.
public struct AppealSearch: Sendable, Hashable {
    public var words: String?
    public var phone: String?
    public var email: String?
    public var department: String?
    public var limit: Int

    public init(
        words: String? = nil, phone: String? = nil, email: String? = nil, department: String? = nil, limit: Int = 50
    ) {
        self.words = words
        self.phone = phone
        self.email = email
        self.department = department
        self.limit = limit
    }
}

/// A record that could not be read, as an adapter hands it over.
public struct QuarantineRecord: Sendable, Hashable {
    public var channel: Channel
    /// The file, mailbox or endpoint it came from.
    public var source: String
    /// Where in the source: `line 17`, `UID 4711`.
    public var position: String?
    /// Why it was set aside, for the operator in their language. The English is the one `--json` shows.
    public var reason: Wording
    public var raw: [UInt8]
    /// The record's own key, when it could be read.
    public var sourceKey: String?
    public var at: Date

    public init(
        channel: Channel, source: String, position: String?, reason: Wording, raw: [UInt8],
        sourceKey: String? = nil, at: Date
    ) {
        self.channel = channel
        self.source = source
        self.position = position
        self.reason = reason
        self.raw = raw
        self.sourceKey = sourceKey
        self.at = at
    }

    /// The position of a quarantined file that could not be read at all, as opposed to one of its rows: such a
    /// record can be read again whole.
    public static let wholeFile = "whole file"

    /// Where in the source, in each language. The adapters write positions in a few fixed English forms
    /// (`line 45`, `row 6`, `whole file`, `inbox message 3`, `request`), kept as written so old records and scripts
    /// read the same; a form not known here (`INBOX UID 4711`) is shown as written.
    public var positionWording: Wording? {
        guard let position else { return nil }
        let parts = position.split(separator: " ").map(String.init)
        if parts.count == 2, ["line", "row"].contains(parts[0]), let n = Int(parts[1]) {
            return Wording(uz: "\(n)-qator", ru: "строка \(n)", en: position)
        }
        if parts.count >= 3, parts[parts.count - 2] == "message", let n = Int(parts[parts.count - 1]) {
            let source = parts.dropLast(2).joined(separator: " ")
            return Wording(uz: "\(source), \(n)-xat", ru: "\(source), письмо \(n)", en: position)
        }
        switch position {
        case Self.wholeFile: return Wording(uz: "butun fayl", ru: "весь файл", en: position)
        case "request": return Wording(uz: "so‘rov", ru: "запрос", en: position)
        default: return Wording(verbatim: position)
        }
    }
}

extension Wording {
    /// A quarantine reason as a store keeps it: the English, and the Uzbek and Russian when they were recorded
    /// (records set aside before the stores kept them read in English in every language).
    public init(stored english: String, uz: String?, ru: String?) {
        self.init(uz: uz ?? english, ru: ru ?? english, en: english)
    }
}

/// A quarantined record as stored.
public struct QuarantineEntry: Sendable, Hashable {
    public var id: Int64
    public var record: QuarantineRecord
    public var resolved: Bool
    public init(id: Int64, record: QuarantineRecord, resolved: Bool) {
        self.id = id
        self.record = record
        self.resolved = resolved
    }
}

public struct QuarantineQuery: Sendable, Hashable {
    public var includeResolved: Bool
    public var limit: Int
    /// Newest first (by record number), for a page people read; oldest first otherwise, the order they came in.
    public var newestFirst: Bool
    /// Only records numbered below this one: the next page of a newest-first list.
    public var before: Int64?
    /// At most this many bytes of each record's raw bytes, for a list that shows a line of each: a whole file set
    /// aside can be megabytes. nil loads them whole; ``AppealStore/quarantineEntry(id:)`` always does.
    public var rawPrefix: Int?

    public init(
        includeResolved: Bool = false, limit: Int = 1000, newestFirst: Bool = false, before: Int64? = nil,
        rawPrefix: Int? = nil
    ) {
        self.includeResolved = includeResolved
        self.limit = limit
        self.newestFirst = newestFirst
        self.before = before
        self.rawPrefix = rawPrefix
    }
}

/// Totals for status lines and checks.
public struct StoreCounts: Sendable, Hashable {
    public var inboxPending: Int
    public var appeals: Int
    public var events: Int
    public var quarantined: Int
    public init(inboxPending: Int, appeals: Int, events: Int, quarantined: Int) {
        self.inboxPending = inboxPending
        self.appeals = appeals
        self.events = events
        self.quarantined = quarantined
    }
}
