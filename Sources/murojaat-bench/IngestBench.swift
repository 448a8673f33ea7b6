import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting
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

    func run() async throws -> Figures {
        let book = try RuleBook.load(directory: rulesDirectory)
        let mapping = try CallCardMapping.load(from: rulesDirectory.appendingPathComponent("adapters/call-cards.yaml"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("call-cards.csv")
        try Self.export(rows: rows).write(to: file)
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0

        var perSecond: [Double] = []
        var importSeconds: [Double] = []
        var routeSeconds: [Double] = []
        var registered = 0
        for run in 0..<runs {
            let store = try SQLiteStore(path: folder.appendingPathComponent("run-\(run).sqlite").path)
            let importer = CallCardImport(store: store, mapping: mapping)
            var worker = RoutingWorker(store: store, book: book)
            let now = Date()
            var added = 0
            let read = try await seconds {
                added = try await importer.importFile(at: file, now: now).added
            }
            var summary = RoutingWorker.Summary()
            let routed = try await seconds {
                summary = try await worker.drain(now: { now })
            }
            guard added == rows, summary.total == rows else {
                throw BenchError("expected \(rows) records, imported \(added) and registered \(summary.total)")
            }
            registered = summary.total
            importSeconds.append(read)
            routeSeconds.append(routed)
            perSecond.append(Double(rows) / (read + routed))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Figures(
            bench: "ingest", name: "call-cards-sqlite", unit: "records", runs: perSecond,
            extra: [
                "rows": "\(rows)", "file_bytes": "\(size)", "registered": "\(registered)",
                "import_seconds_median": String(format: "%.3f", median(importSeconds)),
                "route_register_seconds_median": String(format: "%.3f", median(routeSeconds)),
            ])
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
