import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

/// E-mail into a real SQLite store and through the real router: appeals, set-asides, unreadable bytes, documents,
/// re-imports, and replies that become events on the appeal they quote.
@Suite struct EmailImportTests {
    static let now = Date(timeIntervalSince1970: 1_763_640_000)  // 2025-11-20T12:00:00Z

    static func mail(
        id: String?, subject: String, body: String, from: String = "Aziz Karimov <aziz@example.uz>",
        extraHeaders: String = "", attachment: (name: String, base64: String)? = nil
    ) -> RawMail {
        var text = "From: \(from)\r\nTo: info@migration.uz\r\nSubject: \(subject)\r\n"
        if let id { text += "Message-ID: <\(id)>\r\n" }
        text += "Date: Thu, 20 Nov 2025 10:15:00 +0500\r\nMIME-Version: 1.0\r\n" + extraHeaders
        if let attachment {
            text += "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
            text += "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n--b1\r\n"
            text +=
                "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"\(attachment.name)\"\r\n"
            text += "Content-Transfer-Encoding: base64\r\n\r\n\(attachment.base64)\r\n--b1--\r\n"
        } else {
            text += "Content-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
        }
        return RawMail(bytes: Array(text.utf8), position: "test \(id ?? "no-id")")
    }

    static let appeal = mail(
        id: "a1@example.uz", subject: "Ish haqi",
        body: "Rossiyada ish beruvchi uch oydan beri ish haqimni bermayapti, pasportimni olib qo'ygan.",
        attachment: ("shartnoma.pdf", Data("%PDF-1.4 shartnoma".utf8).base64EncodedString()))
    static let autoReply = mail(
        id: "r1@example.uz", subject: "Avtomatik javob", body: "Ta'tildaman",
        extraHeaders: "Auto-Submitted: auto-replied\r\n")

    @Test func messagesGoInOnceAndMachineMailIsSetAside() async throws {
        let store = try SQLiteStore(path: try TestFolders.temporary("email").appendingPathComponent("t.sqlite").path)
        let importer = EmailImport(store: store)
        let garbage = RawMail(bytes: [], position: "test empty")
        let first = try await importer.importMessages(
            [Self.appeal, Self.autoReply, garbage], source: "files", now: Self.now)
        #expect(first.messages == 3)
        #expect(first.added == 1)
        #expect(first.setAside == 1)
        #expect(first.unreadable == 1)

        let quarantined = try await store.quarantined(QuarantineQuery())
        #expect(quarantined.count == 2)
        let aside = try #require(quarantined.first { $0.record.sourceKey == "r1@example.uz" })
        #expect(aside.record.reason.en == "set aside: auto-reply (Auto-Submitted: auto-replied)")
        #expect(aside.record.reason.uz == "chetga olindi: avtomatik javob (Auto-Submitted: auto-replied)")
        #expect(aside.record.reason.ru == "отложено: автоответ (Auto-Submitted: auto-replied)")
        #expect(first.notes.map(\.en).contains("test empty: unreadable: the message is empty"))
        #expect(first.notes.map(\.uz).contains("test empty: o‘qilmadi: xat bo‘sh"))
        let empty = try #require(quarantined.first { $0.record.position == "test empty" })
        #expect(
            empty.record.reason.uz == "xatni o‘qib bo‘lmadi: xat bo‘sh"
                && empty.record.reason.en == "the message is empty")
        #expect(aside.record.raw == Self.autoReply.bytes)

        let documents = try await store.documents(channel: .email, sourceKey: "a1@example.uz")
        #expect(documents.map(\.role) == [.original, .attachment])
        #expect(documents[1].name == "shartnoma.pdf")
        #expect(documents.allSatisfy { $0.content == nil && $0.stored })
        #expect(try await store.documentContent(sha256: documents[0].sha256) == Self.appeal.bytes)
        #expect(try await store.documentContent(sha256: documents[1].sha256) == Array("%PDF-1.4 shartnoma".utf8))

