public import Foundation
public import Mail
public import Store

/// Where notices go: an SMTP server, or a folder of `.eml` files when none is configured.
public protocol NoticeTransport: Sendable {
    /// Delivers one composed message. A transient failure (the server is down, a 4xx reply) is retried later;
    /// any other is final.
    func deliver(_ mail: OutgoingMail) throws(MailError)
    /// Words for logs: `smtp://mail.migration.uz:587`, `folder data/outbox`.
    var description: String { get }
}

/// Sends through libcurl SMTP.
public struct SMTPTransport: NoticeTransport {
    let client: SMTPClient
    public let description: String
    public init(settings: SMTPSettings) throws(MailError) {
        client = try SMTPClient(settings: settings)
        description = settings.url
    }
    public func deliver(_ mail: OutgoingMail) throws(MailError) { try client.send(mail) }
}

/// Writes each message as `<outbox id>.eml` into a folder, for a site without an SMTP server (or a demo): the name
/// is fixed by the outbox row, so writing it again after a crash replaces the file instead of adding a copy.
public struct EMLFolderTransport: NoticeTransport {
    public let folder: URL
    public var description: String { "folder \(folder.path)" }
    public init(folder: URL) { self.folder = folder }

    public func deliver(_ mail: OutgoingMail) throws(MailError) {
        let bytes = try MessageComposer.compose(mail)
        let name = mail.headers["X-Murojaat-Outbox"].map { "notice-\($0).eml" } ?? "\(mail.messageID).eml"
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written beside and renamed, so a reader never sees half a message.
            let temporary = folder.appendingPathComponent(".\(name).tmp")
            try Data(bytes).write(to: temporary)
            let target = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            throw MailError(.configuration, "cannot write to the outbox folder \(folder.path)", cause: "\(error)")
        }
    }
}

/// Delivers the outbox: claims due notices, sends each, and marks it sent only after the transport accepted it.
/// A process that dies between the commit of a notice and its sending leaves it pending: the next run sends it.
/// The one window left is between the server's acceptance and the mark; a message sent again then carries the
/// same Message-ID, so mail clients show it once.
public struct OutboxSender: Sendable {
    public let store: any AppealStore
    public let transport: any NoticeTransport
    /// The sender shown to recipients.
    public var from: MailAddress
    /// The domain of generated Message-IDs.
    public var domain: String
    /// Attempts before a notice is marked failed for a person to look at.
    public var maxAttempts = 12
    /// How long a claimed notice is this sender's alone: after a crash, claimed notices wait this long.
    public var lease: Duration = .seconds(120)
    /// Called just before each delivery: failure injection for the crash tests (the process is killed between the
    /// commit of a notice and its sending), nil in production.
    public var beforeDelivery: (@Sendable (OutboxItem) -> Void)?

    public init(store: any AppealStore, transport: any NoticeTransport, from: MailAddress, domain: String) {
        self.store = store
        self.transport = transport
        self.from = from
        self.domain = domain
    }

    public struct Summary: Sendable {
        public var sent = 0
        /// Failed this time, to be tried again.
        public var deferred = 0
        /// Failed for good.
        public var failed = 0
        public var lastError: String?
        /// Why delivery stopped: the server is down, or it refused our login or settings (a person must look).
        public var blocked: MailError?
        public init() {}
    }

    /// Sends everything due now. A notice the server refuses for good is marked failed; one it defers is tried again
    /// with backoff, and after ``maxAttempts`` failed. When the server is down or refuses our login, nothing is
    /// marked failed: delivery stops and resumes once it answers.
    public func deliver(now: @Sendable () -> Date, batch: Int = 50) async throws(StoreError) -> Summary {
        var summary = Summary()
        while true {
            let items = try await store.claimOutbox(limit: batch, now: now(), lease: lease)
            if items.isEmpty { break }
            for item in items {
                do {
                    beforeDelivery?(item)
                    try transport.deliver(mail(for: item))
                    try await store.markSent(item.id, at: now())
                    summary.sent += 1
                } catch let error as MailError {
                    summary.lastError = error.description
                    switch error.code {
                    case .unreachable, .authentication, .configuration:
                        // The server or our settings, not this notice: it waits, however long a person needs to fix
                        // it, and the other claimed notices wait for their lease instead of failing the same way.
                        try await store.markFailed(
                            item.id, error: error.description, retryAt: now() + Self.backoff(attempt: item.attempts))
                        summary.deferred += 1
                        summary.blocked = error
                        return summary
                    case .deferred where item.attempts < maxAttempts:
                        try await store.markFailed(
                            item.id, error: error.description, retryAt: now() + Self.backoff(attempt: item.attempts))
                        summary.deferred += 1
                    default:
                        try await store.markFailed(item.id, error: error.description, retryAt: nil)
                        summary.failed += 1
                    }
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError(.failed, "could not deliver notice \(item.id)", cause: error)
                }
            }
            if items.count < batch { break }
        }
        return summary
    }

    /// 1, 2, 4, ... minutes, at most an hour.
    public static func backoff(attempt: Int) -> TimeInterval {
        min(3600, 60 * pow(2, Double(max(0, attempt - 1))))
    }

    /// The message of an outbox row. Everything comes from the row, so a resend is the same message with the same
    /// Message-ID.
    public func mail(for item: OutboxItem) -> OutgoingMail {
        let notice = item.notice
        var headers = [
            "Auto-Submitted": "auto-generated", "X-Murojaat-Outbox": String(item.id),
            "X-Murojaat-Kind": notice.kind,
        ]
        if let appeal = notice.appealID { headers["X-Murojaat-Appeal"] = String(appeal) }
        let millis = Int64((notice.createdAt.timeIntervalSince1970 * 1000).rounded())
        return OutgoingMail(
            from: from, to: notice.to.map { MailAddress(name: nil, address: $0) },
            cc: notice.cc.map { MailAddress(name: nil, address: $0) }, subject: notice.subject, text: notice.text,
            html: notice.html,
            attachments: notice.attachments.map {
                OutgoingMail.Attachment(name: $0.name, contentType: $0.contentType, content: $0.content)
            }, messageID: "outbox-\(item.id).\(millis)@\(domain)", date: notice.createdAt, headers: headers)
    }
}
