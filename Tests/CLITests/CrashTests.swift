import Foundation
import Ingest
import Mail
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Store
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 at random moments while `murojaat serve` drains a real mailbox: nothing is lost and nothing doubles.
@Suite(.serialized) struct CrashTests {
    static let messages = 2000
    static let kills = 20
    static let keys = (1...messages).map { "crash-\($0)@example.uz" }

    static func message(_ number: Int) -> [UInt8] {
        let topics = [
            "ish beruvchi uch oydan beri ish haqimni bermayapti", "pasportimni olib qo'yishdi",
            "Koreyaga ishga borish tanlovi qachon bo'ladi", "sug'urta pulini qaytarib bering",
            "akam Rossiyada ushlab turilibdi", "xususiy agentlik pulimni olib ishga jo'natmadi",
        ]
        return Array(
            """
            From: Fuqaro \(number) <fuqaro\(number)@example.uz>\r
            To: info@migration.uz\r
            Subject: Murojaat \(number)\r
            Message-ID: <crash-\(number)@example.uz>\r
            Date: Thu, 20 Nov 2025 10:15:00 +0500\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Assalomu alaykum. \(topics[number % topics.count]). Murojaat raqami \(number).\r
            Hurmat bilan, Fuqaro \(number)\r

            """.utf8)
    }

    /// Starts `murojaat serve` on its own (not through Foundation's Process, whose child keeps the test runner's
    /// blocked signals) and returns its pid.
    static func startServe(config: URL, data: URL) throws -> pid_t {
        try spawn(["serve", "--config", config.path], data: data)
    }

    /// Starts `murojaat ARGUMENTS...` with its output going to `serve.log` beside the data directory.
    static func spawn(_ commandArguments: [String], data: URL, extra: [String: String] = [:]) throws -> pid_t {
        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        environment["MUROJAAT_RULES_DIR"] = TestFolders.rules.path
        environment["MUROJAAT_DATA_DIR"] = data.path
        let arguments = [Murojaat.executable.path] + commandArguments
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let log = data.deletingLastPathComponent().appendingPathComponent("serve.log").path
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var pid = pid_t()
        let spawned = posix_spawn(&pid, Murojaat.executable.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Dovecot.Failure(description: "cannot start murojaat serve: \(spawned)") }
        return pid
    }

    @Test func killingServeAtRandomMomentsLosesAndDuplicatesNothing() async throws {
        let server = try Dovecot.start()
        defer { server.stop() }
        for number in 1...Self.messages { try server.deliver(Self.message(number), to: "info") }
        let folder = try TestFolders.temporary("crash")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data("secret\n".utf8).write(to: folder.appendingPathComponent("imap.password"))
        let config = folder.appendingPathComponent("murojaat.yaml")
        try Data(
            """
            route_interval: 1s
            route_lease: 3s
            http: off
            mailboxes:
              - url: \(server.url)
                user: info
                password_file: \(folder.appendingPathComponent("imap.password").path)
                poll_interval: 1s

            """.utf8
        ).write(to: config)

        var generator = SystemRandomNumberGenerator()
        let checkpointName = MailboxPoller.checkpointName(user: "info", url: server.url)
        for _ in 0..<Self.kills {
            let pid = try Self.startServe(config: config, data: data)
            try await Task.sleep(for: .milliseconds(Int.random(in: 150...1500, using: &generator)))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            // After each crash: the checkpoint never runs ahead of the commits. UIDs are 1, 2, 3... so at least as
            // many messages as the last UID it names must be in the inbox.
            let store = try SQLiteStore(path: data.appendingPathComponent("murojaat.sqlite").path)
            if let saved = try await store.checkpoint(checkpointName),
                let last = saved.split(separator: ":").last.flatMap({ Int($0) })
            {
                let known = try await store.knownSourceKeys(channel: .email, among: Self.keys)
                #expect(known.count >= last, "the checkpoint passed messages that were not committed")
            }
        }
        // A last run, left to finish: everything goes in.
        let pid = try Self.startServe(config: config, data: data)
        let store = try SQLiteStore(path: data.appendingPathComponent("murojaat.sqlite").path)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if try await store.counts().appeals == Self.messages { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)

        let counts = try await store.counts()
        #expect(counts.appeals == Self.messages)
        #expect(counts.inboxPending == 0)
        #expect(counts.quarantined == 0)
        let appeals = try await store.appeals(AppealQuery(limit: Self.messages + 10))
        let missing = Set(Self.keys).subtracting(appeals.map(\.sourceKey))
        #expect(missing.isEmpty, "lost: \(missing.sorted().prefix(10))")
        for appeal in appeals.prefix(50) {
            #expect(EventChain.firstBrokenLink(in: try await store.history(of: appeal.id)) == nil)
        }
        let mailbox = try IMAPMailbox(IMAPAccount(url: server.url, user: "info", password: "secret"))
        var unseen = 0
        var flagged = 0
        for start in stride(from: 1, through: Self.messages, by: 250) {
            let flags = try mailbox.flags(Array(UInt32(start)...UInt32(min(start + 249, Self.messages))))
            flagged += flags.count
            unseen += flags.values.filter { !$0.contains("\\Seen") }.count
        }
        #expect(flagged == Self.messages)
        #expect(unseen == 0)
    }

