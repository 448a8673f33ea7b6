public import Foundation
public import MurojaatCore
public import Store
import Testing

/// The one suite every ``Store/AppealStore`` must pass. Each store's test target runs every case against a fresh,
/// empty store of its kind:
///
/// ```swift
/// @Test(arguments: StoreConformance.cases)
/// func conformance(_ check: StoreConformance.Case) async throws { try await check.run(try makeStore()) }
/// ```
public enum StoreConformance {
    public struct Case: Sendable, CustomStringConvertible {
        public let name: String
        public let run: @Sendable (any AppealStore) async throws -> Void
        public var description: String { name }
    }

    public static let cases: [Case] = [
        Case(name: "enqueue is idempotent per channel and source key", run: idempotentInbox),
        Case(name: "claims lease items and give them out again after the lease", run: claimsLease),
        Case(name: "registration assigns tracking numbers and chains events", run: registration),
        Case(name: "registering an item twice creates one appeal", run: doubleRegistration),
        Case(name: "events append with transitions checked against the current status", run: recordEvents),
        Case(name: "queries filter by department, status, channel and due date", run: queries),
        Case(name: "quarantine keeps raw bytes once per source", run: quarantine),
        Case(name: "documents are kept once per content and listed in order", run: documents),
        Case(name: "follow-ups are recorded once on their appeal", run: followUps),
        Case(name: "checkpoints are saved and replaced", run: checkpoints),
        Case(name: "runs of events apply in one go and skip appeals that changed", run: eventRuns),
    ]

    public static let t0 = Date(timeIntervalSince1970: 1_742_281_200)  // 2025-03-18 12:00 Tashkent

    public static func draft(
        _ key: String, channel: Channel = .call, text: String = "matn",
        at: Date = t0
    ) -> AppealDraft {
        AppealDraft(
            // Every field set, with quotes, backslashes, newlines and non-Latin text, so a store that drops or
            // garbles one on the way through the inbox fails the round trip.
            channel: channel, sourceKey: key, receivedAt: at, text: text, subject: "mavzu \"1\"\\2",
            kind: .shikoyat, intake: .consultation,
            applicant: Applicant(
                name: "Алиев Вали", phone: "+998901234567", email: "vali@example.uz", address: "Andijon,\nBog'ishamol"),
            region: "Andijon", country: "Rossiya", language: "uz",
            bindingDeadline: LocalDate(year: 2025, month: 4, day: 2), oralAnswer: "tushuntirildi\t✓",
            origin: "test.csv:2",
            extra: [
                "operator": "op1", "q\"": "a\nb", "ctl": "\u{1}x", "3:ab,": "1:,", "": "", "ўзб": "日本 12:",
            ])
    }

    public static func registration(
        for item: InboxItem, department: String? = "ABROAD", due: String = "2025-04-02",
        status: Status = .assigned
    ) -> Registration {
        var events = [
            AppealEvent(
                at: t0, actor: "system:router", kind: .registered, why: "test",
                data: ["due": due], status: .registered)
        ]
        if status == .assigned {
            events.append(
                AppealEvent(
                    at: t0, actor: "system:router", kind: .assigned, data: ["department": department ?? ""],
                    status: .assigned))
        }
        return Registration(
            inboxID: item.id, draft: item.draft, kind: .shikoyat, status: status, department: department,
            coExecutors: department == nil ? [] : ["DISPUTES"], urgent: false, policy: "standard",
            due: LocalDate(due), registeredAt: t0, language: "uz-Latn", tags: ["wages"], forwardTo: nil,
            routing: "{\"reason\":\"test\"}", events: events, assignedBy: "system:router")
    }

