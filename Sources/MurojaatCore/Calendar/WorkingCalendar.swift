public import Foundation

/// Which days state bodies work, from the Labour Code and the yearly decrees that move days off and turn some
/// Saturdays into working days. The data lives in `Rules/calendar/*.yaml`; an administrator adds a year there.
public struct WorkingCalendar: Sendable, Hashable {
    /// A named day: a holiday, or a Saturday made a working day.
    public struct Day: Sendable, Hashable, Codable {
        public var date: LocalDate
        public var name: String
        public init(date: LocalDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    /// ISO weekday numbers of the weekly rest days (6, 7 for a five-day week).
    public var weekend: Set<Int>
    public var holidays: [LocalDate: String]
    public var workingWeekends: [LocalDate: String]
    /// Years the data covers; outside them only the weekly rest days are known.
    public var years: Set<Int>
    public var zone: TimeZone
    /// Office hours, minutes after midnight (09:00-18:00 by default).
    public var officeOpens: Int
    public var officeCloses: Int

    public init(
        weekend: Set<Int> = [6, 7], holidays: [Day] = [], workingWeekends: [Day] = [], years: Set<Int> = [],
        zone: TimeZone = WorkingCalendar.tashkent, officeOpens: Int = 9 * 60, officeCloses: Int = 18 * 60
    ) {
        self.weekend = weekend
        self.holidays = Dictionary(holidays.map { ($0.date, $0.name) }, uniquingKeysWith: { a, _ in a })
        self.workingWeekends = Dictionary(workingWeekends.map { ($0.date, $0.name) }, uniquingKeysWith: { a, _ in a })
        self.years = years
        self.zone = zone
        self.officeOpens = officeOpens
        self.officeCloses = officeCloses
    }

    public static let tashkent = TimeZone(identifier: "Asia/Tashkent") ?? TimeZone(secondsFromGMT: 5 * 3600)!

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if workingWeekends[date] != nil { return true }
        if holidays[date] != nil { return false }
        return !weekend.contains(date.weekday)
    }

    /// Why a day is not worked: the holiday's name, or the weekday's; nil for a working day.
    public func reasonOff(_ date: LocalDate) -> String? { reasonOffWording(date)?.en }

    /// Why `date` is not a working day in each language: a holiday by its name in the calendar file (as written
    /// there), a weekend day by its name.
    public func reasonOffWording(_ date: LocalDate) -> Wording? {
        if isWorkingDay(date) { return nil }
        if let holiday = holidays[date] { return Wording(verbatim: holiday) }
        switch date.weekday {
        case 6: return Wording(uz: "shanba", ru: "суббота", en: "Saturday")
        case 7: return Wording(uz: "yakshanba", ru: "воскресенье", en: "Sunday")
        default: return Wording(uz: "dam olish kuni", ru: "выходной", en: "day off")
        }
    }

    /// Whether the calendar has data for the year of `date`.
    public func covers(_ date: LocalDate) -> Bool { years.isEmpty || years.contains(date.year) }

    /// The first working day on or after `date`.
    public func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        // A run of days off is never longer than a few weeks; the bound keeps a broken calendar from hanging.
        for _ in 0..<366 where !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The `count`-th working day after `date`.
    public func adding(workingDays count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to` is not after `from`).
    public func workingDays(after from: LocalDate, through to: LocalDate) -> Int {
        guard to > from else { return 0 }
        var count = 0
        var day = from.adding(days: 1)
        while day <= to {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// The day an appeal received at `moment` must be registered (law, art. 23): the same day when it arrives on
    /// a working day before closing time, otherwise the next working day.
    public func registrationDay(for moment: Date) -> LocalDate {
        let day = LocalDate(moment, in: zone)
        let minute = LocalDate.secondOfDay(moment, in: zone) / 60
        if isWorkingDay(day) && minute < officeCloses { return day }
        return workingDay(onOrAfter: day.adding(days: 1))
    }
}
