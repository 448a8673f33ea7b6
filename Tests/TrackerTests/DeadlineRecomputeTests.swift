import Foundation
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

@Suite struct DeadlineRecomputeTests {
    /// A new day off decreed after appeals were registered: the deadlines that fell on it move to the next working
    /// day, each with an event; binding and extended deadlines stay; a second run moves nothing.
    @Test func aNewHolidayMovesTheDeadlinesOnItAndNothingElse() async throws {
        let fixture = try TrackerFixture()
        let appeals = try await fixture.route([
            // 15 days: due Monday 13.04.2026.
            TrackerFixture.draft("moves", received: "2026-03-29T10:00:00+05:00"),
            // Due 14.04: the new holiday is not in its term's end.
            TrackerFixture.draft("stays", received: "2026-03-30T10:00:00+05:00"),
            TrackerFixture.draft("extended", received: "2026-03-29T10:00:00+05:00"),
        ])
        #expect(appeals.map { $0.due?.iso } == ["2026-04-13", "2026-04-14", "2026-04-13"])
        _ = try await fixture.actions.extend(
            appeals[2].id, until: LocalDate("2026-05-04"), reason: "ekspertiza", approvedBy: "abroad-head",
            by: "h", now: instant("2026-04-01T10:00:00+05:00"))
        var binding = TrackerFixture.draft("binding", received: "2026-03-29T10:00:00+05:00")
        binding.channel = .virtualReception
        binding.bindingDeadline = LocalDate("2026-04-13")
        let bound = try #require(try await fixture.route([binding]).first)
        #expect(bound.due == LocalDate("2026-04-13") && bound.control.deadlineFrom == nil)

        var calendar = fixture.book.deadlines.calendar
        calendar.holidays[LocalDate("2026-04-13")!] = "Decree: a day off"
        var deadlines = fixture.book.deadlines
        deadlines.calendar = calendar
        let clock = DeadlineClock(calendar: calendar, ladder: fixture.tracker.ladder)
        let recompute = DeadlineRecompute(store: fixture.store, deadlines: deadlines, clock: clock)
        let now = instant("2026-04-02T08:00:00+05:00")
        let summary = try await recompute.run(now: now, why: Wording(verbatim: "13.04.2026 declared a day off"))
        #expect(summary.checked == 4 && summary.moved == 1)
        let moved = try #require(try await fixture.store.appeal(id: appeals[0].id))
        #expect(moved.due == LocalDate("2026-04-14"))
        #expect(
            moved.control.nextCheck
                == clock.nextCheck(due: LocalDate("2026-04-14")!, today: LocalDate("2026-04-02")!, fired: []))
        let event = try #require(try await fixture.store.history(of: appeals[0].id).last?.event)
        #expect(event.kind == .deadlineChanged && event.why == "13.04.2026 declared a day off")
        #expect(event.data["old_due"] == "2026-04-13" && event.data["due"] == "2026-04-14")
        #expect(try await fixture.store.appeal(id: appeals[1].id)?.due == LocalDate("2026-04-14"))
        #expect(try await fixture.store.appeal(id: appeals[2].id)?.due == LocalDate("2026-05-04"))
        #expect(try await fixture.store.appeal(id: bound.id)?.due == LocalDate("2026-04-13"))
        #expect(try await recompute.run(now: now, why: Wording(verbatim: "again")).moved == 0)
    }

    /// Moves gathered over pages into writes of a few: whatever the page and the write, each moving appeal moves
    /// once, with one event, and the last short write is not forgotten.
    @Test(arguments: [(1, 1), (2, 3), (3, 1), (4, 5), (100, 10_000)])
    func everyMoveIsWrittenOnceWhateverThePagesAndWrites(pageSize: Int, batchSize: Int) async throws {
        let fixture = try TrackerFixture()
        let drafts = (0..<10).map { index in
            // Seven received on 29.03 (due 13.04, moving), three on 30.03 (due 14.04, staying), interleaved.
            TrackerFixture.draft(
                "a\(index)", received: index % 3 == 1 ? "2026-03-30T10:00:00+05:00" : "2026-03-29T10:00:00+05:00")
        }
        let appeals = try await fixture.route(drafts)
        var calendar = fixture.book.deadlines.calendar
        calendar.holidays[LocalDate("2026-04-13")!] = "Decree: a day off"
        var deadlines = fixture.book.deadlines
        deadlines.calendar = calendar
        let recompute = DeadlineRecompute(
            store: fixture.store, deadlines: deadlines,
            clock: DeadlineClock(calendar: calendar, ladder: fixture.tracker.ladder))
        let summary = try await recompute.run(
            now: instant("2026-04-02T08:00:00+05:00"), why: Wording(verbatim: "13.04.2026 declared a day off"),
            pageSize: pageSize,
            batchSize: batchSize)
        #expect(summary.checked == 10 && summary.moved == 7 && summary.conflicts == 0)
        for appeal in appeals {
            #expect(try await fixture.store.appeal(id: appeal.id)?.due == LocalDate("2026-04-14"))
            let changes = try await fixture.store.history(of: appeal.id).filter { $0.event.kind == .deadlineChanged }
            #expect(changes.count == (appeal.due == LocalDate("2026-04-13") ? 1 : 0))
        }
    }
}
