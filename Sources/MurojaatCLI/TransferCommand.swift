import ArgumentParser
import Foundation
import Logging
import PostgresStore
import SQLiteStore
import Store

struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Move a whole installation from SQLite to a new PostgreSQL database, and check it arrived whole.",
        discussion: """
            Stop `murojaat serve` (and every other murojaat process using the SQLite file) before you start: \
            what they write during the transfer is not moved, and the check at the end then fails.

            The target database must exist and be empty; its schema is created. Every table moves in \
            batches, each batch one transaction, with ids, tracking numbers and the events' hash chains as \
            they are. Then the rows of every table are counted on both sides and a SHA-256 over every event's \
            appeal, sequence and hash is compared. The exit code is 0 only when everything matches. A \
            transfer that fails leaves a partly filled target: drop the database, create it again and rerun.
            """)

    @Option(help: "The installation to move: sqlite:PATH (the murojaat.sqlite file).") var from: String
    @Option(help: "The new database: postgres://user:password@host:port/database[?sslmode=...].") var to: String
    @Option(help: "Rows per batch (each batch one transaction).") var batch = 1000

    func run() async throws {
        guard from.hasPrefix("sqlite:") else { throw CLIError("--from is sqlite:PATH, not \(from)") }
        let path = String(from.dropFirst("sqlite:".count))
        // Opening a missing file would create an empty installation and move nothing, successfully.
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no SQLite database at \(path)") }
        guard batch > 0 else { throw CLIError("--batch must be at least 1") }
        let source = try await storeCall { () throws(StoreError) in try SQLiteStore(path: path) }
        var logger = Logger(label: "murojaat.postgres")
        logger.logLevel = .warning
        let target = try await storeCall { () async throws(StoreError) in
            try await PostgresStore.open(url: to, logger: logger, migrate: true)
        }
        let started = ContinuousClock.now
        let report: InstallationTransfer.Report
        do {
            report = try await InstallationTransfer.run(from: source, to: target, batch: batch) { table, rows in
                Output.standardError(rows == 0 ? "\(table)..." : "\(table): \(rows) rows")
            }
        } catch {
            await target.shutdown()
            throw CLIError("\(error)")
        }
        await target.shutdown()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        for table in report.tables {
            print("\(Output.pad(table.name, 14)) \(table.source) -> \(table.target)")
        }
        print("events checksum: \(report.sourceChecksum) -> \(report.targetChecksum)")
        guard report.matches else {
            throw CLIError("the transfer does not match: " + report.differences.joined(separator: "; "))
        }
        let rows = report.tables.reduce(0) { $0 + $1.target }
        print(
            "moved \(rows) rows in \(report.tables.count) tables in \(String(format: "%.1f", seconds)) s; "
                + "counts and checksum match")
    }
}
