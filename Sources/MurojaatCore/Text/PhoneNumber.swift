/// A telephone number in E.164 form (`+998901234567`), read from the way people and operators write numbers.
///
/// Operators type what the caller says and call-centre systems capture what the network gives, so one number
/// arrives as `+998 90 123-45-67`, `998901234567`, `(90) 123 45 67`, `8 (90) 123-45-67` or `0090 123 45 67`.
/// Matching appeals by applicant needs one spelling.
///
/// ```swift
/// PhoneNumber("8 (90) 123-45-67")?.e164   // "+998901234567"
/// PhoneNumber("+7 916 123 45 67")?.e164   // "+79161234567"
/// PhoneNumber("90 123")                   // nil: too short
/// ```
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// `+` and 8 to 15 digits.
    public let e164: String

    /// Reads a number, or returns nil when `raw` is not one: letters, too few or too many digits, a `+` in the
    /// middle. A number without an international prefix is taken as a national number of `defaultCountry`
    /// (a country calling code, digits only).
    public init?(_ raw: String, defaultCountry: String = "998") {
        var digits: [UInt8] = []
        var plus = false
        for scalar in raw.unicodeScalars {
            let value = scalar.value
            if value >= 0x30 && value <= 0x39 {
                digits.append(UInt8(value))
                // A pasted list of numbers or a number with an extension is not one number.
                if digits.count > 20 { return nil }
            } else if value == 0x2B || value == 0xFF0B {  // + and the full-width ＋
                guard !plus, digits.isEmpty else { return nil }
                plus = true
            } else if !PhoneNumber.isSeparator(value) {
                return nil
            }
        }
        let country = Array(defaultCountry.utf8)
        guard !country.isEmpty, country.count <= 3, country.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }

        let international: ArraySlice<UInt8>
        if plus {
            international = digits[...]
        } else if digits.starts(with: [0x30, 0x30]) {
            // 00 is the international prefix from Uzbekistan, Russia and most of Europe.
            international = digits.dropFirst(2)
        } else if digits.starts(with: [0x38, 0x31, 0x30]), digits.count > 11 {
            // 8-10 was the Soviet international prefix; older operators and exports still write it.
            international = digits.dropFirst(3)
        } else if digits.starts(with: country), digits.count > country.count,
            // 99 812 34 56 is a national number that starts like 998: only the full length makes it international.
            PhoneNumber.isPlausible(digits[...])
        {
            international = digits[...]
        } else if let national = PhoneNumber.national(digits, country: country) {
            international = (country + national)[...]
        } else {
            return nil
        }
        guard PhoneNumber.isPlausible(international) else { return nil }
        e164 = "+" + String(decoding: international, as: UTF8.self)
    }

    public var description: String { e164 }

    /// The national significant number a caller gave without the country code, if `digits` is one.
    private static func national(_ digits: [UInt8], country: [UInt8]) -> ArraySlice<UInt8>? {
        if country == PhoneNumber.uzbekistan {
            // Uzbek numbers have 9 national digits (90 123 45 67, 71 202 33 55). The old Soviet trunk prefix 8
            // is still written before them: 8 (90) 123-45-67.
            if digits.count == 9 && digits.first != 0x30 { return digits[...] }
            if digits.count == 10 && digits.first == 0x38 && digits[1] != 0x30 { return digits.dropFirst() }
            return nil
        }
        // For other countries the national length is not known here; the plausibility check bounds it.
        guard digits.count >= 6, digits.first != 0x30 else { return nil }
        return digits[...]
    }

    /// Total lengths (country code included) of the numbering plans callers use most; others are 8-15 digits.
    private static func fixedLength(_ digits: ArraySlice<UInt8>) -> Int? {
        if digits.starts(with: uzbekistan) { return 12 }
        switch digits.first {
        case 0x37: return 11  // +7: Russia, Kazakhstan
        case 0x31: return 11  // +1: North America
        default: break
        }
        if digits.starts(with: [0x39, 0x39, 0x32]) { return 12 }  // +992 Tajikistan
        if digits.starts(with: [0x39, 0x39, 0x36]) { return 12 }  // +996 Kyrgyzstan
        if digits.starts(with: [0x39, 0x30]) { return 12 }  // +90 Turkey
        return nil
    }

    private static func isPlausible(_ digits: ArraySlice<UInt8>) -> Bool {
        guard let first = digits.first, first != 0x30 else { return false }
        if let length = fixedLength(digits) { return digits.count == length }
        return digits.count >= 8 && digits.count <= 15
    }

    private static let uzbekistan: [UInt8] = Array("998".utf8)

    /// Spaces (including no-break and thin ones), dashes of every kind, dots, slashes and parentheses.
    private static func isSeparator(_ value: UInt32) -> Bool {
        switch value {
        case 0x20, 0x09, 0xA0, 0x2007, 0x2009, 0x200A, 0x202F, 0x3000: return true
        case 0x2D, 0x2010...0x2015, 0x2212, 0xFE63, 0xFF0D: return true
        case 0x28, 0x29, 0x2E, 0x2F: return true
        case 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF: return true  // invisible marks that copy-paste brings along
        default: return false
        }
    }
}