        let again = try await importer.importMessages([Self.appeal, Self.autoReply], source: "files", now: Self.now)
        #expect(again.added == 0)
        #expect(again.alreadyKnown == 1)
        #expect(try await store.quarantined(QuarantineQuery()).count == 2)
        #expect(try await store.counts().inboxPending == 1)
    }

    @Test func aReplyQuotingATrackingNumberIsRecordedOnThatAppeal() async throws {
        let store = try SQLiteStore(path: try TestFolders.temporary("email").appendingPathComponent("t.sqlite").path)
        let importer = EmailImport(store: store)
        var worker = RoutingWorker(store: store, book: try RuleBook.load(directory: TestFolders.rules))
        _ = try await importer.importMessages([Self.appeal], source: "files", now: Self.now)
        _ = try await worker.drain(now: { Self.now })
        let original = try #require(try await store.appeals(AppealQuery()).first)

        let reply = Self.mail(
            id: "a2@example.uz", subject: "Re: Murojaatingiz \(original.tracking.value) ro'yxatga olindi",
            body: "Yana bir oy o'tdi, javob yo'q.\r\n\r\n> Kuzatuv raqami: \(original.tracking.value)")
        let unknown = TrackingNumber(sequence: 999)
        let stray = Self.mail(
            id: "a3@example.uz", subject: "Re: \(unknown.value)", body: "Viza masalasida yordam bering.")
        let report = try await importer.importMessages([reply, stray], source: "files", now: Self.now)
        #expect(report.followUps == 2)
        let summary = try await worker.drain(now: { Self.now })
        #expect(summary.followUps == 1)
        #expect(summary.total == 2)

        let appeals = try await store.appeals(AppealQuery())
        #expect(appeals.count == 2, "the reply made no appeal of its own; the stray number did")
        let history = try await store.history(of: original.id)
        let followUp = try #require(history.last)
        #expect(followUp.event.kind == .followUp)
        #expect(followUp.event.data["source_key"] == "a2@example.uz")
        #expect(followUp.event.data["text"]?.hasPrefix("Yana bir oy o'tdi") == true)
        #expect(followUp.event.status == nil)
        #expect(EventChain.firstBrokenLink(in: history) == nil)

        let strayAppeal = try #require(appeals.first { $0.sourceKey == "a3@example.uz" })
        let registered = try #require(try await store.history(of: strayAppeal.id).first)
        #expect(registered.event.data["follow_up_of"] == "\(unknown.value) (no such appeal here)")

        // Imported again after routing: still nothing new, and no second event.
        let again = try await importer.importMessages([reply], source: "files", now: Self.now)
        #expect(again.added == 0)
        _ = try await worker.drain(now: { Self.now })
        #expect(try await store.history(of: original.id).count == history.count)
    }

    @Test func mboxMessagesAreSplitAndFromLinesUnquoted() throws {
        let mbox = """
            From aziz@example.uz Thu Nov 20 10:15:00 2025
            From: aziz@example.uz
            Subject: birinchi

            Salom.
            >From Toshkent bilan.

            From nodir@example.uz Thu Nov 20 11:00:00 2025
            From: nodir@example.uz
            Subject: ikkinchi

            Matn.

            """
        let folder = try TestFolders.temporary("mbox")
        let file = folder.appendingPathComponent("inbox.mbox")
        try Data(mbox.utf8).write(to: file)
        let messages = try MailSources.mbox(file)
        #expect(messages.count == 2)
        let first = String(decoding: messages[0].bytes, as: UTF8.self)
        #expect(first.contains("\nFrom Toshkent bilan."))
        #expect(!first.contains(">From"))
        #expect(!first.hasPrefix("From aziz"))
        #expect(messages[1].position.hasSuffix("message 2"))
    }

    @Test func aMaildirIsReadFromNewAndCur() throws {
        let folder = try TestFolders.temporary("maildir")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data(Self.appeal.bytes).write(to: folder.appendingPathComponent("new/1.host"))
        try Data(Self.autoReply.bytes).write(to: folder.appendingPathComponent("cur/2.host:2,S"))
        try Data("half written".utf8).write(to: folder.appendingPathComponent("tmp/3.host"))
        let messages = try MailSources.maildir(folder)
        #expect(messages.map(\.bytes) == [Self.appeal.bytes, Self.autoReply.bytes])
        #expect(throws: IngestError.self) { try MailSources.maildir(folder.appendingPathComponent("new")) }
    }
}

/// Repeats: the same applicant with substantially the same text within 30 days is linked both ways.
@Suite struct RepeatTests {
    @Test func aRepeatWithinThirtyDaysIsLinkedAndOthersAreNot() async throws {
        let store = try SQLiteStore(path: try TestFolders.temporary("repeat").appendingPathComponent("t.sqlite").path)
        var worker = RoutingWorker(store: store, book: try RuleBook.load(directory: TestFolders.rules))
        let day = 86_400.0
        let t0 = Date(timeIntervalSince1970: 1_763_640_000)
        let text = "Rossiyada ish beruvchi uch oydan beri ish haqimni bermayapti, pasportimni olib qo'ygan."
        func draft(_ key: String, _ text: String, at: Date, email: String = "aziz@example.uz") -> AppealDraft {
            AppealDraft(
                channel: .email, sourceKey: key, receivedAt: at, text: text, applicant: Applicant(email: email))
        }
        _ = try await store.enqueue([draft("r1", text, at: t0)], at: t0)
        _ = try await worker.drain(now: { t0 })
        _ = try await store.enqueue(
            [
                draft("r2", "Yana yozyapman: " + text, at: t0 + 10 * day),
                draft("r3", "Koreyaga ishga borish uchun tanlov qachon bo'lishini bilmoqchiman", at: t0 + 11 * day),
                draft("r4", text, at: t0 + 12 * day, email: "boshqa@example.uz"),
            ], at: t0)
        let summary = try await worker.drain(now: { t0 + 12 * day })
        #expect(summary.repeats == 1)
        _ = try await store.enqueue([draft("r5", text, at: t0 + 35 * day)], at: t0)
        let later = try await worker.drain(now: { t0 + 35 * day })
        #expect(later.repeats == 1, "r5 repeats r2 (25 days before), not r1 (35 days before)")

        let appeals = try await store.appeals(AppealQuery())
        func appeal(_ key: String) throws -> Appeal { try #require(appeals.first { $0.sourceKey == key }) }
        #expect(try appeal("r2").tags.contains("repeat"))
        #expect(try !appeal("r3").tags.contains("repeat"))
        #expect(try !appeal("r4").tags.contains("repeat"))
        let r2History = try await store.history(of: try appeal("r2").id)
        #expect(r2History.first?.event.data["repeat_of"] == (try appeal("r1")).tracking.value)
        let r1History = try await store.history(of: try appeal("r1").id)
        let link = try #require(r1History.last)
        #expect(link.event.kind == .repeatReceived)
        #expect(link.event.data["tracking"] == (try appeal("r2")).tracking.value)
        #expect(EventChain.firstBrokenLink(in: r1History) == nil)
        // r4's applicant writes the same again 31 days later: outside the window, a new appeal of its own.
        _ = try await store.enqueue([draft("r6", text, at: t0 + 43 * day, email: "boshqa@example.uz")], at: t0)
        let outside = try await worker.drain(now: { t0 + 43 * day })
        #expect(outside.repeats == 0)
        let r5History = try await store.history(of: try appeal("r5").id)
        #expect(r5History.first?.event.data["repeat_of"] == (try appeal("r2")).tracking.value)
    }
}
