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

    @Test func everyWindows1251ByteDecodes() {
        let all = (0...255).map { UInt8($0) }
        let text = TextDecoding.decode(all[...], as: .windows1251)
        #expect(text?.unicodeScalars.count == 256)
    }
}

extension String {
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
