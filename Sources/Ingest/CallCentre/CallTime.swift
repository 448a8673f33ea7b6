import Foundation
import MurojaatCore

/// The times call-centre exports write (FORMATS.md, 2a): `2025-11-20 09:15:00` in local time, ISO 8601 with an
/// offset (`2025-11-20T09:15:00+05:00`, `...Z`), and `20.11.2025 09:15[:00]` in local time; and `20/11/2025 09:15`
/// when the mapping says which of the first two numbers is the day.
///
/// Hand-written rather than a `DateFormatter` per format: every field is range-checked (a formatter turns
/// `32.13.2025` into a date in February 2026), it costs nothing per row, and it is `Sendable`.
enum CallTime {
    static func parse(_ text: String, zone: TimeZone, slashDates: CallCardMapping.SlashDates? = nil) -> Date? {
        var cursor = Cursor(Array(text.utf8))
        let year: Int
        let month: Int
        let day: Int
        if let y = cursor.digits(4), cursor.take(0x2D) {  // YYYY-MM-DD
            guard let m = cursor.digits(2), cursor.take(0x2D), let d = cursor.digits(2) else { return nil }
            (year, month, day) = (y, m, d)
            guard cursor.take(0x20) || cursor.take(0x54) || cursor.take(0x74) else { return nil }  // ' ' or T
        } else {
            cursor = Cursor(Array(text.utf8))
            // DD.MM.YYYY; operators' spreadsheets also drop the leading zero (1.11.2025 9:05). With slashes, the
            // order the mapping gives.
            guard let first = cursor.digits(1...2) else { return nil }
            let separator: UInt8 = slashDates != nil && cursor.take(0x2F) ? 0x2F : 0x2E
            guard separator == 0x2F || cursor.take(0x2E), let second = cursor.digits(1...2), cursor.take(separator),
                let y = cursor.digits(4), cursor.take(0x20)
            else { return nil }
            (year, month, day) =
                separator == 0x2F && slashDates == .monthFirst ? (y, first, second) : (y, second, first)
        }
        while cursor.take(0x20) {}
        guard let date = LocalDate(year: year, month: month, day: day), let hour = cursor.digits(1...2),
            cursor.take(0x3A), let minute = cursor.digits(2), hour < 24, minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if cursor.take(0x3A) {
            guard let s = cursor.digits(2), s < 60 else { return nil }
            second = s
            if cursor.take(0x2E) || cursor.take(0x2C) {
                var scale = 0.1
                var any = false
                while let digit = cursor.digit() {
                    fraction += Double(digit) * scale
                    scale /= 10
                    any = true
                }
                guard any else { return nil }
            }
        }
        let local = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        let offset: Int
        if cursor.atEnd {
            // Local time in the zone: the zone's offset at that moment, found in two steps so a change of offset
            // (Tashkent had summer time until 1991) falls on the right side.
            let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
            offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - first)))
        } else if cursor.take(0x5A) || cursor.take(0x7A) {  // Z
            offset = 0
        } else {
            let sign: Int
            if cursor.take(0x2B) {
                sign = 1
            } else if cursor.take(0x2D) || cursor.take(0xE2, 0x88, 0x92) {  // - or the minus sign
                sign = -1
            } else {
                return nil
            }
            guard let hours = cursor.digits(2), hours <= 14 else { return nil }
            var minutes = 0
            if !cursor.atEnd {
                _ = cursor.take(0x3A)
                guard let m = cursor.digits(2), m < 60 else { return nil }
                minutes = m
            }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard cursor.atEnd else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(local - offset) + fraction)
    }

    /// `2025-11-20T09:15:00+05:00`: the moment written in `zone`, for keeping times in extra fields.
    static func format(_ moment: Date, zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: moment)
        let seconds = Int(moment.timeIntervalSince1970.rounded(.down)) + offset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let date = LocalDate(daysSinceEpoch: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let sign = offset < 0 ? "-" : "+"
        let off = abs(offset) / 60
        let clock = "\(two(time / 3600)):\(two(time / 60 % 60)):\(two(time % 60))"
        return "\(date.iso)T\(clock)\(sign)\(two(off / 60)):\(two(off % 60))"
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ expected: UInt8...) -> Bool {
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected)
            else { return false }
            index += expected.count
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            index += 1
            return Int(bytes[index - 1] - 0x30)
        }

        mutating func digits(_ count: Int) -> Int? { digits(count...count) }

        /// A number of `counts.lowerBound` to `counts.upperBound` digits, or nil (and nothing consumed).
        mutating func digits(_ counts: ClosedRange<Int>) -> Int? {
            let start = index
            var value = 0
            while index - start < counts.upperBound, let digit = digit() { value = value * 10 + digit }
            guard index - start >= counts.lowerBound else {
                index = start
                return nil
            }
            return value
        }
    }
}
