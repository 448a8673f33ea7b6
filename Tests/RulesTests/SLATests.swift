import MurojaatCore
import MurojaatTesting
import Rules
import Testing

/// SLA states on the shipped 2025 calendar, around Navro'z (Fri 21.03), a weekend, Ramazon hayiti (Sun 30.03 and
/// Mon 31.03) and the year end (31.12 off).
@Suite struct SLATests {
    static let sla = SLA(calendar: try! RuleBook.load(directory: TestFolders.rules).deadlines.calendar)
    static let due = LocalDate("2025-03-24")!  // Monday after Navro'z

    @Test(arguments: [
        ("2025-03-14", SLAState.onTrack),
        ("2025-03-18", .dueSoon(workingDaysLeft: 3)),
        ("2025-03-19", .dueSoon(workingDaysLeft: 2)),
        ("2025-03-20", .dueSoon(workingDaysLeft: 1)),
        ("2025-03-21", .dueSoon(workingDaysLeft: 1)),  // Navro'z: no working day passes
        ("2025-03-24", .dueToday),
        ("2025-03-25", .overdue(workingDays: 1)),
        ("2025-03-28", .overdue(workingDays: 4)),
        ("2025-03-29", .overdue(workingDays: 4)),  // Saturday
        ("2025-03-31", .overdue(workingDays: 4)),  // Ramazon hayiti
        ("2025-04-01", .overdue(workingDays: 5)),
    ])
    func statesAroundNavroz(day: String, expected: SLAState) {
        #expect(Self.sla.state(due: Self.due, on: LocalDate(day)!) == expected)
    }

    @Test(arguments: [
        ("2025-03-14", "2025-03-18"),  // the window opens
        ("2025-03-19", "2025-03-20"),
        ("2025-03-20", "2025-03-24"),  // nothing changes over Navro'z and the weekend
        ("2025-03-24", "2025-03-25"),
        ("2025-03-28", "2025-04-01"),  // the weekend and Ramazon hayiti add no working day overdue
    ])
    func theNextChangeSkipsDaysThatChangeNothing(day: String, next: String) {
        #expect(Self.sla.nextChange(due: Self.due, after: LocalDate(day)!) == LocalDate(next))
    }

    @Test func theYearEndHolidayIsOverdueByNoWorkingDayYet() {
        let due = LocalDate("2025-12-30")!
        #expect(Self.sla.state(due: due, on: LocalDate("2025-12-31")!) == .overdue(workingDays: 0))
        let next = Self.sla.nextChange(due: due, after: LocalDate("2025-12-31")!)
        #expect(Self.sla.calendar.isWorkingDay(next))
        #expect(Self.sla.state(due: due, on: next) == .overdue(workingDays: 1))
    }

    @Test func theWindowIsConfigurable() {
        let wide = SLA(calendar: Self.sla.calendar, dueSoonDays: 5)
        #expect(wide.state(due: Self.due, on: LocalDate("2025-03-14")!) == .dueSoon(workingDaysLeft: 5))
    }
}
