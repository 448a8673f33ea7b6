import Foundation
import MurojaatCore
import MurojaatTesting
import PostgresStore
import Store
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Four `murojaat serve` processes on one PostgreSQL, the call-centre system sending every card to two of them,
/// two of the four killed (SIGKILL) at random moments: every appeal exists once, every escalation step fired once,
/// every notice reached the SMTP server once, and the daily report was sent once.
@Suite(.serialized) struct ScaleOutTests {
    static let cards = 120
    static let instances = 4

    /// A call card as the call-centre system posts it; half received weeks before the rehearsed day, so their
    /// deadlines have passed and the ladder fires.
    static func card(_ number: Int) -> String {
        let received = number % 2 == 0 ? "2025-11-10 10:00:00" : "2025-12-04 11:00:00"
        return """
            {"call_id": "scale-\(number)", "started_at": "\(received)", "caller": "90 100 \(String(format: "%04d", number))",
             "caller_name": "Qo'ng'iroq \(number)", "summary": "Rossiyada ish beruvchi ish haqimni bermayapti, \(number)",
             "language": "uz", "line": 1282}
            """
    }

    static func post(_ body: String, port: Int, token: String) async -> Int? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/appeals")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = Data(body.utf8)
        request.timeoutInterval = 10
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func healthy(_ port: Int) async -> Bool {
        guard let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)
        else { return false }
        return String(decoding: data, as: UTF8.self).contains("ok")
    }

    /// Waits until `done` holds, at most `seconds`; false when it never did.
    static func eventually(seconds: Double, _ done: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await done()
    }

    /// systemd stops `serve` with SIGTERM: it stops what it runs and exits 0, on either store. On PostgreSQL it
    /// crashed as it let go of the connection its singleton locks were on, never closed.
    @Test(arguments: [true, false])
    func sigtermStopsServeCleanly(onPostgres: Bool) async throws {
        let folder = try TestFolders.temporary("stop")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var environment = ["MUROJAAT_HTTP_PORT": String(try Dovecot.freePort()), "MUROJAAT_LOG_FORMAT": "text"]
        if onPostgres { environment["MUROJAAT_DATABASE_URL"] = try PostgresServer.shared().createDatabase() }
        let pid = try CrashTests.spawn(["serve"], data: data, extra: environment)
        let log = { (try? String(contentsOf: folder.appendingPathComponent("serve.log"), encoding: .utf8)) ?? "" }
        // Every singleton taken: the locks' connection is open.
        let running = try await Self.eventually(seconds: 60) {
            ["tracker", "outbox", "daily report"].allSatisfy { log().contains("\($0): this instance runs it") }
        }
        kill(pid, SIGTERM)
        let status = OutboxCrashTests.waitForExit(pid, seconds: 30)
        if status == nil { kill(pid, SIGKILL) }
        #expect(running, "serve took its singletons: \(log())")
        #expect(status == 0, "serve exited 0 on SIGTERM, not \(String(describing: status)): \(log().suffix(3000))")
        #expect(log().contains("murojaat serve: stopped"))
    }

    @Test func fourInstancesOnOneDatabaseDoEachThingOnceWhileTwoAreKilled() async throws {
        let url = try PostgresServer.shared().createDatabase()
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let folder = try TestFolders.temporary("scale-out")
        let postgres = ["MUROJAAT_DATABASE_URL": url]

        // The call-centre system's account and token, made as an administrator would.
        let added = try Murojaat.run(
            ["user", "add", "callcentre", "--name", "Call centre", "--role", "operator"],
            environment: postgres.merging(["MUROJAAT_PASSWORD": "callcentre-pass-1"]) { $1 })
        try #require(added.status == 0, "\(added.stderr)")
        let issued = try Murojaat.run(["user", "token", "callcentre", "--name", "pbx"], environment: postgres)
        let token = try #require(issued.stdout.split(separator: "\n").last.map(String.init), "\(issued.stderr)")

        // The cards a killed instance had claimed wait for their lease to run out: with the default minute that
        // could use up the whole minute the test gives routing, so the leases here are short.
        let config = folder.appendingPathComponent("murojaat.yaml")
        try Data(
            """
            route_interval: 1s
            route_lease: 10s
            sweep_interval: 1s
            outbox_interval: 1s
            outbox_lease: 5s
            daily_report: true
            log_format: text
            mail_from: "Migratsiya agentligi <murojaat@migration.uz>"
            smtp:
              url: \(sink.url)
              security: none

            """.utf8
        ).write(to: config)

        // 09:00 on a working Friday: the daily report is due at once, and the November cards are overdue.
        var pids: [pid_t?] = []
        var ports: [Int] = []
        for instance in 0..<Self.instances {
            // A folder each: spawn writes the log beside the data directory, and the test reads who leads.
            let data = folder.appendingPathComponent("instance\(instance)/data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            let port = try Dovecot.freePort()
            ports.append(port)
            pids.append(
                try CrashTests.spawn(
                    ["serve", "--config", config.path], data: data,
                    extra: postgres.merging(
                        ["MUROJAAT_HTTP_PORT": String(port), "MUROJAAT_NOW": "2025-12-05T09:00:00+05:00"]
                    ) { $1 }))
        }
        defer {
            for pid in pids.compactMap({ $0 }) {
                kill(pid, SIGTERM)
                _ = OutboxCrashTests.waitForExit(pid, seconds: 10)
            }
        }
        for port in ports {
            #expect(try await Self.eventually(seconds: 60) { await Self.healthy(port) }, "instance on \(port)")
        }

        // Each card goes to two live instances; two instances die at random moments while the cards come: the one
        // running the singletons, and one other.
        func log(_ instance: Int) -> String {
            (try? String(
                contentsOf: folder.appendingPathComponent("instance\(instance)/serve.log"), encoding: .utf8)) ?? ""
        }
        var leader: Int?
        _ = try await Self.eventually(seconds: 30) {
            leader = (0..<Self.instances).first { log($0).contains("tracker: this instance runs it") }
            return leader != nil
        }
        let first = try #require(leader, "no instance took the tracker")
        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SplitMix64(seed: seed)
        let killAt = [
            Int.random(in: 10..<(Self.cards / 2), using: &random),
            Int.random(in: (Self.cards / 2)..<(Self.cards - 10), using: &random),
        ]
        let victims = [first, (0..<Self.instances).filter { $0 != first }.randomElement(using: &random)!]
        print("scale-out: seed \(seed), killing instances \(victims) before cards \(killAt)")
        for number in 0..<Self.cards {
            if let which = killAt.firstIndex(of: number), let pid = pids[victims[which]] {
                kill(pid, SIGKILL)
                _ = OutboxCrashTests.waitForExit(pid, seconds: 10)
                pids[victims[which]] = nil
            }
            let alive = (0..<Self.instances).filter { pids[$0] != nil }
            let statuses = [
                await Self.post(Self.card(number), port: ports[alive[number % alive.count]], token: token),
                await Self.post(Self.card(number), port: ports[alive[(number + 1) % alive.count]], token: token),
            ]
            #expect(statuses.allSatisfy { $0 == 202 || $0 == 200 }, "card \(number): \(statuses)")
        }

        let store = try await PostgresStore.open(url: url)
        defer { Task { await store.shutdown() } }
        let routed = try await Self.eventually(seconds: 60) {
            let counts = try await store.counts()
            return counts.appeals == Self.cards && counts.inboxPending == 0
        }
        let counts = try await store.counts()
        #expect(routed, "every card became an appeal: \(counts)")
        // The survivors settle: the sweeper fires what is due, the sender sends it.
        let delivered = try await Self.eventually(seconds: 90) {
            let pending = try await store.outbox(state: .pending, limit: 10).count
            let sent = try await store.outbox(state: .sent, limit: 100_000).count
            let received = try sink.messages().count
            return pending == 0 && sent > 0 && received == sent
        }
        #expect(delivered, "the outbox emptied into the SMTP server")
        // A little longer: anything sent twice would arrive now.
        try await Task.sleep(for: .seconds(3))

        let successors = (0..<Self.instances).filter {
            !victims.contains($0) && log($0).contains("tracker: this instance runs it")
        }
        #expect(successors.count == 1, "one survivor took the tracker over: \(successors)")

        let appeals = try await store.appeals(AppealQuery(limit: 10_000))
        #expect(appeals.count == Self.cards)
        #expect(Set(appeals.map(\.sourceKey)).count == Self.cards, "each card once")
        var escalations = 0
        for appeal in appeals {
            // A step passed over (fallen due together with a later one, told in the later one's notice) counts as
            // fired too.
            let steps = try await store.history(of: appeal.id).filter { $0.event.kind == .escalated }
                .flatMap { stored in
                    let data = stored.event.data
                    let passed = (data["passed_over"] ?? "").split(separator: ",").map(String.init)
                    return ([data["step"] ?? ""] + passed).map { "\($0)@\(data["due"] ?? "")" }
                }
            #expect(steps.count == Set(steps).count, "\(appeal.tracking.value) fired a step twice: \(steps)")
            escalations += steps.count
        }
        #expect(escalations > Self.cards / 2, "the overdue half climbed the ladder")

        let sent = try await store.outbox(state: .sent, limit: 100_000)
        #expect(try await store.outbox(state: .pending, limit: 10).isEmpty)
        let messages = try sink.messages()
        #expect(messages.count == sent.count, "each notice reached the SMTP server once")
        let reports = sent.filter { $0.notice.kind == "daily_report" }
        #expect(reports.count == 1, "one daily report for 05.12.2025")
        if let report = reports.first {
            let copies = messages.filter { Set($0.recipients) == Set(report.notice.to.map { $0.lowercased() }) }
            #expect(copies.count == 1, "the report reached its readers once: \(copies.count)")
        }
    }
}
