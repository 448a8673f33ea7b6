import Foundation
import Testing

@testable import Ingest

@Suite struct TextDecodingTests {
    @Test func utf8WithAndWithoutBOM() {
        let text = "Oʻzbekiston, Ўзбекистон, Россия"
        #expect(TextDecoding.decode(Array(text.utf8)) == (text, .utf8))
        #expect(TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8)) == (text, .utf8WithBOM))
    }

    @Test func windows1251IsReadWhenTheBytesAreNotUTF8() {
        // "Ўзбекистон паспорт" and "Привет, ёж!" in windows-1251.
        let uzbek: [UInt8] =
            [0xA1, 0xE7, 0xE1, 0xE5, 0xEA, 0xE8, 0xF1, 0xF2, 0xEE, 0xED, 0x20] + Array("паспорт".cp1251)
        #expect(TextDecoding.decode(uzbek) == ("Ўзбекистон паспорт", .windows1251))
        #expect(TextDecoding.decode(Array("Привет, ёж!".cp1251)) == ("Привет, ёж!", .windows1251))
    }

    @Test func asciiIsUTF8() {
        #expect(TextDecoding.sniff(Array("call_id;started_at".utf8)).encoding == .utf8)
    }

    @Test func aFileCutInsideALetterIsStillUTF8() {
        let bytes = Array("Ish haqi — ўн".utf8)
        #expect(TextDecoding.sniff(Array(bytes.dropLast())).encoding == .utf8)
        #expect(TextDecoding.decode(bytes.dropLast()[...], as: .utf8) == nil)
    }

    @Test(arguments: [
        [0xC0, 0x80] as [UInt8],  // overlong
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0x80],  // lone continuation byte
        [0xE2, 0x28, 0xA1],  // broken sequence
    ])
    func invalidUTF8IsRefused(bytes: [UInt8]) {
        #expect(!TextDecoding.isUTF8(bytes[...], allowTruncatedEnd: true))
        #expect(TextDecoding.decode(bytes[...], as: .utf8) == nil)
    }

    @Test func utf16IsToldByItsByteOrderMark() {
        let text = "Ўзбекистон, Россия, Oʻzbekiston 😀"
        let little = [0xFF, 0xFE] + text.utf16LittleEndian
        let big = [0xFE, 0xFF] + text.utf16BigEndian
        #expect(TextDecoding.sniff(little) == (.utf16LittleEndian, 2))
        #expect(TextDecoding.sniff(big) == (.utf16BigEndian, 2))
        #expect(TextDecoding.decode(little) == (text, .utf16LittleEndian))
        #expect(TextDecoding.decode(big) == (text, .utf16BigEndian))
    }

    /// A UTF-16 file read as UTF-8 for the CSV reader, and where its line breaks were.
    @Test func utf16BecomesUTF8WithItsLineBreaksMapped() {
        // Ending in a lone surrogate (D800), which no Swift string can hold, then "c".
        let file = [0xFF, 0xFE] + "a😀\r\nЯ\rb\n".utf16LittleEndian + [0x00, 0xD8] + "c".utf16LittleEndian
        let (bytes, lines) = TextDecoding.utf8(fromUTF16: file[2...], bigEndian: false)
        #expect(String(decoding: bytes, as: UTF8.self) == "a😀\r\nЯ\rb\n\u{FFFD}c")
        // a 😀 CR LF Я CR b LF: the UTF-8 offsets of the breaks are 5, 6, 9, 11; in the file 8, 10, 14, 18.
        #expect(lines.breaks.map(\.utf8) == [5, 6, 9, 11])
        #expect(lines.breaks.map(\.original) == [8, 10, 14, 18])
        // Each line of the UTF-8 maps to its own bytes in the file.
        #expect(lines.original(0..<5) == 2..<8)
        #expect(lines.original(7..<9) == 12..<14)
        #expect(lines.original(10..<11) == 16..<18)
        #expect(lines.original(12..<bytes.count) == 20..<24)
    }

    /// What a person sees of a quarantined record: its bytes in its file's encoding, whatever that was.
    @Test func quarantinedBytesReadInTheirOwnEncoding() {
        let row = "W2;вчера;Зарплату не платят"
        #expect(TextDecoding.readable(row.cp1251[...]) == row)
        #expect(TextDecoding.readable(Array(row.utf8)[...]) == row)
        #expect(TextDecoding.readable(([0xEF, 0xBB, 0xBF] + Array(row.utf8))[...]) == row)
        // A row of a UTF-16 file has no byte order mark of its own.
        #expect(TextDecoding.readable(row.utf16LittleEndian[...]) == row)
        #expect(TextDecoding.readable(row.utf16BigEndian[...]) == row)
        #expect(TextDecoding.readable(([0xFF, 0xFE] + row.utf16LittleEndian)[...]) == row)
        // Mail is mostly ASCII and has no zero bytes.
        let mail = "From: a@b.uz\r\nSubject: =?UTF-8?B?0J/QsNGB0L/QvtGA0YI=?=\r\n\r\nPasport"
        #expect(TextDecoding.readable(Array(mail.utf8)[...]) == mail)
        // A preview cut inside a letter loses that letter only.
        let cut = Array("Ish haqi ўн".utf8).dropLast()
        #expect(TextDecoding.readable(cut) == "Ish haqi ў\u{FFFD}")
        #expect(TextDecoding.readable([][...]) == "")
    }

    @Test func everyWindows1251ByteDecodes() {
        let all = (0...255).map { UInt8($0) }
        let text = TextDecoding.decode(all[...], as: .windows1251)
        #expect(text?.unicodeScalars.count == 256)
    }
}

extension String {
    /// This text in UTF-16, low byte first, without a byte order mark.
    var utf16LittleEndian: [UInt8] { utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
    /// This text in UTF-16, high byte first, without a byte order mark.
    var utf16BigEndian: [UInt8] { utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }

    /// The Russian letters of this text in windows-1251 (enough for test data: А-я, Ё ё).
    var cp1251: [UInt8] {
        unicodeScalars.map { scalar -> UInt8 in
            switch scalar.value {
            case 0x410...0x44F: return UInt8(scalar.value - 0x410 + 0xC0)
            case 0x401: return 0xA8
            case 0x451: return 0xB8
            case 0x40E: return 0xA1
            case 0x45E: return 0xA2
            default: return UInt8(scalar.value)
            }
        }
    }
}
