import Dispatch
public import Foundation
public import Mail
import MurojaatCore
import Store

/// Reads new mail from one IMAP mailbox into the inbox queue, and acknowledges it only after the commit.
///
/// Where it stopped is a checkpoint in the store: the mailbox's UIDVALIDITY and the last UID committed. A crash
/// before the checkpoint is saved means the same messages are read again next time, which the inbox (unique per
/// Message-ID) makes harmless; a new UIDVALIDITY means every UID is void, so the whole mailbox is read again.
///
/// Fetching sets `\Seen` on the server (libcurl fetches BODY[]): when storing a batch fails, `\Seen` is cleared
/// again on its messages, so nothing looks handled that is not.
public final class MailboxPoller: Sendable {
    /// What to do with a message once its appeal is committed.
    public enum Acknowledgement: Sendable, Hashable {
        case markSeen
        /// Move it to this folder (created when missing).
        case move(to: String)
    }

    public let account: IMAPAccount
    public let importer: EmailImport
    public let acknowledgement: Acknowledgement
    public let batchSize: Int
    /// The libcurl handle blocks while it talks to the server, so it lives on a queue of its own, never on the
    /// threads the rest of the program shares. All access to `connection` happens on this queue.
    private let queue = DispatchQueue(label: "murojaat.imap")
    nonisolated(unsafe) private var connection: IMAPMailbox?

    public init(
        account: IMAPAccount, importer: EmailImport, acknowledgement: Acknowledgement = .markSeen, batchSize: Int = 50
    ) {
        self.account = account
        self.importer = importer
        self.acknowledgement = acknowledgement
        self.batchSize = max(1, batchSize)
    }

    /// The checkpoint's name in the store: one per user and mailbox.
    public var checkpointName: String { Self.checkpointName(user: account.user, url: account.url) }

    public static func checkpointName(user: String, url: String) -> String {
        let account = IMAPAccount(url: url, user: user, password: "")
        return "imap:\(user)@\(account.serverURL)\(account.mailbox)"
    }

    /// What one poll did.
    public struct Report: Sendable {
        public var imported = EmailImport.Report()
        public var uidValidity: UInt32 = 0
        /// Set when the mailbox's UIDVALIDITY changed since the last poll and it was read from the start.
        public var uidValidityChanged = false
        public var lastUID: UInt32 = 0
    }

    /// Reads every message above the checkpoint, in batches; each batch is committed, then acknowledged, then
    /// the checkpoint moves past it.
    public func poll(now: @Sendable () -> Date) async throws(IngestError) -> Report {
        var report = Report()
        let source = "\(account.user) \(account.mailbox)"
        let status = try await onQueue { mailbox throws(MailError) in try mailbox.status() }
        report.uidValidity = status.uidValidity
        var last: UInt32 = 0
        do {
            if let saved = try await importer.store.checkpoint(checkpointName) {
                let parts = saved.split(separator: ":").compactMap { UInt32($0) }
                if parts.count == 2, parts[0] == status.uidValidity {
                    last = parts[1]
                } else {
                    report.uidValidityChanged = true
                }
            }
        } catch {
            throw IngestError(
                .store,
                Wording(
                    uz: "pochta qutisining nazorat nuqtasini o‘qib bo‘lmadi",
                    ru: "не удалось прочитать контрольную точку почтового ящика",
                    en: "could not read the mailbox checkpoint"),
                source: source, cause: error)
        }
        report.lastUID = last
        let after = last
        let uids = try await onQueue { mailbox throws(MailError) in try mailbox.uids(after: after) }
        var start = 0
        while start < uids.count {
            let batch = Array(uids[start..<min(start + batchSize, uids.count)])
            start += batch.count
            let mailbox = account.mailbox
            let fetched = try await onQueue { imap throws(MailError) -> [(UInt32, [UInt8])] in
                var fetched: [(UInt32, [UInt8])] = []
                for uid in batch {
                    do throws(MailError) {
                        fetched.append((uid, try imap.fetch(uid: uid)))
                    } catch  where error.code == .notFound {
                        // Deleted or moved by someone else since the search: nothing to take in.
                    } catch {
                        try? imap.store(fetched.map { $0.0 }, flags: "-FLAGS (\\Seen)")
                        throw error
                    }
                }
                return fetched
            }
            let moment = now()
            let mails = fetched.map { RawMail(bytes: $0.1, position: "\(mailbox) UID \($0.0)", arrived: moment) }
            do throws(IngestError) {
                report.imported =
                    report.imported + (try await importer.importMessages(mails, source: source, now: moment))
            } catch {
                let uids = fetched.map { $0.0 }
                _ = try? await onQueue { imap throws(MailError) in try imap.store(uids, flags: "-FLAGS (\\Seen)") }
                throw error
            }
            let committed = fetched.map { $0.0 }
            let acknowledgement = self.acknowledgement
            try await onQueue { imap throws(MailError) in
                switch acknowledgement {
                case .markSeen: try imap.store(committed, flags: "+FLAGS (\\Seen)")
                case .move(let folder): try imap.move(committed, to: folder)
                }
            }
            if let highest = batch.last {
                report.lastUID = highest
                do {
                    try await importer.store.saveCheckpoint(
                        checkpointName, value: "\(status.uidValidity):\(highest)", at: moment)
                } catch {
                    throw IngestError(
                        .store,
                        Wording(
                            uz: "pochta qutisining nazorat nuqtasini saqlab bo‘lmadi",
                            ru: "не удалось сохранить контрольную точку почтового ящика",
                            en: "could not save the mailbox checkpoint"),
                        source: source, cause: error)
                }
            }
        }
        return report
    }

    /// Runs `body` with the connection on the poller's queue, opening it first when needed; after a failure the
    /// connection is dropped, so the next call logs in afresh.
    private func onQueue<T: Sendable>(
        _ body: @escaping @Sendable (IMAPMailbox) throws(MailError) -> T
    ) async throws(IngestError) -> T {
        let account = self.account
        let result: Result<T, MailError> = await withCheckedContinuation { continuation in
            queue.async {
                // A connection kept from an earlier poll may have been closed by the server meanwhile (a restart,
                // an idle timeout): then the step is tried once more on a fresh one.
                for attempt in 0..<2 {
                    let reused = self.connection != nil
                    do throws(MailError) {
                        let mailbox: IMAPMailbox
                        if let open = self.connection {
                            mailbox = open
                        } else {
                            mailbox = try IMAPMailbox(account)
                            self.connection = mailbox
                        }
                        continuation.resume(returning: .success(try body(mailbox)))
                        return
                    } catch {
                        self.connection = nil
                        if attempt == 0, reused, error.code == .unreachable { continue }
                        continuation.resume(returning: .failure(error))
                        return
                    }
                }
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            // The mail layer's words stay as they are (English, with the server's own), after a lead in Uzbek or
            // Russian that says what kind of trouble it is.
            let text = error.description
            let lead: (uz: String, ru: String) =
                switch error.code {
                case .unreachable: ("pochta serveriga ulanib bo‘lmadi", "почтовый сервер недоступен")
                case .authentication: ("pochta serveri kirishni rad etdi", "почтовый сервер отклонил вход")
                case .configuration: ("pochta qutisi sozlamalari noto‘g‘ri", "неверные настройки почтового ящика")
                default: ("pochta qutisi xatosi", "ошибка почтового ящика")
                }
            throw IngestError(
                .mailbox(error), Wording(uz: "\(lead.uz): \(text)", ru: "\(lead.ru): \(text)", en: text),
                source: account.description, cause: nil)
        }
    }
}
