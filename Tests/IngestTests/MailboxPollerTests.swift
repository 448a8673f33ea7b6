import Foundation
import Ingest
import Mail
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing

/// The poller against a real Dovecot: messages taken in once, acknowledged on the server only after the commit,
/// the checkpoint, a new UIDVALIDITY, a refused login, a server that is down, and a commit that fails.
@Suite(.serialized) struct MailboxPollerTests {
    static func message(_ id: Int, subject: String = "Murojaat", extra: String = "") -> [UInt8] {
        Array(
            """
            From: Fuqaro \(id) <fuqaro\(id)@example.uz>\r
            To: info@migration.uz\r
            Subject: \(subject)\r
            Message-ID: <poll-\(id)@example.uz>\r
            Date: Thu, 20 Nov 2025 10:15:00 +0500\r
            \(extra)Content-Type: text/plain; charset=utf-8\r
            \r
            Ish beruvchi ish haqimni bermayapti, pasportimni olib qo'ygan. Murojaat \(id).\r

            """.utf8)
    }

    static func store() throws -> SQLiteStore {
        try SQLiteStore(path: try TestFolders.temporary("poll").appendingPathComponent("t.sqlite").path)
    }

    static func poller(
        _ server: Dovecot, store: any AppealStore, user: String = "info", password: String = "secret",
        acknowledgement: MailboxPoller.Acknowledgement = .markSeen
    ) -> MailboxPoller {
        MailboxPoller(
            account: IMAPAccount(url: server.url, user: user, password: password, connectTimeout: .seconds(5)),
            importer: EmailImport(store: store), acknowledgement: acknowledgement, batchSize: 2)
    }

    @Test func newMailGoesInOnceAndIsMarkedSeenAfterTheCommit() async throws {
        let server = try Dovecot.start()
        defer { server.stop() }
        let store = try Self.store()
        for id in 1...3 { try server.deliver(Self.message(id), to: "info") }
        try server.deliver(
            Self.message(4, subject: "Avtomatik javob", extra: "Auto-Submitted: auto-replied\r\n"), to: "info")
        let poller = Self.poller(server, store: store)

        let first = try await poller.poll(now: { Date() })
        #expect(first.imported.messages == 4)
        #expect(first.imported.added == 3)
        #expect(first.imported.setAside == 1)
        #expect(first.lastUID == 4)
        #expect(try await store.checkpoint(poller.checkpointName) == "\(first.uidValidity):4")
        let mailbox = try IMAPMailbox(IMAPAccount(url: server.url, user: "info", password: "secret"))
        let flags = try mailbox.flags([1, 2, 3, 4])
        #expect(flags.count == 4)
        #expect(flags.values.allSatisfy { $0.contains("\\Seen") })

        // Only what is new is read next time.
        try server.deliver(Self.message(5), to: "info")
        let second = try await poller.poll(now: { Date() })
        #expect(second.imported.messages == 1)
        #expect(second.imported.added == 1)
        #expect(try await poller.poll(now: { Date() }).imported.messages == 0)
        #expect(try await store.counts().inboxPending == 4)
    }

    @Test func messagesCanBeMovedToAFolderInstead() async throws {
        let server = try Dovecot.start(users: ["exat": "maxfiy"])
        defer { server.stop() }
        let store = try Self.store()
        for id in 10...12 { try server.deliver(Self.message(id), to: "exat") }
        let poller = Self.poller(
            server, store: store, user: "exat", password: "maxfiy", acknowledgement: .move(to: "Processed"))
        let report = try await poller.poll(now: { Date() })
        #expect(report.imported.added == 3)
        #expect(server.files(of: "exat", in: "new").isEmpty && server.files(of: "exat", in: "cur").isEmpty)
        #expect(server.files(of: "exat", in: ".Processed/cur").count == 3)
    }

    @Test func aNewUIDValidityReadsTheMailboxAgainWithoutDuplicates() async throws {
        let server = try Dovecot.start()
        defer { server.stop() }
        let store = try Self.store()
        for id in 20...21 { try server.deliver(Self.message(id), to: "info") }
        let poller = Self.poller(server, store: store)
        let first = try await poller.poll(now: { Date() })
        #expect(first.imported.added == 2)
        // Dovecot forgets its UID list: the mailbox gets a new UIDVALIDITY, as after a restore from backup.
        server.stop()
        let maildir = server.directory.appendingPathComponent("home/info/Maildir")
        for file in try FileManager.default.contentsOfDirectory(atPath: maildir.path) where file.hasPrefix("dovecot") {
            try FileManager.default.removeItem(at: maildir.appendingPathComponent(file))
        }
        try await Task.sleep(for: .seconds(1.1))  // UIDVALIDITY is a time in seconds
        try server.launch()
        let again = try await poller.poll(now: { Date() })
        #expect(again.uidValidityChanged)
        #expect(again.uidValidity != first.uidValidity)
        #expect(again.imported.messages == 2)
        #expect(again.imported.added == 0)
        #expect(again.imported.alreadyKnown == 2)
    }

