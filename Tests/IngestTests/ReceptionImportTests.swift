import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

/// Virtual Reception exports (XLSX from openpyxl and from XlsxWriter, windows-1251 CSV, JSON, JSON Lines) into a
/// real store and through the real router.
@Suite struct ReceptionImportTests {
    static let now = Date(timeIntervalSince1970: 1_763_640_000)

    static func importer() throws -> (ReceptionImport, SQLiteStore) {
        let store = try SQLiteStore(
            path: try TestFolders.temporary("reception").appendingPathComponent("t.sqlite").path)
        let mapping = try ReceptionMapping.load(
            from: TestFolders.rules.appendingPathComponent("adapters/virtual-reception.yaml"))
        return (ReceptionImport(store: store, mapping: mapping), store)
    }

    static func drafts(_ store: SQLiteStore) async throws -> [String: AppealDraft] {
        let items = try await store.claimInbox(limit: 100, now: now, lease: .seconds(1))
        return Dictionary(uniqueKeysWithValues: items.map { ($0.draft.sourceKey, $0.draft) })
    }

    @Test func anXLSXExportGoesInAndBadRowsAreQuarantined() async throws {
        let (importer, store) = try Self.importer()
        let report = try await importer.importFile(at: Fixture.url("reception/export.xlsx"), now: Self.now)
        #expect(report.format == "xlsx")
        #expect(report.rows == 5)
        #expect(report.added == 3)
        #expect(report.quarantined == 2)
        #expect(
            report.rejects.map(\.en) == [
                "row 5: the appeal's text is empty",
                "row 6: the kind \"iltimosnoma\" is not ariza, taklif or shikoyat (add it to the mapping file)",
            ])
        #expect(report.rejects.first?.uz == "5-qator: murojaat matni bo‘sh")
        #expect(report.rejects.first?.ru == "строка 5: текст обращения пуст")
        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.map(\.record.sourceKey) == ["PQ-2025-000104", "PQ-2025-000105"])
        #expect(String(decoding: quarantined[1].record.raw, as: UTF8.self).hasPrefix("PQ-2025-000105\t"))

        let drafts = try await Self.drafts(store)
        let first = try #require(drafts["PQ-2025-000101"])
        #expect(first.channel == .virtualReception)
        #expect(first.receivedAt == instant("2025-11-18T14:30:00+05:00"))
        #expect(first.kind == .shikoyat)
        #expect(first.bindingDeadline == LocalDate("2025-12-01"))
        #expect(first.applicant.phone == "+998901234567")
        #expect(first.applicant.email == "aziz@example.uz")
        #expect(first.applicant.name == "Karimov Aziz Botirovich")
        #expect(first.subject == "Ish haqi")
        #expect(first.extra["district"] == "Qo'qon shahri")
        #expect(first.extra["attachments"] == "ariza.pdf; pasport.jpg")
        #expect(first.extra["Qabul qiluvchi"] == "operator1", "an unknown column is kept")
        let second = try #require(drafts["PQ-2025-000102"])
        #expect(second.receivedAt == instant("2025-11-19T09:05:00+05:00"))
        #expect(second.kind == .ariza)
        #expect(second.applicant.phone == "+998915551234")
        #expect(second.text.hasPrefix("Прошу разъяснить"))
        let rich = try #require(drafts["PQ-2025-000103"])
        #expect(rich.text == "Pasportim ish beruvchida qolib ketdi, qaytarib bering.")
        #expect(rich.receivedAt == instant("2025-11-19T00:00:00+05:00"))
    }

    @Test func anOverlappingExportAddsOnlyWhatIsNew() async throws {
        let (importer, _) = try Self.importer()
        _ = try await importer.importFile(at: Fixture.url("reception/export.xlsx"), now: Self.now)
        let next = try await importer.importFile(at: Fixture.url("reception/export-next-day.xlsx"), now: Self.now)
        #expect(next.added == 1)
        #expect(next.alreadyKnown == 2)
        let again = try await importer.importFile(at: Fixture.url("reception/export.xlsx"), now: Self.now)
        #expect(again.added == 0)
        #expect(again.quarantined == 0, "the bad rows were kept the first time")
    }

    @Test func sharedStringsDateCellsAndNumberCellsAreRead() async throws {
        let (importer, store) = try Self.importer()
        let report = try await importer.importFile(
            at: Fixture.url("reception/export-shared-strings.xlsx"), now: Self.now)
        #expect(report.added == 2)
        let drafts = try await Self.drafts(store)
        let first = try #require(drafts["PQ-2025-000401"])
        #expect(first.receivedAt == instant("2025-11-20T16:45:00+05:00"))
        #expect(first.text == "Xususiy agentlik pulimni olib, ishga jo'natmadi.")
        #expect(first.applicant.phone == "+998935551122")
        #expect(first.bindingDeadline == LocalDate("2025-12-10"))
    }

    @Test func aWorkbookThatCountsDatesFrom1904() async throws {
        let (importer, store) = try Self.importer()
        #expect(try await importer.importFile(at: Fixture.url("reception/export-1904.xlsx"), now: Self.now).added == 1)
        let draft = try #require(try await Self.drafts(store)["PQ-2025-000501"])
        #expect(draft.receivedAt == instant("2025-11-20T16:45:00+05:00"))
        #expect(draft.bindingDeadline == LocalDate("2025-12-10"))
    }

    @Test func aWindows1251CSVWithTheMappingsRussianNames() async throws {
        let (importer, store) = try Self.importer()
        let report = try await importer.importFile(at: Fixture.url("reception/export-1251.csv"), now: Self.now)
        #expect(report.format == "csv")
        #expect(report.added == 2)
        let drafts = try await Self.drafts(store)
        let complaint = try #require(drafts["PQ-2025-000201"])
        #expect(complaint.kind == .shikoyat)
        #expect(complaint.text == "Работодатель не платит зарплату; паспорт забрали.")
        #expect(complaint.applicant.phone == "+79161234567")
        #expect(complaint.bindingDeadline == LocalDate("2025-12-05"))
        #expect(complaint.extra["Канал"] == "портал")
        #expect(drafts["PQ-2025-000202"]?.kind == .taklif)
    }

    /// Saved from Excel as "Unicode Text": UTF-16 with its byte order mark and tabs. A bad row keeps its own bytes.
    @Test func anExcelUnicodeTextExport() async throws {
        let (importer, store) = try Self.importer()
        let rows = [
            "Murojaat raqami\tKelib tushgan sana\tMurojaat matni",
            "PQ-2025-000401\t20.11.2025 10:00\tИш ҳақи тўланмади, ёрдам беринг",
            "\t20.11.2025 11:00\tRaqamsiz murojaat",
        ]
        let crlf = "\r\n".utf16LittleEndian
        let bytes = [0xFF, 0xFE] + rows.map(\.utf16LittleEndian).joined(separator: crlf) + crlf
        let report = try await importer.importBytes(bytes, sourceName: "murojaatlar.txt", now: Self.now)
        #expect(report.format == "csv")
        #expect(report.added == 1)
        #expect(report.quarantined == 1)
        #expect(try await Self.drafts(store)["PQ-2025-000401"]?.text == "Иш ҳақи тўланмади, ёрдам беринг")
        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.map(\.record.raw) == [rows[2].utf16LittleEndian])
        #expect(quarantined.map { $0.record.rawText() } == [rows[2]])
    }

    @Test func jsonAndJSONLinesWithEnglishKeys() async throws {
        let (importer, store) = try Self.importer()
        let array = try await importer.importFile(at: Fixture.url("reception/export.json"), now: Self.now)
        #expect(array.format == "json")
        #expect(array.added == 2)
        let lines = try await importer.importFile(at: Fixture.url("reception/export.jsonl"), now: Self.now)
        #expect(lines.rows == 4)
        #expect(lines.added == 1)
        #expect(lines.alreadyKnown == 2)
        #expect(lines.rejects.map(\.en) == ["line 3: the reception number is empty"])
        let drafts = try await Self.drafts(store)
        let first = try #require(drafts["PQ-2025-000301"])
        #expect(first.receivedAt == instant("2025-11-20T09:15:00+05:00"))
        #expect(first.bindingDeadline == LocalDate("2025-12-05"))
        #expect(first.extra["source_system"] == "portal")
        #expect(drafts["PQ-2025-000302"]?.extra["attachments"] == "polis.pdf;chek.jpg")
    }

    @Test func aFileThatIsNoExportIsQuarantinedWhole() async throws {
        let (importer, store) = try Self.importer()
        await #expect(throws: IngestError.self) {
            try await importer.importBytes(
                Array("Ism;Familiya\nAziz;Karimov\n".utf8), sourceName: "x.csv", now: Self.now)
        }
        await #expect(throws: IngestError.self) {
            try await importer.importBytes([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], sourceName: "broken.xlsx", now: Self.now)
        }
        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.map(\.record.position) == ["whole file", "whole file"])
        #expect(quarantined[0].record.reason.en.contains("no column for number"))
        #expect(quarantined[0].record.reason.uz.contains("ustun yo‘q: number (\"Murojaat raqami\")"))
    }

    @Test func theExportsDeadlineBindsTheRegisteredAppeal() async throws {
        let (importer, store) = try Self.importer()
        _ = try await importer.importFile(at: Fixture.url("reception/export.xlsx"), now: Self.now)
        var worker = RoutingWorker(store: store, book: try RuleBook.load(directory: TestFolders.rules))
        _ = try await worker.drain(now: { Self.now })
        let appeals = try await store.appeals(AppealQuery(channel: .virtualReception))
        #expect(appeals.count == 3)
        let bound = try #require(appeals.first { $0.sourceKey == "PQ-2025-000101" })
        #expect(bound.due == LocalDate("2025-12-01"))
        let history = try await store.history(of: bound.id)
        #expect(history.first?.event.data["deadline"] == "due 01.12.2025: set by the source and binding")
    }
}

/// Damaged workbooks: whatever byte is broken, the reader gives rows or a clear error, never a crash.
@Suite struct DamagedWorkbookTests {
    @Test func everyDamagedCopyIsReadOrRefusedCleanly() throws {
        let original = try Fixture.bytes("reception/export-shared-strings.xlsx")
        let reader = ReceptionReader(mapping: .standard)
        var generator = SplitMix64(seed: 7)
        var refused = 0
        for round in 0..<300 {
            var damaged = original
            for _ in 0..<(1 + round % 4) {
                let position = Int(generator.next() % UInt64(damaged.count))
                damaged[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if round % 10 == 0 { damaged = Array(damaged.prefix(Int(generator.next() % UInt64(damaged.count)))) }
            do {
                _ = try reader.read(damaged, sourceName: "damaged.xlsx")
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(refused > 0, "some damage must be noticed")
    }
}
