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
        Case(name: "urgent first lists urgent appeals by deadline, then the others, page by page", run: urgentFirst),
        Case(name: "quarantine keeps raw bytes once per source", run: quarantine),
        Case(name: "documents are kept once per content and listed in order", run: documents),
        Case(name: "follow-ups are recorded once on their appeal", run: followUps),
        Case(name: "checkpoints are saved and replaced", run: checkpoints),
        Case(name: "runs of events apply in one go and skip appeals that changed", run: eventRuns),
        Case(name: "tracker changes apply whole, and a stale one is refused as a conflict", run: trackerChanges),
        Case(name: "changes to one appeal in one call follow each other in its chain", run: chainedChanges),
        Case(name: "the sweep reads only appeals whose check day has come", run: checksDue),
        Case(name: "ending consideration ends the clock whoever records it", run: closingEndsTheClock),
        Case(name: "the outbox leases, retries, fails and sends each notice once", run: outbox),
        Case(name: "a notice with a dedup key is written once", run: outboxDedup),
        Case(name: "the daily report of a date is kept once, the first one", run: keptReports),
        Case(name: "tasks are created with a change and completed once", run: tasks),
        Case(name: "report figures count by department as of a moment", run: figures),
        Case(name: "deadline bases list open appeals in pages", run: deadlineBases),
        Case(name: "search finds words in any script, phones and addresses, within a department", run: search),
        Case(name: "the escalations of a day are listed newest first", run: escalations),
        Case(name: "the change stamp moves with every change and only then", run: changeStamp),
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

    static func urgentFirst(_ store: any AppealStore) async throws {
        let keys = ["u1", "u2", "u3", "n1", "n2", "n3", "x1"]
        _ = try await store.enqueue(keys.map { draft($0) }, at: t0)
        let items = try await store.claimInbox(limit: keys.count, now: t0, lease: .seconds(60))
        let plan: [String: (urgent: Bool, due: String?)] = [
            "u1": (true, "2025-04-10"), "u2": (true, nil), "u3": (true, "2025-04-02"),
            "n1": (false, "2025-03-20"), "n2": (false, "2025-03-25"), "n3": (false, nil),
            // Urgent but in another status: the status filter applies to both groups.
            "x1": (true, "2025-03-19"),
        ]
        _ = try await store.register(
            items.map { item in
                let (urgent, due) = plan[item.draft.sourceKey]!
                let status: Status = item.draft.sourceKey == "x1" ? .assigned : .registered
                var registration = registration(
                    for: item, department: status == .assigned ? "ABROAD" : nil, due: due ?? "2025-04-02",
                    status: status)
                registration.urgent = urgent
                registration.due = due.flatMap(LocalDate.init)
                return registration
            })
        func page(limit: Int, offset: Int) async throws -> [String] {
            try await store.appeals(AppealQuery(status: .registered, urgentFirst: true, limit: limit, offset: offset))
                .map(\.sourceKey)
        }
        let order = ["u3", "u1", "u2", "n1", "n2", "n3"]
        #expect(try await page(limit: 10, offset: 0) == order)
        // Pages that cut through each group and across from one to the other.
        #expect(try await page(limit: 2, offset: 0) == ["u3", "u1"])
        #expect(try await page(limit: 2, offset: 2) == ["u2", "n1"])
        #expect(try await page(limit: 3, offset: 3) == ["n1", "n2", "n3"])
        #expect(try await page(limit: 2, offset: 6) == [])
        // Without it, the deadline alone orders.
        #expect(
            try await store.appeals(AppealQuery(status: .registered)).map(\.sourceKey)
                == ["n1", "n2", "u3", "u1", "u2", "n3"])
    }

    static func quarantine(_ store: any AppealStore) async throws {
        let raw: [UInt8] = Array("12;;garbage\r\n".utf8) + [0xFF, 0x00]
        let record = QuarantineRecord(
            channel: .call, source: "calls.csv", position: "line 7",
            reason: Wording(uz: "sana noto‘g‘ri", ru: "неверная дата", en: "bad date"),
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

        // A page people read: newest first, the next page below the last number, a line's worth of bytes.
        var third = record
        third.source = "calls-3.csv"
        #expect(try await store.quarantine([third]) == 1)
        let newest = try await store.quarantined(QuarantineQuery(limit: 2, newestFirst: true, rawPrefix: 3))
        #expect(newest.map(\.record.source) == ["calls-3.csv", "calls-2.csv"])
        #expect(newest.allSatisfy { $0.record.raw == Array(raw.prefix(3)) })
        let older = try await store.quarantined(QuarantineQuery(limit: 2, newestFirst: true, before: newest[1].id))
        #expect(older.map(\.record.source) == ["calls.csv"] && older[0].record.raw == raw)
        try await store.resolveQuarantine(id: newest[0].id)
        #expect(
            try await store.quarantined(QuarantineQuery(newestFirst: true)).map(\.record.source) == [
                "calls-2.csv", "calls.csv",
            ])
        #expect(try await store.quarantined(QuarantineQuery(includeResolved: true)).count == 3)
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

// MARK: tracker

extension StoreConformance {
    /// Registers one appeal per key (assigned to `department`, due `due`) and returns them.
    static func appeals(
        _ store: any AppealStore, _ keys: [String], department: String? = "ABROAD", due: String = "2025-04-02",
        control: Appeal.Control = Appeal.Control()
    ) async throws -> [Appeal] {
        _ = try await store.enqueue(keys.map { draft($0) }, at: t0)
        let items = try await store.claimInbox(limit: keys.count, now: t0, lease: .seconds(60))
        return try await store.register(
            items.map {
                var registration = registration(for: $0, department: department, due: due)
                registration.control = control
                return registration
            })
    }

    static func trackerChanges(_ store: any AppealStore) async throws {
        let appeal = try #require(try await appeals(store, ["t1"]).first)
        #expect(appeal.control.sequence == 2)
        let later = t0.addingTimeInterval(3600)
        let change = AppealChange(
            appealID: appeal.id, expectedSequence: 2,
            events: [
                AppealEvent(
                    at: later, actor: "head", kind: .extended, why: "expert opinion", data: ["due": "2025-05-02"])
            ],
            updates: [
                .due(LocalDate("2025-05-02")), .extensions(1), .escalations(["department"]),
                .nextCheck(LocalDate("2025-04-29")), .deadlineFrom(nil), .department("LEGAL"),
                .coExecutors(["PRESS", "INTL"]), .tags(["wages", "needs-study"]),
            ],
            assignments: [NewAssignment(department: "LEGAL", role: .main)],
            notices: [
                Notice(
                    kind: "extension", appealID: appeal.id, to: ["vali@example.uz"], subject: "Muddat uzaytirildi",
                    text: "matn",
                    attachments: [.init(name: "qaror.pdf", contentType: "application/pdf", content: [1, 2])],
                    createdAt: later)
            ])
        let result = try await store.apply([change])
        #expect(result.conflicts.isEmpty)
        #expect(result.stored.map(\.sequence) == [3])
        let changed = try #require(try await store.appeal(id: appeal.id))
        #expect(changed.due == LocalDate("2025-05-02"))
        #expect(changed.department == "LEGAL" && changed.coExecutors == ["PRESS", "INTL"])
        #expect(changed.tags == ["wages", "needs-study"])
        #expect(
            changed.control
                == Appeal.Control(
                    nextCheck: LocalDate("2025-04-29"), escalations: ["department"], extensions: 1, sequence: 3,
                    deadlineFrom: nil))
        let assignments = try await store.assignments(of: appeal.id)
        #expect(assignments.filter(\.active).map(\.department) == ["LEGAL"])
        #expect(assignments.filter { !$0.active }.map(\.department) == ["ABROAD", "DISPUTES"])
        let written = try await store.outbox(state: .pending, limit: 10)
        #expect(written.map(\.notice.subject) == ["Muddat uzaytirildi"])
        #expect(written.first?.notice.appealID == appeal.id)
        // Decided on the old version: refused whole, nothing of it written.
        let stale = AppealChange(
            appealID: appeal.id, expectedSequence: 2,
            events: [AppealEvent(at: later, actor: "other", kind: .escalated)], updates: [.due(nil)],
            notices: [Notice(kind: "x", appealID: appeal.id, to: ["a@b.uz"], subject: "s", text: "t", createdAt: later)]
        )
        let refused = try await store.apply([stale])
        #expect(refused.conflicts == [appeal.id] && refused.stored.isEmpty)
        #expect(try await store.appeal(id: appeal.id)?.due == LocalDate("2025-05-02"))
        #expect(try await store.outbox(state: nil, limit: 10).count == 1)
        #expect(try await store.history(of: appeal.id).count == 3)
    }

    static func chainedChanges(_ store: any AppealStore) async throws {
        let appeal = try #require(try await appeals(store, ["k1"]).first)
        let later = t0.addingTimeInterval(3600)
        func move(_ due: String, expecting sequence: Int) -> AppealChange {
            AppealChange(
                appealID: appeal.id, expectedSequence: sequence,
                events: [
                    AppealEvent(at: later, actor: "system:tracker", kind: .deadlineChanged, data: ["due": due])
                ], updates: [.due(LocalDate(due))])
        }
        // The second was decided knowing the first; the third on the appeal as it was before both.
        let result = try await store.apply([
            move("2025-04-03", expecting: 2), move("2025-04-04", expecting: 3), move("2025-04-05", expecting: 2),
        ])
        #expect(result.stored.map(\.sequence) == [3, 4] && result.conflicts == [appeal.id])
        let history = try await store.history(of: appeal.id)
        #expect(history.map(\.sequence) == [1, 2, 3, 4])
        #expect(EventChain.firstBrokenLink(in: history) == nil)
        let moved = try #require(try await store.appeal(id: appeal.id))
        #expect(moved.due == LocalDate("2025-04-04") && moved.control.sequence == 4)
        // An appeal that is not there is an error, not a conflict, and nothing of the call is written.
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.apply([
                move("2025-04-06", expecting: 4),
                AppealChange(
                    appealID: appeal.id + 1_000, expectedSequence: 2, events: []),
            ])
        }
        #expect(error?.code == .notFound)
        #expect(try await store.history(of: appeal.id).count == 4)
    }

    static func checksDue(_ store: any AppealStore) async throws {
        let registered = try await appeals(
            store, ["c1", "c2", "c3"], control: Appeal.Control(nextCheck: LocalDate("2025-03-20")))
        // c3 has nothing to check any more.
        _ = try await store.apply([
            AppealChange(
                appealID: registered[2].id, expectedSequence: 2, events: [], updates: [.nextCheck(nil)]),
            AppealChange(
                appealID: registered[1].id, expectedSequence: 2, events: [],
                updates: [.nextCheck(LocalDate("2025-03-19"))]),
        ])
        #expect(try await store.appealsToCheck(on: LocalDate("2025-03-18")!, limit: 10).isEmpty)
        #expect(try await store.appealsToCheck(on: LocalDate("2025-03-19")!, limit: 10).map(\.sourceKey) == ["c2"])
        let both = try await store.appealsToCheck(on: LocalDate("2025-03-25")!, limit: 10)
        #expect(both.map(\.sourceKey) == ["c2", "c1"])
        #expect(try await store.appealsToCheck(on: LocalDate("2025-03-25")!, limit: 1).count == 1)
    }

    static func closingEndsTheClock(_ store: any AppealStore) async throws {
        let appeal = try #require(
            try await appeals(store, ["e1"], control: Appeal.Control(nextCheck: LocalDate("2025-03-20"))).first)
        let answeredAt = t0.addingTimeInterval(86_400)
        _ = try await store.record(
            AppealEvent(at: answeredAt, actor: "x", kind: .answered, why: "javob", status: .answered), on: appeal.id,
            expecting: .assigned)
        let answered = try #require(try await store.appeal(id: appeal.id))
        #expect(answered.control.nextCheck == nil)
        #expect(answered.control.answeredAt == answeredAt && answered.control.closedAt == answeredAt)
        _ = try await store.record(
            AppealEvent(at: answeredAt.addingTimeInterval(60), actor: "x", kind: .closed, status: .closed),
            on: appeal.id, expecting: .answered)
        // Closing later keeps the moment consideration ended.
        #expect(try await store.appeal(id: appeal.id)?.control.closedAt == answeredAt)
        #expect(try await store.appealsToCheck(on: LocalDate("2026-01-01")!, limit: 10).isEmpty)
    }

    static func outbox(_ store: any AppealStore) async throws {
        let notices = (1...3).map {
            Notice(
                kind: "escalation", appealID: nil, to: ["n\($0)@migration.uz"], cc: ["cc@migration.uz"],
                subject: "Eslatma \($0)", text: "matn \($0)", html: $0 == 1 ? "<p>1</p>" : nil,
                attachments: $0 == 2
                    ? [.init(name: "hisobot.xlsx", contentType: "application/x", content: [9, 8, 7])] : [],
                createdAt: t0)
        }
        #expect(try await store.enqueueNotices(notices) == 3)
        let claimed = try await store.claimOutbox(limit: 2, now: t0, lease: .seconds(60))
        #expect(claimed.map(\.notice.subject) == ["Eslatma 1", "Eslatma 2"])
        #expect(claimed[0].notice.html == "<p>1</p>" && claimed[0].notice.cc == ["cc@migration.uz"])
        #expect(claimed[1].notice.attachments.first?.content == [9, 8, 7])
        #expect(claimed.allSatisfy { $0.attempts == 1 })
        // Leased: another sender gets only the third.
        let other = try await store.claimOutbox(limit: 10, now: t0.addingTimeInterval(1), lease: .seconds(60))
        #expect(other.map(\.notice.subject) == ["Eslatma 3"])
        try await store.markSent(claimed[0].id, at: t0.addingTimeInterval(2))
        try await store.markFailed(claimed[1].id, error: "451 try later", retryAt: t0.addingTimeInterval(120))
        try await store.markFailed(other[0].id, error: "550 no such user", retryAt: nil)
        // Not before its retry time, even though its lease ended.
        #expect(try await store.claimOutbox(limit: 10, now: t0.addingTimeInterval(100), lease: .seconds(60)).isEmpty)
        let retried = try await store.claimOutbox(limit: 10, now: t0.addingTimeInterval(121), lease: .seconds(60))
        #expect(retried.map(\.id) == [claimed[1].id] && retried[0].attempts == 2)
        let sent = try await store.outbox(state: .sent, limit: 10)
        #expect(sent.map(\.id) == [claimed[0].id] && sent[0].sentAt == t0.addingTimeInterval(2))
        let failed = try await store.outbox(state: .failed, limit: 10)
        #expect(failed.map(\.lastError) == ["550 no such user"])
        // Sent and failed notices are never claimed again.
        try await store.markSent(retried[0].id, at: t0.addingTimeInterval(122))
        #expect(try await store.claimOutbox(limit: 10, now: t0.addingTimeInterval(10_000), lease: .seconds(60)).isEmpty)
    }

    static func keptReports(_ store: any AppealStore) async throws {
        let day = LocalDate("2025-12-05")!
        #expect(try await store.keptReport(for: day) == nil)
        // Bytes of every value, a NUL among them: the body is the store's to keep, not to read.
        let first = KeptReport(date: day, keptAt: t0, body: Array("{\"date\":\"2025-12-05\"}".utf8) + [0, 255, 10])
        #expect(try await store.keepReport(first) == first)
        // A second instance, a minute later, with figures of its own: the first stays.
        let second = KeptReport(date: day, keptAt: t0 + 60, body: Array("{}".utf8))
        #expect(try await store.keepReport(second) == first)
        #expect(try await store.keptReport(for: day) == first)
        let next = KeptReport(date: LocalDate("2025-12-08")!, keptAt: t0 + 86_400 * 3, body: [1, 2, 3])
        #expect(try await store.keepReport(next) == next)
        #expect(try await store.keptReport(for: day) == first)
        #expect(try await store.keptReport(for: next.date) == next)
        #expect(try await store.keptReport(for: LocalDate("2025-12-06")!) == nil)
    }

    static func outboxDedup(_ store: any AppealStore) async throws {
        let report = Notice(
            kind: "daily_report", appealID: nil, to: ["control@migration.uz"], subject: "Hisobot", text: "t",
            dedupKey: "daily-report:2025-03-18", createdAt: t0)
        #expect(try await store.enqueueNotices([report]) == 1)
        #expect(try await store.enqueueNotices([report, report]) == 0)
        var other = report
        other.dedupKey = "daily-report:2025-03-19"
        #expect(try await store.enqueueNotices([other]) == 1)
        #expect(try await store.outbox(state: nil, limit: 10).count == 2)
    }

    static func tasks(_ store: any AppealStore) async throws {
        let appeal = try #require(try await appeals(store, ["p1"]).first)
        _ = try await store.apply([
            AppealChange(
                appealID: appeal.id, expectedSequence: 2,
                events: [AppealEvent(at: t0, actor: "x", kind: .needsStudy)],
                tasks: [NewTask(kind: "proposal-study-notice", due: LocalDate("2025-03-28")!, note: "xat")])
        ])
        let open = try await store.openTasks(dueThrough: nil)
        #expect(open.map(\.kind) == ["proposal-study-notice"] && open[0].appealID == appeal.id)
        #expect(try await store.openTasks(dueThrough: LocalDate("2025-03-27")).isEmpty)
        _ = try await store.apply([
            AppealChange(
                appealID: appeal.id, expectedSequence: 3, events: [AppealEvent(at: t0, actor: "x", kind: .taskDone)],
                completedTasks: [open[0].id])
        ])
        #expect(try await store.openTasks(dueThrough: nil).isEmpty)
        #expect(try await store.tasks(of: appeal.id).first?.doneAt == t0)
        // Completing it again is refused, and the change with it.
        await #expect(throws: StoreError.self) {
            _ = try await store.apply([
                AppealChange(
                    appealID: appeal.id, expectedSequence: 4,
                    events: [AppealEvent(at: t0, actor: "x", kind: .taskDone)], completedTasks: [open[0].id])
            ])
        }
        #expect(try await store.history(of: appeal.id).count == 4)
    }

    static func figures(_ store: any AppealStore) async throws {
        // Received 18.03 (t0); the report is for 25.03 at 00:00 Tashkent (19:00 UTC the day before).
        let due = ["2025-03-24", "2025-03-25", "2025-03-27", "2025-04-10"]
        var all: [Appeal] = []
        for (index, day) in due.enumerated() { all += try await appeals(store, ["f\(index)"], due: day) }
        let triage = try #require(try await appeals(store, ["f-triage"], department: nil, due: "2025-03-20").first)
        let at = Date(timeIntervalSince1970: 1_742_842_800)  // 2025-03-25 00:00 +05:00
        // Answered on 24.03 after its due date 24.03? No: on time (the same day); f1 answered on 26.03: after the
        // report's moment, so still open at it.
        _ = try await store.record(
            AppealEvent(at: at.addingTimeInterval(-3600), actor: "x", kind: .answered, status: .answered),
            on: all[0].id, expecting: .assigned)
        _ = try await store.record(
            AppealEvent(at: at.addingTimeInterval(86_400 + 3600), actor: "x", kind: .answered, status: .answered),
            on: all[1].id, expecting: .assigned)
        _ = try await store.apply([
            AppealChange(
                appealID: all[3].id, expectedSequence: 2, events: [AppealEvent(at: t0, actor: "h", kind: .extended)],
                updates: [.extensions(1)])
        ])
        let query = FiguresQuery(
            at: at, day: LocalDate("2025-03-25")!, dueSoonThrough: LocalDate("2025-03-28")!,
            answeredFrom: at.addingTimeInterval(-86_400), answeredUntil: at, zoneOffsetSeconds: 5 * 3600)
        let rows = try await store.departmentFigures(query)
        let abroad = try #require(rows.first { $0.department == "ABROAD" })
        #expect(
            abroad.figures
                == ControlFigures(
                    open: 3, dueSoon: 1, dueToday: 1, overdue: 0, extended: 1, answered: 1, answeredLate: 0))
        let inTriage = try #require(rows.first { $0.department == nil }?.figures)
        #expect(inTriage.open == 1 && inTriage.overdue == 1)
        // An answer a day after its due date counts as late.
        _ = try await store.record(
            AppealEvent(at: at.addingTimeInterval(3600), actor: "x", kind: .answered, status: .answered),
            on: all[2].id, expecting: .assigned)
        var next = query
        next.answeredFrom = at
        next.answeredUntil = at.addingTimeInterval(3 * 86_400)
        next.at = at.addingTimeInterval(3 * 86_400)
        next.day = LocalDate("2025-03-28")!
        let later = try #require(try await store.departmentFigures(next).first { $0.department == "ABROAD" }?.figures)
        #expect(later.answered == 2 && later.answeredLate == 1 && later.open == 1)
        let overdue = try await store.overdueAppeals(at: at, dueBefore: LocalDate("2025-03-25")!, limit: 10)
        #expect(overdue.map(\.id) == [triage.id])
        #expect(
            try await store.intake(from: t0.addingTimeInterval(-1), until: t0.addingTimeInterval(1)) == [.call: 5])
    }

    static func deadlineBases(_ store: any AppealStore) async throws {
        let registered = try await appeals(
            store, ["d1", "d2", "d3"], control: Appeal.Control(deadlineFrom: t0))
        _ = try await store.record(
            AppealEvent(at: t0, actor: "x", kind: .answered, status: .answered), on: registered[1].id,
            expecting: .assigned)
        let first = try await store.deadlineBases(after: 0, limit: 1)
        #expect(first.map(\.id) == [registered[0].id])
        #expect(first[0].deadlineFrom == t0 && first[0].due == LocalDate("2025-04-02") && first[0].policy == "standard")
        let rest = try await store.deadlineBases(after: first[0].id, limit: 10)
        #expect(rest.map(\.id) == [registered[2].id])
    }

    static func search(_ store: any AppealStore) async throws {
        var drafts = [
            draft("s1", text: "Rossiyada ish beruvchi pasportimni olib qo'ydi"),
            draft("s2", text: "Паспортимни қайтариб беришмаяпти, ёрдам беринг"),
            draft("s3", text: "Litsenziya haqida savol"),
        ]
        drafts[2].applicant = Applicant(name: "Karimova Dilnoza", phone: "+998935550011", email: "Dilnoza@Mail.uz")
        _ = try await store.enqueue(drafts, at: t0)
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        let byKey = Dictionary(uniqueKeysWithValues: items.map { ($0.draft.sourceKey, $0) })
        _ = try await store.register([
            registration(for: try #require(byKey["s1"]), department: "ABROAD"),
            registration(for: try #require(byKey["s2"]), department: "PLACEMENT"),
            registration(for: try #require(byKey["s3"]), department: "AGENCIES"),
        ])
        func keys(_ query: AppealSearch) async throws -> [String] { try await store.search(query).map(\.sourceKey) }
        // A Latin word's beginning finds the Latin and the Cyrillic spelling; newest registration first.
        #expect(try await keys(AppealSearch(words: "pasport")) == ["s2", "s1"])
        #expect(try await keys(AppealSearch(words: "ПАСПОРТИМНИ")) == ["s2", "s1"])
        #expect(try await keys(AppealSearch(words: "pasport olib")) == ["s1"])
        #expect(try await keys(AppealSearch(words: "karimova")) == ["s3"])
        #expect(try await keys(AppealSearch(words: "mavjudemas")).isEmpty)
        #expect(try await keys(AppealSearch(words: "'\"*")).isEmpty)
        #expect(try await keys(AppealSearch(words: "pasport", department: "ABROAD")) == ["s1"])
        // DISPUTES co-executes every appeal of the fixture's registrations.
        #expect(try await keys(AppealSearch(words: "pasport", department: "DISPUTES")) == ["s2", "s1"])
        #expect(try await keys(AppealSearch(words: "pasport", limit: 1)) == ["s2"])
        #expect(try await keys(AppealSearch(phone: "+998935550011")) == ["s3"])
        #expect(try await keys(AppealSearch(email: "dilnoza@mail.uz")) == ["s3"])
        #expect(try await keys(AppealSearch(phone: "+998901234567")).count == 2)
    }

    static func escalations(_ store: any AppealStore) async throws {
        let appeals = try await appeals(store, ["x1", "x2"])
        for (index, appeal) in appeals.enumerated() {
            _ = try await store.record(
                AppealEvent(
                    at: t0.addingTimeInterval(Double(60 * (index + 1))), actor: "system:tracker", kind: .escalated,
                    why: "muddat", data: ["step": "head", "level": "2"]), on: appeal.id, expecting: nil)
            _ = try await store.record(
                AppealEvent(at: t0.addingTimeInterval(90), actor: "ijrochi", kind: "note", why: "izoh"),
                on: appeal.id, expecting: nil)
        }
        _ = try await store.record(
            AppealEvent(
                at: t0.addingTimeInterval(86_400), actor: "system:tracker", kind: .escalated, why: "ertaga",
                data: ["step": "control"]), on: appeals[0].id, expecting: nil)
        let day = try await store.escalations(from: t0, until: t0.addingTimeInterval(3_600), limit: 10)
        #expect(day.map(\.appealID) == [appeals[1].id, appeals[0].id])
        #expect(day.allSatisfy { $0.event.kind == .escalated && $0.event.data["step"] == "head" })
        #expect(try await store.escalations(from: t0, until: t0.addingTimeInterval(3_600), limit: 1).count == 1)
        #expect(try await store.escalations(from: t0.addingTimeInterval(3_600), until: t0, limit: 10).isEmpty)
    }

    static func changeStamp(_ store: any AppealStore) async throws {
        let empty = try await store.changeStamp()
        #expect(try await store.changeStamp() == empty, "nothing changed")
        let appeals = try await appeals(store, ["s1"])
        let registered = try await store.changeStamp()
        #expect(registered != empty)
        _ = try await store.appeals(AppealQuery(limit: 10))
        #expect(try await store.changeStamp() == registered, "a read changes nothing")
        _ = try await store.record(
            AppealEvent(at: t0, actor: "ijrochi", kind: "note", why: "izoh"), on: appeals[0].id, expecting: nil)
        #expect(try await store.changeStamp() != registered)
    }
}
