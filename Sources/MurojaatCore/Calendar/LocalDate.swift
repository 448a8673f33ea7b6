public import Foundation

/// A day on the civil calendar, without time or zone (e.g. a due date in Tashkent).
///
/// Arithmetic is done on days since 1970-01-01 (proleptic Gregorian), so it is exact and cheap; conversion from a
/// moment needs the zone in which the day is meant.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or nil when it does not exist (31 April, 29 February of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` or `DD.MM.YYYY`.
    public init?(_ text: String) {
        // The stores keep due dates as ISO text and read millions of them in a recomputation: that form is read
        // from its ten bytes directly, everything else by the general path below.
        if text.utf8.count == 10, let iso = text.utf8.withContiguousStorageIfAvailable(Self.iso) ?? nil {
            self = iso
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts: [Substring]
        if trimmed.contains("-") {
            parts = trimmed.split(separator: "-")
            guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
                let d = Int(parts[2])
            else { return nil }
            self.init(year: y, month: m, day: d)
        } else {
            parts = trimmed.split(separator: ".")
            guard parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]),
                let y = Int(parts[2])
            else { return nil }
            self.init(year: y, month: m, day: d)
        }
    }

    /// `YYYY-MM-DD` from exactly ten bytes, or nil.
    static func iso(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// The day that `moment` falls on in `zone`.
    public init(_ moment: Date, in zone: TimeZone) {
        let offset = zone.secondsFromGMT(for: moment)
        let seconds = Int((moment.timeIntervalSince1970).rounded(.down)) + offset
        self.init(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// Seconds since midnight of `moment` on `zone`'s clock: with ``init(_:in:)``, the wall clock of a moment,
    /// computed by hand so no `DateFormatter` locale or the server's own zone can creep in.
    public static func secondOfDay(_ moment: Date, in zone: TimeZone) -> Int {
        let seconds = Int(moment.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: moment)
        return (seconds % 86_400 + 86_400) % 86_400
    }

    /// `dd.MM.yyyy HH:mm` on `zone`'s clock.
    public static func dottedDateTime(_ moment: Date, in zone: TimeZone) -> String {
        let minute = secondOfDay(moment, in: zone) / 60
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(LocalDate(moment, in: zone).dotted) \(twoDigits(minute / 60)):\(twoDigits(minute % 60))"
    }

    /// Days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 1 = Monday ... 7 = Sunday (ISO 8601).
    public var weekday: Int {
        let d = daysSinceEpoch
        // 1970-01-01 was a Thursday (4).
        return ((d % 7 + 7) % 7 + 3) % 7 + 1
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day `months` later; when that month is shorter, its last day (Civil Code: "1 month" ends on the
    /// corresponding day of the next month).
    public func adding(months: Int) -> LocalDate {
        let index = year * 12 + (month - 1) + months
        let y = index / 12
        let m = index % 12 + 1
        return LocalDate(year: y, month: m, day: min(day, LocalDate.daysIn(month: m, year: y)))!
    }

    /// The first moment of this day in `zone`.
    public func start(in zone: TimeZone) -> Date {
        let utcMidnight = Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch) * 86_400)
        return utcMidnight.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: utcMidnight)))
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let y = String(year)
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(y)-\(m)-\(d)"
    }

    /// `DD.MM.YYYY`, as dates are written in Uzbekistan.
    public var dotted: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(d).\(m).\(year)"
    }

    public var description: String { iso }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// English and Uzbek names of weekdays, for explanations.
public enum Weekday {
    public static let short = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    public static let uzbek = ["dushanba", "seshanba", "chorshanba", "payshanba", "juma", "shanba", "yakshanba"]
    public static let russianShort = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]

    /// Parses `monday`, `mon`, `dushanba` (any case) to 1...7.
    public static func number(_ name: String) -> Int? {
        let folded = name.lowercased()
        let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        if let index = english.firstIndex(where: { $0 == folded || $0.prefix(3) == folded }) { return index + 1 }
        if let index = uzbek.firstIndex(of: folded) { return index + 1 }
        return nil
    }
}
