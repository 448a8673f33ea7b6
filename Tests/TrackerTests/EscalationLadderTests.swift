import Foundation
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

/// The shipped rules, a fresh store, and helpers to register appeals the way the router does.
struct TrackerFixture {
    static let book = Result { try RuleBook.load(directory: TestFolders.rules) }
    static let tracker = Result { try TrackerRules.load(directory: TestFolders.rules, org: try book.get().org) }

    let book: RuleBook
    let tracker: TrackerRules
    let store: SQLiteStore
    let clock: DeadlineClock
    let notices: NoticeWriter

    init() throws {
        book = try Self.book.get()
        tracker = try Self.tracker.get()
        store = try SQLiteStore(path: try TestFolders.temporary("tracker").appendingPathComponent("t.sqlite").path)
        clock = DeadlineClock(calendar: book.deadlines.calendar, ladder: tracker.ladder)
        notices = NoticeWriter(rules: tracker, org: book.org)
    }

    var zone: TimeZone { book.deadlines.calendar.zone }
    var sweeper: Sweeper { Sweeper(store: store, clock: clock, notices: notices) }
    var actions: AppealActions { AppealActions(store: store, book: book, tracker: tracker) }

    /// Enqueues and routes each appeal through the real routing worker, with the tracker's rules, at its receipt.
    func route(_ drafts: [AppealDraft]) async throws -> [Appeal] {
        var worker = RoutingWorker(store: store, book: book, tracker: tracker)
        var appeals: [Appeal] = []
        for draft in drafts {
            _ = try await store.enqueue([draft], at: draft.receivedAt)
            let moment = draft.receivedAt
            _ = try await worker.drain(now: { moment })
            appeals += try await store.appeals(AppealQuery(limit: 100_000)).filter { $0.sourceKey == draft.sourceKey }
        }
        return appeals
    }

    static func draft(
        _ key: String, received: String, text: String = "Rossiyada ish beruvchi ish haqimni bermayapti, yordam bering",
        kind: Kind = .shikoyat, email: String? = nil, name: String? = "Aliyev Vali", address: String? = nil
    ) -> AppealDraft {
        AppealDraft(
            channel: .email, sourceKey: key, receivedAt: instant(received), text: text, kind: kind, intake: .appeal,
            applicant: Applicant(name: name, phone: nil, email: email, address: address))
    }
}

@Suite struct EscalationLadderTests {
    /// The day a step should fire, found the slow way: the first day whose working-day distance to the due date
    /// reaches the step's.
    func expectedDay(_ step: EscalationStep, due: LocalDate, calendar: WorkingCalendar, from: LocalDate) -> LocalDate {
        var day = from
        while true {
            let offset =
                day == due
                ? 0
                : day < due
                    ? -calendar.workingDays(after: day, through: due) : calendar.workingDays(after: due, through: day)
            if offset >= step.offset { return day }
            day = day.adding(days: 1)
        }
    }

