import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing

/// The retry the CLI and the web UI share, on a real SQLite store: each outcome and each refusal, in the words
/// `murojaat quarantine retry` has always printed.
@Suite struct QuarantineRetryTests {
    static let now = Date(timeIntervalSince1970: 1_763_640_000)  // 2025-11-20T12:00:00Z

    static func makeStore() throws -> SQLiteStore {
        try SQLiteStore(path: try TestFolders.temporary("retry").appendingPathComponent("t.sqlite").path)
    }

    /// Headers no mapping but the one below knows: the file cannot be read at all.
    static let file = Array("kodi;vaqti;matni\nK-1;2025-11-20 09:00:00;Ish haqi to‘lanmayapti\n".utf8)
    static let mapping = """
        columns:
          call_id: [kodi]
          started_at: [vaqti]
          summary: [matni]
        """

    static func id(_ store: SQLiteStore, _ match: (QuarantineRecord) -> Bool) async throws -> Int64 {
        try #require(try await store.quarantined(QuarantineQuery()).first { match($0.record) }?.id)
    }

    @Test func anAutoReplyStaysAsideUnlessAnOperatorSaysItIsAnAppeal() async throws {
        let store = try Self.makeStore()
        _ = try await EmailImport(store: store).importMessages(
            [EmailImportTests.autoReply], source: "files", now: Self.now)
        let id = try await Self.id(store) { $0.sourceKey == "r1@example.uz" }
        let retry = QuarantineRetry(store: store, callCards: nil)
        #expect(QuarantineRetry.kind(of: try #require(try await store.quarantineEntry(id: id)).record) == .email)

        let still = await #expect(throws: IngestError.self) { try await retry.retry(id, now: Self.now) }
        #expect(still?.code == .stillSetAside)
        #expect(
            still?.wording.en
                == "#\(id) is still not an appeal: test r1@example.uz: set aside: auto-reply (Auto-Submitted: auto-replied)"
        )
        #expect(still?.wording.uz.hasPrefix("#\(id) hali ham murojaat emas: ") == true)
        #expect(try await store.quarantineEntry(id: id)?.resolved == false)

        let outcome = try await retry.retry(id, asAppeal: true, now: Self.now)
        #expect(outcome == .enqueued)
        #expect(outcome.wording(record: id).en == "#\(id) went into the inbox")
        #expect(outcome.wording(record: id).uz == "#\(id) kiruvchilarga tushdi")
        #expect(try await store.quarantineEntry(id: id)?.resolved == true)
        #expect(try await store.counts().inboxPending == 1)