    @Test func aRefusedLoginAndADownServerAreToldApart() async throws {
        let server = try Dovecot.start()
        let store = try Self.store()
        do {
            _ = try await Self.poller(server, store: store, password: "wrong").poll(now: { Date() })
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.code == .mailboxLogin)
        }
        server.stop()
        do {
            _ = try await Self.poller(server, store: store).poll(now: { Date() })
            Issue.record("a stopped server answered")
        } catch {
            #expect(error.code == .mailboxUnreachable)
        }
    }

    @Test func whenTheCommitFailsTheMessagesAreUnseenAgain() async throws {
        let server = try Dovecot.start()
        defer { server.stop() }
        let real = try Self.store()
        for id in 30...31 { try server.deliver(Self.message(id), to: "info") }
        let failing = FailingStore(real)
        let poller = Self.poller(server, store: failing)
        await #expect(throws: IngestError.self) { try await poller.poll(now: { Date() }) }
        let mailbox = try IMAPMailbox(IMAPAccount(url: server.url, user: "info", password: "secret"))
        let flags = try mailbox.flags([1, 2])
        #expect(flags.count == 2)
        #expect(flags.values.allSatisfy { !$0.contains("\\Seen") })
        #expect(try await real.checkpoint(poller.checkpointName) == nil)
        // The store works again: the same messages go in, once.
        failing.failing = false
        let report = try await poller.poll(now: { Date() })
        #expect(report.imported.added == 2)
        #expect(try mailbox.flags([1, 2]).values.allSatisfy { $0.contains("\\Seen") })
    }
}

extension MailboxPollerTests {
    @Test func imapsAndStartTLSWithTheServersOwnCertificate() async throws {
        let server = try Dovecot.start(tls: true)
        defer { server.stop() }
        try server.deliver(Self.message(40), to: "info")
        let store = try Self.store()
        let tlsURL = try #require(server.tlsURL)
        func poller(_ url: String, requireTLS: Bool = false, caFile: String?) -> MailboxPoller {
            MailboxPoller(
                account: IMAPAccount(
                    url: url, user: "info", password: "secret", requireTLS: requireTLS, caFile: caFile,
                    connectTimeout: .seconds(5)),
                importer: EmailImport(store: store))
        }
        // A certificate nobody vouches for is refused, and says so.
        do {
            _ = try await poller(tlsURL, caFile: nil).poll(now: { Date() })
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect(error.code == .mailboxSettings)
            #expect(error.message.contains("certificate is not trusted"))
        }
        let implicit = try await poller(tlsURL, caFile: server.certificate).poll(now: { Date() })
        #expect(implicit.imported.added == 1)
        // The plain port refuses a login before STARTTLS; with require_tls the client upgrades first.
        try server.deliver(Self.message(41), to: "info")
        let upgraded = try await poller(server.url, requireTLS: true, caFile: server.certificate).poll(now: { Date() })
        #expect(upgraded.imported.added == 1)
    }
}

/// A real store whose enqueue fails on demand: failure injection for the acknowledgement test, beside the real
/// runs above.
final class FailingStore: AppealStore, @unchecked Sendable {
    let real: SQLiteStore
    // Flipped by the test between polls, never during one.
    var failing = true
    init(_ real: SQLiteStore) { self.real = real }

