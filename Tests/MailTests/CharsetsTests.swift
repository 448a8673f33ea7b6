import Foundation
import Testing

@testable import Mail

@Suite struct CharsetsTests {
    /// "Прошу помочь" in each charset.
    static let russian = "Прошу помочь вернуть паспорт"

    static func encoded(_ text: String, _ charset: String) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", charset]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try! input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    @Test(arguments: ["windows-1251", "koi8-r", "iso-8859-5"])
    func aDeclaredCyrillicCharsetIsBelieved(charset: String) {
        let decoded = Charsets.decode(Self.encoded(Self.russian, charset.uppercased()), declared: charset)
        #expect(decoded.text == Self.russian)
        #expect(decoded.warning == nil)
    }

    @Test(
        arguments: [("WINDOWS-1251", "iso-8859-1"), ("KOI8-R", "us-ascii"), ("WINDOWS-1251", nil)]
            as [(String, String?)])
    func mislabelledCyrillicIsRecognised(actual: String, label: String?) {
        let decoded = Charsets.decode(Self.encoded(Self.russian, actual), declared: label)
        #expect(decoded.text == Self.russian)
        #expect(decoded.warning != nil)
    }

    @Test func utf8IsTakenAsUTF8WhateverTheLabel() {
        let text = "Ўзбекистон Республикаси миграция агентлигига"
        let decoded = Charsets.decode(Array(text.utf8), declared: "windows-1251")
        #expect(decoded.text == text)
        #expect(decoded.warning?.contains("UTF-8") == true)
    }

    @Test func westernLatinStillDecodesAsLatin() {
        let decoded = Charsets.decode([0x63, 0x61, 0x66, 0xE9], declared: "iso-8859-1")
        #expect(decoded.text == "café")
    }
}
