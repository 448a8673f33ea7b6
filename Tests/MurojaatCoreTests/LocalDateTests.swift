import Foundation
import MurojaatCore
import Testing

@Suite struct LocalDateTests {
    @Test(arguments: [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-08-31", 1, "2025-09-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-11-30", 3, "2026-02-28"),
    ])
    func monthsEndOnTheSameDayOrTheMonthsLast(start: String, months: Int, expected: String) {
        #expect(LocalDate(start)!.adding(months: months).iso == expected)
    }

    @Test func daysRoundTripAndWeekdays() {
        for days in stride(from: -1000, to: 40_000, by: 37) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalDate("2026-03-05")!.weekday == 4)  // Thursday
        #expect(LocalDate("2025-01-04")!.weekday == 6)  // Saturday
        #expect(LocalDate("1970-01-01")!.weekday == 4)
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "31.04.2025", "2025/01/01", "yesterday", ""])
    func invalidDatesAreRefused(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func dottedFormIsAccepted() {
        #expect(LocalDate("18.03.2025") == LocalDate(year: 2025, month: 3, day: 18))
    }

    @Test func aMomentFallsOnItsTashkentDay() {
        // 20:30 UTC on 17 March is 01:30 on 18 March in Tashkent.
        let moment = Date(timeIntervalSince1970: 1_742_243_400)
        #expect(LocalDate(moment, in: WorkingCalendar.tashkent).iso == "2025-03-18")
        #expect(LocalDate(moment, in: TimeZone(identifier: "UTC")!).iso == "2025-03-17")
    }
}