    func enqueue(_ drafts: [AppealDraft], at now: Date) async throws(StoreError) -> EnqueueSummary {
        if failing { throw StoreError(.failed, "injected: the disk is full") }
        return try await real.enqueue(drafts, at: now)
    }
    func quarantine(_ records: [QuarantineRecord]) async throws(StoreError) -> Int {
        try await real.quarantine(records)
    }
    func claimInbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [InboxItem] {
        try await real.claimInbox(limit: limit, now: now, lease: lease)
    }
    func register(_ registrations: [Registration]) async throws(StoreError) -> [Appeal] {
        try await real.register(registrations)
    }
    func record(
        _ event: AppealEvent, on appealID: Int64, expecting status: Status?
    ) async throws(StoreError)
        -> StoredEvent
    { try await real.record(event, on: appealID, expecting: status) }
    func record(_ runs: [EventRun]) async throws(StoreError) -> [StoredEvent] { try await real.record(runs) }
    func recordFollowUps(_ followUps: [FollowUp]) async throws(StoreError) -> [StoredEvent] {
        try await real.recordFollowUps(followUps)
    }
    func knownSourceKeys(channel: Channel, among keys: [String]) async throws(StoreError) -> Set<String> {
        try await real.knownSourceKeys(channel: channel, among: keys)
    }
    func recentAppeals(
        phones: [String], emails: [String], since: Date, perApplicant: Int
    ) async throws(StoreError)
        -> [RecentAppeal]
    { try await real.recentAppeals(phones: phones, emails: emails, since: since, perApplicant: perApplicant) }
    func openCallbacks() async throws(StoreError) -> [CallbackTask] { try await real.openCallbacks() }
    func documents(channel: Channel, sourceKey: String) async throws(StoreError) -> [Document] {
        try await real.documents(channel: channel, sourceKey: sourceKey)
    }
    func documentContent(sha256: String) async throws(StoreError) -> [UInt8]? {
        try await real.documentContent(sha256: sha256)
    }
    func checkpoint(_ name: String) async throws(StoreError) -> String? { try await real.checkpoint(name) }
    func saveCheckpoint(_ name: String, value: String, at now: Date) async throws(StoreError) {
        try await real.saveCheckpoint(name, value: value, at: now)
    }
    func appeal(id: Int64) async throws(StoreError) -> Appeal? { try await real.appeal(id: id) }
    func appeal(tracking: TrackingNumber) async throws(StoreError) -> Appeal? {
        try await real.appeal(tracking: tracking)
    }
    func appeals(_ query: AppealQuery) async throws(StoreError) -> [Appeal] { try await real.appeals(query) }
    func history(of appealID: Int64) async throws(StoreError) -> [StoredEvent] {
        try await real.history(of: appealID)
    }
    func assignments(of appealID: Int64) async throws(StoreError) -> [Assignment] {
        try await real.assignments(of: appealID)
    }
    func search(_ query: AppealSearch) async throws(StoreError) -> [Appeal] { try await real.search(query) }
    func escalations(from: Date, until: Date, limit: Int) async throws(StoreError) -> [StoredEvent] {
        try await real.escalations(from: from, until: until, limit: limit)
    }
    func quarantined(_ query: QuarantineQuery) async throws(StoreError) -> [QuarantineEntry] {
        try await real.quarantined(query)
    }
    func quarantineEntry(id: Int64) async throws(StoreError) -> QuarantineEntry? {
        try await real.quarantineEntry(id: id)
    }
    func resolveQuarantine(id: Int64) async throws(StoreError) { try await real.resolveQuarantine(id: id) }
    func counts() async throws(StoreError) -> StoreCounts { try await real.counts() }
    func changeStamp() async throws(StoreError) -> Int64 { try await real.changeStamp() }
    func apply(_ changes: [AppealChange]) async throws(StoreError) -> ApplyResult { try await real.apply(changes) }
    func appealsToCheck(on day: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        try await real.appealsToCheck(on: day, limit: limit)
    }
    func deadlineBases(after id: Int64, limit: Int) async throws(StoreError) -> [DeadlineBasis] {
        try await real.deadlineBases(after: id, limit: limit)
    }
    func departmentFigures(_ query: FiguresQuery) async throws(StoreError) -> [DepartmentFigures] {
        try await real.departmentFigures(query)
    }
    func overdueAppeals(at: Date, dueBefore: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        try await real.overdueAppeals(at: at, dueBefore: dueBefore, limit: limit)
    }
    func intake(from: Date, until: Date) async throws(StoreError) -> [Channel: Int] {
        try await real.intake(from: from, until: until)
    }
    func keepReport(_ report: KeptReport) async throws(StoreError) -> KeptReport { try await real.keepReport(report) }
    func keptReport(for date: LocalDate) async throws(StoreError) -> KeptReport? {
        try await real.keptReport(for: date)
    }
    func enqueueNotices(_ notices: [Notice]) async throws(StoreError) -> Int { try await real.enqueueNotices(notices) }
    func claimOutbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [OutboxItem] {
        try await real.claimOutbox(limit: limit, now: now, lease: lease)
    }
    func markSent(_ id: Int64, at: Date) async throws(StoreError) { try await real.markSent(id, at: at) }
    func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws(StoreError) {
        try await real.markFailed(id, error: error, retryAt: retryAt)
    }
    func outbox(state: OutboxItem.State?, limit: Int) async throws(StoreError) -> [OutboxItem] {
        try await real.outbox(state: state, limit: limit)
    }
    func tasks(of appealID: Int64) async throws(StoreError) -> [AppealTask] { try await real.tasks(of: appealID) }
    func openTasks(dueThrough: LocalDate?) async throws(StoreError) -> [AppealTask] {
        try await real.openTasks(dueThrough: dueThrough)
    }
}
