import Foundation
import MurojaatCore
import Rules
import Testing

/// The law's deadlines on the real calendar files of `Rules/`: every holiday of 2025 and 2026, the working
/// Saturdays, month ends, and the time zone.
@Suite struct DeadlineCalendarTests {
    static let book: DeadlineBook = {
        do { return try DeadlineBook.load(directory: RulesFolder.url) } catch { fatalError("\(error)") }
    }()

    /// Noon in Tashkent on `day`.
    static func received(_ day: String) -> Date {
        LocalDate(day)!.start(in: WorkingCalendar.tashkent).addingTimeInterval(12 * 3600)
    }

    @Test(arguments: [
        // received,  kind,   policy, due                     what it shows
        ("2025-03-18", Kind.shikoyat, nil as String?, "2025-04-02"),  // plain 15 days
        ("2025-03-06", .ariza, nil, "2025-03-24"),  // ends on Navro'z (Fri), weekend after
        ("2025-03-15", .ariza, nil, "2025-04-01"),  // ends on Ramazon hayiti (Sun 30, Mon 31)
        ("2024-12-17", .ariza, nil, "2025-01-03"),  // 1 and 2 January off
        ("2024-12-20", .ariza, nil, "2025-01-04"),  // Saturday 4 January is a working day
        ("2025-02-21", .ariza, nil, "2025-03-11"),  // 8 March (Sat) and 10 March (observed)
        ("2025-04-24", .shikoyat, nil, "2025-05-12"),  // 9 May (Fri), then the weekend
        ("2025-05-22", .ariza, nil, "2025-06-09"),  // Qurbon hayiti, 6 June (Fri)
        ("2025-08-17", .ariza, nil, "2025-09-02"),  // 1 September
        ("2025-09-16", .ariza, nil, "2025-10-02"),  // 1 October
        ("2025-11-23", .ariza, nil, "2025-12-09"),  // 8 December
        ("2025-12-16", .ariza, nil, "2026-01-05"),  // 31 December, 1-2 January, weekend
        ("2025-12-19", .ariza, nil, "2026-01-05"),  // ends on Saturday 3 January 2026
        ("2026-03-05", .shikoyat, nil, "2026-03-24"),  // Ramazon 20, Navro'z 21 and 23 March
        ("2026-02-21", .ariza, nil, "2026-03-10"),  // 8 (Sun) and 9 March
        ("2026-04-24", .ariza, nil, "2026-05-12"),  // Sat 9 May, Sun, Mon 11 May observed
        ("2026-05-12", .ariza, nil, "2026-06-01"),  // Qurbon hayiti 27-29 May, weekend
        ("2026-08-16", .ariza, nil, "2026-09-02"),  // 31 August and 1 September
        ("2026-09-16", .ariza, nil, "2026-10-02"),  // 1 October
        ("2026-11-23", .ariza, nil, "2026-12-09"),  // 8 December
        ("2026-11-27", .ariza, nil, "2026-12-12"),  // Saturday 12 December is a working day
        // one month
        ("2025-01-31", .taklif, nil, "2025-02-28"),  // proposal: the month's last day
        ("2025-02-08", .taklif, nil, "2025-03-11"),  // 8 March, weekend, 10 March
        ("2025-08-31", .taklif, nil, "2025-09-30"),  // 31 -> 30
        ("2026-01-30", .shikoyat, "needs-study", "2026-03-02"),  // 28 Feb is a Saturday
        ("2026-04-30", .ariza, "needs-study", "2026-06-01"),  // 30 May Saturday
        // next working day
        ("2025-03-07", .ariza, "callback", "2025-03-11"),
        ("2026-12-11", .ariza, "callback", "2026-12-12"),
        ("2025-01-03", .ariza, "callback", "2025-01-04"),
        ("2026-05-26", .ariza, "callback", "2026-06-01"),
        // five days to forward
        ("2025-03-16", .ariza, "forward", "2025-03-24"),
        ("2026-12-26", .ariza, "forward", "2026-12-31"),  // not 2027: 31 Dec 2026 is off, see the next test
    ])
    func dueDates(received: String, kind: Kind, policy: String?, expected: String) throws {
        let deadline = try Self.book.deadline(from: Self.received(received), kind: kind, policy: policy)
        if received == "2026-12-26" {
            // 26 + 5 = 31 December, a day off; 1 January 2027 is beyond the calendar's data, so only weekends are
            // known and the explanation warns.
            #expect(deadline.due.iso == "2027-01-01")
            #expect(deadline.steps.contains { $0.kind == .warning })
            return
        }
        #expect(deadline.due.iso == expected, "\(deadline.summary)")
    }

