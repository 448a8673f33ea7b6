public import Foundation

/// One address of a From, Reply-To or To header.
public struct MailAddress: Sendable, Hashable {
    /// The display name, decoded (`Karimov Aziz`), when there is one.
    public var name: String?
    /// `user@example.uz`, as written.
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }
}

/// A file that came with a message, decoded from its transfer encoding.
public struct MailAttachment: Sendable, Hashable {
    /// The file name the sender gave (RFC 2231 and RFC 2047 decoded), if any.
    public var name: String?
    /// `image/jpeg`, lower case.
    public var contentType: String
    public var content: [UInt8]
    /// Shown in the body by the sender's program (an inline image) rather than attached as a file.
    public var inline: Bool

    public init(name: String?, contentType: String, content: [UInt8], inline: Bool = false) {
        self.name = name
        self.contentType = contentType
        self.content = content
        self.inline = inline
    }
}

/// A parsed e-mail as plain Swift values: who sent it, the text a person wrote (never HTML), and the files.
public struct MailMessage: Sendable {
    /// Where ``text`` came from.
    public enum TextSource: String, Sendable, Hashable {
        case plain
        /// Converted from an HTML part: the message had no plain-text part.
        case html
        /// The message has no text part at all (only attachments, or nothing readable).
        case none
    }

    /// Without the angle brackets; nil when the message has none.
    public var messageID: String?
    public var subject: String?
    public var from: [MailAddress]
    public var replyTo: [MailAddress]
    public var to: [MailAddress]
    /// The Date header: when the sender's program says it was written.
    public var date: Date?
    /// The date of the topmost Received header: when the Agency's own server took the message in.
    public var receivedAt: Date?
    public var inReplyTo: String?
    /// Every header in order, names as written, values unfolded and decoded.
    public var headers: [(name: String, value: String)]
    /// The top-level type, lower case: `multipart/mixed`, `text/plain`, `multipart/report`.
    public var contentType: String
    /// The `report-type` parameter of a `multipart/report` (`delivery-status`, `disposition-notification`).
    public var reportType: String?
    public var text: String
    public var textSource: TextSource
    public var attachments: [MailAttachment]
    /// What had to be guessed or repaired while reading (a mislabelled charset, undecodable bytes).
    public var warnings: [String]

    public init(
        messageID: String? = nil, subject: String? = nil, from: [MailAddress] = [], replyTo: [MailAddress] = [],
        to: [MailAddress] = [], date: Date? = nil, receivedAt: Date? = nil, inReplyTo: String? = nil,
        headers: [(name: String, value: String)] = [], contentType: String = "text/plain", reportType: String? = nil,
        text: String = "", textSource: TextSource = .none, attachments: [MailAttachment] = [], warnings: [String] = []
    ) {
        self.messageID = messageID
        self.subject = subject
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.date = date
        self.receivedAt = receivedAt
        self.inReplyTo = inReplyTo
        self.headers = headers
        self.contentType = contentType
        self.reportType = reportType
        self.text = text
        self.textSource = textSource
        self.attachments = attachments
        self.warnings = warnings
    }

    /// The first header with this name (case does not matter), e.g. `Auto-Submitted`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every header with this name, in order (`Received`).
    public func headers(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
