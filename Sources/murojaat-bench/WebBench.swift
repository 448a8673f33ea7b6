import Foundation
import MurojaatCore
import MurojaatTesting
import PostgresStore
import Rules
import SQLiteStore
import Store
import Tracker

/// The web pages under load: a million appeals in SQLite (one in a hundred in triage), `murojaat serve` (release,
/// the binary beside this one) on loopback, and wrk from Debian driving the triage queue and a department queue
/// with a signed-in operator's and executor's cookies. Prints requests per second and the 50th/99th percentile
/// latency per page (median of the runs), and the server's resident memory after the load and at its peak.
struct WebBench {
    let rulesDirectory: URL
    let appeals: Int
    let runs: Int
    let secondsPerRun: Int
    let connections: Int
    /// A throwaway PostgreSQL to hold the appeals instead of SQLite.
    var postgres: PostgresServer?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func run() async throws -> [Figures] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("web-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let operatorToken = "bench-operator-session"
        let executorToken = "bench-executor-session"
        let databaseURL = try postgres?.createDatabase()
        let loading = try await seconds {
            let store: any AppealStore & AccountStore
            var postgresStore: PostgresStore?
            if let databaseURL {
                let opened = try await PostgresStore.open(url: databaseURL)
                postgresStore = opened
                store = opened
            } else {
                store = try SQLiteStore(path: directory.appendingPathComponent("murojaat.sqlite").path)
            }
            defer { if let postgresStore { Task { await postgresStore.shutdown() } } }
            let book = try RuleBook.load(directory: rulesDirectory)
            let rules = try TrackerRules.load(directory: rulesDirectory, org: book.org)
            var tracker = TrackerBench(rulesDirectory: rulesDirectory, appeals: appeals, runs: 1)
            tracker.triageEvery = 100
            try await tracker.fill(
                store, book: book, tracker: rules,
                clock: DeadlineClock(calendar: book.deadlines.calendar, ladder: rules.ladder))
            let now = Date()
            for (login, role, department, token) in [
                ("operator", StaffRole.operator, nil as String?, operatorToken),
                ("abroad", .executor, "ABROAD", executorToken),
            ] {
                let user = try await store.addUser(
                    NewUser(
                        login: login, name: login, role: role, department: department, passwordHash: "x"), at: now)
                try await store.openSession(
                    StaffSession(
                        tokenHash: EventChain.digest(Array(token.utf8)), userID: user.id, csrf: "c", createdAt: now,
                        expiresAt: now.addingTimeInterval(86_400 * 365 * 10)))
            }
        }
        FileHandle.standardError.write(
            Data("web: \(appeals) appeals registered in \(String(format: "%.1f", loading)) s\n".utf8))
        // Only the web server and the router: the sweeper and the report have benchmarks of their own.
        try """
        daily_report: false
        sweep_interval: 1h
        outbox_interval: 1h
        log_format: text
        """.write(to: directory.appendingPathComponent("murojaat.yaml"), atomically: true, encoding: .utf8)
        let port = 18_000 + Int.random(in: 0..<2000)
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("murojaat")
        let serve = Process()
        serve.executableURL = binary
        serve.arguments = ["serve", "--data-dir", directory.path, "--rules", rulesDirectory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["MUROJAAT_HTTP_PORT"] = String(port)
        if let databaseURL { environment["MUROJAAT_DATABASE_URL"] = databaseURL }
        environment["MUROJAAT_NOW"] = "2026-03-02T10:00:00+05:00"
        serve.environment = environment
        serve.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<600 where !ready {
            try await Task.sleep(for: .milliseconds(200))
            ready = (try? Self.output("curl", ["-sf", "\(base)/health"]))?.contains("ok") == true
        }
        guard ready else { throw Failure(description: "murojaat serve did not answer /health on port \(port)") }
        // The start-up work (the deadline fingerprint's recompute, the first routing poll) is over before measuring.
        try await Task.sleep(for: .seconds(5))
        let idle = Self.memory(serve.processIdentifier)
        var results: [Figures] = []
        for (name, path, token) in [
            ("triage-page", "/triage", operatorToken),
            ("department-queue-page", "/queue?department=ABROAD", executorToken),
        ] {
            let url = base + path
            let page = try Self.output("curl", ["-s", "-H", "Cookie: murojaat_session=\(token)", url])
            guard page.contains("id=\"queue\"") else { throw Failure(description: "\(path) shows no queue") }
            _ = try Self.output(
                "wrk", ["-t2", "-c\(connections)", "-d3s", "-H", "Cookie: murojaat_session=\(token)", url])
            var rates: [Double] = []
            var p50: [Double] = []
            var p99: [Double] = []
            for _ in 0..<runs {
                let report = try Self.output(
                    "wrk",
                    [
                        "-t2", "-c\(connections)", "-d\(secondsPerRun)s", "--latency", "-H",
                        "Cookie: murojaat_session=\(token)", url,
                    ])
                guard let rate = Self.number(after: "Requests/sec:", in: report),
                    let median = Self.latency("50%", in: report), let tail = Self.latency("99%", in: report)
                else { throw Failure(description: "wrk printed no figures:\n\(report)") }
                if report.contains("Non-2xx") { throw Failure(description: "\(path) answered errors:\n\(report)") }
                rates.append(rate)
                p50.append(median)
                p99.append(tail)
            }
            results.append(
                Figures(
                    bench: "web", name: postgres == nil ? name : "\(name)-postgres", unit: "requests", runs: rates,
                    extra: [
                        "appeals": String(appeals), "rows_per_page": "50", "connections": String(connections),
                        "p50_ms": String(format: "%.2f", Self.median(p50)),
                        "p99_ms": String(format: "%.2f", Self.median(p99)),
                        "p99_ms_runs": p99.map { String(format: "%.2f", $0) }.joined(separator: "/"),
                    ]))
        }
        let loaded = Self.memory(serve.processIdentifier)
        results.append(
            Figures(
                bench: "web", name: postgres == nil ? "server-memory" : "server-memory-postgres", unit: "-", runs: [],
                extra: [
                    "appeals": String(appeals), "rss_mb_idle": String(idle.rss / 1024),
                    "rss_mb_after_load": String(loaded.rss / 1024), "rss_mb_peak": String(loaded.peak / 1024),
                ]))
        serve.terminate()
        serve.waitUntilExit()
        return results
    }

    /// VmRSS and VmHWM of a process, in kB.
    static func memory(_ pid: Int32) -> (rss: Int, peak: Int) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name) } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].split(separator: "\n")[0].trimmingCharacters(in: .whitespaces))
    }

    /// wrk's latency line, e.g. `99%   12.34ms`, in milliseconds.
    static func latency(_ label: String, in text: String) -> Double? {
        guard
            let line = text.split(separator: "\n").first(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix(label)
            })
        else { return nil }
        let value = line.split(separator: " ").last.map(String.init) ?? ""
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where value.hasSuffix(unit) {
            return Double(value.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func output(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