    @Test func theDesignExampleExplainsItself() throws {
        let deadline = try Self.book.deadline(from: Self.received("2026-03-05"), kind: .shikoyat)
        #expect(deadline.due.iso == "2026-03-24")
        #expect(deadline.policy == "standard")
        #expect(deadline.summary.hasPrefix("due 24.03.2026: received Thu 05.03.2026; standard: 15 days"))
        let skipped = deadline.steps.filter { $0.kind == .dayOffSkipped }.map(\.date.iso)
        #expect(skipped == ["2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23"])
        #expect(deadline.steps.contains { $0.kind == .dayOffCounted && $0.date.iso == "2026-03-08" })
        #expect(deadline.summary.contains("Ramazon hayiti"))
    }

    @Test func daysCountInTashkentTime() throws {
        // 23:30 on 17 March in Tashkent is 18:30 UTC; 01:30 on 18 March is 20:30 UTC on the 17th.
        let lateEvening = try Self.book.deadline(from: Date(timeIntervalSince1970: 1_742_236_200), kind: .ariza)
        let afterMidnight = try Self.book.deadline(from: Date(timeIntervalSince1970: 1_742_243_400), kind: .ariza)
        #expect(lateEvening.due.iso == "2025-04-01")
        #expect(afterMidnight.due.iso == "2025-04-02")
    }

    @Test func extensionAddsOneMonthToTheDueDate() throws {
        #expect(try Self.book.extending(LocalDate("2025-01-31")!).due.iso == "2025-02-28")
        #expect(try Self.book.extending(LocalDate("2026-11-30")!).due.iso == "2026-12-30")
        #expect(Self.book.policies["extension"]?.maxTimes == 1)
    }

    @Test func unknownPolicyIsRefusedByName() {
        #expect(throws: DeadlineError.self) {
            try Self.book.deadline(from: Self.received("2025-03-18"), kind: .ariza, policy: "tomorrow")
        }
    }

    @Test func registrationDayFollowsOfficeHours() {
        let calendar = Self.book.calendar
        let zone = WorkingCalendar.tashkent
        func at(_ day: String, _ hour: Double) -> Date {
            LocalDate(day)!.start(in: zone).addingTimeInterval(hour * 3600)
        }
        #expect(calendar.registrationDay(for: at("2025-03-18", 10)).iso == "2025-03-18")
        #expect(calendar.registrationDay(for: at("2025-03-18", 19)).iso == "2025-03-19")  // after 18:00
        #expect(calendar.registrationDay(for: at("2025-03-20", 19)).iso == "2025-03-24")  // Navro'z, weekend
        #expect(calendar.registrationDay(for: at("2025-01-04", 11)).iso == "2025-01-04")  // working Saturday
    }

    @Test func bothYearsAreLoadedWithTheirWorkingSaturdays() {
        let calendar = Self.book.calendar
        #expect(calendar.years == [2025, 2026])
        #expect(calendar.isWorkingDay(LocalDate("2025-01-04")!))
        #expect(calendar.isWorkingDay(LocalDate("2026-12-12")!))
        #expect(!calendar.isWorkingDay(LocalDate("2026-12-31")!))
        #expect(!calendar.isWorkingDay(LocalDate("2025-01-02")!))
        #expect(calendar.holidays.count == 13 + 17)
    }
}

enum RulesFolder {
    /// The repository's `Rules/` folder.
    static let url: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Rules")
}