    /// Appeals whose deadlines run through Navro'z and Ramazon hayiti (2025 and 2026), onto a working Saturday
    /// (12.12.2026) and across the year end, swept every day at 00:30 by an injected clock: every step fires
    /// exactly once, on the day the ladder says, and is in the appeal's history with its notice in the outbox.
    @Test func everyStepFiresOnceOnItsDayThroughHolidays() async throws {
        let fixture = try TrackerFixture()
        let cases: [(key: String, received: String, due: String)] = [
            // 15 days end on 20.03.2026 (Ramazon hayiti); 21 and 23 Navro'z, 22 Sunday: due Tuesday 24.03.
            ("navroz-2026", "2026-03-05T10:00:00+05:00", "2026-03-24"),
            // 29.03.2025 is a Saturday, 30-31 Ramazon hayiti: due 01.04; Navro'z on 21.03 inside the term.
            ("ramazon-2025", "2025-03-14T11:00:00+05:00", "2025-04-01"),
            // 15 days end on Saturday 12.12.2026, a working day by decree: due that Saturday.
            ("working-saturday", "2026-11-27T09:30:00+05:00", "2026-12-12"),
            // 31.12.2025 to 04.01.2026 are days off: due Monday 05.01.2026.
            ("year-end", "2025-12-16T15:00:00+05:00", "2026-01-05"),
        ]
        let appeals = try await fixture.route(cases.map { TrackerFixture.draft($0.key, received: $0.received) })
        #expect(appeals.count == cases.count)
        let calendar = fixture.book.deadlines.calendar
        for (appeal, item) in zip(appeals, cases) {
            #expect(appeal.due == LocalDate(item.due), "\(item.key)")
            #expect(appeal.status == .assigned, "\(item.key) must be routed for this test")
        }
        // One sweep each day from the earliest receipt to past the last director step.
        var day = LocalDate("2025-03-14")!
        let end = LocalDate("2026-12-31")!
        var sweeps = 0
        while day <= end {
            // Days with nothing due are skipped by the sweep itself; the walk still asks every day.
            _ = try await fixture.sweeper.sweep(now: day.start(in: fixture.zone).addingTimeInterval(1800))
            sweeps += 1
            day = day.adding(days: 1)
        }
        #expect(sweeps > 600)
        let steps = fixture.tracker.ladder.steps
        for (appeal, item) in zip(appeals, cases) {
            let due = LocalDate(item.due)!
            let history = try await fixture.store.history(of: appeal.id).map(\.event)
            let escalations = history.filter { $0.kind == .escalated }
            #expect(escalations.map { $0.data["step"] ?? "" } == steps.map(\.id), "\(item.key)")
            for step in steps {
                let fired = escalations.first { $0.data["step"] == step.id }
                let expected = expectedDay(
                    step, due: due, calendar: calendar, from: LocalDate(appeal.receivedAt, in: fixture.zone))
                #expect(
                    fired.map { LocalDate($0.at, in: fixture.zone) } == expected,
                    "\(item.key): step \(step.id) should fire on \(expected.dotted)")
                #expect(fired?.actor == "system:tracker")
            }
            let final = try #require(try await fixture.store.appeal(id: appeal.id))
            #expect(final.control.escalations == steps.map(\.id))
        }
        // The exact days for the Navro'z case, written out by hand from the 2026 calendar.
        let navroz = try await fixture.store.history(of: appeals[0].id).map(\.event).filter { $0.kind == .escalated }
        #expect(
            navroz.map { LocalDate($0.at, in: fixture.zone).iso }
                == ["2026-03-17", "2026-03-19", "2026-03-24", "2026-03-25", "2026-03-31"])
        // Due on the working Saturday: the head hears on Friday, the deputy on Monday 14.12.
        let saturday = try await fixture.store.history(of: appeals[2].id).map(\.event).filter { $0.kind == .escalated }
        #expect(
            saturday.map { LocalDate($0.at, in: fixture.zone).iso }[1...3] == [
                "2026-12-11", "2026-12-12", "2026-12-14",
            ])
        // Each step wrote one notice; the department's went to its address.
        let outbox = try await fixture.store.outbox(state: nil, limit: 1000).filter { $0.notice.kind == "escalation" }
        #expect(outbox.count == cases.count * steps.count)
        #expect(
            outbox.contains { $0.notice.appealID == appeals[0].id && $0.notice.to.first == "abroad@migration.uz" })
        #expect(outbox.contains { $0.notice.appealID == appeals[0].id && $0.notice.to == ["director@migration.uz"] })
        #expect(outbox.contains { $0.notice.appealID == appeals[0].id && $0.notice.to == ["m.kuranov@migration.uz"] })
    }

    /// A sweep that did not run for a week catches up once: one notice in the words of the latest step passed
    /// ("1 working day overdue", not "3 days left"), to everyone the steps passed over would have told; all of
    /// them count as fired, and the next sweep on the same day does nothing.
    @Test func aMissedWeekIsCaughtUpWithOneTrueNotice() async throws {
        let fixture = try TrackerFixture()
        let appeal = try #require(
            try await fixture.route([TrackerFixture.draft("late", received: "2026-03-05T10:00:00+05:00")]).first)
        let now = instant("2026-03-26T09:00:00+05:00")  // two working days after the due date 24.03
        let first = try await fixture.sweeper.sweep(now: now)
        #expect(first.escalations == 1 && first.notices == 1)
        let again = try await fixture.sweeper.sweep(now: now.addingTimeInterval(600))
        #expect(again.escalations == 0 && again.checked == 0)
        let after = try #require(try await fixture.store.appeal(id: appeal.id))
        #expect(after.control.escalations == ["department", "head", "control", "deputy"])
        // The director's step is the next thing to look at: five working days after 24.03 is 31.03.
        #expect(after.control.nextCheck == LocalDate("2026-03-27"))

        let events = try await fixture.store.history(of: appeal.id).map(\.event).filter { $0.kind == .escalated }
        #expect(events.count == 1)
        #expect(events.first?.data["step"] == "deputy")
        #expect(events.first?.data["passed_over"] == "department,head,control")
        let deputy = try #require(fixture.tracker.ladder.step("deputy"))
        // The step's words in each language: English in `why`, the others beside it, as the history reads them.
        #expect(events.first?.why == deputy.summary.en)
        #expect(events.first?.why(in: .uz) == "Muddati 1 ish kuni o'tdi: nazorat uchun mas'ul direktor o'rinbosariga")
        #expect(events.first?.why(in: .ru) == "Срок пропущен на 1 рабочий день: курирующему заместителю директора")
        let notices = try await fixture.store.outbox(state: nil, limit: 100).filter { $0.notice.kind == "escalation" }
        #expect(notices.count == 1)
        let notice = try #require(notices.first?.notice)
        #expect(notice.subject.contains(deputy.summary.uz))
        // Greeted by the same words the control page and the daily report name the audiences by.
        #expect(
            notice.text.hasPrefix(
                "Ijrochi bo‘lim, bo‘lim boshlig‘i, nazorat boshqarmasi, mas’ul direktor o‘rinbosari, e'tibor bering."),
            "\(notice.text)")
        let code = try #require(appeal.department)
        let department = try #require(fixture.book.org.department(code))
        let control = try #require(fixture.book.org.department(fixture.tracker.ladder.controlDepartment))
        let supervisor = try #require(fixture.book.org.deputy(department.supervisor ?? ""))
        for address in [department.email, department.head?.email, control.email, supervisor.email] {
            let address = try #require(address)
            #expect(notice.to.contains(address), "\(address) in \(notice.to)")
        }
        #expect(!notice.to.contains(fixture.book.org.director.email ?? "director"))
    }

    /// With nothing due, the sweep reads no appeal at all.
    @Test func aSweepWithNothingDueTouchesNothing() async throws {
        let fixture = try TrackerFixture()
        let appeals = try await fixture.route(
            (0..<20).map { TrackerFixture.draft("n\($0)", received: "2026-03-05T10:00:00+05:00") })
        #expect(appeals.allSatisfy { $0.control.nextCheck == LocalDate("2026-03-17") })
        let summary = try await fixture.sweeper.sweep(now: instant("2026-03-16T12:00:00+05:00"))
        #expect(summary.checked == 0)
    }

    /// An extension moves the deadline: the steps the appeal has still passed stay fired, the others fire again
    /// before the new deadline.
    @Test func anExtensionLetsTheReminderFireAgainForTheNewDeadline() async throws {
        let fixture = try TrackerFixture()
        let appeal = try #require(
            try await fixture.route([TrackerFixture.draft("ext", received: "2026-03-05T10:00:00+05:00")]).first)
        _ = try await fixture.sweeper.sweep(now: instant("2026-03-19T08:00:00+05:00"))
        #expect(try await fixture.store.appeal(id: appeal.id)?.control.escalations == ["department", "head"])
        let extended = try await fixture.actions.extend(
            appeal.id, reason: "ekspertiza kutilmoqda", approvedBy: "abroad-head", by: "aziza",
            now: instant("2026-03-19T10:00:00+05:00"))
        #expect(extended.due == LocalDate("2026-04-24"))
        #expect(extended.control.escalations == [])
        #expect(extended.control.nextCheck == LocalDate("2026-04-21"))
        _ = try await fixture.sweeper.sweep(now: instant("2026-04-21T08:00:00+05:00"))
        let events = try await fixture.store.history(of: appeal.id).map(\.event).filter { $0.kind == .escalated }
        // 19.03 was two working days before the due date: the department's and the head's steps fell due together
        // and made one notice, the head's.
        #expect(events.map { $0.data["step"] ?? "" } == ["head", "department"])
        #expect(events.first?.data["passed_over"] == "department")
        #expect(events.last?.data["due"] == "2026-04-24")
    }
}
