import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing

/// Import into a real SQLite store: drafts enqueued, bad rows quarantined with their bytes, and a second import
/// of the same file adding nothing.
@Suite struct CallCardImportTests {
    static func makeStore() throws -> SQLiteStore {
        try SQLiteStore(path: try TestFolders.temporary("ingest").appendingPathComponent("test.sqlite").path)
    }

    static let now = Date(timeIntervalSince1970: 1_763_640_000)  // 2025-11-20T12:00:00Z

    @Test func importingAFileTwiceAddsNothingTheSecondTime() async throws {
        let store = try Self.makeStore()
        let importer = CallCardImport(store: store, mapping: try Fixture.shippedMapping())
        let url = Fixture.url("bad-rows.csv")

        let first = try await importer.importFile(at: url, now: Self.now)
        #expect(first.file == "bad-rows.csv")
        #expect(first.rows == 9)
        #expect(first.added == 3)
        #expect(first.alreadyKnown == 0)
        #expect(first.quarantined == 6)
        #expect(
            first.rejects.first?.en
                == "line 3: the row has 1 field but the header has 4 "
                + "(a stray delimiter, or a line break outside quotes?)"
        )
        #expect(first.rejects.first?.uz.hasPrefix("3-qator: qatorda 1 ta maydon bor, sarlavhada esa 4 ta") == true)
        #expect(first.rejects.first?.ru.hasPrefix("строка 3: в строке полей: 1, а в заголовке: 4") == true)

        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.count == 6)
        let garbage = try #require(quarantined.first { $0.record.position == "line 3" })
        #expect(garbage.record.raw == Array("this line is not a call card at all".utf8))
        #expect(garbage.record.channel == .call)
        // The store keeps the reason in every language, for the quarantine page.
        #expect(garbage.record.reason.en.hasPrefix("the row has 1 field but the header has 4"))
        #expect(garbage.record.reason.uz.hasPrefix("qatorda 1 ta maydon bor"))
        #expect(garbage.record.reason.ru.hasPrefix("в строке полей: 1"))
        #expect(garbage.record.source == "bad-rows.csv")
        #expect(quarantined.first { $0.record.position == "line 7" }?.record.sourceKey == "B-3")

        let items = try await store.claimInbox(limit: 10, now: Self.now, lease: .seconds(60))
        #expect(Set(items.map(\.draft.sourceKey)) == ["B-1", "B-2", "B-6"])
        #expect(items.first { $0.draft.sourceKey == "B-6" }?.draft.intake == .callback)

        let second = try await importer.importFile(at: url, now: Self.now.addingTimeInterval(3600))
        #expect(second.added == 0)
        #expect(second.alreadyKnown == 3)
        #expect(second.quarantined == 0)
        #expect(second.quarantinedBefore == 6)
        #expect(try await store.quarantined(QuarantineQuery()).count == 6)
        #expect(try await store.counts().quarantined == 6)
    }

    /// A file stored in parts (each its own transaction, read while the one before is stored) gives the same
    /// report and the same inbox as one part; a call id repeated in a later part is still a repeat.
    @Test(arguments: [1, 2, 3, 100])
    func aFileStoredInPartsIsStoredAsAWhole(rowsPerPart: Int) async throws {
        let store = try Self.makeStore()
        var importer = CallCardImport(store: store, mapping: try Fixture.shippedMapping())
        importer.rowsPerPart = rowsPerPart
        let report = try await importer.importFile(at: Fixture.url("bad-rows.csv"), now: Self.now)
        #expect(report.rows == 9)
        #expect(report.added == 3)
        #expect(report.quarantined == 6)
        #expect(report.rejects.count == 6)
        #expect(
            report.rejects.map { $0.en.prefix(7) } == [
                "line 3:", "line 5:", "line 6:", "line 7:", "line 8:", "line 9:",
            ]
        )
        #expect(report.rejects[2].en.contains("call_id \"B-1\" already appears on line 2"))
        let items = try await store.claimInbox(limit: 10, now: Self.now, lease: .seconds(60))
        #expect(items.map(\.draft.sourceKey) == ["B-1", "B-2", "B-6"])
        #expect(try await store.counts().quarantined == 6)
    }

    @Test func aFileWithoutARequiredColumnIsQuarantinedWholeAndThrown() async throws {
        let store = try Self.makeStore()
        let importer = CallCardImport(store: store, mapping: try Fixture.shippedMapping())
        let url = Fixture.url("missing-started-at.csv")
        for _ in 0..<2 {
            let error = await #expect(throws: IngestError.self) {
                _ = try await importer.importFile(at: url, now: Self.now)
            }
            #expect(error?.code == .badFile)
            #expect(error?.message.contains("started_at") == true)
            #expect(error?.wording.uz.contains("majburiy \"started_at\" ustuni yo‘q") == true)
        }
        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.count == 1)
        #expect(quarantined.first?.record.position == "whole file")
        #expect(quarantined.first?.record.reason.en.hasPrefix("missing-started-at.csv: the required column") == true)
        #expect(
            quarantined.first?.record.reason.ru.hasPrefix("missing-started-at.csv: нет обязательного столбца") == true)
        #expect(quarantined.first?.record.raw == (try Fixture.bytes("missing-started-at.csv")))
        #expect(try await store.counts().inboxPending == 0)
    }

    @Test func anEmptyFileIsAnErrorWithNothingToQuarantine() async throws {
        let store = try Self.makeStore()
        let importer = CallCardImport(store: store, mapping: .standard)
        let error = await #expect(throws: IngestError.self) {
            _ = try await importer.importBytes([], sourceName: "empty.csv", now: Self.now)
        }
        #expect(error?.code == .badFile)
        #expect(try await store.counts().quarantined == 0)
    }

    @Test func aMissingFileIsUnreadable() async throws {
        let importer = CallCardImport(store: try Self.makeStore(), mapping: .standard)
        let error = await #expect(throws: IngestError.self) {
            _ = try await importer.importFile(at: URL(fileURLWithPath: "/nonexistent/calls.csv"), now: Self.now)
        }
        #expect(error?.code == .unreadable)
    }

    @Test func theShippedSampleImports() async throws {
        let store = try Self.makeStore()
        let importer = CallCardImport(store: store, mapping: try Fixture.shippedMapping())
        let sample = TestFolders.repository.appendingPathComponent("deploy/samples/call-cards-2025-11-20.csv")
        let report = try await importer.importFile(at: sample, now: Self.now)
        #expect(report.rows >= 55)
        #expect(report.quarantined == 2)
        #expect(report.added == report.rows - 2)
        let items = try await store.claimInbox(limit: 100, now: Self.now, lease: .seconds(60))
        #expect(items.filter { $0.draft.intake == .consultation }.count >= 8)
        #expect(items.allSatisfy { LocalDate($0.draft.receivedAt, in: WorkingCalendar.tashkent).iso == "2025-11-20" })
    }
}
