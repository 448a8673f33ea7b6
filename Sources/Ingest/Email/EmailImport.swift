public import Foundation
import Mail
public import MurojaatCore
public import Store

/// Takes messages into the inbox queue: appeals (and follow-ups) as drafts, auto-replies, delivery reports and
/// loops set aside in the quarantine with the reason, unreadable messages quarantined with their raw bytes.
public struct EmailImport: Sendable {
    public let store: any AppealStore
    public let reader: EmailReader
    let parser = MIMEParser()

    public init(store: any AppealStore, reader: EmailReader = EmailReader()) {
        self.store = store
        self.reader = reader
    }

    /// What importing a batch of messages did.
    public struct Report: Sendable, Hashable {
        public var messages = 0
        public var added = 0
        public var alreadyKnown = 0
        /// How many of the messages quote a tracking number: new ones are recorded on that appeal when routed.
        public var followUps = 0
        public var setAside = 0
        public var unreadable = 0
        /// One line for each message not taken in as an appeal, with its position and reason, in the three
        /// languages.
        public var notes: [Wording] = []
        public init() {}

        public static func + (lhs: Report, rhs: Report) -> Report {
            var sum = lhs
            sum.messages += rhs.messages
            sum.added += rhs.added
            sum.alreadyKnown += rhs.alreadyKnown
            sum.followUps += rhs.followUps
            sum.setAside += rhs.setAside
            sum.unreadable += rhs.unreadable
            sum.notes += rhs.notes
            return sum
        }
    }

    /// Parses, sorts out and stores a batch. Nothing is acknowledged to the source before this returns: a caller
    /// marks messages read (or moves them) only afterwards.
    ///
    /// - Parameter source: the mailbox or file the batch came from, named in the quarantine.
    /// - Parameter asAppeal: take every message as an appeal, even machine-looking mail (a retry an operator asked for).
    public func importMessages(
        _ messages: [RawMail], source: String, now: Date, asAppeal: Bool = false
    ) async throws(IngestError) -> Report {
        var report = Report()
        var drafts: [AppealDraft] = []
        var quarantined: [QuarantineRecord] = []
        for mail in messages {
            report.messages += 1
            let message: MailMessage
            do {
                message = try parser.parse(mail.bytes)
            } catch {
                report.unreadable += 1
                // The parser's own reasons come in the three languages; GMime's words stay as they are.
                let cause = error.reason ?? Wording(verbatim: error.description)
                let position = mail.position
                report.notes.append(
                    Wording(
                        uz: "\(position): o‘qilmadi: \(cause.uz)", ru: "\(position): не читается: \(cause.ru)",
                        en: "\(position): unreadable: \(cause.en)"))
                quarantined.append(
                    QuarantineRecord(
                        channel: reader.channel, source: source, position: position,
                        reason: Wording(
                            uz: "xatni o‘qib bo‘lmadi: \(cause.uz)", ru: "письмо не читается: \(cause.ru)",
                            en: cause.en),
                        raw: mail.bytes, at: now))
                continue
            }
            switch reader.read(
                message, raw: mail.bytes, origin: mail.position, arrived: mail.arrived ?? now, asAppeal: asAppeal)
            {
            case .appeal(let draft):
                drafts.append(draft)
            case .setAside(let reason, let sourceKey):
                report.setAside += 1
                let aside = Wording(
                    uz: "chetga olindi: \(reason.uz)", ru: "отложено: \(reason.ru)", en: "set aside: \(reason.en)")
                let position = mail.position
                report.notes.append(Wording { "\(position): " + aside[$0] })
                quarantined.append(
                    QuarantineRecord(
                        channel: reader.channel, source: source, position: position, reason: aside,
                        raw: mail.bytes, sourceKey: sourceKey, at: now))
            }
        }
        do {
            if !quarantined.isEmpty { _ = try await store.quarantine(quarantined) }
            let summary = try await store.enqueue(drafts, at: now)
            report.added = summary.added
            report.alreadyKnown = summary.duplicates
            report.followUps = drafts.filter { $0.followUpOf != nil }.count
        } catch {
            throw IngestError(
                .store,
                Wording(
                    uz: "\(source) xatlarini saqlab bo‘lmadi", ru: "не удалось сохранить письма из \(source)",
                    en: "could not store the messages from \(source)"),
                source: source, cause: error)
        }
        return report
    }
}
