public import Foundation

/// A registered appeal: a tracked case with a department and a legal deadline.
///
/// The current state is derived from the appeal's ``AppealEvent``s and cached here for queries.
public struct Appeal: Sendable, Hashable, Codable {
    public var id: Int64
    public var tracking: TrackingNumber
    public var channel: Channel
    public var sourceKey: String
    public var kind: Kind
    public var status: Status
    /// The main executor's department code; nil while in triage.
    public var department: String?
    /// Co-executing departments (art. 24: the first named, ``department``, leads).
    public var coExecutors: [String]
    public var urgent: Bool
    /// The deadline policy in force (`standard`, `needs-study`, ...).
    public var policy: String
    public var receivedAt: Date
    public var registeredAt: Date
    /// The due date on the Tashkent calendar (a cache of the deadline computation, for indexing).
    public var due: LocalDate?
    public var text: String
    public var subject: String?
    public var applicant: Applicant
    public var region: String?
    public var country: String?
    /// Detected language tag (`uz-Latn`, `uz-Cyrl`, `ru`, `en`, `mixed`).
    public var language: String
    public var tags: [String]
    /// The competent body to forward to, when the rules found the appeal outside the Agency's competence.
    public var forwardTo: String?
    /// The routing decision with its explanation, as JSON written by the router.
    public var routing: String
    public var extra: [String: String]
    /// Where the tracker stands with this appeal.
    public var control: Control

    /// What the tracker keeps on an appeal beside its deadline, cached from the events like the status.
    public struct Control: Sendable, Hashable, Codable {
        /// The next day its SLA state can change or an escalation step fall due: the sweep reads only appeals
        /// whose day has come. nil once the appeal is no longer open.
        public var nextCheck: LocalDate?
        /// The escalation steps (ids from `Rules/escalation.yaml`) fired for the current deadline, in order.
        public var escalations: [String]
        /// How many times the deadline was extended (the law allows once).
        public var extensions: Int
        /// When the final answer was given (answered, or the oral answer of a call).
        public var answeredAt: Date?
        /// When the appeal left the open states (answered, forwarded, left without consideration).
        public var closedAt: Date?
        /// The number of events recorded: a change decided on an older version is refused as a conflict.
        public var sequence: Int
        /// The moment the legal term runs from (the receipt, or a reopening); nil when the due date was set by the
        /// source (binding) or by a head's decision (an extension), which a recomputation leaves alone.
        public var deadlineFrom: Date?

        public init(
            nextCheck: LocalDate? = nil, escalations: [String] = [], extensions: Int = 0, answeredAt: Date? = nil,
            closedAt: Date? = nil, sequence: Int = 0, deadlineFrom: Date? = nil
        ) {
            self.nextCheck = nextCheck
            self.escalations = escalations
            self.extensions = extensions
            self.answeredAt = answeredAt
            self.closedAt = closedAt
            self.sequence = sequence
            self.deadlineFrom = deadlineFrom
        }
    }

    public init(
        id: Int64, tracking: TrackingNumber, channel: Channel, sourceKey: String, kind: Kind, status: Status,
        department: String?, coExecutors: [String], urgent: Bool, policy: String, receivedAt: Date,
        registeredAt: Date, due: LocalDate?, text: String, subject: String?, applicant: Applicant,
        region: String?, country: String?, language: String, tags: [String], forwardTo: String?,
        routing: String, extra: [String: String], control: Control = Control()
    ) {
        self.id = id
        self.tracking = tracking
        self.channel = channel
        self.sourceKey = sourceKey
        self.kind = kind
        self.status = status
        self.department = department
        self.coExecutors = coExecutors
        self.urgent = urgent
        self.policy = policy
        self.receivedAt = receivedAt
        self.registeredAt = registeredAt
        self.due = due
        self.text = text
        self.subject = subject
        self.applicant = applicant
        self.region = region
        self.country = country
        self.language = language
        self.tags = tags
        self.forwardTo = forwardTo
        self.routing = routing
        self.extra = extra
        self.control = control
    }
}
