public import Foundation
import GRDB
public import MurojaatCore
public import Store

/// The embedded store: one SQLite file in WAL mode through GRDB, nothing to install or start.
///
/// ```swift
/// let store = try SQLiteStore(path: "data/murojaat.sqlite")
/// let summary = try await store.enqueue(drafts, at: now)
/// ```
/// Throws ``Store/StoreError`` with code `unavailable` when the file cannot be opened or migrated.
public final class SQLiteStore: AppealStore {
    let pool: DatabasePool

    public init(path: String) throws(StoreError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // NORMAL is durable in WAL mode against process crashes; only power loss may drop the last commit.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Migrations.migrator().migrate(pool)
        } catch {
            throw StoreError(.unavailable, "cannot open the database at \(path)", cause: error)
        }
    }

    func write<T: Sendable>(
        _ what: String, _ body: @Sendable @escaping (Database) throws -> T
    ) async throws(StoreError)
        -> T
    {
        do {
            return try await pool.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "could not \(what)", cause: error)
        }
    }

    func read<T: Sendable>(
        _ what: String, _ body: @Sendable @escaping (Database) throws -> T
    ) async throws(StoreError)
        -> T
    {
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "could not \(what)", cause: error)
        }
    }

    // MARK: inbox

    public func enqueue(_ drafts: [AppealDraft], at now: Date) async throws(StoreError) -> EnqueueSummary {
        let rows = drafts.map { ($0, Codecs.draftJSON($0)) }
        return try await write("add to the inbox") { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO inbox (channel, source_key, received_at, enqueued_at, draft) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (channel, source_key) DO NOTHING
                    """)
            var summary = EnqueueSummary()
            let enqueuedAt = Codecs.millis(now)
            for (draft, json) in rows {
                try insert.execute(arguments: [
                    draft.channel.rawValue, draft.sourceKey, Codecs.millis(draft.receivedAt),
                    enqueuedAt, json,
                ])
                if db.changesCount > 0 { summary.added += 1 } else { summary.duplicates += 1 }
            }
            return summary
        }
    }

    public func claimInbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [InboxItem] {
        let nowMillis = Codecs.millis(now)
        let until = nowMillis + lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        let rows: [(Int64, String, Int)] = try await write("claim inbox items") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE inbox SET lease_until = ?, attempts = attempts + 1
                    WHERE id IN (SELECT id FROM inbox WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < ?)
                                 ORDER BY id LIMIT ?)
                    RETURNING id, draft, attempts
                    """, arguments: [until, nowMillis, limit])
            return rows.map { ($0["id"], $0["draft"], $0["attempts"]) }
        }
        var items: [InboxItem] = []
        items.reserveCapacity(rows.count)
        for (id, json, attempts) in rows.sorted(by: { $0.0 < $1.0 }) {
            do {
                let draft = try Codecs.draft(fromJSON: json)
                items.append(InboxItem(id: id, draft: draft, attempts: attempts))
            } catch {
                throw StoreError(.corrupt, "inbox item \(id) cannot be read back", cause: error)
            }
        }
        return items
    }

    // MARK: registration

    public func register(_ registrations: [Registration]) async throws(StoreError) -> [Appeal] {
        if registrations.isEmpty { return [] }
        return try await write("register appeals") { db in
            let firstID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM appeals") ?? 0) + 1
            let insertAppeal = try db.cachedStatement(
                sql: """
                    INSERT INTO appeals (id, tracking, channel, source_key, kind, status, department, co_executors, urgent,
                        policy, received_at, registered_at, due, text, subject, applicant_name, applicant_phone,
                        applicant_email, applicant_address, region, country, language, tags, forward_to, routing, extra,
                        last_event_seq, last_event_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (channel, source_key) DO NOTHING
                    """)
            let insertEvent = try db.cachedStatement(
                sql: """
                    INSERT INTO events (appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertAssignment = try db.cachedStatement(
                sql: """
                    INSERT INTO assignments (appeal_id, department, role, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)
                    """)
            let finishInbox = try db.cachedStatement(
                sql: """
                    UPDATE inbox SET state = 'done', appeal_id = ?, draft = NULL, lease_until = NULL WHERE id = ?
                    """)
            var appeals: [Appeal] = []
            appeals.reserveCapacity(registrations.count)
            var nextID = firstID
            for registration in registrations {
                let id = nextID
                let tracking = TrackingNumber(sequence: id)
                var previous = EventChain.genesis
                var chained: [(Int, AppealEvent, String, String)] = []
                for (index, event) in registration.events.enumerated() {
                    let hash = EventChain.hash(previous: previous, appealID: id, sequence: index + 1, event: event)
                    chained.append((index + 1, event, previous, hash))
                    previous = hash
                }
                let draft = registration.draft
                try insertAppeal.execute(arguments: [
                    id, tracking.value, draft.channel.rawValue, draft.sourceKey, registration.kind.rawValue,
                    registration.status.rawValue, registration.department, Codecs.list(registration.coExecutors),
                    registration.urgent, registration.policy, Codecs.millis(draft.receivedAt),
                    Codecs.millis(registration.registeredAt), registration.due?.iso, draft.text, draft.subject,
                    draft.applicant.name, draft.applicant.phone, draft.applicant.email, draft.applicant.address,
                    draft.region, draft.country, registration.language, Codecs.list(registration.tags),
                    registration.forwardTo, registration.routing, Codecs.json(draft.extra), chained.count, previous,
                ])
                guard db.changesCount > 0 else {
                    // Registered already (a worker whose lease ran out finished it first): just close the inbox item.
                    let existing = try Int64.fetchOne(
                        db, sql: "SELECT id FROM appeals WHERE channel = ? AND source_key = ?",
                        arguments: [draft.channel.rawValue, draft.sourceKey])
                    try finishInbox.execute(arguments: [existing, registration.inboxID])
                    continue
                }
                nextID += 1
                for (sequence, event, previousHash, hash) in chained {
                    try insertEvent.execute(arguments: [
                        id, sequence, Codecs.millis(event.at), event.actor, event.kind.rawValue, event.why,
                        Codecs.json(event.data), event.status?.rawValue, previousHash, hash,
                    ])
                }
                if let department = registration.department {
                    try insertAssignment.execute(arguments: [
                        id, department, "main", Codecs.millis(registration.registeredAt),
                        registration.assignedBy,
                    ])
                    for co in registration.coExecutors {
                        try insertAssignment.execute(arguments: [
                            id, co, "co", Codecs.millis(registration.registeredAt),
                            registration.assignedBy,
                        ])
                    }
                }
                try finishInbox.execute(arguments: [id, registration.inboxID])
                appeals.append(
                    Appeal(
                        id: id, tracking: tracking, channel: draft.channel, sourceKey: draft.sourceKey,
                        kind: registration.kind, status: registration.status, department: registration.department,
                        coExecutors: registration.coExecutors, urgent: registration.urgent, policy: registration.policy,
                        receivedAt: draft.receivedAt, registeredAt: registration.registeredAt, due: registration.due,
                        text: draft.text, subject: draft.subject, applicant: draft.applicant, region: draft.region,
                        country: draft.country, language: registration.language, tags: registration.tags,
                        forwardTo: registration.forwardTo, routing: registration.routing, extra: draft.extra))
            }
            return appeals
        }
    }

    public func record(
        _ event: AppealEvent, on appealID: Int64, expecting status: Status?
    ) async throws(StoreError)
        -> StoredEvent
    {
        try await write("record an event") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT status, last_event_seq, last_event_hash FROM appeals WHERE id = ?
                        """, arguments: [appealID])
            else { throw StoreError(.notFound, "no appeal with id \(appealID)") }
            let current = Status(rawValue: row["status"]) ?? .received
            if let status, status != current {
                throw StoreError(
                    .conflict, "the appeal is \(current.rawValue), not \(status.rawValue): it changed meanwhile")
            }
            let sequence: Int = row["last_event_seq"] + 1
            let previous: String = row["last_event_hash"]
            let hash = EventChain.hash(previous: previous, appealID: appealID, sequence: sequence, event: event)
            try db.execute(
                sql: """
                    INSERT INTO events (appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    appealID, sequence, Codecs.millis(event.at), event.actor, event.kind.rawValue, event.why,
                    Codecs.json(event.data), event.status?.rawValue, previous, hash,
                ])
            try db.execute(
                sql: """
                    UPDATE appeals SET last_event_seq = ?, last_event_hash = ?, status = COALESCE(?, status) WHERE id = ?
                    """, arguments: [sequence, hash, event.status?.rawValue, appealID])
            return StoredEvent(appealID: appealID, sequence: sequence, event: event, hash: hash, previousHash: previous)
        }
    }

    // MARK: reading

    static let appealColumns = """
        id, channel, source_key, kind, status, department, co_executors, urgent, policy, received_at, registered_at,
        due, text, subject, applicant_name, applicant_phone, applicant_email, applicant_address, region, country,
        language, tags, forward_to, routing, extra
        """

    static func appeal(_ row: Row) throws -> Appeal {
        let id: Int64 = row["id"]
        guard let channel = Channel(rawValue: row["channel"]), let kind = Kind(rawValue: row["kind"]),
            let status = Status(rawValue: row["status"])
        else { throw StoreError(.corrupt, "appeal \(id) has a channel, kind or status this version does not know") }
        let due: String? = row["due"]
        return Appeal(
            id: id, tracking: TrackingNumber(sequence: id), channel: channel, sourceKey: row["source_key"], kind: kind,
            status: status, department: row["department"], coExecutors: Codecs.list(row["co_executors"] as String?),
            urgent: row["urgent"], policy: row["policy"], receivedAt: Codecs.date(row["received_at"]),
            registeredAt: Codecs.date(row["registered_at"]), due: due.flatMap { LocalDate($0) }, text: row["text"],
            subject: row["subject"],
            applicant: Applicant(
                name: row["applicant_name"], phone: row["applicant_phone"],
                email: row["applicant_email"], address: row["applicant_address"]),
            region: row["region"], country: row["country"], language: row["language"],
            tags: Codecs.list(row["tags"] as String?), forwardTo: row["forward_to"], routing: row["routing"],
            extra: Codecs.map(row["extra"]))
    }

    public func appeal(id: Int64) async throws(StoreError) -> Appeal? {
        try await read("read an appeal") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.appealColumns) FROM appeals WHERE id = ?", arguments: [id])
                .map(Self.appeal)
        }
    }

    public func appeal(tracking: TrackingNumber) async throws(StoreError) -> Appeal? {
        try await appeal(id: tracking.sequence)
    }

    public func appeals(_ query: AppealQuery) async throws(StoreError) -> [Appeal] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let department = query.department {
            conditions.append("department = ?")
            arguments.append(department)
        }
        if let status = query.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let channel = query.channel {
            conditions.append("channel = ?")
            arguments.append(channel.rawValue)
        }
        if let dueBefore = query.dueBefore {
            conditions.append("due < ?")
            arguments.append(dueBefore.iso)
        }
        if let urgent = query.urgent {
            conditions.append("urgent = ?")
            arguments.append(urgent)
        }
        arguments.append(query.limit)
        arguments.append(query.offset)
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql =
            "SELECT \(Self.appealColumns) FROM appeals \(whereClause) ORDER BY due IS NULL, due, id LIMIT ? OFFSET ?"
        let statementArguments = StatementArguments(arguments)
        return try await read("list appeals") { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map(Self.appeal)
        }
    }

    public func history(of appealID: Int64) async throws(StoreError) -> [StoredEvent] {
        try await read("read the history") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE appeal_id = ? ORDER BY seq", arguments: [appealID])
                .map { row in
                    let status: String? = row["status"]
                    return StoredEvent(
                        appealID: appealID, sequence: row["seq"],
                        event: AppealEvent(
                            at: Codecs.date(row["at"]), actor: row["actor"],
                            kind: AppealEvent.Kind(rawValue: row["kind"]), why: row["why"],
                            data: Codecs.map(row["data"]), status: status.flatMap(Status.init(rawValue:))),
                        hash: row["hash"], previousHash: row["prev_hash"])
                }
        }
    }

    public func assignments(of appealID: Int64) async throws(StoreError) -> [Assignment] {
        try await read("read assignments") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM assignments WHERE appeal_id = ? ORDER BY rowid", arguments: [appealID]
            )
            .map { row in
                Assignment(
                    department: row["department"], role: Assignment.Role(rawValue: row["role"]) ?? .co,
                    assignedAt: Codecs.date(row["assigned_at"]), assignedBy: row["assigned_by"],
                    active: row["active"])
            }
        }
    }

    // MARK: quarantine

    public func quarantine(_ records: [QuarantineRecord]) async throws(StoreError) -> Int {
        if records.isEmpty { return 0 }
        return try await write("quarantine records") { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO quarantine (channel, source, position, reason, raw, raw_sha256, source_key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, source, raw_sha256) DO NOTHING
                    """)
            var added = 0
            for record in records {
                try insert.execute(arguments: [
                    record.channel.rawValue, record.source, record.position, record.reason, Data(record.raw),
                    EventChain.digest(record.raw), record.sourceKey, Codecs.millis(record.at),
                ])
                added += db.changesCount
            }
            return added
        }
    }

    static func quarantineEntry(_ row: Row) -> QuarantineEntry {
        let raw: Data = row["raw"]
        return QuarantineEntry(
            id: row["id"],
            record: QuarantineRecord(
                channel: Channel(rawValue: row["channel"]) ?? .call, source: row["source"],
                position: row["position"], reason: row["reason"], raw: Array(raw),
                sourceKey: row["source_key"], at: Codecs.date(row["created_at"])),
            resolved: row["resolved"])
    }

    public func quarantined(_ query: QuarantineQuery) async throws(StoreError) -> [QuarantineEntry] {
        try await read("list the quarantine") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM quarantine WHERE resolved = 0 OR ? ORDER BY id LIMIT ?
                    """, arguments: [query.includeResolved, query.limit]
            ).map(Self.quarantineEntry)
        }
    }

    public func quarantineEntry(id: Int64) async throws(StoreError) -> QuarantineEntry? {
        try await read("read a quarantined record") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE id = ?", arguments: [id]).map(
                Self.quarantineEntry)
        }
    }

    public func counts() async throws(StoreError) -> StoreCounts {
        try await read("count") { db in
            StoreCounts(
                inboxPending: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE state = 'pending'") ?? 0,
                appeals: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appeals") ?? 0,
                events: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0,
                quarantined: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantine WHERE resolved = 0") ?? 0)
        }
    }
}

extension SQLiteStore {
    /// Runs raw SQL; for tests that prove what the schema itself refuses.
    public func executeForTests(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }
}
