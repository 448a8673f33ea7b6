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
        guard from.hasPrefix("sqlite:") else {
            throw CLIError(
                uz: "--from qiymati sqlite:PATH bo‘ladi, \(from) emas", ru: "--from — sqlite:PATH, а не \(from)",
                en: "--from is sqlite:PATH, not \(from)")
        }
        let path = String(from.dropFirst("sqlite:".count))
        // Opening a missing file would create an empty installation and move nothing, successfully.
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(
                uz: "\(path) da SQLite bazasi yo‘q", ru: "По пути \(path) нет базы SQLite",
                en: "no SQLite database at \(path)")
        }
        guard batch > 0 else {
            throw CLIError(
                uz: "--batch kamida 1 bo‘lishi kerak", ru: "--batch должен быть не меньше 1",
                en: "--batch must be at least 1")
        }
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
                let moved = Say.text(
                    uz: "\(table): \(rows) qator", ru: "\(table): строк — \(rows)", en: "\(table): \(rows) rows")
                Output.standardError(rows == 0 ? "\(table)..." : moved)
            }
        } catch {
            await target.shutdown()
            throw CLIError(cause: error)
        }
        await target.shutdown()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        for table in report.tables {
            print("\(Output.pad(table.name, 14)) \(table.source) -> \(table.target)")
        }
        let checksums = "\(report.sourceChecksum) -> \(report.targetChecksum)"
        Say.line(
            uz: "Hodisalar nazorat yig‘indisi: \(checksums)", ru: "Контрольная сумма событий: \(checksums)",
            en: "events checksum: \(checksums)")
        guard report.matches else {
            let differences = report.differences.joined(separator: "; ")
            throw CLIError(
                uz: "Ko‘chirilgan ma’lumotlar mos kelmadi: \(differences)",
                ru: "Перенесённые данные не совпадают: \(differences)",
                en: "the transfer does not match: \(differences)")
        }
        let rows = report.tables.reduce(0) { $0 + $1.target }
        let (tables, time) = (report.tables.count, String(format: "%.1f", seconds))
        Say.line(
            uz: "\(tables) ta jadvaldagi \(rows) ta qator \(time) soniyada ko‘chirildi; sonlar va nazorat yig‘indisi "
                + "mos keladi",
            ru: "Перенесено строк — \(rows), таблиц — \(tables), за \(time) с; количества и контрольная сумма "
                + "совпадают",
            en: "moved \(rows) rows in \(tables) tables in \(time) s; counts and checksum match")
    }
}
