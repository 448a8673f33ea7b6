import ArgumentParser
import Foundation
import Ingest
import MurojaatCore

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read appeals from a source into the inbox queue.",
        subcommands: [IngestCalls.self])
}

struct IngestCalls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Import call-card exports of the call centre (CSV).",
        discussion: """
            Good rows go to the inbox queue (run `murojaat route` next); bad rows go to quarantine with their raw \
            line and the reason, and the rest of the file goes in. Importing a file again adds nothing new.
            """)

    @OptionGroup var locations: Locations
    @Argument(help: "Call-card CSV files.") var files: [String]

    func run() async throws {
        let mappingURL = locations.rulesDirectory.appendingPathComponent("adapters/call-cards.yaml")
        let mapping: CallCardMapping
        do {
            mapping = try CallCardMapping.load(from: mappingURL)
        } catch {
            throw CLIError("cannot read the call-card mapping \(mappingURL.path): \(error)")
        }
        let store = try locations.openStore()
        let importer = CallCardImport(store: store, mapping: mapping)
        var failed = 0
        for file in files {
            do {
                let report = try await importer.importFile(at: URL(fileURLWithPath: file), now: Date())
                var line =
                    "\(report.file): \(report.rows) rows, \(report.added) new, "
                    + "\(report.alreadyKnown) already known, \(report.quarantined) quarantined"
                if report.quarantinedBefore > 0 { line += " (\(report.quarantinedBefore) quarantined before)" }
                print(line)
                for reject in report.rejects { print("  quarantine: \(reject)") }
            } catch {
                failed += 1
                Output.standardError("Error: \(error)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
