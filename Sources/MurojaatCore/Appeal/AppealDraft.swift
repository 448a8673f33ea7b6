public import Foundation

/// Who wrote or called. Every field is optional: an appeal without a name is still registered (and later judged
/// anonymous by a person, never dropped by the software).
public struct Applicant: Sendable, Hashable, Codable {
    public var name: String?
    /// E.164, e.g. `+998901234567`.
    public var phone: String?
    public var email: String?
    public var address: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.address = address
    }
}

/// An appeal as an ingest adapter read it, normalized but not yet routed or registered.
///
/// The pair (``channel``, ``sourceKey``) identifies the record in its source system, so importing the same
/// record twice creates nothing new.
public struct AppealDraft: Sendable, Hashable, Codable {
    public var channel: Channel
    /// The record's own id in its source (call id, Message-ID, reception number).
    public var sourceKey: String
    /// When the Agency received it (the legal clock starts the day after).
    public var receivedAt: Date
    public var text: String
    public var subject: String?
    /// The kind the source declared, if any; the rules may set it otherwise.
    public var kind: Kind?
    public var intake: Intake
    public var applicant: Applicant
    /// Region of residence as given (one of the 14 regions, or free text).
    public var region: String?
    /// Country where the applicant is now, when abroad.
    public var country: String?
    /// Language the source declared (`uz`, `ru`, ...); detection fills it when absent.
    public var language: String?
    /// A deadline set by the source (a Virtual Reception export): it binds and overrides the policy.
    public var bindingDeadline: LocalDate?
    /// The answer given on the spot, for a consultation.
    public var oralAnswer: String?
    /// Where in the source the record stood (file and line), for the history.
    public var origin: String?
    /// Fields the adapter did not know, kept as they were.
    public var extra: [String: String]
    /// The appeal this record adds to (a reply quoting its tracking number): it becomes an event on that appeal,
    /// not a new appeal, when the number exists.
    public var followUpOf: TrackingNumber?
    /// The original message and its attachments. Written with the draft when it is enqueued; a draft claimed
    /// from the inbox comes back without them (they are read from the store by channel and source key).
    public var documents: [Document]

    public init(
        channel: Channel, sourceKey: String, receivedAt: Date, text: String, subject: String? = nil,
        kind: Kind? = nil, intake: Intake = .appeal, applicant: Applicant = Applicant(), region: String? = nil,
        country: String? = nil, language: String? = nil, bindingDeadline: LocalDate? = nil,
        oralAnswer: String? = nil, origin: String? = nil, extra: [String: String] = [:],
        followUpOf: TrackingNumber? = nil, documents: [Document] = []
    ) {
        self.channel = channel
        self.sourceKey = sourceKey
        self.receivedAt = receivedAt
        self.text = text
        self.subject = subject
        self.kind = kind
        self.intake = intake
        self.applicant = applicant
        self.region = region
        self.country = country
        self.language = language
        self.bindingDeadline = bindingDeadline
        self.oralAnswer = oralAnswer
        self.origin = origin
        self.extra = extra
        self.followUpOf = followUpOf
        self.documents = documents
    }
}