    @Test func killingAReceptionImportAtRandomMomentsLosesAndDuplicatesNothing() async throws {
        let rows = 30_000
        let folder = try TestFolders.temporary("crash-reception")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let export = folder.appendingPathComponent("reception.xlsx")
        try ReceptionWorkbook.generate(rows: rows).write(to: export)
        var generator = SystemRandomNumberGenerator()
        let keys = (0..<rows).map { "PQ-2025-" + String(format: "%07d", $0) }
        var interruptedMidway = 0
        // How long one whole import takes on this machine now, so the kills fall inside an import.
        let clock = ContinuousClock()
        let scratch = folder.appendingPathComponent("scratch")
        let started = clock.now
        #expect(try Murojaat.run(["ingest", "reception", export.path], dataDir: scratch).status == 0)
        let whole = clock.now - started
        let store = try SQLiteStore(path: data.appendingPathComponent("murojaat.sqlite").path)
        for round in 0..<Self.kills {
            if round == 0 {
                // The first import kills itself right after its first commit, so one kill surely lands between two
                // of them (watching the database for it from here came too late on a busy machine)...
                let pid = try Self.spawn(
                    ["ingest", "reception", export.path], data: data, extra: ["MUROJAAT_FAULT": "kill-after-batch:1"])
                waitpid(pid, nil, 0)
            } else {
                // ...the others at random moments of an import.
                let pid = try Self.spawn(["ingest", "reception", export.path], data: data)
                try await Task.sleep(for: whole * Double.random(in: 0.1...0.95, using: &generator))
                kill(pid, SIGKILL)
                waitpid(pid, nil, 0)
            }
            let known = try await store.knownSourceKeys(channel: .virtualReception, among: keys).count
            #expect(known % 5000 == 0 || known == rows, "a batch is committed whole or not at all")
            if known > 0 && known < rows { interruptedMidway += 1 }
        }
        #expect(interruptedMidway > 0, "no kill landed between two commits; the test proved little")
        let finish = try Murojaat.run(["ingest", "reception", export.path], dataDir: data)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try await store.knownSourceKeys(channel: .virtualReception, among: keys).count == rows)
        let counts = try await store.counts()
        #expect(counts.inboxPending == rows, "one inbox item per row, no more")
        #expect(counts.quarantined == 0)
        let again = try Murojaat.run(["ingest", "reception", export.path], dataDir: data)
        #expect(again.stdout.contains("\(rows) rows, 0 new, \(rows) already known"))
    }
}
