import Foundation
import Mail
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing
import Tracker

/// The outbox against a real SMTP server (a throwaway aiosmtpd on loopback).
@Suite(.serialized) struct OutboxSenderTests {
    static let from = MailAddress(name: "Migratsiya agentligi", address: "murojaat@migration.uz")

    func store() throws -> SQLiteStore {
        try SQLiteStore(path: try TestFolders.temporary("outbox").appendingPathComponent("o.sqlite").path)
    }

    func notices(_ count: Int, at moment: Date = instant("2026-03-20T09:00:00+05:00")) -> [Notice] {
        (1...count).map {
            Notice(
                kind: "escalation", appealID: nil, to: ["bolim\($0)@migration.uz"], cc: ["nazorat@migration.uz"],
                subject: "Muddat bugun tugaydi: MJ-\($0)", text: "Hurmatli hamkasb, murojaat \($0) muddati bugun.",
                html: $0 == 1 ? "<p>Hisobot</p>" : nil,
                attachments: $0 == 1
                    ? [
                        .init(
                            name: "hisobot-o'zbek.xlsx", contentType: "application/octet-stream", content: [0, 1, 255])
                    ]
                    : [], createdAt: moment)
        }
    }

    func sender(_ store: SQLiteStore, _ sink: SMTPSink) throws -> OutboxSender {
        let transport = try SMTPTransport(
            settings: SMTPSettings(url: sink.url, security: .none, envelopeFrom: Self.from.address))
        return OutboxSender(store: store, transport: transport, from: Self.from, domain: "migration.uz")
    }

    func messageIDs(_ sink: SMTPSink) throws -> [String] {
        try sink.messages().map { message in
            let text = String(decoding: message.raw, as: UTF8.self)
            return text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("message-id:") }
                .map { String($0.dropFirst("Message-ID:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
        }
    }

    @Test func eachNoticeArrivesOnceWithItsAttachments() async throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let store = try store()
        #expect(try await store.enqueueNotices(notices(5)) == 5)
        let summary = try await sender(store, sink).deliver(now: { Date() })
        #expect(summary.sent == 5 && summary.deferred == 0)
        // A second run finds nothing to send.
        #expect(try await sender(store, sink).deliver(now: { Date() }).sent == 0)
        let messages = try sink.messages()
        #expect(messages.count == 5)
        #expect(messages[0].recipients == ["bolim1@migration.uz", "nazorat@migration.uz"])
        let ids = try messageIDs(sink)
        #expect(Set(ids).count == 5 && ids.allSatisfy { $0.hasSuffix("@migration.uz>") })
        let parsed = try MIMEParser().parse(messages[0].raw)
        #expect(parsed.subject == "Muddat bugun tugaydi: MJ-1")
        #expect(parsed.attachments.first?.content == [0, 1, 255])
        #expect(String(decoding: messages[0].raw, as: UTF8.self).contains("Auto-Submitted: auto-generated"))
        #expect(try await store.outbox(state: .sent, limit: 10).count == 5)
    }

    @Test func aRefusalForNowIsRetriedLaterAndARefusalForGoodIsKeptForAPerson() async throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let store = try store()
        _ = try await store.enqueueNotices(notices(2))
        try sink.failNext(1, code: 451)
        let t0 = Date()
        let first = try await sender(store, sink).deliver(now: { t0 })
        #expect(first.sent == 1 && first.deferred == 1)
        #expect(first.lastError?.contains("451") == true)
        // Not before its backoff ends (one minute after the first attempt).
        #expect(try await sender(store, sink).deliver(now: { t0.addingTimeInterval(30) }).sent == 0)
        #expect(try await sender(store, sink).deliver(now: { t0.addingTimeInterval(61) }).sent == 1)
        #expect(try sink.messages().count == 2)
        _ = try await store.enqueueNotices(notices(1))
        try sink.failNext(1, code: 550)
        let refused = try await sender(store, sink).deliver(now: { t0.addingTimeInterval(62) })
        #expect(refused.failed == 1)
        let failed = try await store.outbox(state: .failed, limit: 10)
        #expect(failed.count == 1 && failed[0].lastError?.contains("550") == true)
        #expect(try await sender(store, sink).deliver(now: { t0.addingTimeInterval(10_000) }).sent == 0)
        #expect(try sink.messages().count == 2)
    }

    @Test func aServerThatIsDownIsRetriedWithoutLosingAnything() async throws {
        let store = try store()
        _ = try await store.enqueueNotices(notices(3))
        let down = try SMTPSink.start()
        let url = down.url
        down.stop()
        let transport = try SMTPTransport(
            settings: SMTPSettings(url: url, security: .none, envelopeFrom: Self.from.address, timeout: .seconds(3)))
        let t0 = Date()
        let summary = try await OutboxSender(store: store, transport: transport, from: Self.from, domain: "x.uz")
            .deliver(now: { t0 })
        #expect(summary.sent == 0 && summary.deferred == 1 && summary.failed == 0)
        #expect(try await store.outbox(state: .pending, limit: 10).count == 3)
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        // The one tried waits for its backoff, the two never tried for their lease.
        let later = try await sender(store, sink).deliver(now: { t0.addingTimeInterval(3600) })
        #expect(later.sent == 3)
        #expect(try sink.messages().count == 3)
    }

    @Test func withoutSMTPNoticesBecomeEMLFilesNamedByTheirOutboxRow() async throws {
        let store = try store()
        _ = try await store.enqueueNotices(notices(2))
        let folder = try TestFolders.temporary("eml")
        let sender = OutboxSender(
            store: store, transport: EMLFolderTransport(folder: folder), from: Self.from, domain: "migration.uz")
        #expect(try await sender.deliver(now: { Date() }).sent == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["notice-1.eml", "notice-2.eml"])
        let parsed = try MIMEParser().parse(Array(try Data(contentsOf: folder.appendingPathComponent(names[0]))))
        #expect(parsed.subject == "Muddat bugun tugaydi: MJ-1")
        // Delivered again after a crash before the mark: the same file, not a second one.
        let item = try #require(try await store.outbox(state: .sent, limit: 1).first)
        try EMLFolderTransport(folder: folder).deliver(sender.mail(for: item))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
    }
}