    static func idempotentInbox(_ store: any AppealStore) async throws {
        let first = try await store.enqueue([draft("c1"), draft("c2"), draft("c1", channel: .email)], at: t0)
        #expect(first == EnqueueSummary(added: 3, duplicates: 0))
        let again = try await store.enqueue([draft("c1"), draft("c2"), draft("c3")], at: t0)
        #expect(again == EnqueueSummary(added: 1, duplicates: 2))
        let counts = try await store.counts()
        #expect(counts.inboxPending == 4)
        // Registered items still count as known: re-importing after routing adds nothing.
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        _ = try await store.register(items.map { registration(for: $0) })
        let afterRouting = try await store.enqueue([draft("c1"), draft("c3")], at: t0)
        #expect(afterRouting == EnqueueSummary(added: 0, duplicates: 2))
    }

    static func claimsLease(_ store: any AppealStore) async throws {
        _ = try await store.enqueue((1...5).map { draft("k\($0)") }, at: t0)
        let first = try await store.claimInbox(limit: 3, now: t0, lease: .seconds(60))
        #expect(first.map(\.draft.sourceKey) == ["k1", "k2", "k3"])
        #expect(first[0].draft == draft("k1"))
        let second = try await store.claimInbox(limit: 10, now: t0.addingTimeInterval(1), lease: .seconds(60))
        #expect(second.map(\.draft.sourceKey) == ["k4", "k5"])
        #expect(try await store.claimInbox(limit: 10, now: t0.addingTimeInterval(2), lease: .seconds(60)).isEmpty)
        // The worker holding k1-k3 died: after the lease they are given out again.
        let retried = try await store.claimInbox(limit: 10, now: t0.addingTimeInterval(61), lease: .seconds(60))
        #expect(retried.map(\.draft.sourceKey) == ["k1", "k2", "k3"])
        #expect(retried.allSatisfy { $0.attempts == 2 })
    }

