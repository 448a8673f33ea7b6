import Foundation
import MurojaatCore
import MurojaatTesting
import Reports
import SQLiteStore
import Store
import Testing
import ZIPFoundation

/// The answer-back export: which Reception appeals it lists, with what, as CSV and as a real workbook.
@Suite struct ReceptionAnswersTests {
    static let t0 = instant("2025-11-20T10:00:00+05:00")

    static func store() async throws -> (SQLiteStore, [Appeal]) {
        let store = try SQLiteStore(path: try TestFolders.temporary("answers").appendingPathComponent("t.sqlite").path)
        let drafts =
            ["PQ-2", "PQ-1", "PQ-3"].map {
                AppealDraft(channel: .virtualReception, sourceKey: $0, receivedAt: t0, text: "matn")
            } + [AppealDraft(channel: .email, sourceKey: "mail-1", receivedAt: t0, text: "matn")]
        _ = try await store.enqueue(drafts, at: t0)
        let items = try await store.claimInbox(limit: 10, now: t0, lease: .seconds(60))
        let appeals = try await store.register(
            items.map { item in
                Registration(
                    inboxID: item.id, draft: item.draft, kind: .ariza, status: .assigned, department: "ABROAD",
                    coExecutors: [], urgent: false, policy: "standard", due: LocalDate("2025-12-05"),
                    registeredAt: item.draft.sourceKey == "PQ-3" ? t0.addingTimeInterval(-40 * 86_400) : t0,
                    language: "uz-Latn", tags: [], forwardTo: nil, routing: "{}",
                    events: [
                        AppealEvent(
                            at: item.draft.sourceKey == "PQ-3" ? t0.addingTimeInterval(-40 * 86_400) : t0,
                            actor: "t", kind: .registered, status: .registered),
                        AppealEvent(
                            at: item.draft.sourceKey == "PQ-3" ? t0.addingTimeInterval(-40 * 86_400) : t0,
                            actor: "t", kind: .assigned, status: .assigned),
                    ], assignedBy: "t")
            })
        return (store, appeals)
    }

    @Test func answeredAndOpenReceptionAppealsAreListedWithTheirAnswer() async throws {
        let (store, appeals) = try await Self.store()
        let answered = try #require(appeals.first { $0.sourceKey == "PQ-1" })
        let long = String(repeating: "Ish haqi undirildi va pasport qaytarildi. ", count: 20)
        _ = try await store.record(
            AppealEvent(
                at: instant("2025-11-28T15:00:00+05:00"), actor: "abroad.head", kind: .answered, why: long,
                status: .answered), on: answered.id, expecting: .assigned)

        let rows = try await ReceptionAnswers(store: store).rows(
            since: LocalDate("2025-11-01")!, departmentNames: ["ABROAD": "Xorijdagi fuqarolarga yordam"])
        #expect(rows.map(\.number) == ["PQ-1", "PQ-2"], "PQ-3 has nothing since; the e-mail is not the Reception's")
        #expect(rows[0].status == "answered")
        #expect(rows[0].answeredOn == LocalDate("2025-11-28"))
        #expect(rows[0].executor == "Xorijdagi fuqarolarga yordam")
        #expect(rows[0].shortAnswer.hasSuffix("…"))
        #expect(rows[0].shortAnswer.count <= ReceptionAnswers.shortAnswerLength + 1)
        #expect(rows[1].answeredOn == nil && rows[1].shortAnswer.isEmpty)

        let csv = String(decoding: ReceptionAnswers.csv(rows), as: UTF8.self)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "\u{FEFF}Murojaat raqami,Kuzatuv raqami,Holati,Javob sanasi,Ijrochi,Qisqa javob")
        #expect(lines[1].hasPrefix("PQ-1,\(answered.tracking.value),answered,28.11.2025,Xorijdagi"))

        let file = try TestFolders.temporary("answers").appendingPathComponent("javoblar.xlsx")
        try ReceptionAnswers.xlsx(rows, to: file)
        let archive = try Archive(url: file, accessMode: .read)
        var strings = Data()
        _ = try archive.extract(try #require(archive["xl/sharedStrings.xml"])) { strings.append($0) }
        let text = String(decoding: strings, as: UTF8.self)
        for expected in ["Murojaat raqami", "PQ-1", "PQ-2", "28.11.2025", "Xorijdagi fuqarolarga yordam"] {
            #expect(text.contains(expected), "\(expected) is not in the workbook")
        }
        #expect(archive["xl/worksheets/sheet1.xml"] != nil)
    }
}
