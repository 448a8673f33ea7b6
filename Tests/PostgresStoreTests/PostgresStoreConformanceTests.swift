import Foundation
import Logging
import MurojaatCore
import MurojaatTesting
import PostgresNIO
import Store
import StoreConformance
import Testing

@testable import PostgresStore

/// The conformance suite against a real PostgreSQL 15: one throwaway server for the test process, a database of
/// its own for every case.
@Suite struct PostgresStoreConformanceTests {
    /// Warnings and errors only: every case migrates a database of its own, each an info line.
    static let logger: Logger = {
        var logger = Logger(label: "murojaat.postgres.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` on a migrated store over a fresh database, and closes the store's connections after.
    static func withStore(_ body: (PostgresStore) async throws -> Void) async throws {
        let url = try PostgresServer.shared().createDatabase()
        let store = try await PostgresStore.open(url: url, logger: Self.logger)
        do {
            try await body(store)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    @Test(arguments: StoreConformance.cases)
    func conformance(_ check: StoreConformance.Case) async throws {
        try await Self.withStore { try await check.run($0) }
    }

    @Test(arguments: StoreConformance.accountCases)
    func accounts(_ check: StoreConformance.AccountCase) async throws {
        try await Self.withStore { try await check.run($0) }
    }

    /// Runs SQL as the store does, for what the schema itself must refuse.
    static func execute(_ store: PostgresStore, _ sql: String) async throws(StoreError) {
        _ = try await store.read("run test SQL", PostgresQuery(unsafeSQL: sql)) { _ in () }
    }

    @Test func theEventLogRefusesEdits() async throws {
        try await Self.withStore { store in
            _ = try await store.enqueue([StoreConformance.draft("x")], at: Date())
            let items = try await store.claimInbox(limit: 1, now: Date(), lease: .seconds(60))
            _ = try await store.register(items.map { StoreConformance.registration(for: $0) })
            for sql in ["UPDATE events SET why = 'edited'", "DELETE FROM events", "TRUNCATE events CASCADE"] {
                let error = await #expect(throws: StoreError.self) { try await Self.execute(store, sql) }
                #expect(error?.cause?.contains("append-only") == true, "\(sql): \(String(describing: error))")
            }
            #expect(try await store.counts().events == 2)
        }
    }

    /// Two workers (connections) claiming at the same moment: SKIP LOCKED gives each row to one of them only.
    @Test func concurrentClaimersNeverGetTheSameItem() async throws {
        try await Self.withStore { store in
            let count = 200
            _ = try await store.enqueue((1...count).map { StoreConformance.draft("c\($0)") }, at: Date())
            let now = Date()
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let items = try await store.claimInbox(limit: 7, now: now, lease: .seconds(600))
                            if items.isEmpty { return mine }
                            mine += items.map(\.id)
                        }
                    }
                }
                var all: [[Int64]] = []
                for try await ids in group { all.append(ids) }
                return all
            }
            let ids = claimed.flatMap { $0 }
            #expect(ids.count == count)
            #expect(Set(ids).count == count)
            // Every worker got a share: they ran side by side, not one after the other.
            #expect(claimed.filter { !$0.isEmpty }.count > 1)
        }
    }

    /// Several instances starting at once on a new database, then again: each migration is applied once.
    @Test func migrationsRunTwiceAreANoOp() async throws {
        let url = try PostgresServer.shared().createDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStore.open(url: url, logger: Self.logger) } }
            var opened: [PostgresStore] = []
            for try await store in group { opened.append(store) }
            return opened
        }
        for store in stores { try await store.migrate() }
        let store = stores[0]
        let versions = try await store.read(
            "read the migrations", "SELECT version FROM schema_migrations ORDER BY version"
        ) { try $0.value(0, as: Int.self) }
        #expect(versions == Migrations.all.map(\.version))
        _ = try await store.enqueue([StoreConformance.draft("m1")], at: Date())
        try await store.migrate()
        #expect(try await store.counts().inboxPending == 1)
        for store in stores { await store.shutdown() }
    }

    @Test func aSchemaNewerThanThisVersionIsRefused() async throws {
        try await Self.withStore { store in
            try await Self.execute(store, "INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("999") == true)
        }
    }

    @Test func aWrongPortIsAClearError() async {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once; no server is needed.
        let url = "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable"
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(url: url, logger: Self.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:1") == true, "\(String(describing: error))")
        // Behaviour, not speed: the pool would retry for 60 s; the direct probe fails at once (seconds on a loaded
        // machine).
        #expect(ContinuousClock.now - started < .seconds(40))
    }

    @Test func anUnknownDatabaseIsAClearError() async throws {
        let url = try PostgresServer.shared().url(database: "no_such_database")
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(url: url, logger: Self.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("no such database") == true, "\(String(describing: error))")
    }

    @Test(arguments: ["mysql://u@h/db", "postgres:///db", "postgres://h/db", "postgres://u@h/db?sslmode=sometimes"])
    func aMalformedURLIsAClearError(_ url: String) {
        let error = #expect(throws: StoreError.self) { _ = try PostgresStore(url: url) }
        #expect(error?.code == .unavailable)
        #expect(error?.description.contains("secret") == false)
    }

    @Test func aURLIsReadWholly() throws {
        let settings = try PostgresStore.settings(
            url: "postgresql://mur%40ojaat:s%3Acret@db.example:6432/appeals?sslmode=require")
        #expect(settings.client.username == "mur@ojaat")
        #expect(settings.client.password == "s:cret")
        #expect(settings.client.host == "db.example" && settings.client.port == 6432)
        #expect(settings.client.database == "appeals")
        #expect(settings.tls != nil && settings.tlsRequired)
        #expect(!settings.endpoint.contains("cret"))
        let plain = try PostgresStore.settings(url: "postgres://murojaat@[::1]/murojaat?sslmode=disable")
        #expect(plain.client.host == "::1" && plain.client.port == 5432 && plain.tls == nil)
    }

    /// Moments keep whole milliseconds, as in SQLite, so an event's hash computed before storing it still
    /// matches after reading it back, and a store moved from SQLite verifies.
    @Test func momentsRoundTripAsMilliseconds() async throws {
        try await Self.withStore { store in
            let at = Date(timeIntervalSince1970: 1_742_281_200.1234)
            _ = try await store.enqueue([StoreConformance.draft("ms", at: at)], at: at)
            let item = try #require(try await store.claimInbox(limit: 1, now: at, lease: .seconds(1)).first)
            #expect(item.draft.receivedAt == Date(timeIntervalSince1970: 1_742_281_200_123 / 1000))
            var registration = StoreConformance.registration(for: item)
            registration.events[0].at = at
            let appeal = try #require(try await store.register([registration]).first)
            let history = try await store.history(of: appeal.id)
            #expect(EventChain.firstBrokenLink(in: history) == nil)
        }
    }
}
