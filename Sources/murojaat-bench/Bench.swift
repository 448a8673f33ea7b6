import ArgumentParser
import Foundation
import MurojaatTesting

/// `murojaat-bench`: the product's speed, measured in a release build and printed as one JSON line per case.
/// Figures are medians of several runs; nothing here asserts a speed, the note that closes an issue reports it.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "murojaat-bench",
        abstract: "Benchmarks: routing, call-card, e-mail and Virtual Reception ingest, the tracker.")

    @Option(help: "The rules folder.") var rules = "Rules"
    @Option(help: "Which benchmarks: routing, ingest, email, reception, tracker, web, or all.") var only = "all"
    @Option(help: "Routing cases to run (comma-separated, e.g. shipped,generated-10000); all when absent.")
    var cases: String?
    @Option(help: "Runs per case; the median is reported.") var runs = 5
    @Option(help: "Seconds per routing run.") var seconds = 1.0
    @Option(
        help: """
            Decisions per routing run instead of timing the runs (no warm-up): a fixed amount of work, for counting \
            cycles and instructions with perf stat on a busy machine.
            """)
    var decisions: Int?
    @Option(help: "Rows of the generated call-card file.") var rows = 200_000
    @Option(help: "Messages in the generated Maildir.") var mails = 20_000
    @Option(help: "Rows of the generated Virtual Reception XLSX.") var receptionRows = 100_000
    @Option(help: "Open appeals for the tracker benchmark.") var openAppeals = 1_000_000
    @Option(help: "Appeals in the web benchmark's database.") var webAppeals = 1_000_000
    @Option(help: "Seconds per wrk run of the web benchmark.") var webSeconds = 10
    @Option(help: "Connections wrk keeps open.") var connections = 32
    @Flag(help: "Run the ingest and web benchmarks against a throwaway PostgreSQL 15 (ingest with 1, 2 and 4 workers).")
    var postgres = false

    func run() async throws {
        let rulesURL = URL(fileURLWithPath: rules)
        if only == "all" || only == "routing" {
            let bench = RoutingBench(
                rulesDirectory: rulesURL, runs: runs, secondsPerRun: seconds, fixedDecisions: decisions,
                cases: cases.map { Set($0.split(separator: ",").map(String.init)) })
            for figures in try bench.run() { print(figures.jsonLine()) }
        }
        let server = postgres ? try PostgresServer.start(durable: true) : nil
        defer { server?.stop() }
        if only == "all" || only == "ingest" {
            if let server {
                for workers in [1, 2, 4] {
                    var bench = IngestBench(rulesDirectory: rulesURL, rows: rows, runs: max(1, runs / 2 + 1))
                    bench.postgres = server
                    bench.workers = workers
                    for figures in try await bench.run() { print(figures.jsonLine()) }
                }
            } else {
                let bench = IngestBench(rulesDirectory: rulesURL, rows: rows, runs: max(1, runs / 2 + 1))
                for figures in try await bench.run() { print(figures.jsonLine()) }
            }
        }
        if only == "all" || only == "reception" {
            let bench = ReceptionBench(rulesDirectory: rulesURL, rows: receptionRows, runs: max(1, runs / 2 + 1))
            print(try await bench.run().jsonLine())
        }
        if only == "all" || only == "tracker" {
            let bench = TrackerBench(rulesDirectory: rulesURL, appeals: openAppeals, runs: max(3, runs / 2 + 1))
            for figures in try await bench.run() { print(figures.jsonLine()) }
        }
        if only == "all" || only == "web" {
            let bench = WebBench(
                rulesDirectory: rulesURL, appeals: webAppeals, runs: max(3, runs / 2 + 1), secondsPerRun: webSeconds,
                connections: connections, postgres: server)
            for figures in try await bench.run() { print(figures.jsonLine()) }
        }
        if only == "all" || only == "email" {
            let bench = EmailBench(rulesDirectory: rulesURL, mails: mails, runs: max(1, runs / 2 + 1))
            print(try await bench.run().jsonLine())
        }
    }
}
