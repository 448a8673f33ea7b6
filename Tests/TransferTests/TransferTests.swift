import Foundation
import GRDB
import Logging
import MurojaatCore
import MurojaatTesting
import PostgresStore
import Store
import StoreConformance
import Testing

@testable import SQLiteStore

/// An installation filled through SQLiteStore's protocol, moved into a fresh database of a throwaway PostgreSQL 15,
/// and read back through PostgresStore's: what a user of either store sees must be the same.
@Suite struct TransferTests {
    static let logger: Logger = {
        var logger = Logger(label: "murojaat.postgres.test")
        logger.logLevel = .warning
        return logger
    }()

    static let t0 = StoreConformance.t0

    /// A new SQLite store in a folder of its own.
    static func sqlite() throws -> SQLiteStore {
        let folder = try TestFolders.temporary("transfer")
        return try SQLiteStore(path: folder.appendingPathComponent("murojaat.sqlite").path)
    }

    static func withTarget(_ body: (PostgresStore, String) async throws -> Void) async throws {
        let url = try PostgresServer.shared().createDatabase()
        let store = try await PostgresStore.open(url: url, logger: Self.logger)
        do {
            try await body(store, url)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    static func document(_ name: String?, _ content: [UInt8], role: Document.Role = .attachment) -> Document {
        Document(
            role: role, name: name, contentType: "application/pdf", size: content.count,
            sha256: EventChain.digest(content), content: content)
    }

    /// Everything the installation holds: appeals from several channels with tracker changes, a pending draft of
    /// the first schema (JSON in the inbox row), quarantine, documents, notices, a kept daily report, tasks, accounts,
    /// checkpoints.
    static func fill(_ store: SQLiteStore) async throws {
        var drafts: [AppealDraft] = []
        for (index, channel) in [Channel.email, .call, .virtualReception, .webhook, .eXat].enumerated() {
            var draft = StoreConformance.draft("k\(index)", channel: channel, text: "pasport muddati \(index)")
            if channel == .email {
                draft.documents = [
                    document(nil, Array("From: vali\r\n\r\nsalom".utf8), role: .original),
                    document("pasport.pdf", [0, 1, 2, 255]),
                ]
            }
            drafts.append(draft)
        }
        drafts[2].text = "Ish haqi to'lanmadi, ёрдам беринг"
        // A draft with no extra fields (most e-mails): SQLite keeps NULL, PostgreSQL an empty object.
        drafts[3].extra = [:]
        #expect(try await store.enqueue(drafts, at: t0).added == drafts.count)
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        let appeals = try await store.register(
            items.enumerated().map { index, item in
                StoreConformance.registration(for: item, status: index == 4 ? .registered : .assigned)
            })
        #expect(appeals.count == drafts.count)
        // Tracker changes: a new deadline, escalations, reassignment, a notice with an attachment and a task.
        let later = t0.addingTimeInterval(3600)
        let result = try await store.apply([
            AppealChange(
                appealID: appeals[0].id, expectedSequence: 2,
                events: [
                    AppealEvent(
                        at: later, actor: "head", kind: .extended, why: "ekspertiza", data: ["due": "2025-05-02"])
                ],
                updates: [
                    .due(LocalDate("2025-05-02")), .extensions(1), .escalations(["department"]),
                    .nextCheck(LocalDate("2025-04-29")), .department("LEGAL"), .coExecutors(["PRESS", "INTL"]),
                    .tags(["wages", "needs-study"]),
                ],
                assignments: [NewAssignment(department: "LEGAL", role: .main)],
                notices: [
                    Notice(
                        kind: "extension", appealID: appeals[0].id, to: ["vali@example.uz", "b@x.uz"],
                        cc: ["cc@migration.uz"], subject: "Muddat uzaytirildi", text: "matn", html: "<p>m</p>",
                        attachments: [.init(name: "qaror.pdf", contentType: "application/pdf", content: [1, 2])],
                        createdAt: later)
                ],
                tasks: [NewTask(kind: "proposal-study-notice", due: LocalDate(year: 2025, month: 3, day: 28)!)]),
            AppealChange(
                appealID: appeals[1].id, expectedSequence: 2,
                events: [AppealEvent(at: later, actor: "user:ali", kind: .answered, status: .answered)],
                updates: [.answeredAt(later), .closedAt(later), .nextCheck(nil)]),
        ])
        #expect(result.conflicts.isEmpty)
        _ = try await store.enqueueNotices([
            Notice(
                kind: "daily_report", appealID: nil, to: ["control@migration.uz"], subject: "Hisobot", text: "t",
                dedupKey: "daily-report:2025-03-18", createdAt: t0)
        ])
        let sent = try await store.claimOutbox(limit: 1, now: later, lease: .seconds(60))
        try await store.markSent(try #require(sent.first).id, at: later)
        _ = try await store.keepReport(
            KeptReport(date: LocalDate("2025-03-18")!, keptAt: later, body: Array(#"{"date":"2025-03-18"}"#.utf8)))
        // Quarantine, one resolved; raw bytes that are no text at all.
        _ = try await store.quarantine([
            QuarantineRecord(
                channel: .call, source: "cards.csv", position: "line 7",
                reason: Wording(uz: "telefon raqami yo‘q", ru: "нет номера телефона", en: "no phone"),
                raw: [0xFF, 0, 0x80, 10],
                sourceKey: "c7", at: t0),
            QuarantineRecord(
                channel: .email, source: "INBOX", position: nil, reason: Wording(verbatim: "not MIME"),
                raw: Array("x\r\n".utf8), at: t0),
        ])
        let quarantined = try await store.quarantined(QuarantineQuery(includeResolved: true))
        try await store.resolveQuarantine(id: try #require(quarantined.last).id)
        try await store.saveCheckpoint("maildir:/var/mail", value: "uid=4711", at: t0)
        // A follow-up pending in the inbox, and a draft of the first schema (before drafts had their own table).
        var reply = StoreConformance.draft("r1", channel: .email, text: "yana yozaman")
        reply.followUpOf = appeals[0].tracking
        _ = try await store.enqueue([reply], at: later)
        let old = StoreConformance.draft("old1", channel: .call, text: "eski murojaat")
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO inbox (channel, source_key, received_at, enqueued_at, draft) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    old.channel.rawValue, old.sourceKey, Codecs.millis(old.receivedAt), Codecs.millis(t0),
                    Codecs.draftJSON(old),
                ])
        }
        // Accounts.
        let ali = try await store.addUser(
            NewUser(login: "ali", name: "Ali Valiyev", role: .executor, department: "LEGAL", passwordHash: "$2b$x"),
            at: t0)
        _ = try await store.addUser(
            NewUser(login: "root", name: "Admin", role: .admin, language: "ru", passwordHash: "$2b$y"), at: t0)
        // A disabled account moves too (an administrator's, beside the one who stays).
        _ = try await store.addUser(
            NewUser(login: "retired", name: "Old Admin", role: .admin, language: "en", passwordHash: "$2b$z"), at: t0)
        _ = try await store.updateUser(login: "retired", UserUpdate(disabled: true))
        try await store.openSession(
            StaffSession(
                tokenHash: "session-hash", userID: ali.id, csrf: "csrf1", createdAt: t0,
                expiresAt: t0.addingTimeInterval(86400)))
        let token = try await store.addToken(name: "ci", tokenHash: "token-hash", userID: ali.id, at: t0)
        _ = try await store.addToken(name: "old", tokenHash: "token-old", userID: ali.id, at: t0)
        try await store.revokeToken(id: token.id + 1)
    }

    @Test func movesAWholeInstallation() async throws {
        let source = try Self.sqlite()
        try await Self.fill(source)
        try await Self.withTarget { target, _ in
            var seen: [String: Int] = [:]
            let report = try await InstallationTransfer.run(from: source, to: target, batch: 2) { table, rows in
                seen[table] = rows
            }
            #expect(report.matches, "\(report.differences)")
            #expect(report.sourceChecksum == report.targetChecksum)
            #expect(report.tables.map(\.name).contains("inbox_drafts"))
            #expect(report.tables.allSatisfy { $0.source > 0 }, "a table with nothing in it tests nothing: \(report)")
            #expect(seen["events"] == report.tables.first { $0.name == "events" }?.source)
            try await Self.expectSame(source, target)

            // A second transfer into it is refused, and changes nothing.
            let again = await #expect(throws: StoreError.self) {
                _ = try await InstallationTransfer.run(from: source, to: target)
            }
            #expect(again?.code == .conflict)
            #expect(try await target.eventsChecksum() == report.sourceChecksum)

            // Numbering goes on above the moved ids: new appeals, inbox rows, notices, users.
            let highest = try #require(try await source.appeals(AppealQuery(limit: 100)).map(\.id).max())
            _ = try await target.enqueue([StoreConformance.draft("new1")], at: Self.t0)
            let items = try await target.claimInbox(
                limit: 10, now: Self.t0.addingTimeInterval(7200), lease: .seconds(60))
            let fresh = try #require(items.first { $0.draft.sourceKey == "new1" })
            let registered = try await target.register([StoreConformance.registration(for: fresh)])
            #expect(try #require(registered.first).id == highest + 1)
            let user = try await target.addUser(
                NewUser(login: "new", name: "N", role: .operator, passwordHash: "h"), at: Self.t0)
            #expect(user.id == 4)
        }
    }

    /// Reads both stores through their protocols and compares.
    static func expectSame(_ source: SQLiteStore, _ target: PostgresStore) async throws {
        let counts = try await source.counts()
        #expect(try await target.counts() == counts)
        let appeals = try await source.appeals(AppealQuery(limit: 100))
        #expect(appeals.count == 5)
        for appeal in appeals {
            #expect(try await target.appeal(tracking: appeal.tracking) == appeal)
            let history = try await source.history(of: appeal.id)
            #expect(try await target.history(of: appeal.id) == history)
            #expect(EventChain.firstBrokenLink(in: history) == nil)
            let assignments = try await source.assignments(of: appeal.id)
            #expect(try await target.assignments(of: appeal.id) == assignments)
            let tasks = try await source.tasks(of: appeal.id)
            #expect(try await target.tasks(of: appeal.id) == tasks)
            let documents = try await source.documents(channel: appeal.channel, sourceKey: appeal.sourceKey)
            #expect(try await target.documents(channel: appeal.channel, sourceKey: appeal.sourceKey) == documents)
            for document in documents {
                let content = try await source.documentContent(sha256: document.sha256)
                #expect(content != nil)
                #expect(try await target.documentContent(sha256: document.sha256) == content)
            }
        }
        #expect(try await target.appeals(AppealQuery(limit: 100)) == appeals)
        let quarantined = try await source.quarantined(QuarantineQuery(includeResolved: true))
        #expect(quarantined.count == 2)
        #expect(try await target.quarantined(QuarantineQuery(includeResolved: true)) == quarantined)
        #expect(try await target.quarantineEntry(id: 1)?.record.raw == [0xFF, 0, 0x80, 10])
        let outbox = try await source.outbox(state: nil, limit: 100)
        #expect(outbox.count == 2)
        #expect(try await target.outbox(state: nil, limit: 100) == outbox)
        let openTasks = try await source.openTasks(dueThrough: nil)
        #expect(try await target.openTasks(dueThrough: nil) == openTasks)
        #expect(try await target.checkpoint("maildir:/var/mail") == "uid=4711")
        let kept = try #require(try await source.keptReport(for: LocalDate("2025-03-18")!))
        #expect(try await target.keptReport(for: LocalDate("2025-03-18")!) == kept)
        let users = try await source.users()
        #expect(try await target.users() == users)
        let tokens = try await source.tokens()
        #expect(try await target.tokens() == tokens)
        let now = t0.addingTimeInterval(60)
        let session = try #require(try await target.session(tokenHash: "session-hash", now: now))
        #expect(session.1.login == "ali" && session.0.csrf == "csrf1")
        #expect(try await target.user(tokenHash: "token-hash")?.login == "ali")
        #expect(try await target.user(tokenHash: "token-old") == nil)
        // Search: the target indexed the moved appeals itself, in both scripts.
        for words in ["pasport", "ish haqi", "ёрдам", "yordam"] {
            let found = try await source.search(AppealSearch(words: words)).map(\.id)
            #expect(!found.isEmpty, "\(words)")
            #expect(try await target.search(AppealSearch(words: words)).map(\.id) == found, "\(words)")
        }
        // The pending inbox, the first schema's draft with it, claims the same on both sides.
        let later = t0.addingTimeInterval(7200)
        let pending = try await source.claimInbox(limit: 10, now: later, lease: .seconds(60))
        #expect(pending.map(\.draft.sourceKey).sorted() == ["old1", "r1"])
        let moved = try await target.claimInbox(limit: 10, now: later, lease: .seconds(60))
        #expect(moved.map(\.id) == pending.map(\.id))
        #expect(moved.map(\.draft) == pending.map(\.draft))
    }

    @Test func anEmptyInstallationMovesToo() async throws {
        let source = try Self.sqlite()
        try await Self.withTarget { target, _ in
            let report = try await InstallationTransfer.run(from: source, to: target)
            #expect(report.matches)
            #expect(report.tables.allSatisfy { $0.source == 0 && $0.target == 0 })
        }
    }

    /// A column a later migration adds and the transfer does not know: the transfer does not start.
    @Test func aColumnTheTransferDoesNotKnowStopsIt() async throws {
        let source = try Self.sqlite()
        try await source.pool.write { db in try db.execute(sql: "ALTER TABLE appeals ADD COLUMN mood TEXT") }
        let error = await #expect(throws: StoreError.self) { _ = try await source.transferTables() }
        #expect(error?.message.contains("appeals.mood") == true, "\(String(describing: error))")
    }

    /// The figure for the report, in a debug build: `TRANSFER_BENCH=10000 swift test --filter TransferTests`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TRANSFER_BENCH"] != nil))
    func timing() async throws {
        let count = Int(ProcessInfo.processInfo.environment["TRANSFER_BENCH"] ?? "") ?? 10_000
        let source = try Self.sqlite()
        for start in stride(from: 0, to: count, by: 1000) {
            let drafts = (start..<min(count, start + 1000)).map {
                StoreConformance.draft("b\($0)", text: "pasport muddati o'tdi, yordam bering \($0)")
            }
            _ = try await source.enqueue(drafts, at: Self.t0)
            let items = try await source.claimInbox(limit: drafts.count, now: Self.t0, lease: .seconds(60))
            _ = try await source.register(items.map { StoreConformance.registration(for: $0) })
        }
        try await Self.withTarget { target, _ in
            let started = ContinuousClock.now
            let report = try await InstallationTransfer.run(from: source, to: target)
            let elapsed = ContinuousClock.now - started
            #expect(report.matches)
            print("transfer of \(count) appeals (\(report.tables.reduce(0) { $0 + $1.source }) rows): \(elapsed)")
        }
    }
}
