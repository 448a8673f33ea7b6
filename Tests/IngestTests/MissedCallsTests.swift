import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

/// Missed calls from Asterisk's Master.csv: which calls need a callback, one task per number and day, and the
/// answered calls and call cards that close tasks.
@Suite struct MissedCallsTests {
    static let settings = CDRSettings()

    /// A Master.csv line in Asterisk's default layout.
    static func line(
        src: String, dst: String = "1282", start: String, billsec: Int = 0, disposition: String = "NO ANSWER",
        id: String = "1763600000.1"
    ) -> String {
        let answered = disposition == "ANSWERED" ? start : ""
        return
            "\"\",\"\(src)\",\"\(dst)\",\"from-trunk\",\"\\\"\\\" <\(src)>\",\"SIP/trunk-0001\",\"SIP/op1-0002\","
            + "\"Queue\",\"callcentre\",\"\(start)\",\"\(answered)\",\"\(start)\",\(billsec + 5),\(billsec),"
            + "\"\(disposition)\",\"DOCUMENTATION\",\"\(id)\",\"\""
    }

    static func read(_ lines: [String], carded: Set<String> = []) -> MissedCallsBatch {
        let reader = MissedCalls(settings: settings)
        let parsed = reader.parse(Array((lines.joined(separator: "\n") + "\n").utf8))
        return reader.missedCalls(in: parsed, carded: carded, sourceName: "Master.csv")
    }

