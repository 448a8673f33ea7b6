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

@Suite struct EncodedWordsTests {
    @Test func adjacentBase64WordsWithPaddingAreEachDecoded() {
        let raw = """
            Savol: =?UTF-8?B?0YLQsNC90LvQvtCyINC90LDRgtC40LbQsNC70LDRgNC4IA==?=\r
             =?utf-8?B?0pvQsNGH0L7QvSDRjdGK0LvQvtC9INKb0LjQu9C40L3QsNC00Lg/?=
            """
        #expect(EncodedWords.decode(raw) == "Savol: танлов натижалари қачон эълон қилинади?")
    }

    @Test func qWordsCharsetsAndPlainTextBetween() {
        #expect(
            EncodedWords.decode("=?koi8-r?Q?=E9=D7=C1=CE=CF=D7=C1_=ED=C1=D2=C9=D1?= (tel)") == "Иванова Мария (tel)")
        #expect(
            EncodedWords.decode("Re: =?utf-8?q?Ish_haqi?= va =?utf-8?B?cGFzcG9ydA==?=") == "Re: Ish haqi va pasport")
        #expect(EncodedWords.decode("=?utf-8?x?broken?= text") == "=?utf-8?x?broken?= text")
    }
}
