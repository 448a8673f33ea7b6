/// The number an applicant is given and reads back over the phone, e.g. `K7P4-9QXM`.
///
/// Eight symbols of Crockford's base-32 alphabet (no I, L, O or U, so nothing is misheard as a digit), the last
/// a Luhn mod 32 check character: any single mistyped symbol and any swap of two neighbours is rejected.
/// The seven payload symbols are a bijective scramble of the appeal's sequence number, so consecutive appeals
/// do not get consecutive numbers and numbers cannot be guessed by counting.
public struct TrackingNumber: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The canonical spelling, `XXXX-XXXX`.
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let payloadBits: UInt64 = 35
    static let mask: UInt64 = (1 << payloadBits) - 1
    // An odd multiplier is invertible modulo 2^35; the xor hides the low bits of small sequence numbers.
    static let multiplier: UInt64 = 0x5_DEEC_E66D
    static let whitening: UInt64 = 0x2_B7E1_5162

    /// The largest sequence number that still gets a distinct tracking number.
    public static let maxSequence: Int64 = Int64(mask)

    /// The tracking number of the appeal with this sequence number (the store's row id).
    public init(sequence: Int64) {
        precondition(sequence >= 0 && sequence <= TrackingNumber.maxSequence, "sequence out of range")
        let scrambled =
            ((UInt64(sequence) &* TrackingNumber.multiplier) & TrackingNumber.mask)
            ^ TrackingNumber.whitening
        var digits = [Int](repeating: 0, count: 7)
        var rest = scrambled
        for index in stride(from: 6, through: 0, by: -1) {
            digits[index] = Int(rest & 31)
            rest >>= 5
        }
        let check = TrackingNumber.checkDigit(for: digits)
        var bytes = digits.map { TrackingNumber.alphabet[$0] }
        bytes.append(TrackingNumber.alphabet[check])
        bytes.insert(UInt8(ascii: "-"), at: 4)
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a number as typed or dictated: case, spaces and dashes do not matter, and O, I and L are read as
    /// 0, 1 and 1. Throws when the length or the check character is wrong.
    public init(parsing text: String) throws(TrackingNumberError) {
        var digits: [Int] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."): continue
            default:
                guard let digit = TrackingNumber.digit(for: byte) else { throw .invalidCharacter(text) }
                digits.append(digit)
            }
        }
        guard digits.count == 8 else { throw .wrongLength(text) }
        guard TrackingNumber.checkDigit(for: Array(digits[0..<7])) == digits[7] else { throw .checkFailed(text) }
        var bytes = digits.map { TrackingNumber.alphabet[$0] }
        bytes.insert(UInt8(ascii: "-"), at: 4)
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// The sequence number this tracking number was made from.
    public var sequence: Int64 {
        var scrambled: UInt64 = 0
        for byte in value.utf8 where byte != UInt8(ascii: "-") {
            scrambled = (scrambled << 5) | UInt64(TrackingNumber.digit(for: byte)!)
        }
        scrambled >>= 5  // drop the check digit
        let unwhitened = scrambled ^ TrackingNumber.whitening
        return Int64((unwhitened &* TrackingNumber.inverseMultiplier) & TrackingNumber.mask)
    }

    public var description: String { value }

    public static func < (lhs: TrackingNumber, rhs: TrackingNumber) -> Bool { lhs.value < rhs.value }

    static let inverseMultiplier: UInt64 = {
        // Newton's iteration for the inverse of an odd number modulo 2^64, then reduced to 35 bits.
        var inverse: UInt64 = multiplier
        for _ in 0..<6 { inverse = inverse &* (2 &- multiplier &* inverse) }
        return inverse & mask
    }()

    static func digit(for byte: UInt8) -> Int? {
        var upper = byte
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { upper = byte - 32 }
        switch upper {
        case UInt8(ascii: "O"): return 0
        case UInt8(ascii: "I"), UInt8(ascii: "L"): return 1
        default: return alphabet.firstIndex(of: upper)
        }
    }

    /// Luhn mod N over base 32: doubling every second symbol from the right catches adjacent swaps.
    static func checkDigit(for digits: [Int]) -> Int {
        var sum = 0
        var double = true
        for digit in digits.reversed() {
            var addend = double ? digit * 2 : digit
            addend = addend / 32 + addend % 32
            sum += addend
            double.toggle()
        }
        return (32 - sum % 32) % 32
    }
}

/// Why a typed tracking number was rejected.
public enum TrackingNumberError: WordedError, Sendable, Hashable, CustomStringConvertible {
    case invalidCharacter(String)
    case wrongLength(String)
    case checkFailed(String)

    public var wording: Wording {
        switch self {
        case .invalidCharacter(let text):
            Wording(
                uz: "\"\(text)\" kuzatuv raqamida harf yoki raqam bo‘lmagan belgi bor",
                ru: "В номере обращения \"\(text)\" есть знак, который не буква и не цифра",
                en: "tracking number \"\(text)\" has a character that is not a letter or digit")
        case .wrongLength(let text):
            Wording(
                uz: "\"\(text)\" kuzatuv raqamida 8 ta harf va raqam bo‘lishi kerak, masalan K7P4-9QXM",
                ru: "В номере обращения \"\(text)\" должно быть 8 букв и цифр, например K7P4-9QXM",
                en: "tracking number \"\(text)\" must have 8 letters and digits, like K7P4-9QXM")
        case .checkFailed(let text):
            Wording(
                uz: "\"\(text)\" kuzatuv raqami xato terilgan: nazorat belgisi mos kelmadi",
                ru: "Номер обращения \"\(text)\" набран с ошибкой: не совпал контрольный знак",
                en: "tracking number \"\(text)\" is mistyped: its check character does not match")
        }
    }

    public var description: String { wording.en }
}