    @Test func missedCallsFromOneNumberOnOneDayAreOneTask() throws {
        let batch = Self.read([
            Self.line(src: "998901234567", start: "2025-11-20 10:15:00", id: "a.1"),
            Self.line(src: "+998 90 123 45 67", start: "2025-11-20 12:40:00", disposition: "BUSY", id: "a.2"),
            Self.line(src: "998901234567", start: "2025-11-21 09:00:00", disposition: "FAILED", id: "a.3"),
        ])
        #expect(batch.records == 3)
        #expect(
            batch.callbacks.map(\.sourceKey) == ["missed:+998901234567:2025-11-20", "missed:+998901234567:2025-11-21"])
        let first = try #require(batch.callbacks.first)
        #expect(first.intake == .missedCall)
        #expect(first.channel == .call)
        #expect(first.applicant.phone == "+998901234567")
        #expect(first.extra["missed_calls"] == "2")
        #expect(first.extra["dispositions"] == "BUSY, NO ANSWER")
        #expect(first.extra["uniqueids"] == "a.1,a.2")
        #expect(first.text.contains("10:15, 12:40"))
        #expect(first.origin == "Master.csv line 1")
    }

    @Test func aShortAnsweredCallIsMissedALongOneIsNot() {
        let batch = Self.read([
            Self.line(src: "998901111111", start: "2025-11-20 10:00:00", billsec: 4, disposition: "ANSWERED"),
            Self.line(src: "998902222222", start: "2025-11-20 10:00:00", billsec: 95, disposition: "ANSWERED"),
        ])
        #expect(batch.callbacks.map(\.applicant.phone) == ["+998901111111"])
        #expect(batch.answered.map(\.phone) == ["+998902222222"])
    }

    @Test func aCallerWhoGotThroughLaterThatDayNeedsNoCallback() {
        let batch = Self.read([
            Self.line(src: "998901234567", start: "2025-11-20 10:00:00"),
            Self.line(src: "998901234567", start: "2025-11-20 10:07:00", billsec: 200, disposition: "ANSWERED"),
            Self.line(src: "998907654321", start: "2025-11-20 10:07:00", billsec: 200, disposition: "ANSWERED"),
            Self.line(src: "998907654321", start: "2025-11-20 11:00:00"),
        ])
        #expect(batch.gotThroughLater == 1)
        #expect(batch.callbacks.map(\.applicant.phone) == ["+998907654321"], "answered before the miss: still due")
    }

    @Test func callsToOtherLinesHiddenNumbersAndCardedCallsMakeNoTask() {
        let batch = Self.read(
            [
                Self.line(src: "998901234567", dst: "600", start: "2025-11-20 10:00:00"),
                Self.line(src: "anonymous", start: "2025-11-20 10:01:00"),
                Self.line(src: "998905555555", dst: "+998712023355", start: "2025-11-20 10:02:00", id: "c.1"),
                Self.line(src: "998906666666", dst: "0712000061", start: "2025-11-20 10:03:00", id: "c.2"),
            ], carded: ["c.1"])
        #expect(batch.hiddenNumbers == 1)
        #expect(batch.withCallCard == 1)
        #expect(batch.callbacks.map(\.applicant.phone) == ["+998906666666"])
    }

    @Test func aBadLineIsRejectedAndTheRestIsRead() {
        let batch = Self.read([
            "this is not a cdr line",
            Self.line(src: "998901234567", start: "yesterday"),
            Self.line(src: "998901234567", start: "2025-11-20 10:00:00"),
        ])
        #expect(batch.rejects.map(\.line) == [1, 2])
        #expect(batch.rejects[1].reason.en == "start \"yesterday\" is not a date and time")
        #expect(batch.rejects[1].reason.uz == "start \"yesterday\" sana va vaqt emas")
        #expect(batch.rejects[1].reason.ru == "start \"yesterday\" — не дата и время")
        #expect(batch.callbacks.count == 1)
    }

    @Test func settingsFileIsReadAndMistakesPointAtTheLine() throws {
        let shipped = try CDRSettings.load(from: TestFolders.rules.appendingPathComponent("adapters/cdr.yaml"))
        #expect(shipped == CDRSettings())
        #expect(throws: MappingError.self) { try CDRSettings(yaml: "short_call_seconds: soon") }
        #expect(throws: MappingError.self) { try CDRSettings(yaml: "columns: [src, dst]") }
        #expect(throws: MappingError.self) { try CDRSettings(yaml: "trunk_lines: [1282]") }
    }

    @Test func tasksAreDueTheNextWorkingDayAndClosedWhenTheCallerGetsThrough() async throws {
        let folder = try TestFolders.temporary("cdr")
        let store = try SQLiteStore(path: folder.appendingPathComponent("t.sqlite").path)
        let importer = CDRImport(store: store, settings: Self.settings)
        var worker = RoutingWorker(store: store, book: try RuleBook.load(directory: TestFolders.rules))
        let day1 = folder.appendingPathComponent("Master-1.csv")
        // Friday 21.11.2025: the next working day is Monday 24.11.
        try Data(
            [
                Self.line(src: "998901234567", start: "2025-11-21 17:50:00", id: "x.1"),
                Self.line(src: "998907654321", start: "2025-11-21 17:55:00", id: "x.2"),
            ].joined(separator: "\n").utf8
        ).write(to: day1)
        let now = Date(timeIntervalSince1970: 1_763_730_000)
        let report = try await importer.importFile(at: day1, now: now)
        #expect(report.callbacks == 2)
        #expect(try await importer.importFile(at: day1, now: now).alreadyKnown == 2)
        _ = try await worker.drain(now: { now })
        let tasks = try await store.openCallbacks()
        #expect(tasks.count == 2)
        #expect(tasks.allSatisfy { $0.due == LocalDate("2025-11-24") })
        #expect(tasks.allSatisfy { $0.status == .triage }, "the call centre's queue, not a department's")

        // Monday: one caller gets through on the phone, the other is written up on a call card.
        let day2 = folder.appendingPathComponent("Master-2.csv")
        try Data(
            Self.line(src: "998901234567", start: "2025-11-24 09:10:00", billsec: 120, disposition: "ANSWERED").utf8
        ).write(to: day2)
        let answered = try await importer.importFile(at: day2, now: now)
        let closer = CallbackTasks(store: store, actor: "test")
        let closed = try await closer.close(
            after: answered.answered.map { .answeredCall(phone: $0.phone, at: $0.at) }, now: now)
        #expect(closed == 1)
        let remaining = try await store.openCallbacks()
        #expect(remaining.map(\.phone) == ["+998907654321"])

        let card = AppealDraft(
            channel: .call, sourceKey: "CC-9", receivedAt: Date(timeIntervalSince1970: 1_763_964_000), text: "Viza",
            intake: .consultation, applicant: Applicant(phone: "+998907654321"), oralAnswer: "tushuntirildi")
        _ = try await store.enqueue([card], at: now)
        let summary = try await worker.drain(now: { now })
        #expect(summary.callbacksClosed == 1)
        #expect(try await store.openCallbacks().isEmpty)
        let closedTask = try #require(tasks.first { $0.phone == "+998907654321" })
        let history = try await store.history(of: closedTask.id)
        #expect(history.suffix(2).map(\.event.kind) == [.answered, .closed])
        #expect(history.last?.event.why?.hasPrefix("the caller got through: call card CC-9") == true)
    }
}