        let again = await #expect(throws: IngestError.self) { try await retry.retry(id, asAppeal: true, now: Self.now) }
        #expect(again?.code == .resolvedAlready)
        #expect(again?.wording.en == "record #\(id) was resolved already")
    }

    @Test func aMessageInTheInboxAlreadyIsResolvedAsKnown() async throws {
        let store = try Self.makeStore()
        let importer = EmailImport(store: store)
        _ = try await importer.importMessages([EmailImportTests.autoReply], source: "files", now: Self.now)
        let id = try await Self.id(store) { $0.sourceKey == "r1@example.uz" }
        // Taken in meanwhile by another way (an import that was told it is an appeal).
        _ = try await importer.importMessages(
            [EmailImportTests.autoReply], source: "files", now: Self.now, asAppeal: true)
        let outcome = try await QuarantineRetry(store: store, callCards: nil).retry(id, asAppeal: true, now: Self.now)
        #expect(outcome == .alreadyKnown)
        #expect(outcome.wording(record: id).en == "#\(id) was in already")
        #expect(try await store.quarantineEntry(id: id)?.resolved == true)
    }

    @Test func aWholeFileIsImportedAgainWithTheMappingThatReadsIt() async throws {
        let store = try Self.makeStore()
        await #expect(throws: IngestError.self) {
            _ = try await CallCardImport(store: store, mapping: .standard).importBytes(
                Self.file, sourceName: "calls.csv", now: Self.now)
        }
        let id = try await Self.id(store) { $0.position == "whole file" }
        #expect(QuarantineRetry.kind(of: try #require(try await store.quarantineEntry(id: id)).record) == .callCardFile)

        // Without a mapping the file is refused with the way to retry it.
        let missing = await #expect(throws: IngestError.self) {
            try await QuarantineRetry(store: store, callCards: nil).retry(id, now: Self.now)
        }
        #expect(missing?.code == .badMapping)
        // With a mapping that still does not read it, the file's own reason follows the lead.
        let unread = await #expect(throws: IngestError.self) {
            try await QuarantineRetry(store: store, callCards: .standard).retry(id, now: Self.now)
        }
        #expect(unread?.code == .badFile)
        #expect(unread?.wording.en.hasPrefix("#\(id) still cannot be read: ") == true)
        #expect(try await store.quarantineEntry(id: id)?.resolved == false)

        let folder = try TestFolders.temporary("retry-mapping")
        let file = folder.appendingPathComponent("call-cards.yaml")
        try Data(Self.mapping.utf8).write(to: file)
        let outcome = try await QuarantineRetry(store: store, adapters: folder).retry(id, now: Self.now)
        #expect(outcome == .fileImported(rows: 1, added: 1, quarantined: 0))
        #expect(outcome.wording(record: id).en == "#\(id): 1 rows, 1 new, 0 quarantined")
        #expect(outcome.wording(record: id).ru == "#\(id): строк 1, новых 1, в карантин 0")
        #expect(try await store.quarantineEntry(id: id)?.resolved == true)
        #expect(try await store.counts().inboxPending == 1)
    }

    /// A Virtual Reception export whose number column has a name the mapping does not know is set aside whole;
    /// once an administrator adds the name to the mapping, the same record goes in whole, and a failed retry adds
    /// no second copy of the file.
    @Test func aWholeReceptionExportIsImportedAgainOnceTheMappingKnowsItsColumns() async throws {
        let store = try Self.makeStore()
        let export = Array(
            "Raqam;Kelgan sana;Murojaat matni\nPQ-9;20.11.2025 10:00;Ish haqi to‘lanmayapti\n".utf8)
        let shipped = TestFolders.rules.appendingPathComponent("adapters")
        let importer = ReceptionImport(
            store: store,
            mapping: try ReceptionMapping.load(from: shipped.appendingPathComponent("virtual-reception.yaml")))
        await #expect(throws: IngestError.self) {
            _ = try await importer.importBytes(export, sourceName: "reception.csv", now: Self.now)
        }
        let id = try await Self.id(store) { $0.channel == .virtualReception }
        let entry = try #require(try await store.quarantineEntry(id: id))
        #expect(QuarantineRetry.kind(of: entry.record) == .receptionFile)

        let unread = await #expect(throws: IngestError.self) {
            try await QuarantineRetry(store: store, adapters: shipped).retry(id, now: Self.now)
        }
        #expect(unread?.code == .badFile)
        #expect(unread?.wording.en.contains("no column for number") == true, "\(unread?.wording.en ?? "")")
        #expect(try await store.quarantined(QuarantineQuery()).count == 1)
        let notLoaded = await #expect(throws: IngestError.self) {
            try await QuarantineRetry(store: store, callCards: .standard).retry(id, now: Self.now)
        }
        #expect(notLoaded?.code == .badMapping)
        #expect(notLoaded?.wording.en.contains("virtual-reception.yaml mapping is not loaded") == true)

        let folder = try TestFolders.temporary("retry-reception")
        let yaml = try String(contentsOf: shipped.appendingPathComponent("virtual-reception.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "\"Murojaat №\",", with: "\"Murojaat №\", \"Raqam\",")
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("virtual-reception.yaml"))
        let outcome = try await QuarantineRetry(store: store, adapters: folder).retry(id, now: Self.now)
        #expect(outcome == .fileImported(rows: 1, added: 1, quarantined: 0))
        #expect(try await store.quarantineEntry(id: id)?.resolved == true)
        let item = try #require(try await store.claimInbox(limit: 10, now: Self.now, lease: .seconds(1)).first)
        #expect(item.draft.sourceKey == "PQ-9")
        #expect(item.draft.channel == .virtualReception)
    }

    @Test func aMappingThatDoesNotLoadSaysWhereItIsWrong() async throws {
        let store = try Self.makeStore()
        await #expect(throws: IngestError.self) {
            _ = try await CallCardImport(store: store, mapping: .standard).importBytes(
                Self.file, sourceName: "calls.csv", now: Self.now)
        }
        let id = try await Self.id(store) { $0.position == "whole file" }
        let file = try TestFolders.temporary("retry-bad-mapping").appendingPathComponent("call-cards.yaml")
        try Data("columns:\n  no_such_column: [x]\n".utf8).write(to: file)
        let error = await #expect(throws: IngestError.self) {
            try await QuarantineRetry(store: store, adapters: file.deletingLastPathComponent()).retry(id, now: Self.now)
        }
        #expect(error?.code == .badMapping)
        #expect(error?.wording.en.contains("call-cards.yaml:2") == true, "\(error?.wording.en ?? "")")
    }

    @Test func aSingleRowAndAMissingRecordAreRefused() async throws {
        let store = try Self.makeStore()
        _ = try await CallCardImport(store: store, mapping: .standard).importBytes(
            Array("call_id;started_at\nR-1;2025-11-20 09:00:00\nnot a card\n".utf8), sourceName: "rows.csv",
            now: Self.now)
        let id = try await Self.id(store) { $0.position == "line 3" }
        let retry = QuarantineRetry(store: store, callCards: .standard)
        let row = await #expect(throws: IngestError.self) { try await retry.retry(id, now: Self.now) }
        #expect(row?.code == .oneRow)
        #expect(
            row?.wording.en
                == "#\(id) is one row of rows.csv: correct the file and import it again (rows already in are skipped)")
        #expect(row?.wording.uz.contains("faylni tuzatib, qayta import qiling") == true)
        let missing = await #expect(throws: IngestError.self) { try await retry.retry(424_242, now: Self.now) }
        #expect(missing?.code == .noSuchRecord)
        #expect(missing?.wording.en == "no quarantined record #424242")
        #expect(missing?.wording.uz == "Karantinda #424242 yozuv yo‘q")
    }

    @Test func positionsAreSaidInEachLanguageAndUnknownOnesAsWritten() {
        func record(_ position: String?) -> QuarantineRecord {
            QuarantineRecord(
                channel: .call, source: "f.csv", position: position, reason: Wording(verbatim: "x"), raw: [],
                at: Date(timeIntervalSince1970: 0))
        }
        #expect(record("line 45").positionWording == Wording(uz: "45-qator", ru: "строка 45", en: "line 45"))
        #expect(record("row 6").positionWording?.ru == "строка 6")
        #expect(record("whole file").positionWording?.uz == "butun fayl")
        #expect(record("mail.mbox message 3").positionWording?.uz == "mail.mbox, 3-xat")
        #expect(record("INBOX UID 4711").positionWording == Wording(verbatim: "INBOX UID 4711"))
        #expect(record("line x").positionWording == Wording(verbatim: "line x"))
        #expect(record(nil).positionWording == nil)
    }
}
