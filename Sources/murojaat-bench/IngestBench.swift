import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
import PostgresStore
import Rules
import SQLiteStore
import Store
import Tracker

/// Call-card ingest end to end: a generated export of `rows` call cards is read (decoding, CSV, normalization,
/// phones), enqueued, routed and registered in a new SQLite database; the figure is records per second for the
/// whole way, with the two halves reported beside it.
struct IngestBench {
    var rulesDirectory: URL
    var rows: Int
    var runs: Int
    /// A throwaway PostgreSQL to run against instead of SQLite (a new database each run).
    var postgres: PostgresServer?
    /// Routing workers draining the inbox at once (each claims its own batches; PostgreSQL only).
    var workers = 1

    /// The run's figures, and on SQLite the floor beside them (``SQLiteFloor``): SQLite's own time to write the
    /// same rows, measured after each run on its database.
    func run() async throws -> [Figures] {
        let book = try RuleBook.load(directory: rulesDirectory)
        let mapping = try CallCardMapping.load(from: rulesDirectory.appendingPathComponent("adapters/call-cards.yaml"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // MUROJAAT_BENCH_KEEP=1 leaves the databases behind, to look into them (sizes, query plans) afterwards.
        let keep = ProcessInfo.processInfo.environment["MUROJAAT_BENCH_KEEP"] != nil
        if keep { print("keeping \(folder.path)") }
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let file = folder.appendingPathComponent("call-cards.csv")
        try Self.export(rows: rows).write(to: file)
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0

        var perSecond: [Double] = []
        var importSeconds: [Double] = []
        var routeSeconds: [Double] = []
        // The process's CPU time in each half: steadier than the wall clock on a shared machine, and with the wall
        // clock it shows how far the two halves' threads overlap.
        var importCPU: [Double] = []
        var routeCPU: [Double] = []
        var registered = 0
        var floorSeconds: [Double] = []
        var floorCPU: [Double] = []
        for run in 0..<runs {
            let store: any AppealStore
            var postgresStore: PostgresStore?
            if let postgres {
                let opened = try await PostgresStore.open(url: try postgres.createDatabase())
                postgresStore = opened
                store = opened
            } else {
                store = try SQLiteStore(path: folder.appendingPathComponent("run-\(run).sqlite").path)
            }
            let importer = CallCardImport(store: store, mapping: mapping)
            let now = Date()
            var added = 0
            let cpuAtStart = processCPUSeconds()
            let read = try await seconds {
                added = try await importer.importFile(at: file, now: now).added
            }
            let cpuAfterImport = processCPUSeconds()
            var summary = RoutingWorker.Summary()
            let routed = try await seconds {
                summary = try await Self.drain(store: store, book: book, workers: workers, now: now)
            }
            routeCPU.append(processCPUSeconds() - cpuAfterImport)
            importCPU.append(cpuAfterImport - cpuAtStart)
            await postgresStore?.shutdown()
            guard added == rows, summary.total == rows else {
                throw BenchError("expected \(rows) records, imported \(added) and registered \(summary.total)")
            }
            registered = summary.total
            if postgres == nil, let sqlite = store as? SQLiteStore {
                let floor = try SQLiteFloor().measure(
                    source: sqlite.path, target: folder.appendingPathComponent("floor-\(run).sqlite").path)
                floorSeconds.append(floor.seconds)
                floorCPU.append(floor.cpuSeconds)
            }
            importSeconds.append(read)
            routeSeconds.append(routed)
            perSecond.append(Double(rows) / (read + routed))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let figures = Figures(
            bench: "ingest", name: postgres == nil ? "call-cards-sqlite" : "call-cards-postgres-workers-\(workers)",
            unit: "records", runs: perSecond,
            extra: [
                "rows": "\(rows)", "workers": "\(workers)", "file_bytes": "\(size)", "registered": "\(registered)",
                "import_seconds_median": String(format: "%.3f", median(importSeconds)),
                "route_register_seconds_median": String(format: "%.3f", median(routeSeconds)),
                "import_cpu_seconds_median": String(format: "%.3f", median(importCPU)),
                "route_register_cpu_seconds_median": String(format: "%.3f", median(routeCPU)),
            ])
        guard !floorSeconds.isEmpty else { return [figures] }
        let floor = Figures(
            bench: "ingest", name: "call-cards-sqlite-floor", unit: "records",
            runs: floorSeconds.map { Double(rows) / $0 },
            extra: [
                "rows": "\(rows)", "seconds_median": String(format: "%.3f", median(floorSeconds)),
                "cpu_seconds_median": String(format: "%.3f", median(floorCPU)),
            ])
        return [figures, floor]
    }

    /// Drains the inbox with `workers` routing workers at once, as that many `serve` processes would; the summary
    /// adds theirs up.
    static func drain(
        store: any AppealStore, book: RuleBook, workers: Int, now: Date
    ) async throws
        -> RoutingWorker.Summary
    {
        try await withThrowingTaskGroup(of: RoutingWorker.Summary.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var worker = RoutingWorker(store: store, book: book)
                    return try await worker.drain(now: { now })
                }
            }
            var total = RoutingWorker.Summary()
            for try await summary in group {
                total.routed += summary.routed
                total.triage += summary.triage
                total.consultations += summary.consultations
                total.outOfCompetence += summary.outOfCompetence
                total.followUps += summary.followUps
                total.callbacksClosed += summary.callbacksClosed
                total.repeats += summary.repeats
            }
            return total
        }
    }

    /// A call-centre export as the operators' system writes it: `;`, BOM, CRLF, Tashkent local times.
    static func export(rows: Int) -> Data {
        var generator = SplitMix64(seed: 1282)
        let summaries = RoutingBench.sentences
        let regions = ["Farg'ona", "Andijon", "Namangan", "Samarqand", "Xorazm", "Toshkent shahri", "Qashqadaryo"]
        let outcomes = ["appeal", "appeal", "appeal", "appeal", "appeal", "appeal", "consultation", "callback"]
        var text =
            "\u{FEFF}call_id;started_at;ended_at;line;caller;operator;caller_name;region;country;language;"
            + "topic;summary;outcome;callback_number\r\n"
        text.reserveCapacity(rows * 300)
        for row in 0..<rows {
            let minute = row % (9 * 60)
            let started = String(format: "2025-11-20 %02d:%02d:%02d", 9 + minute / 60, minute % 60, row % 60)
            let summary = (0..<2).map { _ in summaries.randomElement(using: &generator)! }.joined(separator: " ")
            // Most callers call once; one call in twenty is from someone who called earlier that day.
            let caller = row % 20 == 19 ? row / 20 : row
            let number = caller / 10
            let phone = String(
                format: "+998 9%d %03d-%02d-%02d", caller % 10, number / 10_000, (number / 100) % 100, number % 100)
            let outcome = outcomes.randomElement(using: &generator)!
            let fields = [
                "CC-\(row)", started, "", "1282", phone, "op\(row % 40)", "Fuqaro \(row)",
                regions.randomElement(using: &generator)!, row % 3 == 0 ? "Rossiya" : "", "uz", "",
                "\"" + summary.replacingOccurrences(of: "\"", with: "\"\"") + "\"", outcome,
                outcome == "callback" ? phone : "",
            ]
            text += fields.joined(separator: ";") + "\r\n"
        }
        return Data(text.utf8)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
