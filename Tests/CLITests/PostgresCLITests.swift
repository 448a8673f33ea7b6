import Foundation
import MurojaatTesting
import Testing

/// The commands a user runs, against PostgreSQL chosen by `--database` or `MUROJAAT_DATABASE_URL`: the same sample
/// export gives the same appeals as on the SQLite default.
@Suite struct PostgresCLITests {
    static let sample = TestFolders.repository.appendingPathComponent("deploy/samples/call-cards-2025-11-20.csv")

    /// Tracking numbers differ between stores (they number appeals in their own order); what was decided does not.
    static func decisions(_ run: Run) throws -> [String] {
        let list = try #require(run.json as? [[String: Any]], "list --json: \(run.stdout) \(run.stderr)")
        return list.map { appeal in
            ["source_key", "department", "status", "due", "kind"].map { "\(appeal[$0] ?? "")" }.joined(separator: "|")
        }.sorted()
    }

    @Test func theSampleDayGoesInAsOnSQLite() throws {
        let url = try PostgresServer.shared().createDatabase()
        let postgres = ["MUROJAAT_DATABASE_URL": url]
        let migrated = try Murojaat.run(["migrate"], environment: postgres)
        #expect(migrated.status == 0 && migrated.stdout.contains("PostgreSQL"), "\(migrated.stderr)")
        let sqlite = try TestFolders.temporary("cli-sqlite")
        for (environment, dataDir) in [(postgres, try TestFolders.temporary("cli-pg")), ([:], sqlite)] {
            let ingest = try Murojaat.run(
                ["ingest", "calls", Self.sample.path], dataDir: dataDir, environment: environment)
            #expect(ingest.status == 0, "\(ingest.stderr)")
            #expect(try Murojaat.run(["route"], dataDir: dataDir, environment: environment).status == 0)
        }
        let onPostgres = try Self.decisions(
            try Murojaat.run(["list", "--json"], dataDir: try TestFolders.temporary("cli-pg"), environment: postgres))
        let onSQLite = try Self.decisions(try Murojaat.run(["list", "--json"], dataDir: sqlite))
        #expect(onPostgres.count == 56)
        #expect(onPostgres == onSQLite)
        // --database comes before the environment: the same list through the option.
        let byOption = try Murojaat.run(["list", "--json", "--database", url])
        #expect(try Self.decisions(byOption) == onSQLite)
        // Importing the same export again creates nothing new on PostgreSQL either.
        let again = try Murojaat.run(["ingest", "calls", Self.sample.path], environment: postgres)
        #expect(again.stdout.contains("0 new"), "\(again.stdout)")
    }

    @Test func aDatabaseThatIsNotPostgreSQLOrNotThereIsOneClearLine() throws {
        expectCleanFailure(try Murojaat.run(["list", "--database", "mysql://x@y/z"]), mentioning: "postgres://")
        let server = try PostgresServer.shared()
        let missing = try Murojaat.run(["list", "--database", server.url(database: "no_such_database")])
        expectCleanFailure(missing, mentioning: "no_such_database")
    }
}
