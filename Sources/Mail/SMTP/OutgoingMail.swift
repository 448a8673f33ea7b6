public import Foundation

// `MailAddress` itself is declared beside the parsed message (MIME/MailMessage.swift): one address type for mail
// read and mail sent. Codable is added here for the outbox, which stores its mail as JSON; the conformance is
// written out because Swift synthesizes Codable only in the file that declares the type.
extension MailAddress: Codable {
    private enum CodingKeys: String, CodingKey {
        case name
        case address
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decodeIfPresent(String.self, forKey: .name),
            address: try container.decode(String.self, forKey: .address))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encode(address, forKey: .address)
    }
}

/// A notification or report to send: what a person sees, before it becomes MIME bytes with
/// ``MessageComposer/compose(_:)``.
///
/// ```swift
/// let mail = OutgoingMail(
///     from: MailAddress(name: "Migratsiya agentligi", address: "noreply@migration.uz"),
///     to: [MailAddress(name: "Karimov Aziz", address: "aziz@example.uz")],
///     subject: "Murojaatingiz qabul qilindi", text: "Hurmatli fuqaro! ...",
///     messageID: "outbox-42.1a2b@murojaat.local", date: now,
///     headers: ["Auto-Submitted": "auto-generated"])
/// try client.send(mail)
/// ```
public struct OutgoingMail: Sendable, Hashable {
    /// A file sent with the message (the daily report's XLSX or CSV).
    public struct Attachment: Sendable, Hashable {
        /// The file name the recipient sees; any Unicode (it is sent RFC 2231-encoded).
        public var name: String
        /// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`; a value that is not a valid MIME
        /// type is sent as `application/octet-stream`.
        public var contentType: String
        public var content: [UInt8]

        public init(name: String, contentType: String, content: [UInt8]) {
            self.name = name
            self.contentType = contentType
            self.content = content
        }
    }

    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    /// The plain-text body, always sent: some recipients read only that.
    public var text: String
    /// An HTML version of the same text, sent as the second part of a `multipart/alternative`.
    public var html: String?
    public var attachments: [Attachment]
    /// Stable across retries: the same outbox row always yields the same Message-ID, so a resend is recognisable.
    /// Without angle brackets, e.g. `outbox-42.1a2b@murojaat.local`.
    public var messageID: String
    /// The Date header. Passed in rather than read from the clock, so a retry keeps the date the mail was written.
    public var date: Date
    /// The zone the Date header is written in: a reader whose mail program shows the header as written sees the
    /// Agency's time ("10:15 +0500"), not UTC.
    public var zone: TimeZone
    /// Extra headers, e.g. `"Auto-Submitted": "auto-generated"` (so vacation responders stay quiet) or
    /// `"X-Murojaat-Tracking": "MA-2025-000042"`. The headers the composer writes itself (From, To, Subject,
    /// Content-Type, ...) cannot be set here.
    public var headers: [String: String]

    public init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], replyTo: MailAddress? = nil, subject: String,
        text: String, html: String? = nil, attachments: [Attachment] = [], messageID: String, date: Date,
        zone: TimeZone = OutgoingMail.tashkent, headers: [String: String] = [:]
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.zone = zone
        self.headers = headers
    }

    /// The Agency's zone (UTC+5, no daylight saving time).
    public static let tashkent = TimeZone(identifier: "Asia/Tashkent") ?? TimeZone(secondsFromGMT: 5 * 3600)!

    /// The envelope recipients: every To and Cc address once, in order (case-insensitively deduplicated, so a
    /// person in both To and Cc gets one copy).
    public var recipients: [String] {
        var seen: Set<String> = []
        return (to + cc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }
}
