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
        /// Tags were added or removed; the data names them.
        public static let tagged: Kind = "tagged"
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

extension AppealEvent {
    /// An event the software writes, with its reason in each language. `why` keeps the English, as every event
    /// did before (logs, JSON, the hash chain), and the data keeps the Uzbek and the Russian, so a history is read
    /// in the reader's language and stays a record of what was written then.
    public init(
        at: Date, actor: String, kind: Kind, reason: Wording, data: [String: String] = [:], status: Status? = nil
    ) {
        var data = data
        Self.keep(reason, as: WordedField.why, in: &data)
        self.init(at: at, actor: actor, kind: kind, why: reason.en, data: data, status: status)
    }

    /// Data fields written in three languages: the English under the field's own key, the others beside it.
    public enum WordedField: String, Sendable, CaseIterable {
        case why
        /// How the due date was computed (``Deadline/summaryWording``).
        case deadline
    }

    /// Puts `wording` into `data` under `field` (English) and its `_uz` and `_ru` keys; words the same in every
    /// language (a person's note, a name) are kept once.
    public static func keep(_ wording: Wording, as field: WordedField, in data: inout [String: String]) {
        if field != .why { data[field.rawValue] = wording.en }
        if wording.uz != wording.en { data[field.rawValue + "_uz"] = wording.uz }
        if wording.ru != wording.en { data[field.rawValue + "_ru"] = wording.ru }
    }

    /// Why, in `language`: in the words written for it, or as written when the event was written in one language
    /// (by a person, or by an earlier version).
    public func why(in language: Language) -> String? {
        guard let why else { return nil }
        return worded(.why, english: why, in: language)
    }

    /// How the due date was computed, in `language` (the same fallback as ``why(in:)``).
    public func deadline(in language: Language) -> String? {
        guard let english = data[WordedField.deadline.rawValue] else { return nil }
        return worded(.deadline, english: english, in: language)
    }

    /// Whether the event carries `field` in other languages than English.
    public func isWorded(_ field: WordedField) -> Bool {
        data[field.rawValue + "_uz"] != nil || data[field.rawValue + "_ru"] != nil
    }

    /// Whether `key` holds a translation of a worded field, not a fact of the event: lists of the data skip it.
    public static func isTranslation(_ key: String) -> Bool {
        WordedField.allCases.contains { key == $0.rawValue + "_uz" || key == $0.rawValue + "_ru" }
    }

    private func worded(_ field: WordedField, english: String, in language: Language) -> String {
        switch language {
        case .uz: data[field.rawValue + "_uz"] ?? english
        case .ru: data[field.rawValue + "_ru"] ?? english
        case .en: english
        }
    }
}
