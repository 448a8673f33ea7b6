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
    /// Reads ``changeStamp()`` only.
    let watcher: DatabaseQueue
    /// The database file.
    public var path: String { pool.path }
    /// The singletons this process runs (SQLiteStore+Singletons).
    let fileLocks = FileLocks()

    public init(path: String) throws(StoreError) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // NORMAL is durable in WAL mode against process crashes; only power loss may drop the last commit.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // A batch of registrations touches pages all over the appeal indexes (phones, source keys): with
                // SQLite's default 2 MB cache they were read again from the file for every batch, and with the
                // default checkpoint every 4 MB of WAL each batch was also copied into the database and synced.
                // Readers read pages of indexes in order and few rows: 8 MB each, so a server with all its readers
                // busy stays small (a 64 MB cache on each reader put the web server at 400 MB under load).
                if db.configuration.readonly {
                    try db.execute(sql: "PRAGMA cache_size = -8192")
                } else {
                    // A new database gets 16 KB pages (an existing one keeps the size it was made with): an appeal
                    // row is 1.5 KB or more, and SQLite writes the log and copies it back a page per system call,
                    // so with 4 KB pages those calls were half of what committing a batch of registrations cost.
                    try db.execute(sql: "PRAGMA page_size = 16384")
                    let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                    try db.execute(sql: "PRAGMA cache_size = -65536")
                    // Checkpoint every 64 MB of log, whatever the page size.
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = \(64 * 1024 * 1024 / pageSize)")
                }
            }
            configuration.maximumReaderCount = 4
            pool = try DatabasePool(path: path, configuration: configuration)
            try Migrations.migrator().migrate(pool)
            var watching = Configuration()
            watching.readonly = true
            watching.busyMode = .timeout(10)
            watcher = try DatabaseQueue(path: path, configuration: watching)
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
        try await write("add to the inbox") { db in
            let insert = RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO inbox (channel, source_key, received_at, enqueued_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (channel, source_key) DO NOTHING
                        """), in: db)
            let insertDraft = RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO inbox_drafts (inbox_id, intake, text, subject, kind, applicant_name,
                            applicant_phone, applicant_email, applicant_address, region, country, language,
                            binding_deadline, oral_answer, origin, extra, follow_up_of)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """), in: db)
            var summary = EnqueueSummary()
            let enqueuedAt = Codecs.millis(now)
            for draft in drafts {
                insert.reset()
                insert.bind(1, draft.channel.rawValue)
                insert.bind(2, draft.sourceKey)
                insert.bind(3, Codecs.millis(draft.receivedAt))
                insert.bind(4, enqueuedAt)
                guard try insert.execute() > 0 else {
                    summary.duplicates += 1
                    continue
                }
                summary.added += 1
                insertDraft.reset()
                insertDraft.bind(1, db.lastInsertedRowID)
                insertDraft.bind(2, draft.intake.rawValue)
                insertDraft.bind(3, draft.text)
                insertDraft.bind(4, draft.subject)
                insertDraft.bind(5, draft.kind?.rawValue)
                insertDraft.bind(6, draft.applicant.name)
                insertDraft.bind(7, draft.applicant.phone)
                insertDraft.bind(8, draft.applicant.email)
                insertDraft.bind(9, draft.applicant.address)
                insertDraft.bind(10, draft.region)
                insertDraft.bind(11, draft.country)
                insertDraft.bind(12, draft.language)
                insertDraft.bind(13, draft.bindingDeadline?.iso)
                insertDraft.bind(14, draft.oralAnswer)
                insertDraft.bind(15, draft.origin)
                insertDraft.bind(16, Codecs.pairs(draft.extra))
                insertDraft.bind(17, draft.followUpOf?.value)
                try insertDraft.execute()
                if !draft.documents.isEmpty { try Self.save(draft.documents, of: draft, in: db) }
            }
            return summary
        }
    }

    public func claimInbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [InboxItem] {
        let nowMillis = Codecs.millis(now)
        let until = nowMillis + lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        return try await write("claim inbox items") { db in
            // The lease is written to the small inbox row; the draft is read from its own table.
            let claim = RawStatement(
                try db.cachedStatement(
                    sql: """
                        UPDATE inbox SET lease_until = ?, attempts = attempts + 1
                        WHERE id IN (SELECT id FROM inbox WHERE state = 'pending'
                                     AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?)
                        RETURNING id, attempts, channel, source_key, received_at, draft
                        """), in: db)
            let readDraft = RawStatement(
                try db.cachedStatement(
                    sql: """
                        SELECT intake, text, subject, kind, applicant_name, applicant_phone, applicant_email,
                            applicant_address, region, country, language, binding_deadline, oral_answer, origin, extra,
                            follow_up_of
                        FROM inbox_drafts WHERE inbox_id = ?
                        """), in: db)
            claim.reset()
            claim.bind(1, until)
            claim.bind(2, nowMillis)
            claim.bind(3, limit)
            var claimed: [Claimed] = []
            claimed.reserveCapacity(limit)
            while try claim.next() {
                claimed.append(
                    Claimed(
                        id: claim.int64(0), attempts: Int(claim.int64(1)), channel: claim.text(2),
                        sourceKey: claim.text(3), receivedAt: claim.int64(4), json: claim.text(5)))
            }
            claimed.sort { $0.id < $1.id }
            var items: [InboxItem] = []
            items.reserveCapacity(claimed.count)
            for row in claimed {
                let draft: AppealDraft
                do {
                    if let json = row.json {
                        // Enqueued before drafts had a table of their own: the whole draft is one JSON document.
                        draft = try Codecs.draft(fromJSON: json)
                    } else {
                        readDraft.reset()
                        readDraft.bind(1, row.id)
                        guard try readDraft.next() else {
                            throw Codecs.UnreadableDraft(description: "its draft is missing")
                        }
                        draft = try Self.draft(readDraft, of: row)
                        // A statement left on a row keeps its read snapshot after the commit, and SQLite then can
                        // never checkpoint the WAL past it: the log grew by gigabytes under a busy router.
                        readDraft.reset()
                    }
                } catch {
                    throw StoreError(.corrupt, "inbox item \(row.id) cannot be read back", cause: error)
                }
                items.append(InboxItem(id: row.id, draft: draft, attempts: row.attempts))
            }
            return items
        }
    }

    /// An inbox row as the claim returned it.
    struct Claimed {
        var id: Int64
        var attempts: Int
        var channel: String?
        var sourceKey: String?
        var receivedAt: Int64
        /// The draft of a row enqueued by the first schema.
        var json: String?
    }

    /// A draft from its `inbox_drafts` row (columns in the order of the claim's query) and its inbox row.
    static func draft(_ row: RawStatement, of item: Claimed) throws -> AppealDraft {
        guard let channel = item.channel.flatMap(Channel.init(rawValue:)), let sourceKey = item.sourceKey,
            let intake = row.text(0).flatMap(Intake.init(rawValue:))
        else { throw Codecs.UnreadableDraft(description: "a channel, source key or intake is unknown") }
        return AppealDraft(
            channel: channel, sourceKey: sourceKey, receivedAt: Codecs.date(item.receivedAt), text: row.text(1) ?? "",
            subject: row.text(2), kind: row.text(3).flatMap(Kind.init(rawValue:)), intake: intake,
            applicant: Applicant(name: row.text(4), phone: row.text(5), email: row.text(6), address: row.text(7)),
            region: row.text(8), country: row.text(9), language: row.text(10),
            bindingDeadline: row.text(11).flatMap { LocalDate($0) }, oralAnswer: row.text(12), origin: row.text(13),
            extra: try Codecs.map(pairs: row.text(14)),
            followUpOf: try row.text(15).map { text throws in try TrackingNumber(parsing: text) })
    }

    /// Writes a draft's documents and their content (each distinct content once).
    static func save(_ documents: [Document], of draft: AppealDraft, in db: Database) throws {
        let insertBlob = RawStatement(
            try db.cachedStatement(
                sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING"),
            in: db)
        let insertDocument = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO documents (channel, source_key, position, role, name, content_type, size, sha256,
                        stored, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, source_key, position) DO NOTHING
                    """), in: db)
        for (position, document) in documents.enumerated() {
            let stored = document.stored && document.content != nil
            if stored, let content = document.content {
                insertBlob.reset()
                insertBlob.bind(1, document.sha256)
                insertBlob.bind(2, content.count)
                insertBlob.bind(3, bytes: content)
                try insertBlob.execute()
            }
            insertDocument.reset()
            insertDocument.bind(1, draft.channel.rawValue)
            insertDocument.bind(2, draft.sourceKey)
            insertDocument.bind(3, position)
            insertDocument.bind(4, document.role.rawValue)
            insertDocument.bind(5, document.name)
            insertDocument.bind(6, document.contentType)
            insertDocument.bind(7, document.size)
            insertDocument.bind(8, document.sha256)
            insertDocument.bind(9, stored)
            insertDocument.bind(10, document.note)
            try insertDocument.execute()
        }
    }

    // MARK: registration

    public func register(_ registrations: [Registration]) async throws(StoreError) -> [Appeal] {
        if registrations.isEmpty { return [] }
        return try await write("register appeals") { db in
            let firstID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM appeals") ?? 0) + 1
            let insertAppeal = RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO appeals (id, tracking, channel, source_key, kind, status, department, co_executors,
                            urgent, policy, received_at, registered_at, due, text, subject, applicant_name,
                            applicant_phone, applicant_email, applicant_address, region, country, language, tags,
                            forward_to, routing, extra, last_event_seq, last_event_hash, deadline_from, next_check,
                            escalations, extensions, answered_at, closed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                            ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (channel, source_key) DO NOTHING
                        """), in: db)
            let insertEvent = try Self.insertEventStatement(in: db)
            let insertAssignment = RawStatement(
                try db.cachedStatement(
                    sql: """
                        INSERT INTO assignments (appeal_id, department, role, assigned_at, assigned_by)
                        VALUES (?, ?, ?, ?, ?)
                        """), in: db)
            let finishInbox = RawStatement(
                try db.cachedStatement(
                    sql: """
                        UPDATE inbox SET state = 'done', appeal_id = ?, draft = NULL, lease_until = NULL WHERE id = ?
                        """), in: db)
            let insertWords = RawStatement(try db.cachedStatement(sql: Self.insertWordsSQL), in: db)
            var normalizer = TextNormalizer()
            func finish(_ inboxID: Int64, appeal: Int64?) throws {
                finishInbox.reset()
                finishInbox.bind(1, appeal)
                finishInbox.bind(2, inboxID)
                try finishInbox.execute()
            }
            var appeals: [Appeal] = []
            appeals.reserveCapacity(registrations.count)
            var nextID = firstID
            for registration in registrations {
                let id = nextID
                let tracking = TrackingNumber(sequence: id)
                var previous = EventChain.genesis
                var chained: [EventRow] = []
                chained.reserveCapacity(registration.events.count)
                for (index, event) in registration.events.enumerated() {
                    let row = EventRow(event, on: id, after: index, previous: previous)
                    chained.append(row)
                    previous = row.stored.hash
                }
                let draft = registration.draft
                let registeredAt = Codecs.millis(registration.registeredAt)
                insertAppeal.reset()
                insertAppeal.bind(1, id)
                insertAppeal.bind(2, tracking.value)
                insertAppeal.bind(3, draft.channel.rawValue)
                insertAppeal.bind(4, draft.sourceKey)
                insertAppeal.bind(5, registration.kind.rawValue)
                insertAppeal.bind(6, registration.status.rawValue)
                insertAppeal.bind(7, registration.department)
                insertAppeal.bind(8, Codecs.list(registration.coExecutors))
                insertAppeal.bind(9, registration.urgent)
                insertAppeal.bind(10, registration.policy)
                insertAppeal.bind(11, Codecs.millis(draft.receivedAt))
                insertAppeal.bind(12, registeredAt)
                insertAppeal.bind(13, registration.due?.iso)
                insertAppeal.bind(14, draft.text)
                insertAppeal.bind(15, draft.subject)
                insertAppeal.bind(16, draft.applicant.name)
                insertAppeal.bind(17, draft.applicant.phone)
                insertAppeal.bind(18, draft.applicant.email)
                insertAppeal.bind(19, draft.applicant.address)
                insertAppeal.bind(20, draft.region)
                insertAppeal.bind(21, draft.country)
                insertAppeal.bind(22, registration.language)
                insertAppeal.bind(23, Codecs.list(registration.tags))
                insertAppeal.bind(24, registration.forwardTo)
                insertAppeal.bind(25, registration.routing)
                insertAppeal.bind(26, Codecs.json(draft.extra))
                insertAppeal.bind(27, chained.count)
                insertAppeal.bind(28, previous)
                let control = registration.control
                insertAppeal.bind(29, control.deadlineFrom.map(Codecs.millis))
                insertAppeal.bind(30, control.nextCheck?.iso)
                insertAppeal.bind(31, Codecs.list(control.escalations))
                insertAppeal.bind(32, control.extensions)
                insertAppeal.bind(33, control.answeredAt.map(Codecs.millis))
                insertAppeal.bind(34, control.closedAt.map(Codecs.millis))
                guard try insertAppeal.execute() > 0 else {
                    // Registered already (a worker whose lease ran out finished it first): just close the inbox item.
                    let existing = try Int64.fetchOne(
                        db, sql: "SELECT id FROM appeals WHERE channel = ? AND source_key = ?",
                        arguments: [draft.channel.rawValue, draft.sourceKey])
                    try finish(registration.inboxID, appeal: existing)
                    continue
                }
                nextID += 1
                try Self.indexWords(insertWords, id: id, registration.words(&normalizer))
                for row in chained { try Self.insert(row, with: insertEvent) }
                if let department = registration.department {
                    for (code, role) in [(department, "main")] + registration.coExecutors.map({ ($0, "co") }) {
                        insertAssignment.reset()
                        insertAssignment.bind(1, id)
                        insertAssignment.bind(2, code)
                        insertAssignment.bind(3, role)
                        insertAssignment.bind(4, registeredAt)
                        insertAssignment.bind(5, registration.assignedBy)
                        try insertAssignment.execute()
                    }
                }
                try finish(registration.inboxID, appeal: id)
                if let earlier = registration.repeatOf {
                    _ = try Self.append(
                        registration.repeatReceived(as: tracking),
                        to: earlier, expecting: nil, in: db)
                }
                let appeal = Appeal(
                    id: id, tracking: tracking, channel: draft.channel, sourceKey: draft.sourceKey,
                    kind: registration.kind, status: registration.status, department: registration.department,
                    coExecutors: registration.coExecutors, urgent: registration.urgent, policy: registration.policy,
                    receivedAt: draft.receivedAt, registeredAt: registration.registeredAt, due: registration.due,
                    text: draft.text, subject: draft.subject, applicant: draft.applicant, region: draft.region,
                    country: draft.country, language: registration.language, tags: registration.tags,
                    forwardTo: registration.forwardTo, routing: registration.routing, extra: draft.extra,
                    control: Appeal.Control(
                        nextCheck: control.nextCheck, escalations: control.escalations,
                        extensions: control.extensions, answeredAt: control.answeredAt,
                        closedAt: control.closedAt, sequence: chained.count,
                        deadlineFrom: control.deadlineFrom))
                if let notices = registration.notices?(appeal), !notices.isEmpty {
                    _ = try Self.insert(notices, appealID: id, in: db)
                }
                appeals.append(appeal)
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
            try Self.append(event, to: appealID, expecting: status, in: db)
        }
    }

    public func record(_ runs: [EventRun]) async throws(StoreError) -> [StoredEvent] {
        if runs.isEmpty { return [] }
        return try await write("record events") { db in
            var stored: [StoredEvent] = []
            for run in runs {
                if let expected = run.expecting {
                    let current = try String.fetchOne(
                        db, sql: "SELECT status FROM appeals WHERE id = ?", arguments: [run.appealID])
                    guard current == expected.rawValue else { continue }
                }
                var expecting = run.expecting
                for event in run.events {
                    stored.append(try Self.append(event, to: run.appealID, expecting: expecting, in: db))
                    expecting = event.status ?? expecting
                }
            }
            return stored
        }
    }

    /// Inserts one event after `sequence` in an appeal's chain; the caller updates the appeal row.
    static func insert(
        _ event: AppealEvent, on appealID: Int64, after sequence: Int, previous: String, in db: Database
    ) throws -> StoredEvent {
        let row = EventRow(event, on: appealID, after: sequence, previous: previous)
        try insert(row, in: db)
        return row.stored
    }

    /// Writes an event's row.
    static func insert(_ row: EventRow, in db: Database) throws {
        try insert(row, with: try insertEventStatement(in: db))
    }

    /// The cached INSERT of ``insert(_:with:)``; registration takes it once for a whole batch.
    static func insertEventStatement(in db: Database) throws -> RawStatement {
        RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO events (appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """), in: db)
    }

    /// Writes an event's row with `insert`, from ``insertEventStatement(in:)``.
    static func insert(_ row: EventRow, with insert: RawStatement) throws {
        let stored = row.stored
        insert.reset()
        insert.bind(1, stored.appealID)
        insert.bind(2, stored.sequence)
        insert.bind(3, row.at)
        insert.bind(4, stored.event.actor)
        insert.bind(5, stored.event.kind.rawValue)
        insert.bind(6, stored.event.why)
        insert.bind(7, row.data)
        insert.bind(8, stored.event.status?.rawValue)
        insert.bind(9, stored.previousHash)
        insert.bind(10, stored.hash)
        try insert.execute()
    }

    /// An event as the row ``insert(_:in:)`` writes, hash and JSON included: made before the write transaction
    /// when the chain's last hash is known, so the writer only binds and steps.
    struct EventRow: Sendable {
        var stored: StoredEvent
        var at: Int64
        var data: String

        init(_ event: AppealEvent, on appealID: Int64, after sequence: Int, previous: String) {
            let hash = EventChain.hash(previous: previous, appealID: appealID, sequence: sequence + 1, event: event)
            stored = StoredEvent(
                appealID: appealID, sequence: sequence + 1, event: event, hash: hash, previousHash: previous)
            at = Codecs.millis(event.at)
            data = Codecs.json(event.data)
        }
    }

    /// Appends one event to an appeal's chain and updates the cached state, inside the caller's transaction. An
    /// event that ends consideration also ends the clock (closed_at, no next check), whoever records it.
    /// Cached statements: closing callback tasks appends tens of thousands of events in one go.
    static func append(
        _ event: AppealEvent, to appealID: Int64, expecting status: Status?, in db: Database
    ) throws -> StoredEvent {
        let current = RawStatement(
            try db.cachedStatement(sql: "SELECT status, last_event_seq, last_event_hash FROM appeals WHERE id = ?"),
            in: db)
        current.reset()
        current.bind(1, appealID)
        guard try current.next() else { throw StoreError.noAppeal(id: appealID) }
        let currentStatus = current.text(0).flatMap(Status.init(rawValue:)) ?? .received
        let sequence = Int(current.int64(1)) + 1
        let previous = current.text(2) ?? EventChain.genesis
        current.reset()
        if let status, status != currentStatus {
            throw StoreError(
                .conflict, "the appeal is \(currentStatus.rawValue), not \(status.rawValue): it changed meanwhile")
        }
        let stored = try insert(event, on: appealID, after: sequence - 1, previous: previous, in: db)
        try update(
            appealID, sequence: stored.sequence, hash: stored.hash, status: event.status.map { ($0, event.at) }, [],
            in: db)
        return stored
    }

    public func recordFollowUps(_ followUps: [FollowUp]) async throws(StoreError) -> [StoredEvent] {
        if followUps.isEmpty { return [] }
        return try await write("record follow-ups") { db in
            var stored: [StoredEvent] = []
            for followUp in followUps {
                // An item finished meanwhile (a worker whose lease ran out) is not recorded twice.
                let state = try String.fetchOne(
                    db, sql: "SELECT state FROM inbox WHERE id = ?", arguments: [followUp.inboxID])
                guard state == "pending" else { continue }
                stored.append(try Self.append(followUp.event, to: followUp.appealID, expecting: nil, in: db))
                try db.execute(
                    sql: """
                        UPDATE inbox SET state = 'done', appeal_id = ?, draft = NULL, lease_until = NULL WHERE id = ?
                        """, arguments: [followUp.appealID, followUp.inboxID])
            }
            return stored
        }
    }

    /// Runs `body` on the values in chunks, with the `?,?,...` list for an `IN (...)` of each chunk: SQLite takes
    /// at most 32766 parameters, and chunks of 500 stay well below.
    static func inChunks(_ values: [String], _ body: ([String], String) throws -> Void) throws {
        for start in stride(from: 0, to: values.count, by: 500) {
            let chunk = Array(values[start..<min(start + 500, values.count)])
            try body(chunk, Array(repeating: "?", count: chunk.count).joined(separator: ","))
        }
    }

    public func knownSourceKeys(channel: Channel, among keys: [String]) async throws(StoreError) -> Set<String> {
        if keys.isEmpty { return [] }
        return try await read("look up source keys") { db in
            var known: Set<String> = []
            try Self.inChunks(keys) { chunk, marks in
                known.formUnion(
                    try String.fetchAll(
                        db, sql: "SELECT source_key FROM inbox WHERE channel = ? AND source_key IN (\(marks))",
                        arguments: StatementArguments([channel.rawValue] + chunk)))
            }
            return known
        }
    }

    public func recentAppeals(
        phones: [String], emails: [String], since: Date, perApplicant: Int
    ) async throws(StoreError) -> [RecentAppeal] {
        if phones.isEmpty && emails.isEmpty { return [] }
        let sinceMillis = Codecs.millis(since)
        return try await read("look up recent appeals") { db in
            var found: [Int64: RecentAppeal] = [:]
            for (column, values) in [("applicant_phone", Array(Set(phones))), ("applicant_email", Array(Set(emails)))] {
                try Self.inChunks(values) { chunk, marks in
                    let rows = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT id, received_at, text, applicant_phone, applicant_email FROM (
                                SELECT id, received_at, text, applicant_phone, applicant_email,
                                    ROW_NUMBER() OVER (PARTITION BY \(column) ORDER BY id DESC) AS newest
                                FROM appeals WHERE \(column) IN (\(marks)) AND received_at >= ?
                            ) WHERE newest <= ?
                            """,
                        arguments: StatementArguments(
                            chunk.map { $0 as any DatabaseValueConvertible } + [sinceMillis, perApplicant]))
                    for row in rows {
                        let id: Int64 = row["id"]
                        found[id] = RecentAppeal(
                            id: id, receivedAt: Codecs.date(row["received_at"]), text: row["text"],
                            phone: row["applicant_phone"], email: row["applicant_email"])
                    }
                }
            }
            return found.values.sorted { $0.id > $1.id }
        }
    }

    public func openCallbacks() async throws(StoreError) -> [CallbackTask] {
        let open = Status.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",")
        return try await read("look up callback tasks") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, status, applicant_phone, received_at, due FROM appeals
                    WHERE status IN (\(open)) AND policy = 'callback' ORDER BY id
                    """
            ).map { row in
                let due: String? = row["due"]
                return CallbackTask(
                    id: row["id"], status: Status(rawValue: row["status"]) ?? .received, phone: row["applicant_phone"],
                    receivedAt: Codecs.date(row["received_at"]), due: due.flatMap { LocalDate($0) })
            }
        }
    }

    // MARK: documents and checkpoints

    public func documents(channel: Channel, sourceKey: String) async throws(StoreError) -> [Document] {
        try await read("read documents") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT role, name, content_type, size, sha256, stored, note FROM documents
                    WHERE channel = ? AND source_key = ? ORDER BY position
                    """, arguments: [channel.rawValue, sourceKey]
            ).map { row in
                Document(
                    role: Document.Role(rawValue: row["role"]) ?? .attachment, name: row["name"],
                    contentType: row["content_type"], size: row["size"], sha256: row["sha256"], content: nil,
                    note: row["note"], stored: row["stored"])
            }
        }
    }

    public func documentContent(sha256: String) async throws(StoreError) -> [UInt8]? {
        try await read("read a document") { db in
            try Data.fetchOne(db, sql: "SELECT content FROM blobs WHERE sha256 = ?", arguments: [sha256]).map {
                Array($0)
            }
        }
    }

    public func checkpoint(_ name: String) async throws(StoreError) -> String? {
        try await read("read a checkpoint") { db in
            try String.fetchOne(db, sql: "SELECT value FROM checkpoints WHERE name = ?", arguments: [name])
        }
    }

    public func saveCheckpoint(_ name: String, value: String, at now: Date) async throws(StoreError) {
        try await write("save a checkpoint") { db in
            try db.execute(
                sql: """
                    INSERT INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """, arguments: [name, value, Codecs.millis(now)])
        }
    }

    // MARK: reading

    /// The columns ``appeal(_:)`` reads, in the order it reads them.
    static let appealColumns = """
        id, channel, source_key, kind, status, department, co_executors, urgent, policy, received_at, registered_at,
        due, text, subject, applicant_name, applicant_phone, applicant_email, applicant_address, region, country,
        language, tags, forward_to, routing, extra, next_check, escalations, extensions, answered_at, closed_at,
        last_event_seq, deadline_from
        """

    /// An appeal from a row of ``appealColumns``, read by position: looking each column up by name (GRDB folds
    /// the name's case every time) was a tenth of a queue page's time.
    static func appeal(_ row: Row) throws -> Appeal {
        let id: Int64 = row[0]
        guard let channel = Channel(rawValue: row[1]), let kind = Kind(rawValue: row[3]),
            let status = Status(rawValue: row[4])
        else { throw StoreError(.corrupt, "appeal \(id) has a channel, kind or status this version does not know") }
        let due: String? = row[11]
        return Appeal(
            id: id, tracking: TrackingNumber(sequence: id), channel: channel, sourceKey: row[2], kind: kind,
            status: status, department: row[5], coExecutors: Codecs.list(row[6] as String?), urgent: row[7],
            policy: row[8], receivedAt: Codecs.date(row[9]), registeredAt: Codecs.date(row[10]),
            due: due.flatMap { LocalDate($0) }, text: row[12], subject: row[13],
            applicant: Applicant(name: row[14], phone: row[15], email: row[16], address: row[17]),
            region: row[18], country: row[19], language: row[20], tags: Codecs.list(row[21] as String?),
            forwardTo: row[22], routing: row[23], extra: Codecs.map(row[24]),
            control: Appeal.Control(
                nextCheck: (row[25] as String?).flatMap { LocalDate($0) }, escalations: Codecs.list(row[26] as String?),
                extensions: row[27], answeredAt: (row[28] as Int64?).map(Codecs.date),
                closedAt: (row[29] as Int64?).map(Codecs.date), sequence: row[30],
                deadlineFrom: (row[31] as Int64?).map(Codecs.date)))
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

    /// The SELECT of ``appeals(_:)``, apart so a test can ask SQLite how it reads it.
    static func listing(_ query: AppealQuery) -> (sql: String, arguments: StatementArguments) {
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
        if query.openOnly { conditions.append(Self.openQueueCondition) }
        // By deadline, those without one last: two ordered reads, each served by an index in its order (the
        // (status, due) and (department, due) indexes end in the row id), instead of `ORDER BY due IS NULL`, which
        // no index serves and which sorted every matching row for each page. Urgent first: the same two reads for
        // the urgent appeals (from appeals_urgent by status or appeals_urgent_queue by department, whose conditions
        // are spelled `urgent = 1`), then the others.
        let filter = conditions.map { $0 + " AND " }.joined()
        let enough = query.limit + query.offset
        let groups = query.urgentFirst ? ["urgent = 1 AND ", "urgent = 0 AND "] : [""]
        let sql =
            groups.map { urgency in
                """
                SELECT * FROM (SELECT \(Self.appealColumns) FROM appeals
                    WHERE \(filter)\(urgency)due IS NOT NULL ORDER BY due, id LIMIT \(enough))
                UNION ALL
                SELECT * FROM (SELECT \(Self.appealColumns) FROM appeals
                    WHERE \(filter)\(urgency)due IS NULL ORDER BY id LIMIT \(enough))
                """
            }.joined(separator: "\nUNION ALL\n") + "\nLIMIT ? OFFSET ?"
        arguments = Array([[(any DatabaseValueConvertible)?]](repeating: arguments, count: groups.count * 2).joined())
        arguments.append(query.limit)
        arguments.append(query.offset)
        return (sql, StatementArguments(arguments))
    }

    public func appeals(_ query: AppealQuery) async throws(StoreError) -> [Appeal] {
        let (sql, statementArguments) = Self.listing(query)
        return try await read("list appeals") { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map(Self.appeal)
        }
    }

    public func history(of appealID: Int64) async throws(StoreError) -> [StoredEvent] {
        try await read("read the history") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE appeal_id = ? ORDER BY seq", arguments: [appealID])
                .map(Self.storedEvent)
        }
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        let status: String? = row["status"]
        return StoredEvent(
            appealID: row["appeal_id"], sequence: row["seq"],
            event: AppealEvent(
                at: Codecs.date(row["at"]), actor: row["actor"], kind: AppealEvent.Kind(rawValue: row["kind"]),
                why: row["why"], data: Codecs.map(row["data"]), status: status.flatMap(Status.init(rawValue:))),
            hash: row["hash"], previousHash: row["prev_hash"])
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
                    INSERT INTO quarantine (
                        channel, source, position, reason, reason_uz, reason_ru, raw, raw_sha256, source_key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, source, raw_sha256) DO NOTHING
                    """)
            var added = 0
            for record in records {
                try insert.execute(arguments: [
                    record.channel.rawValue, record.source, record.position, record.reason.en, record.reason.uz,
                    record.reason.ru, Data(record.raw), EventChain.digest(record.raw), record.sourceKey,
                    Codecs.millis(record.at),
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
                position: row["position"],
                reason: Wording(stored: row["reason"], uz: row["reason_uz"], ru: row["reason_ru"]),
                raw: Array(raw),
                sourceKey: row["source_key"], at: Codecs.date(row["created_at"])),
            resolved: row["resolved"])
    }

    public func quarantined(_ query: QuarantineQuery) async throws(StoreError) -> [QuarantineEntry] {
        try await read("list the quarantine") { db in
            // substr on a blob counts bytes; -1 (no prefix asked) takes them all.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, channel, source, position, reason, reason_uz, reason_ru, source_key, created_at,
                        resolved, CASE WHEN ? < 0 THEN raw ELSE substr(raw, 1, ?) END AS raw
                    FROM quarantine WHERE (resolved = 0 OR ?) AND id < ?
                    ORDER BY id \(query.newestFirst ? "DESC" : "ASC") LIMIT ?
                    """,
                arguments: [
                    query.rawPrefix ?? -1, query.rawPrefix ?? 0, query.includeResolved, query.before ?? Int64.max,
                    query.limit,
                ]
            ).map(Self.quarantineEntry)
        }
    }

    public func quarantineEntry(id: Int64) async throws(StoreError) -> QuarantineEntry? {
        try await read("read a quarantined record") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE id = ?", arguments: [id]).map(
                Self.quarantineEntry)
        }
    }

    public func resolveQuarantine(id: Int64) async throws(StoreError) {
        try await write("resolve a quarantined record") { db in
            try db.execute(sql: "UPDATE quarantine SET resolved = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError.noQuarantined(id: id) }
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

    /// SQLite's `data_version` of a connection that never writes: it changes whenever any other connection, of this
    /// process or another (a CLI import while the server runs), commits. Each connection counts on its own, which is
    /// why one connection is kept for it.
    public func changeStamp() async throws(StoreError) -> Int64 {
        do {
            return try await watcher.read { db in
                try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        } catch {
            throw StoreError(.failed, "could not read the change stamp", cause: error)
        }
    }
}

extension SQLiteStore {
    /// Runs raw SQL; for tests that prove what the schema itself refuses.
    public func executeForTests(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }
}