    static func registration(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("r1"), draft("r2")], at: t0)
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        let appeals = try await store.register(items.map { registration(for: $0) })
        #expect(appeals.count == 2)
        #expect(Set(appeals.map(\.tracking)).count == 2)
        let stored = try #require(try await store.appeal(tracking: appeals[0].tracking))
        #expect(stored == appeals[0])
        #expect(stored.department == "ABROAD")
        #expect(stored.coExecutors == ["DISPUTES"])
        #expect(stored.due == LocalDate("2025-04-02"))
        #expect(stored.extra == draft("x").extra)
        let history = try await store.history(of: stored.id)
        #expect(history.map(\.event.kind) == [.registered, .assigned])
        #expect(history.map(\.sequence) == [1, 2])
        #expect(EventChain.firstBrokenLink(in: history) == nil)
        var tampered = history
        tampered[0].event.why = "changed later"
        #expect(EventChain.firstBrokenLink(in: tampered) == 1)
        let assignments = try await store.assignments(of: stored.id)
        #expect(assignments.map(\.department) == ["ABROAD", "DISPUTES"])
        #expect(assignments.map(\.role) == [.main, .co])
        #expect(try await store.counts().inboxPending == 0)
        #expect(try await store.claimInbox(limit: 10, now: t0.addingTimeInterval(3600), lease: .seconds(60)).isEmpty)
    }

    static func doubleRegistration(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("d1")], at: t0)
        let first = try await store.claimInbox(limit: 1, now: t0, lease: .seconds(1))
        let second = try await store.claimInbox(limit: 1, now: t0.addingTimeInterval(5), lease: .seconds(1))
        #expect(first.map(\.id) == second.map(\.id))
        // Two workers finish the same item (the first was slow, its lease ran out): one appeal results.
        _ = try await store.register(first.map { registration(for: $0) })
        _ = try await store.register(second.map { registration(for: $0) })
        #expect(try await store.counts().appeals == 1)
        #expect(try await store.counts().events == 2)
    }

    static func recordEvents(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("e1")], at: t0)
        let items = try await store.claimInbox(limit: 1, now: t0, lease: .seconds(60))
        let appeal = try #require(try await store.register(items.map { registration(for: $0) }).first)
        let event = AppealEvent(
            at: t0.addingTimeInterval(60), actor: "ijrochi", kind: "work_started",
            why: "o'rganilmoqda", status: .inProgress)
        let stored = try await store.record(event, on: appeal.id, expecting: .assigned)
        #expect(stored.sequence == 3)
        #expect(try await store.appeal(id: appeal.id)?.status == .inProgress)
        await #expect(throws: StoreError.self) {
            try await store.record(event, on: appeal.id, expecting: .assigned)
        }
        await #expect(throws: StoreError.self) {
            try await store.record(event, on: 999_999, expecting: nil)
        }
        let history = try await store.history(of: appeal.id)
        #expect(history.count == 3)
        #expect(EventChain.firstBrokenLink(in: history) == nil)
    }

    static func queries(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("q1"), draft("q2"), draft("q3", channel: .email), draft("q4")], at: t0)
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        _ = try await store.register([
            registration(for: items[0], department: "ABROAD", due: "2025-04-02"),
            registration(for: items[1], department: "PLACEMENT", due: "2025-03-25"),
            registration(for: items[2], department: "ABROAD", due: "2025-04-10"),
            registration(for: items[3], department: nil, due: "2025-03-20", status: .registered),
        ])
        #expect(try await store.appeals(AppealQuery()).map(\.sourceKey) == ["q4", "q2", "q1", "q3"])
        #expect(try await store.appeals(AppealQuery(department: "ABROAD")).map(\.sourceKey) == ["q1", "q3"])
        #expect(try await store.appeals(AppealQuery(status: .registered)).map(\.sourceKey) == ["q4"])
        #expect(try await store.appeals(AppealQuery(channel: .email)).map(\.sourceKey) == ["q3"])
        #expect(
            try await store.appeals(AppealQuery(dueBefore: LocalDate("2025-04-02"))).map(\.sourceKey) == ["q4", "q2"])
        #expect(try await store.appeals(AppealQuery(limit: 2, offset: 1)).map(\.sourceKey) == ["q2", "q1"])
    }

    static func quarantine(_ store: any AppealStore) async throws {
        let raw: [UInt8] = Array("12;;garbage\r\n".utf8) + [0xFF, 0x00]
        let record = QuarantineRecord(
            channel: .call, source: "calls.csv", position: "line 7", reason: "bad date",
            raw: raw, sourceKey: "12", at: t0)
        #expect(try await store.quarantine([record, record]) == 1)
        #expect(try await store.quarantine([record]) == 0)
        var other = record
        other.source = "calls-2.csv"
        #expect(try await store.quarantine([other]) == 1)
        let entries = try await store.quarantined(QuarantineQuery())
        #expect(entries.count == 2)
        #expect(entries[0].record == record)
        #expect(try await store.quarantineEntry(id: entries[0].id)?.record.raw == raw)
        #expect(try await store.counts().quarantined == 2)
    }

    static func document(_ name: String?, _ content: [UInt8], role: Document.Role = .attachment) -> Document {
        // A stand-in digest: stores key content by the SHA-256 the adapter computed, they do not recompute it.
        let digest = content.map { String($0, radix: 16) }.joined().padding(toLength: 64, withPad: "0", startingAt: 0)
        return Document(
            role: role, name: name, contentType: "application/pdf", size: content.count, sha256: digest,
            content: content)
    }

    static func documents(_ store: any AppealStore) async throws {
        let scan = document("pasport.pdf", [1, 2, 3])
        var big = document("video.mp4", [9, 9, 9, 9])
        big.content = nil
        big.stored = false
        big.note = "over the limit"
        var first = draft("m1", channel: .email)
        first.documents = [document(nil, [7, 7], role: .original), scan, big]
        var second = draft("m2", channel: .email)
        second.documents = [scan]
        #expect(try await store.enqueue([first, second], at: t0).added == 2)
        // Enqueued again: neither the documents nor their content double.
        _ = try await store.enqueue([first], at: t0)

        let listed = try await store.documents(channel: .email, sourceKey: "m1")
        #expect(listed.map(\.name) == [nil, "pasport.pdf", "video.mp4"])
        #expect(listed.map(\.role) == [.original, .attachment, .attachment])
        #expect(listed.map(\.stored) == [true, true, false])
        #expect(listed[2].note == "over the limit")
        #expect(listed[2].size == 4)
        #expect(listed.allSatisfy { $0.content == nil })
        #expect(try await store.documents(channel: .email, sourceKey: "m2").map(\.sha256) == [scan.sha256])
        #expect(try await store.documentContent(sha256: scan.sha256) == [1, 2, 3])
        #expect(try await store.documentContent(sha256: big.sha256) == nil)
        #expect(try await store.documents(channel: .call, sourceKey: "m1").isEmpty)
        // Claimed drafts come back without documents: they are read by channel and source key.
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        #expect(items.allSatisfy { $0.draft.documents.isEmpty })
    }

    static func followUps(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("f1")], at: t0)
        let items = try await store.claimInbox(limit: 1, now: t0, lease: .seconds(60))
        let appeal = try #require(try await store.register(items.map { registration(for: $0) }).first)
        var reply = draft("f2", channel: .email)
        reply.followUpOf = appeal.tracking
        _ = try await store.enqueue([reply], at: t0)
        let claimed = try #require(try await store.claimInbox(limit: 1, now: t0, lease: .seconds(60)).first)
        #expect(claimed.draft.followUpOf == appeal.tracking)
        let event = AppealEvent(at: t0, actor: "system:router", kind: .followUp, data: ["text": "yana"])
        let recorded = try await store.recordFollowUps([
            FollowUp(inboxID: claimed.id, appealID: appeal.id, event: event)
        ])
        #expect(recorded.map(\.sequence) == [3])
        // The same item again (a worker whose lease ran out): nothing more is recorded.
        #expect(
            try await store.recordFollowUps([FollowUp(inboxID: claimed.id, appealID: appeal.id, event: event)]).isEmpty)
        let history = try await store.history(of: appeal.id)
        #expect(history.map(\.event.kind) == [.registered, .assigned, .followUp])
        #expect(EventChain.firstBrokenLink(in: history) == nil)
        #expect(try await store.appeal(id: appeal.id)?.status == .assigned)
        #expect(try await store.counts().inboxPending == 0)
        #expect(try await store.counts().appeals == 1)
    }

    static func checkpoints(_ store: any AppealStore) async throws {
        #expect(try await store.checkpoint("imap:info") == nil)
        try await store.saveCheckpoint("imap:info", value: "17:40", at: t0)
        try await store.saveCheckpoint("imap:other", value: "1:1", at: t0)
        try await store.saveCheckpoint("imap:info", value: "17:52", at: t0.addingTimeInterval(60))
        #expect(try await store.checkpoint("imap:info") == "17:52")
        #expect(try await store.checkpoint("imap:other") == "1:1")
    }

    static func eventRuns(_ store: any AppealStore) async throws {
        _ = try await store.enqueue([draft("g1"), draft("g2")], at: t0)
        let items = try await store.claimInbox(limit: 2, now: t0, lease: .seconds(60))
        let appeals = try await store.register(items.map { registration(for: $0) })
        let answer = AppealEvent(at: t0, actor: "t", kind: .answered, status: .answered)
        let close = AppealEvent(at: t0, actor: "t", kind: .closed, status: .closed)
        let stored = try await store.record([
            EventRun(appealID: appeals[0].id, expecting: .assigned, events: [answer, close]),
            // Seen as registered, but it is assigned by now: skipped whole.
            EventRun(appealID: appeals[1].id, expecting: .registered, events: [answer, close]),
        ])
        #expect(stored.map(\.sequence) == [3, 4])
        #expect(try await store.appeal(id: appeals[0].id)?.status == .closed)
        #expect(try await store.appeal(id: appeals[1].id)?.status == .assigned)
        #expect(EventChain.firstBrokenLink(in: try await store.history(of: appeals[0].id)) == nil)
    }
}
