import Foundation
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `murojaat serve` killed between the commit of a notice and its sending, again and again: a real SMTP server
/// (aiosmtpd) receives every notice exactly once.
@Suite(.serialized) struct OutboxCrashTests {
    static let notices = 40

    /// Waits for a process that is expected to end by itself (the injected kill), at most `seconds`.
    static func waitForExit(_ pid: pid_t, seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(50_000)
        }
        return nil
    }

    static func outboxNumbers(_ sink: SMTPSink) throws -> [Int] {
        try sink.messages().compactMap { message in
            String(decoding: message.raw, as: UTF8.self).split(separator: "\r\n")
                .first { $0.hasPrefix("X-Murojaat-Outbox:") }
                .flatMap { Int($0.dropFirst("X-Murojaat-Outbox:".count).trimmingCharacters(in: .whitespaces)) }
        }
    }

    @Test func killedBetweenCommitAndSendEveryNoticeArrivesOnce() async throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let folder = try TestFolders.temporary("outbox-crash")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: data.appendingPathComponent("murojaat.sqlite").path)
        let created = Date()
        _ = try await store.enqueueNotices(
            (1...Self.notices).map {
                Notice(
                    kind: "escalation", appealID: nil, to: ["bolim\($0)@migration.uz"],
                    subject: "Eslatma \($0)", text: "Murojaat muddati yaqin: \($0)", createdAt: created)
            })
        let config = folder.appendingPathComponent("murojaat.yaml")
        try Data(
            """
            route_interval: 1s
            sweep_interval: 1s
            outbox_interval: 1s
            outbox_lease: 1s
            daily_report: false
            http: off
            mail_from: "Migratsiya agentligi <murojaat@migration.uz>"
            smtp:
              url: \(sink.url)
              security: none

            """.utf8
        ).write(to: config)

        // Each run dies (SIGKILL, no chance to tidy up) just before its Nth delivery: after the notice was
        // committed and claimed, before the server saw it.
        var delivered = 0
        for fault in [5, 1, 9, 2, 7] {
            let pid = try CrashTests.spawn(
                ["serve", "--config", config.path], data: data, extra: ["MUROJAAT_FAULT": "kill-before-send:\(fault)"])
            let status = try #require(Self.waitForExit(pid, seconds: 60), "serve did not reach its injected kill")
            #expect(status & 0x7f == SIGKILL)
            delivered += fault - 1
            #expect(try sink.messages().count == delivered)
        }
        // A last run, left to finish.
        let pid = try CrashTests.spawn(["serve", "--config", config.path], data: data)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try sink.messages().count < Self.notices {
            try await Task.sleep(for: .milliseconds(200))
        }
        // A little longer: anything sent twice would arrive now.
        try await Task.sleep(for: .seconds(2))
        kill(pid, SIGTERM)
        _ = Self.waitForExit(pid, seconds: 10)

        let numbers = try Self.outboxNumbers(sink)
        #expect(numbers.count == Self.notices)
        #expect(numbers.sorted() == Array(1...Self.notices))
        #expect(try await store.outbox(state: .pending, limit: 100).isEmpty)
        #expect(try await store.outbox(state: .sent, limit: 100).count == Self.notices)
    }
}
