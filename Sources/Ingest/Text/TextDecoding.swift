/// The character encoding a source file was read in.
public enum TextEncoding: String, Sendable, Hashable, CustomStringConvertible {
    case utf8 = "UTF-8"
    /// UTF-8 that starts with a byte order mark, as Excel and 1C write it.
    case utf8WithBOM = "UTF-8 with BOM"
    /// The Cyrillic code page of Russian-language Windows, still the default of older call-centre and accounting
    /// exports. It has no Uzbek қ ғ ҳ (only ў); exports write к г х or `?` instead.
    case windows1251 = "windows-1251"
    /// UTF-16 with a byte order mark, low byte first: what Excel's "Unicode Text" writes (tab-separated).
    case utf16LittleEndian = "UTF-16LE"
    /// UTF-16 with a byte order mark, high byte first.
    case utf16BigEndian = "UTF-16BE"

    public var description: String { rawValue }
}

/// Tells UTF-8 from windows-1251 and UTF-16 and turns bytes into text.
///
/// UTF-16 is told by its byte order mark, which Excel always writes. Otherwise the sniff is a validity check, not a
/// guess from letter frequencies: windows-1251 Cyrillic text is almost never valid UTF-8 (its letters are bytes
/// C0-FF followed by more letters, not by the 80-BF continuation bytes UTF-8 requires), while any UTF-8 file is. So
/// a file that is valid UTF-8 is read as UTF-8, and anything else as windows-1251, where every byte is a character
/// and nothing can fail.
enum TextDecoding {
    /// The encoding of `bytes` and how many leading bytes are the byte order mark.
    static func sniff(_ bytes: [UInt8]) -> (encoding: TextEncoding, bomLength: Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8WithBOM, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        // A file cut off in the middle of a letter is still UTF-8: the cut letter is the last row's problem, not a
        // reason to read the whole file in another encoding.
        return (isUTF8(bytes[...], allowTruncatedEnd: true) ? .utf8 : .windows1251, 0)
    }

    /// Decodes a whole file: the sniffed encoding, without the byte order mark.
    static func decode(_ bytes: [UInt8]) -> (text: String, encoding: TextEncoding) {
        let (encoding, bom) = sniff(bytes)
        let body = bytes[bom...]
        return (decode(body, as: encoding) ?? String(decoding: body, as: UTF8.self), encoding)
    }

    /// Bytes a person can read, whatever the source wrote them in: the bytes of a quarantined record, which keep the
    /// encoding of their file, and a row of a UTF-16 file has no byte order mark of its own. A byte order mark
    /// decides; else UTF-16 is told by its zero bytes (every ASCII character has one, and no text in another
    /// encoding has any); else valid UTF-8 is UTF-8, and anything else is windows-1251, as the adapters read it.
    /// A slice cut inside a character loses only that character.
    static func readable(_ bytes: ArraySlice<UInt8>) -> String {
        let (encoding, bom) = sniff(Array(bytes.prefix(3)))
        if bom > 0 {
            let body = bytes.dropFirst(bom)
            return decode(body, as: encoding) ?? String(decoding: body, as: UTF8.self)
        }
        if let utf16 = utf16WithoutMark(bytes) { return decode(bytes, as: utf16) ?? "" }
        if isUTF8(bytes, allowTruncatedEnd: true) { return String(decoding: bytes, as: UTF8.self) }
        return decode(bytes, as: .windows1251) ?? ""
    }

    /// UTF-16 without a byte order mark: in the bytes of one parity, zeros and at least three quarters zeros or 04
    /// (the high bytes of ASCII and of Cyrillic), and no zeros in the other. Text in any other encoding has no zero
    /// bytes at all.
    private static func utf16WithoutMark(_ bytes: ArraySlice<UInt8>) -> TextEncoding? {
        var zeros = (even: 0, odd: 0)
        var high = (even: 0, odd: 0)
        for (offset, byte) in bytes.enumerated() where byte == 0 || byte == 4 {
            let zero = byte == 0 ? 1 : 0
            if offset & 1 == 0 {
                (zeros.even, high.even) = (zeros.even + zero, high.even + 1)
            } else {
                (zeros.odd, high.odd) = (zeros.odd + zero, high.odd + 1)
            }
        }
        let units = bytes.count / 2
        if zeros.odd > 0 && zeros.even == 0 && high.odd * 4 >= units * 3 { return .utf16LittleEndian }
        if zeros.even > 0 && zeros.odd == 0 && high.even * 4 >= units * 3 { return .utf16BigEndian }
        return nil
    }

