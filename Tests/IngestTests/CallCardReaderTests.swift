import Foundation
import Ingest
import MurojaatCore
import Testing

@Suite struct CallCardReaderTests {
    static func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }

    static func read(_ text: String, mapping: CallCardMapping = .standard) throws -> CallCardBatch {
        try CallCardReader(mapping: mapping, defaultZone: WorkingCalendar.tashkent).read(
            Array(text.utf8), sourceName: "test.csv")
    }

    @Test func bomSemicolonsAndCRLF() throws {
        let batch = try Fixture.reader().read(try Fixture.bytes("bom-semicolon-crlf.csv"), sourceName: "calls.csv")
        #expect(batch.encoding == .utf8WithBOM)
        #expect(batch.delimiter == ";")
        #expect(batch.rows == 5)
        #expect(batch.rejects.isEmpty)
        #expect(batch.drafts.map(\.sourceKey) == ["C-1001", "C-1002", "C-1003", "C-1004", "C-1005"])

        let first = batch.drafts[0]
        #expect(first.channel == .call)
        #expect(first.receivedAt == Self.instant("2025-11-20T04:05:12Z"))
        #expect(first.text == "Rossiyada 3 oydan beri ish haqimni bermayapti")
        #expect(first.subject == "ish haqi")
        #expect(first.intake == .appeal)
        #expect(first.applicant == Applicant(name: "Aziz Rahimov", phone: "+998901234567"))
        #expect(first.region == "Samarqand")
        #expect(first.country == "Rossiya")
        #expect(first.language == "uz")
        #expect(first.origin == "calls.csv line 2")
        #expect(
            first.extra == [
                "line": "1282", "operator": "op.karimova", "ended_at": "2025-11-20T09:11:40+05:00",
                "topic": "ish haqi", "queue_wait": "35",
            ])

        let second = batch.drafts[1]
        #expect(second.intake == .consultation)
        #expect(second.applicant.phone == "+998917654321")
        #expect(second.applicant.name == nil)

        // A quoted summary with a delimiter and a line break: the card spans lines 4-5.
        let third = batch.drafts[2]
        #expect(third.text == "Акам Россияда ушланган; ҳеч ким жавоб бермаяпти.\r\nИлтимос ёрдам беринг")
        #expect(third.intake == .callback)
        #expect(third.extra["callback_number"] == "+998935551234")
        #expect(third.origin == "calls.csv line 4")
        #expect(third.receivedAt == Self.instant("2025-11-20T05:15:00Z"))

        // A caller id that is not a number is kept as written.
        let fourth = batch.drafts[3]
        #expect(fourth.applicant.phone == nil)
        #expect(fourth.extra["caller"] == "скрыт")
        #expect(fourth.intake == .appeal)  // "обращение", an alias
        #expect(fourth.origin == "calls.csv line 6")

        let fifth = batch.drafts[4]
        #expect(fifth.text == "Ish beruvchi pasportimni olib qo'ydi, \"Xorijda ish\" ilovasi orqali keldim")
        #expect(fifth.intake == .appeal)  // empty outcome
        #expect(fifth.applicant.phone == "+79161234567")
        #expect(fifth.extra["callback_number"] == "8 916 123 45 67")  // not readable: kept as written
        #expect(fifth.receivedAt == Self.instant("2025-11-20T06:30:00Z"))
    }

    @Test func windows1251RussianAndUzbekCyrillic() throws {
        let batch = try Fixture.reader().read(try Fixture.bytes("windows-1251-cyrillic.csv"), sourceName: "w.csv")
        #expect(batch.encoding == .windows1251)
        #expect(batch.rejects.isEmpty)
        #expect(
            batch.drafts.map(\.text) == [
                "Ўзбекистонга кайтиш учун паспортим йўк, ёрдам беринг",
                "Работодатель в Москве не платит зарплату три месяца",
            ])
        #expect(batch.drafts.map(\.applicant.name) == ["Бахтиёр", "Ольга Петрова"])
        #expect(batch.drafts.map(\.intake) == [.appeal, .consultation])
    }

    @Test func windows1251BytesMadeInTheTest() throws {
        let bytes = Array("call_id,started_at,summary\r\nR-1,2025-11-20 10:00:00,".utf8) + "Паспорт отобрали".cp1251
        let batch = try CallCardReader(mapping: .standard, defaultZone: WorkingCalendar.tashkent).read(
            bytes, sourceName: "r.csv")
        #expect(batch.encoding == .windows1251)
        #expect(batch.drafts.first?.text == "Паспорт отобрали")
    }

    /// Excel's "Unicode Text": UTF-16, low byte first, with its byte order mark, tab-separated, CRLF.
    @Test func excelUnicodeTextIsRead() throws {
        let rows = [
            "call_id\tstarted_at\tcaller\tsummary",
            "X-1\t2025-11-20 10:00:00\t90 123 45 67\t\"Паспортимни\r\nолиб қўйишди 😀\"",
            "X-2\tвчера\t901234567\tЗарплату не платят",
            "X-3\t2025-11-20 11:00:00\t901234567\tIsh haqi to‘lanmadi",
        ]
        let lines = rows.map(\.utf16LittleEndian)
        let crlf = "\r\n".utf16LittleEndian
        let bytes = [0xFF, 0xFE] + lines.joined(separator: crlf) + crlf
        let batch = try CallCardReader(mapping: .standard, defaultZone: WorkingCalendar.tashkent).read(
            bytes, sourceName: "kartalar.txt")
        #expect(batch.encoding == .utf16LittleEndian)
        #expect(batch.delimiter == "\t")
        #expect(batch.drafts.map(\.text) == ["Паспортимни\r\nолиб қўйишди 😀", "Ish haqi to‘lanmadi"])
        #expect(batch.drafts.map(\.origin) == ["kartalar.txt line 2", "kartalar.txt line 5"])
        #expect(batch.drafts.first?.applicant.phone == "+998901234567")
        // The rejected row keeps its own bytes, as they stand in the file: UTF-16, without the line break.
        let reject = try #require(batch.rejects.first)
        #expect(reject.line == 4)
        #expect(reject.raw == lines[2])
        #expect(reject.reason.en.contains("started_at \"вчера\" is not a date and time"))

        let big = [0xFE, 0xFF] + rows.map(\.utf16BigEndian).joined(separator: "\n".utf16BigEndian)
        let fromBig = try CallCardReader(mapping: .standard, defaultZone: WorkingCalendar.tashkent).read(
            big, sourceName: "big.txt")
        #expect(fromBig.encoding == .utf16BigEndian)
        #expect(fromBig.drafts.map(\.sourceKey) == ["X-1", "X-3"])
        #expect(fromBig.rejects.map(\.raw) == [rows[2].utf16BigEndian])
    }

    /// Excel writes `sep=;` on the first line of a CSV meant for another locale: it names the delimiter, and it is
    /// a line of the file.
    @Test func excelsSeparatorLineNamesTheDelimiter() throws {
        // Without the hint the header's semicolons would make `;` the delimiter.
        let text =
            "SEP=,\r\ncall_id,started_at,izoh;qo'shimcha;boshqa\r\nS-1,2025-11-20 10:00:00,bir;ikki\r\n"
            + "S-2,kecha,uch\r\n"
        let batch = try Self.read(text)
        #expect(batch.delimiter == ",")
        #expect(batch.drafts.map(\.sourceKey) == ["S-1"])
        #expect(batch.drafts.first?.extra["izoh;qo'shimcha;boshqa"] == "bir;ikki")
        #expect(batch.drafts.first?.origin == "test.csv line 3")
        #expect(batch.rejects.map(\.line) == [4])
        #expect(batch.rejects.map(\.raw) == [Array("S-2,kecha,uch".utf8)])

        let semicolons = try Self.read("\u{FEFF}sep=;\ncall_id;started_at\nS-3;2025-11-20 10:00:00\n")
        #expect(semicolons.delimiter == ";")
        #expect(semicolons.drafts.map(\.origin) == ["test.csv line 3"])
        // "sep=" followed by more is no hint: that first line is the header.
        let error = #expect(throws: CallCardFileError.self) { try Self.read("sep=;x\nS-4;2025-11-20\n") }
        #expect(error?.code == .noHeader)
    }

    /// Excel writes dates with slashes under an Uzbek (day first) or a US (month first) locale. Read the wrong way
    /// round they would move legal deadlines, so they are read only in the order the mapping gives.
    @Test func slashedDatesAreReadInTheMappingsOrderOnly() throws {
        let text =
            "call_id,started_at,ended_at,summary\nD-1,20/11/2025 10:00,20/11/2025 10:07:30,Maosh\n"
            + "D-2,3/4/2025 9:05,,Pasport\nD-3,11/20/2025 10:00,,Viza\n"
        let dayFirst = try Self.read(text, mapping: try CallCardMapping(yaml: "slash_dates: day-first\n"))
        #expect(
            dayFirst.drafts.map(\.receivedAt) == [
                Self.instant("2025-11-20T05:00:00Z"), Self.instant("2025-04-03T04:05:00Z"),
            ])
        #expect(dayFirst.drafts.first?.extra["ended_at"] == "2025-11-20T10:07:30+05:00")
        #expect(dayFirst.rejects.map(\.line) == [4])  // month 20
        let monthFirst = try Self.read(text, mapping: try CallCardMapping(yaml: "slash_dates: month-first\n"))
        #expect(monthFirst.drafts.map(\.sourceKey) == ["D-2", "D-3"])
        #expect(monthFirst.drafts.first?.receivedAt == Self.instant("2025-03-04T04:05:00Z"))
        // Dots stay day first whatever the setting.
        let dots = try Self.read(
            "call_id,started_at\nD-4,3.4.2025 9:05\n", mapping: try CallCardMapping(yaml: "slash_dates: month-first\n"))
        #expect(dots.drafts.first?.receivedAt == Self.instant("2025-04-03T04:05:00Z"))
        // Without the setting every such row is set aside, saying what to set.
        let unknown = try Self.read(text)
        #expect(unknown.drafts.isEmpty && unknown.rejects.count == 3)
        #expect(unknown.rejects.first?.reason.en.contains("set slash_dates: day-first or month-first") == true)
        // A slashed value that no order reads is simply not a date.
        let never = try Self.read("call_id,started_at\nD-5,11/20/2025 10:00 AM\n")
        #expect(never.rejects.first?.reason.en.contains("is not a date and time") == true)
    }

    @Test func quotedLineBreaksAndDoubledQuotes() throws {
        let batch = try Fixture.reader().read(try Fixture.bytes("quoted-newlines.csv"), sourceName: "q.csv")
        #expect(batch.encoding == .utf8)
        #expect(batch.delimiter == ",")
        #expect(
            batch.drafts.map(\.text) == [
                "Birinchi qator\nikkinchi qator\nuchinchi qator",
                "U dedi: \"Pasportni qaytarmayman\", keyin ketdi",
                "Bo'sh qatorli matn\n\ntugadi",
            ])
        #expect(batch.drafts.map(\.origin) == ["q.csv line 2", "q.csv line 5", "q.csv line 6"])
    }

    @Test func aliasesTabsAndTrailingDelimiters() throws {
        let batch = try Fixture.reader().read(try Fixture.bytes("aliases-tab.csv"), sourceName: "a.csv")
        #expect(batch.delimiter == "\t")
        #expect(batch.rejects.isEmpty)
        #expect(batch.drafts.map(\.sourceKey) == ["A-1", "A-2"])
        #expect(batch.drafts.map(\.intake) == [.consultation, .callback])
        #expect(batch.drafts.map(\.applicant.phone) == ["+998950001122", "+998950001123"])
        #expect(batch.drafts[0].extra["izoh_2"] == "qo'shimcha")
        #expect(batch.drafts[1].extra["izoh_2"] == nil)
    }

    @Test func badRowsAreRejectedAndTheRestIsRead() throws {
        let bytes = try Fixture.bytes("bad-rows.csv")
        let batch = try Fixture.reader().read(bytes, sourceName: "bad.csv")
        #expect(batch.rows == 9)
        #expect(batch.drafts.map(\.sourceKey) == ["B-1", "B-2", "B-6"])
        #expect(batch.drafts.map(\.origin) == ["bad.csv line 2", "bad.csv line 4", "bad.csv line 10"])
        #expect(batch.rejects.map(\.line) == [3, 5, 6, 7, 8, 9])
        #expect(batch.rejects.map(\.key) == [nil, nil, "B-1", "B-3", "B-4", nil])

        let garbage = batch.rejects[0]
        #expect(garbage.raw == Array("this line is not a call card at all".utf8))
        #expect(garbage.reason.en.contains("1 field but the header has 4"))
        #expect(batch.rejects[1].reason.en == "call_id is empty")
        #expect(batch.rejects[2].reason.en.contains("call_id \"B-1\" already appears on line 2"))
        #expect(batch.rejects[3].reason.en.contains("started_at \"32.13.2025 25:61\" is not a date and time"))
        #expect(batch.rejects[4].reason.en.contains("outcome \"transfer\""))
        #expect(batch.rejects[5].reason.en.contains("never closed"))
        #expect(batch.rejects[5].raw == Array("B-5;2025-11-20 09:40:00;\"Yopilmagan qo'shtirnoq;appeal".utf8))
        // Every rejected row's raw bytes are a line of the file, as it stood.
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { Array($0.utf8) }
        for reject in batch.rejects { #expect(lines[reject.line - 1] == reject.raw) }
    }

    /// Every reason is said in Uzbek and Russian too; the values quoted from the file stay as they are.
    @Test func rejectedRowsSayWhyInEveryLanguage() throws {
        let batch = try Fixture.reader().read(try Fixture.bytes("bad-rows.csv"), sourceName: "bad.csv")
        let badDate = batch.rejects[3].reason
        #expect(badDate.uz.hasPrefix("started_at \"32.13.2025 25:61\" sana va vaqt emas (kutilgan: "))
        #expect(badDate.ru.hasPrefix("started_at \"32.13.2025 25:61\" — не дата и время (ожидается "))
        let unclosed = batch.rejects[5].reason
        #expect(unclosed.uz == "qo‘shtirnoqli maydon shu qatorda ochilgan va yopilmagan (ortiqcha \" belgisi?)")
        #expect(unclosed.ru == "поле в кавычках открывается в этой строке и не закрывается (лишний символ \"?)")
        #expect(batch.rejects[1].reason == Wording(uz: "call_id bo‘sh", ru: "call_id пуст", en: "call_id is empty"))
        #expect(batch.rejects[2].reason.uz.hasPrefix("call_id \"B-1\" 2-qatorda allaqachon bor"))
        #expect(batch.rejects[2].reason.ru.hasPrefix("call_id \"B-1\" уже есть в строке 2"))
        for reject in batch.rejects {
            #expect(reject.reason.uz != reject.reason.en && reject.reason.ru != reject.reason.en, "\(reject.reason)")
        }
    }

    @Test func theFirstOfTwoCardsWithOneIDWinsOnlyIfItWasRead() throws {
        let batch = try Self.read(
            """
            call_id,started_at,summary
            D-1,yesterday,first try
            D-1,2025-11-20 10:00:00,corrected
            D-1,2025-11-20 10:05:00,again
            """)
        #expect(batch.drafts.map(\.text) == ["corrected"])
        #expect(batch.rejects.map(\.line) == [2, 4])
        #expect(batch.rejects[1].reason.en.contains("already appears on line 3"))
    }

    @Test(arguments: [
        ("2025-11-20 09:05:12", "2025-11-20T04:05:12Z"),
        ("2025-11-20 09:05", "2025-11-20T04:05:00Z"),
        ("2025-11-20T09:05:12", "2025-11-20T04:05:12Z"),
        ("2025-11-20T09:05:12+05:00", "2025-11-20T04:05:12Z"),
        ("2025-11-20T07:05:12+03:00", "2025-11-20T04:05:12Z"),
        ("2025-11-20T09:05:12+0500", "2025-11-20T04:05:12Z"),
        ("2025-11-20T04:05:12Z", "2025-11-20T04:05:12Z"),
        ("2025-11-20 04:05:12Z", "2025-11-20T04:05:12Z"),
        ("2025-11-19T23:05:12-05:00", "2025-11-20T04:05:12Z"),
        ("2025-11-20T09:05:12.750+05:00", "2025-11-20T04:05:12Z"),
        ("20.11.2025 09:05:12", "2025-11-20T04:05:12Z"),
        ("20.11.2025 09:05", "2025-11-20T04:05:00Z"),
        ("20.11.2025 9:05", "2025-11-20T04:05:00Z"),
        ("1.12.2025 00:00", "2025-11-30T19:00:00Z"),
        ("29.02.2024 23:59:59", "2024-02-29T18:59:59Z"),
    ])
    func everyDateFormat(text: String, utc: String) throws {
        let batch = try Self.read("call_id;started_at\nX;\(text)\n")
        #expect(batch.rejects.map(\.reason.en) == [])
        let received = try #require(batch.drafts.first?.receivedAt)
        #expect(abs(received.timeIntervalSince(Self.instant(utc))) < 1, "\(text)")
    }

    @Test(arguments: [
        "32.13.2025 25:61", "2025-11-31 10:00:00", "29.02.2025 10:00", "2025-11-20", "20.11.2025",
        "2025-11-20 24:00:00", "2025-11-20 10:60", "2025-11-20 10:00:60", "2025-11-20T10:00:00+5",
        "2025-11-20T10:00:00+15:00", "2025-11-20 10:00:00 UTC", "11/20/2025 10:00 AM", "tomorrow",
        "2025-11-20 10:00:00.",
    ])
    func unreadableDatesAreRejectedWithTheValue(text: String) throws {
        let batch = try Self.read("call_id;started_at\nX;\(text)\n")
        #expect(batch.drafts.isEmpty)
        #expect(batch.rejects.first?.reason.en.contains("started_at \"\(text)\" is not a date and time") == true)
    }

    @Test func spacesAroundValuesAreDropped() throws {
        let batch = try Self.read(
            " call_id ; started_at ;caller\nX\u{00A0};\t2025-11-20 09:00:00\u{202F}; 90 123 45 67 \n")
        #expect(batch.drafts.map(\.sourceKey) == ["X"])
        #expect(batch.drafts.first?.applicant.phone == "+998901234567")
    }

    @Test func emptyStartedAtIsRejected() throws {
        let batch = try Self.read("call_id;started_at;summary\nX;;text\n")
        #expect(batch.rejects.map(\.reason.en) == ["started_at is empty"])
        #expect(batch.rejects.first?.key == "X")
    }

    @Test func anEmptyFileIsAFileError() {
        for bytes: [UInt8] in [
            [], [0xEF, 0xBB, 0xBF], Array("\r\n \r\n".utf8), [0xFF, 0xFE] + " \r\n".utf16LittleEndian,
            Array("sep=;\r\n".utf8),
        ] {
            let error = #expect(throws: CallCardFileError.self) {
                _ = try CallCardReader(mapping: .standard, defaultZone: WorkingCalendar.tashkent).read(
                    bytes, sourceName: "empty.csv")
            }
            #expect(error?.code == .empty)
            #expect(error?.description == "empty.csv: the file is empty")
            #expect(
                error?.wording
                    == Wording(
                        uz: "empty.csv: fayl bo‘sh", ru: "empty.csv: файл пуст", en: "empty.csv: the file is empty"))
        }
    }

    @Test func aMissingRequiredColumnIsAFileErrorNamingItAndTheHeader() throws {
        let error = #expect(throws: CallCardFileError.self) {
            _ = try Fixture.reader().read(try Fixture.bytes("missing-started-at.csv"), sourceName: "m.csv")
        }
        #expect(error?.code == .missingColumn)
        #expect(error?.column == "started_at")
        #expect(error?.header == ["call_id", "caller", "summary"])
        #expect(error?.description.contains("the required column \"started_at\" is missing") == true)
        #expect(error?.description.contains("header seen: \"call_id\", \"caller\", \"summary\"") == true)
        // An operator reads it in Uzbek or Russian too, with the file's name and the header as they are.
        #expect(error?.wording.uz.hasPrefix("m.csv: majburiy \"started_at\" ustuni yo‘q") == true)
        #expect(error?.wording.ru.hasPrefix("m.csv: нет обязательного столбца \"started_at\"") == true)
        #expect(error?.wording.ru.contains("\"call_id\", \"caller\", \"summary\"") == true)
    }

    @Test func aFileWithoutAHeaderIsAFileError() {
        let error = #expect(throws: CallCardFileError.self) {
            _ = try Self.read("1001;2025-11-20 09:00:00;text\n1002;2025-11-20 09:10:00;more\n")
        }
        #expect(error?.code == .noHeader)
    }

    /// A binary or a workbook given as a CSV: the message quotes a little of its "header", on one readable line.
    @Test func aFileThatIsNoExportIsQuotedBriefly() {
        let cells = (0..<20).map { "\u{0}\u{7F}\u{1B}[2J" + String(repeating: "x\($0)", count: 30) }
        let error = #expect(throws: CallCardFileError.self) {
            _ = try Self.read(cells.joined(separator: ";") + "\n1;2\n")
        }
        #expect(error?.code == .noHeader)
        #expect(error?.header.count == 20)
        for words in [error?.wording.uz, error?.wording.ru, error?.wording.en].compactMap({ $0 }) {
            #expect(!words.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(words)")
            #expect(words.count < 600 && words.contains("… (+12)"), "\(words)")
        }
    }

    @Test func twoColumnsForOneMeaningAreAFileError() {
        let error = #expect(throws: CallCardFileError.self) {
            _ = try Self.read("call_id;CallID;started_at\n1;2;2025-11-20 09:00:00\n")
        }
        #expect(error?.code == .duplicateColumn)
        #expect(error?.column == "call_id")
    }

    @Test func anOutcomeWithoutItsAliasIsRejected() throws {
        let batch = try Self.read("call_id;started_at;outcome\n1;2025-11-20 09:00:00;konsultatsiya\n")
        #expect(batch.rejects.first?.reason.en.starts(with: "outcome \"konsultatsiya\" is not appeal") == true)
    }

    @Test func invalidUTF8InAUTF8FileRejectsTheRow() throws {
        let bytes =
            [0xEF, 0xBB, 0xBF] + Array("call_id;started_at;summary\n1;2025-11-20 09:00:00;".utf8) + [0xC0, 0x20]
            + Array("\n2;2025-11-20 09:05:00;ok\n".utf8)
        let batch = try CallCardReader(mapping: .standard, defaultZone: WorkingCalendar.tashkent).read(
            bytes, sourceName: "u.csv")
        #expect(batch.drafts.map(\.sourceKey) == ["2"])
        #expect(batch.rejects.first?.reason.en == "the column \"summary\" is not valid UTF-8 with BOM text")
    }

    /// A file cut anywhere (a copy interrupted, a disk full) is read or refused, never a crash; and whatever rows
    /// are read are cards of the whole file.
    @Test(arguments: [
        "bom-semicolon-crlf.csv", "windows-1251-cyrillic.csv", "quoted-newlines.csv", "bad-rows.csv",
        "aliases-tab.csv", "missing-started-at.csv",
    ])
    func everyPrefixOfAFileIsReadOrRefused(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let reader = try Fixture.reader()
        let whole: Set<String>
        do {
            let batch = try reader.read(bytes, sourceName: name)
            // A cut can make a rejected row readable (`transfer` cut to an empty outcome), never invent a card.
            whole = Set(batch.drafts.map(\.sourceKey) + batch.rejects.compactMap(\.key))
        } catch {
            whole = []
        }
        for length in 0...bytes.count {
            do {
                let batch = try reader.read(Array(bytes.prefix(length)), sourceName: name)
                #expect(batch.drafts.count + batch.rejects.count == batch.rows)
                #expect(batch.drafts.allSatisfy { whole.contains($0.sourceKey) })
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
