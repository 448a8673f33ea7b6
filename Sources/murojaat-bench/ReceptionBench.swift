import Foundation
import Ingest
import MurojaatTesting
import SQLiteStore

/// A Virtual Reception XLSX export of `rows` appeals (shared strings, dates as serial numbers, deflated as Excel
/// writes it) imported into the inbox of a new SQLite database. Target: 100,000 rows in at most 10 seconds.
struct ReceptionBench {
    var rulesDirectory: URL
    var rows: Int
    var runs: Int

    func run() async throws -> Figures {
        let mapping = try ReceptionMapping.load(
            from: rulesDirectory.appendingPathComponent("adapters/virtual-reception.yaml"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-bench-pq-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("reception.xlsx")
        try ReceptionWorkbook.generate(rows: rows).write(to: file)
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        var perSecond: [Double] = []
        var times: [Double] = []
        for run in 0..<runs {
            let store = try SQLiteStore(path: folder.appendingPathComponent("run-\(run).sqlite").path)
            let importer = ReceptionImport(store: store, mapping: mapping)
            var added = 0
            let elapsed = try await seconds {
                added = try await importer.importFile(at: file, now: Date()).added
            }
            guard added == rows else { throw BenchError("expected \(rows) rows, enqueued \(added)") }
            times.append(elapsed)
            perSecond.append(Double(rows) / elapsed)
        }
        return Figures(
            bench: "ingest", name: "reception-xlsx", unit: "rows", runs: perSecond,
            extra: [
                "rows": "\(rows)", "file_bytes": "\(size)",
                "seconds_median": String(format: "%.3f", times.sorted()[times.count / 2]),
            ])
    }
}