    /// UTF-16 code units of `bytes` (a byte left over at the end is dropped).
    private static func units(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt16] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        return units
    }

    /// A UTF-16 file's body as UTF-8, for the byte-oriented CSV reader, with where each line break of the UTF-8
    /// stands in the original, so that a row's own bytes can be found again (``UTF16Lines``). A lone surrogate
    /// becomes U+FFFD.
    static func utf8(fromUTF16 body: ArraySlice<UInt8>, bigEndian: Bool) -> (bytes: [UInt8], lines: UTF16Lines) {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var breaks: [(utf8: Int, original: Int)] = []
        // The standard library's decoding: a lone surrogate becomes one U+FFFD for its one code unit, so counting
        // each scalar's UTF-16 length keeps the place in the file.
        var unit = 0
        for scalar in String(decoding: units(body, bigEndian: bigEndian), as: UTF16.self).unicodeScalars {
            if scalar == "\n" || scalar == "\r" { breaks.append((out.count, body.startIndex + unit * 2)) }
            out.append(contentsOf: scalar.utf8)
            unit += scalar.utf16.count
        }
        return (out, UTF16Lines(breaks: breaks, start: body.startIndex, end: body.startIndex + unit * 2))
    }

    /// Decodes one field or line; nil when UTF-8 was expected and the bytes are not valid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>, as encoding: TextEncoding) -> String? {
        switch encoding {
        case .utf8, .utf8WithBOM:
            guard isUTF8(bytes, allowTruncatedEnd: false) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        case .utf16LittleEndian, .utf16BigEndian:
            let units = units(bytes, bigEndian: encoding == .utf16BigEndian)
            return String(decoding: units, as: UTF16.self)
        case .windows1251:
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                let value = byte < 0x80 ? UInt32(byte) : UInt32(windows1251[Int(byte) - 0x80])
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            }
            return String(scalars)
        }
    }

    /// Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF).
    static func isUTF8(_ bytes: ArraySlice<UInt8>, allowTruncatedEnd: Bool) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            for offset in 1..<length {
                let position = index + offset
                if position >= end { return allowTruncatedEnd }
                let byte = bytes[position]
                if offset == 1 {
                    guard byte >= low && byte <= high else { return false }
                } else {
                    guard byte & 0xC0 == 0x80 else { return false }
                }
            }
            index += length
        }
        return true
    }

    /// Bytes 80-FF of windows-1251 (byte 98 is unassigned).
    private static let windows1251: [UInt16] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
        0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
        0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
        0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
        0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
        0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
        0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
        0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
        0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
        0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
        0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
        0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    ]
}

/// Where the line breaks of a UTF-16 file, read as UTF-8, stand in the file: a record of the CSV reader starts at
/// the start of the text or after a line break and ends at a line break or the end, so these places are enough to
/// find its bytes in the original.
struct UTF16Lines: Sendable {
    /// Each line break (CR or LF): its offset in the UTF-8, and in the file.
    var breaks: [(utf8: Int, original: Int)]
    /// Where the text starts (after the byte order mark) and ends in the file.
    var start: Int
    var end: Int

    /// The file's byte range of the UTF-8 range `range`, whose ends are the start, the end, or line breaks.
    func original(_ range: Range<Int>) -> Range<Int> {
        let lower = range.lowerBound == 0 ? start : (place(of: range.lowerBound - 1).map { $0 + 2 } ?? start)
        let upper = place(of: range.upperBound) ?? end
        return lower..<max(lower, upper)
    }

    /// The file offset of the line break at UTF-8 offset `offset`, if one is there.
    private func place(of offset: Int) -> Int? {
        var low = 0
        var high = breaks.count
        while low < high {
            let middle = (low + high) / 2
            if breaks[middle].utf8 < offset { low = middle + 1 } else { high = middle }
        }
        return low < breaks.count && breaks[low].utf8 == offset ? breaks[low].original : nil
    }
}
