import ArgumentParser
import Foundation
import Store

/// `murojaat migrate`: brings the configured database's schema up to date and says which store it is. Opening a
/// store migrates it already; this is for an upgrade done before the instances start (compose's one-shot service),
/// so it exits 0 when there is nothing to do.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract:
            "Apply the database's migrations (PostgreSQL from --database or $MUROJAAT_DATABASE_URL, else SQLite).",
        discussion: """
            Safe to run while other instances start: PostgreSQL migrations take an advisory lock, and each is applied \\
            once in its own transaction. A database migrated by a newer murojaat is refused.
            """)

    @OptionGroup var locations: Locations

    func run() async throws {
        let store = try await locations.openStore()
        let counts = try await store.counts()
        let place =
            locations.databaseURL().map { "PostgreSQL \(Self.redacted($0))" }
            ?? "SQLite \(locations.dataDirectory.appendingPathComponent("murojaat.sqlite").path)"
        Say.line(
            uz: "sxema dolzarb: \(place) (\(counts.appeals) ta murojaat, \(counts.events) ta hodisa)",
            ru: "схема актуальна: \(place) (обращений: \(counts.appeals), событий: \(counts.events))",
            en: "schema up to date: \(place) (\(counts.appeals) appeals, \(counts.events) events)")
    }

    /// The URL without its password, for printing.
    static func redacted(_ url: String) -> String {
        let unreadable = Say.text(
            uz: "(tahlil qilib bo‘lmaydigan URL)", ru: "(URL, который не разбирается)",
            en: "(a URL that does not parse)")
        guard var parts = URLComponents(string: url) else { return unreadable }
        if parts.password != nil { parts.password = "***" }
        return parts.string ?? unreadable
    }
}
