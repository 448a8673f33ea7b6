public import Foundation
import Logging
public import MurojaatCore
import PostgresNIO
public import Store

extension PostgresStore {
    // MARK: inbox

    public func enqueue(_ drafts: [AppealDraft], at now: Date) async throws(StoreError) -> EnqueueSummary {
        if drafts.isEmpty { return EnqueueSummary() }
        let logger = self.logger
        return try await transaction("add to the inbox") { connection in
            var rows = BulkInsert()
            rows.column("channel", drafts.map(\.channel.rawValue))
            rows.column("source_key", drafts.map(\.sourceKey))
            rows.column("received_at", drafts.map { Instant($0.receivedAt) })
            rows.column("enqueued_at", drafts.map { _ in Instant(now) })
            // A known (channel, source key) is skipped, also a second one within the batch: the first one wins.
            let inserted = try await connection.rows(
                rows.query(
                    into: "inbox", "ON CONFLICT (channel, source_key) DO NOTHING RETURNING id, channel, source_key"),
                logger
            ) { row in
                (try row.value(0, as: Int64.self), try row.value(1, as: String.self), try row.value(2, as: String.self))
            }
            var ids: [Key: Int64] = [:]
            for (id, channel, sourceKey) in inserted { ids[Key(channel: channel, sourceKey: sourceKey)] = id }
            var added: [(Int64, AppealDraft)] = []
            for draft in drafts {
                let key = Key(channel: draft.channel.rawValue, sourceKey: draft.sourceKey)
                if let id = ids.removeValue(forKey: key) { added.append((id, draft)) }
            }
            try await Self.insertDrafts(added, connection, logger)
            try await Self.save(added.map(\.1), connection, logger)
            return EnqueueSummary(added: added.count, duplicates: drafts.count - added.count)
        }
    }

    struct Key: Hashable {
        var channel: String
        var sourceKey: String
    }

    static func insertDrafts(
        _ drafts: [(Int64, AppealDraft)], _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        if drafts.isEmpty { return }
        var rows = BulkInsert()
        rows.column("inbox_id", drafts.map(\.0))
        let drafts = drafts.map(\.1)
        rows.column("intake", drafts.map(\.intake.rawValue))
        rows.column("text", drafts.map(\.text))
        rows.column("subject", drafts.map(\.subject))
        rows.column("kind", drafts.map(\.kind?.rawValue))
        rows.column("applicant_name", drafts.map(\.applicant.name))
        rows.column("applicant_phone", drafts.map(\.applicant.phone))
        rows.column("applicant_email", drafts.map(\.applicant.email))
        rows.column("applicant_address", drafts.map(\.applicant.address))
        rows.column("region", drafts.map(\.region))
        rows.column("country", drafts.map(\.country))
        rows.column("language", drafts.map(\.language))
        rows.column("binding_deadline", drafts.map { $0.bindingDeadline.map(Day.init) })
        rows.column("oral_answer", drafts.map(\.oralAnswer))
        rows.column("origin", drafts.map(\.origin))
        rows.column("extra", drafts.map { Codecs.json($0.extra) }, "$::jsonb")
        rows.column("follow_up_of", drafts.map(\.followUpOf?.value))
        try await connection.run(rows.query(into: "inbox_drafts"), logger)
    }

    /// Writes drafts' documents and their content (each distinct content once).
    static func save(_ drafts: [AppealDraft], _ connection: PostgresConnection, _ logger: Logger) async throws {
        var documents: [(Key, Int, Document)] = []
        for draft in drafts {
            let key = Key(channel: draft.channel.rawValue, sourceKey: draft.sourceKey)
            for (position, document) in draft.documents.enumerated() { documents.append((key, position, document)) }
        }
        if documents.isEmpty { return }
        try await saveBlobs(
            documents.compactMap { _, _, document in
                document.stored ? document.content.map { (document.sha256, $0) } : nil
            }, connection, logger)
        var rows = BulkInsert()
        rows.column("channel", documents.map(\.0.channel))
        rows.column("source_key", documents.map(\.0.sourceKey))
        rows.column("position", documents.map { Int32($0.1) })
        rows.column("role", documents.map(\.2.role.rawValue))
        rows.column("name", documents.map(\.2.name))
        rows.column("content_type", documents.map(\.2.contentType))
        rows.column("size", documents.map { Int64($0.2.size) })
        rows.column("sha256", documents.map(\.2.sha256))
        rows.column("stored", documents.map { $0.2.stored && $0.2.content != nil })
        rows.column("note", documents.map(\.2.note))
        try await connection.run(
            rows.query(into: "documents", "ON CONFLICT (channel, source_key, position) DO NOTHING"), logger)
    }

    /// Stores content by its SHA-256, once.
    static func saveBlobs(
        _ blobs: [(String, [UInt8])], _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        var seen: Set<String> = []
        let unique = blobs.filter { seen.insert($0.0).inserted }
        if unique.isEmpty { return }
        var rows = BulkInsert()
        rows.column("sha256", unique.map(\.0))
        rows.column("size", unique.map { Int64($0.1.count) })
        rows.column("content", unique.map { ByteBuffer(bytes: $0.1) })
        try await connection.run(rows.query(into: "blobs", "ON CONFLICT (sha256) DO NOTHING"), logger)
    }

    public func claimInbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [InboxItem] {
        let nowInstant = Instant(now)
        let until = Instant(
            millis: nowInstant.millis + lease.components.seconds * 1000 + lease.components.attoseconds
                / 1_000_000_000_000_000)
        let logger = self.logger
        // A transaction, though it is one statement, so that an item that cannot be read back leaves every claim
        // of the batch undone, as in SQLiteStore.
        return try await transaction("claim inbox items") { connection in
            let rows = try await connection.rows(
                """
                WITH claimed AS (
                    UPDATE inbox SET lease_until = \(until), attempts = attempts + 1
                    WHERE id IN (
                        SELECT id FROM inbox WHERE state = 'pending' AND (lease_until IS NULL OR lease_until < \(nowInstant))
                        ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                    RETURNING id, attempts, channel, source_key, received_at
                )
                SELECT c.id, c.attempts, c.channel, c.source_key, c.received_at, d.inbox_id IS NOT NULL, d.intake, d.text,
                    d.subject, d.kind, d.applicant_name, d.applicant_phone, d.applicant_email, d.applicant_address,
                    d.region, d.country, d.language, d.binding_deadline, d.oral_answer, d.origin, d.extra::text,
                    d.follow_up_of
                FROM claimed c LEFT JOIN inbox_drafts d ON d.inbox_id = c.id ORDER BY c.id
                """, logger
            ) { row in row }
            return try rows.map { row in
                let id = try row.value(0, as: Int64.self)
                do {
                    return InboxItem(id: id, draft: try Self.draft(row), attempts: try row.value(1, as: Int.self))
                } catch {
                    throw StoreError(.corrupt, "inbox item \(id) cannot be read back", cause: error)
                }
            }
        }
    }

    /// A draft from a claim's row (columns in the order of its SELECT).
    static func draft(_ row: PostgresRandomAccessRow) throws -> AppealDraft {
        guard try row.value(5, as: Bool.self) else { throw Codecs.Unreadable(description: "its draft is missing") }
        guard let channel = MurojaatCore.Channel(rawValue: try row.value(2, as: String.self)),
            let intake = Intake(rawValue: try row.value(6, as: String.self))
        else { throw Codecs.Unreadable(description: "a channel or intake is unknown") }
        return AppealDraft(
            channel: channel, sourceKey: try row.value(3), receivedAt: try row.value(4, as: Instant.self).date,
            text: try row.value(7), subject: try row.value(8),
            kind: try row.value(9, as: String?.self).flatMap(Kind.init(rawValue:)), intake: intake,
            applicant: Applicant(
                name: try row.value(10), phone: try row.value(11), email: try row.value(12),
                address: try row.value(13)),
            region: try row.value(14), country: try row.value(15), language: try row.value(16),
            bindingDeadline: try row.value(17, as: Day?.self)?.day, oralAnswer: try row.value(18),
            origin: try row.value(19), extra: try Codecs.map(try row.value(20, as: String?.self)),
            followUpOf: try row.value(21, as: String?.self).map { text throws in try TrackingNumber(parsing: text) })
    }

    // MARK: registration

    public func register(_ registrations: [Registration]) async throws(StoreError) -> [Appeal] {
        if registrations.isEmpty { return [] }
        let logger = self.logger
        return try await transaction("register appeals") { connection in
            // Numbers are taken from the sequence up front: the chain's hashes include the appeal's id. A number
            // whose appeal turns out to exist already is not used again; tracking numbers are scrambled anyway.
            let ids = try await connection.rows(
                "SELECT nextval(pg_get_serial_sequence('appeals', 'id')) FROM generate_series(1, \(registrations.count))",
                logger
            ) { try $0.value(0, as: Int64.self) }.sorted()
            guard ids.count == registrations.count else {
                throw StoreError(.failed, "could not number \(registrations.count) appeals")
            }
            var normalizer = TextNormalizer()
            var planned: [Planned] = []
            for (registration, id) in zip(registrations, ids) {
                var previous = EventChain.genesis
                var events: [StoredEvent] = []
                for (index, event) in registration.events.enumerated() {
                    let hash = EventChain.hash(previous: previous, appealID: id, sequence: index + 1, event: event)
                    events.append(
                        StoredEvent(
                            appealID: id, sequence: index + 1, event: event, hash: hash, previousHash: previous))
                    previous = hash
                }
                planned.append(
                    Planned(
                        registration: registration, id: id, events: events, head: previous,
                        words: registration.words(&normalizer)))
            }
            let inserted = Set(
                try await connection.rows(
                    Self.insertAppeals(planned).query(
                        into: "appeals", "ON CONFLICT (channel, source_key) DO NOTHING RETURNING id"), logger
                ) { try $0.value(0, as: Int64.self) })
            let fresh = planned.filter { inserted.contains($0.id) }
            // Registered already (a worker whose lease ran out finished it first): just close the inbox item.
            let existing = planned.filter { !inserted.contains($0.id) }
            var existingIDs: [Key: Int64] = [:]
            if !existing.isEmpty {
                let channels = existing.map(\.registration.draft.channel.rawValue)
                let keys = existing.map(\.registration.draft.sourceKey)
                for (id, channel, sourceKey) in try await connection.rows(
                    """
                    SELECT a.id, a.channel, a.source_key FROM appeals a
                    JOIN unnest(\(channels), \(keys)) AS k (channel, source_key)
                        ON a.channel = k.channel AND a.source_key = k.source_key
                    """, logger,
                    { row in
                        (
                            try row.value(0, as: Int64.self), try row.value(1, as: String.self),
                            try row.value(2, as: String.self)
                        )
                    }
                ) {
                    existingIDs[Key(channel: channel, sourceKey: sourceKey)] = id
                }
            }
            try await Self.insert(fresh.flatMap(\.events), connection, logger)
            var assignments: [(Int64, String, String, Instant, String)] = []
            for plan in fresh {
                let registration = plan.registration
                guard let department = registration.department else { continue }
                for (code, role) in [(department, "main")] + registration.coExecutors.map({ ($0, "co") }) {
                    assignments.append(
                        (plan.id, code, role, Instant(registration.registeredAt), registration.assignedBy))
                }
            }
            if !assignments.isEmpty {
                var rows = BulkInsert()
                rows.column("appeal_id", assignments.map(\.0))
                rows.column("department", assignments.map(\.1))
                rows.column("role", assignments.map(\.2))
                rows.column("assigned_at", assignments.map(\.3))
                rows.column("assigned_by", assignments.map(\.4))
                try await connection.run(rows.query(into: "assignments"), logger)
            }
            let finished: [(Int64, Int64?)] =
                fresh.map { ($0.registration.inboxID, $0.id) }
                + existing.map { plan in
                    let draft = plan.registration.draft
                    return (
                        plan.registration.inboxID,
                        existingIDs[Key(channel: draft.channel.rawValue, sourceKey: draft.sourceKey)]
                    )
                }
            try await connection.run(
                """
                UPDATE inbox SET state = 'done', appeal_id = f.appeal_id, lease_until = NULL
                FROM unnest(\(Column(finished.map(\.0))), \(Column(finished.map(\.1)))) AS f (inbox_id, appeal_id)
                WHERE inbox.id = f.inbox_id
                """, logger)
            var appeals: [Appeal] = []
            var notices: [(Notice, Int64)] = []
            for plan in fresh {
                let registration = plan.registration
                let draft = registration.draft
                if let earlier = registration.repeatOf {
                    _ = try await Self.append(
                        registration.repeatReceived(as: TrackingNumber(sequence: plan.id)),
                        to: earlier, expecting: nil, connection, logger)
                }
                let control = registration.control
                let appeal = Appeal(
                    id: plan.id, tracking: TrackingNumber(sequence: plan.id), channel: draft.channel,
                    sourceKey: draft.sourceKey, kind: registration.kind, status: registration.status,
                    department: registration.department, coExecutors: registration.coExecutors,
                    urgent: registration.urgent, policy: registration.policy, receivedAt: draft.receivedAt,
                    registeredAt: registration.registeredAt, due: registration.due, text: draft.text,
                    subject: draft.subject, applicant: draft.applicant, region: draft.region, country: draft.country,
                    language: registration.language, tags: registration.tags, forwardTo: registration.forwardTo,
                    routing: registration.routing, extra: draft.extra,
                    control: Appeal.Control(
                        nextCheck: control.nextCheck, escalations: control.escalations,
                        extensions: control.extensions, answeredAt: control.answeredAt, closedAt: control.closedAt,
                        sequence: plan.events.count, deadlineFrom: control.deadlineFrom))
                for notice in registration.notices?(appeal) ?? [] { notices.append((notice, plan.id)) }
                appeals.append(appeal)
            }
            _ = try await Self.insert(notices, connection, logger)
            return appeals
        }
    }

    /// A registration with its number and chained events, before it is written.
    struct Planned: Sendable {
        var registration: Registration
        var id: Int64
        var events: [StoredEvent]
        var head: String
        var words: String
    }

    static func insertAppeals(_ planned: [Planned]) -> BulkInsert {
        var rows = BulkInsert()
        let registrations = planned.map(\.registration)
        let drafts = registrations.map(\.draft)
        rows.column("id", planned.map(\.id))
        rows.column("tracking", planned.map { TrackingNumber(sequence: $0.id).value })
        rows.column("channel", drafts.map(\.channel.rawValue))
        rows.column("source_key", drafts.map(\.sourceKey))
        rows.column("kind", registrations.map(\.kind.rawValue))
        rows.column("status", registrations.map(\.status.rawValue))
        rows.column("department", registrations.map(\.department))
        rows.column("co_executors", registrations.map { Self.list($0.coExecutors) }, "$::text[]")
        rows.column("urgent", registrations.map(\.urgent))
        rows.column("policy", registrations.map(\.policy))
        rows.column("received_at", drafts.map { Instant($0.receivedAt) })
        rows.column("registered_at", registrations.map { Instant($0.registeredAt) })
        rows.column("due", registrations.map { $0.due.map(Day.init) })
        rows.column("text", drafts.map(\.text))
        rows.column("subject", drafts.map(\.subject))
        rows.column("applicant_name", drafts.map(\.applicant.name))
        rows.column("applicant_phone", drafts.map(\.applicant.phone))
        rows.column("applicant_email", drafts.map(\.applicant.email))
        rows.column("applicant_address", drafts.map(\.applicant.address))
        rows.column("region", drafts.map(\.region))
        rows.column("country", drafts.map(\.country))
        rows.column("language", registrations.map(\.language))
        rows.column("tags", registrations.map { Self.list($0.tags) }, "$::text[]")
        rows.column("forward_to", registrations.map(\.forwardTo))
        rows.column("routing", registrations.map(\.routing))
        rows.column("extra", drafts.map { Codecs.json($0.extra) }, "$::jsonb")
        rows.column("last_event_seq", planned.map { Int32($0.events.count) })
        rows.column("last_event_hash", planned.map(\.head))
        let controls = registrations.map(\.control)
        rows.column("deadline_from", controls.map { $0.deadlineFrom.map(Instant.init) })
        rows.column("next_check", controls.map { $0.nextCheck.map(Day.init) })
        rows.column("escalations", controls.map { Self.list($0.escalations) }, "$::text[]")
        rows.column("extensions", controls.map { Int32($0.extensions) })
        rows.column("answered_at", controls.map { $0.answeredAt.map(Instant.init) })
        rows.column("closed_at", controls.map { $0.closedAt.map(Instant.init) })
        rows.column("search_words", planned.map(\.words), "to_tsvector('simple', $)")
        return rows
    }

    /// A list column inside a bulk insert: PostgresNIO has no arrays of arrays, so each list travels as the text of
    /// a PostgreSQL array literal and is cast back (`$::text[]`).
    static func list(_ items: [String]) -> String {
        "{"
            + items.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }.joined(separator: ",") + "}"
    }

    /// Inserts chained events.
    static func insert(_ events: [StoredEvent], _ connection: PostgresConnection, _ logger: Logger) async throws {
        if events.isEmpty { return }
        var rows = BulkInsert()
        rows.column("appeal_id", events.map(\.appealID))
        rows.column("seq", events.map { Int32($0.sequence) })
        rows.column("at", events.map { Instant($0.event.at) })
        rows.column("actor", events.map(\.event.actor))
        rows.column("kind", events.map(\.event.kind.rawValue))
        rows.column("why", events.map(\.event.why))
        rows.column("data", events.map { Codecs.json($0.event.data) }, "$::jsonb")
        rows.column("status", events.map(\.event.status?.rawValue))
        rows.column("prev_hash", events.map(\.previousHash))
        rows.column("hash", events.map(\.hash))
        try await connection.run(rows.query(into: "events"), logger)
    }

    // MARK: events

    public func record(
        _ event: AppealEvent, on appealID: Int64, expecting status: Status?
    ) async throws(StoreError)
        -> StoredEvent
    {
        let logger = self.logger
        return try await transaction("record an event") { connection in
            try await Self.append(event, to: appealID, expecting: status, connection, logger)
        }
    }

    public func record(_ runs: [EventRun]) async throws(StoreError) -> [StoredEvent] {
        if runs.isEmpty { return [] }
        let logger = self.logger
        return try await transaction("record events") { connection in
            var stored: [StoredEvent] = []
            for run in runs {
                if let expected = run.expecting {
                    let current = try await connection.rows(
                        "SELECT status FROM appeals WHERE id = \(run.appealID) FOR UPDATE", logger
                    ) { try $0.value(0, as: String.self) }.first
                    guard current == expected.rawValue else { continue }
                }
                var expecting = run.expecting
                for event in run.events {
                    stored.append(
                        try await Self.append(event, to: run.appealID, expecting: expecting, connection, logger))
                    expecting = event.status ?? expecting
                }
            }
            return stored
        }
    }

    /// Appends one event to an appeal's chain and updates the cached state, inside the caller's transaction. The
    /// appeal's row is locked first, so two processes appending to one appeal take turns and the chain stays one
    /// line. An event that ends consideration also ends the clock (closed_at, no next check), whoever records it.
    static func append(
        _ event: AppealEvent, to appealID: Int64, expecting status: Status?, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> StoredEvent {
        guard
            let (currentStatus, sequence, previous) = try await connection.rows(
                "SELECT status, last_event_seq, last_event_hash FROM appeals WHERE id = \(appealID) FOR UPDATE",
                logger,
                { row in
                    (
                        Status(rawValue: try row.value(0, as: String.self)) ?? .received,
                        try row.value(1, as: Int.self), try row.value(2, as: String.self)
                    )
                }
            ).first
        else { throw StoreError.noAppeal(id: appealID) }
        if let status, status != currentStatus {
            throw StoreError(
                .conflict, "the appeal is \(currentStatus.rawValue), not \(status.rawValue): it changed meanwhile")
        }
        let hash = EventChain.hash(previous: previous, appealID: appealID, sequence: sequence + 1, event: event)
        let stored = StoredEvent(
            appealID: appealID, sequence: sequence + 1, event: event, hash: hash, previousHash: previous)
        try await insert([stored], connection, logger)
        try await update(
            appealID, sequence: stored.sequence, hash: hash, status: event.status.map { ($0, event.at) }, [],
            connection, logger)
        return stored
    }

    public func recordFollowUps(_ followUps: [FollowUp]) async throws(StoreError) -> [StoredEvent] {
        if followUps.isEmpty { return [] }
        let logger = self.logger
        return try await transaction("record follow-ups") { connection in
            var stored: [StoredEvent] = []
            for followUp in followUps {
                // An item finished meanwhile (a worker whose lease ran out) is not recorded twice; the row lock
                // makes a second process wait for the first one's commit and then see it done.
                let state = try await connection.rows(
                    "SELECT state FROM inbox WHERE id = \(followUp.inboxID) FOR UPDATE", logger
                ) { try $0.value(0, as: String.self) }.first
                guard state == "pending" else { continue }
                stored.append(
                    try await Self.append(followUp.event, to: followUp.appealID, expecting: nil, connection, logger))
                try await connection.run(
                    """
                    UPDATE inbox SET state = 'done', appeal_id = \(followUp.appealID), lease_until = NULL
                    WHERE id = \(followUp.inboxID)
                    """, logger)
            }
            return stored
        }
    }

    // MARK: look-ups

    public func knownSourceKeys(
        channel: MurojaatCore.Channel, among keys: [String]
    ) async throws(StoreError) -> Set<String> {
        if keys.isEmpty { return [] }
        return Set(
            try await read(
                "look up source keys",
                "SELECT source_key FROM inbox WHERE channel = \(channel.rawValue) AND source_key = ANY(\(keys))"
            ) { try $0.value(0, as: String.self) })
    }

    public func recentAppeals(
        phones: [String], emails: [String], since: Date, perApplicant: Int
    ) async throws(StoreError) -> [RecentAppeal] {
        if phones.isEmpty && emails.isEmpty { return [] }
        var found: [Int64: RecentAppeal] = [:]
        for (column, values) in [("applicant_phone", Array(Set(phones))), ("applicant_email", Array(Set(emails)))]
        where !values.isEmpty {
            let rows = try await read(
                "look up recent appeals",
                """
                SELECT id, received_at, text, applicant_phone, applicant_email FROM (
                    SELECT id, received_at, text, applicant_phone, applicant_email,
                        row_number() OVER (PARTITION BY \(unescaped: column) ORDER BY id DESC) AS newest
                    FROM appeals WHERE \(unescaped: column) = ANY(\(values)) AND received_at >= \(Instant(since))
                ) AS recent WHERE newest <= \(perApplicant)
                """
            ) { row in
                RecentAppeal(
                    id: try row.value(0), receivedAt: try row.value(1, as: Instant.self).date, text: try row.value(2),
                    phone: try row.value(3), email: try row.value(4))
            }
            for appeal in rows { found[appeal.id] = appeal }
        }
        return found.values.sorted { $0.id > $1.id }
    }

    public func openCallbacks() async throws(StoreError) -> [CallbackTask] {
        try await read(
            "look up callback tasks",
            """
            SELECT id, status, applicant_phone, received_at, due FROM appeals
            WHERE status IN (\(unescaped: Migrations.openStatuses)) AND policy = 'callback' ORDER BY id
            """
        ) { row in
            CallbackTask(
                id: try row.value(0), status: Status(rawValue: try row.value(1, as: String.self)) ?? .received,
                phone: try row.value(2), receivedAt: try row.value(3, as: Instant.self).date,
                due: try row.value(4, as: Day?.self)?.day)
        }
    }

    // MARK: documents and checkpoints

    public func documents(channel: MurojaatCore.Channel, sourceKey: String) async throws(StoreError) -> [Document] {
        try await read(
            "read documents",
            """
            SELECT role, name, content_type, size, sha256, stored, note FROM documents
            WHERE channel = \(channel.rawValue) AND source_key = \(sourceKey) ORDER BY position
            """
        ) { row in
            Document(
                role: Document.Role(rawValue: try row.value(0, as: String.self)) ?? .attachment, name: try row.value(1),
                contentType: try row.value(2), size: try row.value(3, as: Int.self), sha256: try row.value(4),
                content: nil, note: try row.value(6), stored: try row.value(5, as: Bool.self))
        }
    }

    public func documentContent(sha256: String) async throws(StoreError) -> [UInt8]? {
        try await read("read a document", "SELECT content FROM blobs WHERE sha256 = \(sha256)") {
            try $0.value(0, as: ByteBuffer.self).bytes
        }.first
    }

    public func checkpoint(_ name: String) async throws(StoreError) -> String? {
        try await read("read a checkpoint", "SELECT value FROM checkpoints WHERE name = \(name)") {
            try $0.value(0, as: String.self)
        }.first
    }

    public func saveCheckpoint(_ name: String, value: String, at now: Date) async throws(StoreError) {
        _ = try await read(
            "save a checkpoint",
            """
            INSERT INTO checkpoints (name, value, updated_at) VALUES (\(name), \(value), \(Instant(now)))
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """
        ) { _ in () }
    }

    // MARK: reading

    /// The columns ``appeal(_:)`` reads, in the order it reads them.
    static let appealColumns = """
        id, channel, source_key, kind, status, department, co_executors, urgent, policy, received_at, registered_at,
        due, text, subject, applicant_name, applicant_phone, applicant_email, applicant_address, region, country,
        language, tags, forward_to, routing, extra::text, next_check, escalations, extensions, answered_at, closed_at,
        last_event_seq, deadline_from
        """

    /// An appeal from a row of ``appealColumns``.
    static func appeal(_ row: PostgresRandomAccessRow) throws -> Appeal {
        let id = try row.value(0, as: Int64.self)
        guard let channel = MurojaatCore.Channel(rawValue: try row.value(1)),
            let kind = Kind(rawValue: try row.value(3)),
            let status = Status(rawValue: try row.value(4))
        else { throw StoreError(.corrupt, "appeal \(id) has a channel, kind or status this version does not know") }
        guard id >= 0 && id <= TrackingNumber.maxSequence else {
            throw StoreError(.corrupt, "appeal \(id) has an id no tracking number can be made of")
        }
        return Appeal(
            id: id, tracking: TrackingNumber(sequence: id), channel: channel, sourceKey: try row.value(2), kind: kind,
            status: status, department: try row.value(5), coExecutors: try row.value(6), urgent: try row.value(7),
            policy: try row.value(8), receivedAt: try row.value(9, as: Instant.self).date,
            registeredAt: try row.value(10, as: Instant.self).date, due: try row.value(11, as: Day?.self)?.day,
            text: try row.value(12), subject: try row.value(13),
            applicant: Applicant(
                name: try row.value(14), phone: try row.value(15), email: try row.value(16),
                address: try row.value(17)),
            region: try row.value(18), country: try row.value(19), language: try row.value(20),
            tags: try row.value(21), forwardTo: try row.value(22), routing: try row.value(23),
            extra: try Codecs.map(try row.value(24, as: String.self)),
            control: Appeal.Control(
                nextCheck: try row.value(25, as: Day?.self)?.day, escalations: try row.value(26),
                extensions: try row.value(27, as: Int.self),
                answeredAt: try row.value(28, as: Instant?.self)?.date,
                closedAt: try row.value(29, as: Instant?.self)?.date, sequence: try row.value(30, as: Int.self),
                deadlineFrom: try row.value(31, as: Instant?.self)?.date))
    }

    public func appeal(id: Int64) async throws(StoreError) -> Appeal? {
        try await read(
            "read an appeal", "SELECT \(unescaped: Self.appealColumns) FROM appeals WHERE id = \(id)", Self.appeal
        ).first
    }

    public func appeal(tracking: TrackingNumber) async throws(StoreError) -> Appeal? {
        try await appeal(id: tracking.sequence)
    }

    public func appeals(_ query: AppealQuery) async throws(StoreError) -> [Appeal] {
        var sql = PostgresQuery(unsafeSQL: "SELECT \(Self.appealColumns) FROM appeals WHERE true")
        if let department = query.department {
            sql.binds.append(department)
            sql.sql += " AND department = $\(sql.binds.count)"
        }
        if let status = query.status {
            sql.binds.append(status.rawValue)
            sql.sql += " AND status = $\(sql.binds.count)"
        }
        if let channel = query.channel {
            sql.binds.append(channel.rawValue)
            sql.sql += " AND channel = $\(sql.binds.count)"
        }
        if let dueBefore = query.dueBefore {
            sql.binds.append(Day(dueBefore))
            sql.sql += " AND due < $\(sql.binds.count)"
        }
        if let urgent = query.urgent {
            sql.binds.append(urgent)
            sql.sql += " AND urgent = $\(sql.binds.count)"
        }
        if query.openOnly { sql.sql += " AND status IN (\(Migrations.openStatuses))" }
        // By deadline, those without one last (ascending b-tree order puts NULL last: the indexes serve it).
        // Urgent first: the urgent ones read in that order from appeals_urgent (by status) or appeals_urgent_queue
        // (by department), then the others, each part stopping after the page; the outer sort orders at most two
        // pages.
        if query.urgentFirst {
            let enough = query.limit + query.offset
            let part = sql.sql
            sql.sql = """
                SELECT * FROM ((\(part) AND urgent ORDER BY due, id LIMIT \(enough))
                UNION ALL (\(part) AND NOT urgent ORDER BY due, id LIMIT \(enough))) AS page
                """
            sql.binds.append(query.limit)
            sql.binds.append(query.offset)
            sql.sql += " ORDER BY urgent DESC, due, id LIMIT $\(sql.binds.count - 1) OFFSET $\(sql.binds.count)"
            return try await read("list appeals", sql, Self.appeal)
        }
        sql.binds.append(query.limit)
        sql.binds.append(query.offset)
        sql.sql += " ORDER BY due, id LIMIT $\(sql.binds.count - 1) OFFSET $\(sql.binds.count)"
        return try await read("list appeals", sql, Self.appeal)
    }

    public func history(of appealID: Int64) async throws(StoreError) -> [StoredEvent] {
        try await read(
            "read the history",
            """
            SELECT appeal_id, seq, at, actor, kind, why, data::text, status, prev_hash, hash FROM events
            WHERE appeal_id = \(appealID) ORDER BY seq
            """, Self.storedEvent)
    }

    static func storedEvent(_ row: PostgresRandomAccessRow) throws -> StoredEvent {
        StoredEvent(
            appealID: try row.value(0), sequence: try row.value(1, as: Int.self),
            event: AppealEvent(
                at: try row.value(2, as: Instant.self).date, actor: try row.value(3),
                kind: AppealEvent.Kind(rawValue: try row.value(4)), why: try row.value(5),
                data: try Codecs.map(try row.value(6, as: String.self)),
                status: try row.value(7, as: String?.self).flatMap(Status.init(rawValue:))),
            hash: try row.value(9), previousHash: try row.value(8))
    }

    public func assignments(of appealID: Int64) async throws(StoreError) -> [Assignment] {
        try await read(
            "read assignments",
            """
            SELECT department, role, assigned_at, assigned_by, active FROM assignments
            WHERE appeal_id = \(appealID) ORDER BY id
            """
        ) { row in
            Assignment(
                department: try row.value(0), role: Assignment.Role(rawValue: try row.value(1)) ?? .co,
                assignedAt: try row.value(2, as: Instant.self).date, assignedBy: try row.value(3),
                active: try row.value(4))
        }
    }

    // MARK: quarantine

    public func quarantine(_ records: [QuarantineRecord]) async throws(StoreError) -> Int {
        if records.isEmpty { return 0 }
        let logger = self.logger
        return try await transaction("quarantine records") { connection in
            var rows = BulkInsert()
            rows.column("channel", records.map(\.channel.rawValue))
            rows.column("source", records.map(\.source))
            rows.column("position", records.map(\.position))
            rows.column("reason", records.map(\.reason.en))
            rows.column("reason_uz", records.map(\.reason.uz))
            rows.column("reason_ru", records.map(\.reason.ru))
            rows.column("raw", records.map { ByteBuffer(bytes: $0.raw) })
            rows.column("raw_sha256", records.map { EventChain.digest($0.raw) })
            rows.column("source_key", records.map(\.sourceKey))
            rows.column("created_at", records.map { Instant($0.at) })
            // The same bytes from the same source are kept once, also twice within the batch.
            return try await connection.rows(
                rows.query(into: "quarantine", "ON CONFLICT (channel, source, raw_sha256) DO NOTHING RETURNING id"),
                logger
            ) { _ in () }.count
        }
    }

    static let quarantineColumns =
        "id, channel, source, position, reason, raw, source_key, created_at, resolved, reason_uz, reason_ru"

    static func quarantineEntry(_ row: PostgresRandomAccessRow) throws -> QuarantineEntry {
        QuarantineEntry(
            id: try row.value(0),
            record: QuarantineRecord(
                channel: MurojaatCore.Channel(rawValue: try row.value(1)) ?? .call, source: try row.value(2),
                position: try row.value(3),
                reason: Wording(stored: try row.value(4), uz: try row.value(9), ru: try row.value(10)),
                raw: try row.value(5, as: ByteBuffer.self).bytes, sourceKey: try row.value(6),
                at: try row.value(7, as: Instant.self).date),
            resolved: try row.value(8))
    }

    public func quarantined(_ query: QuarantineQuery) async throws(StoreError) -> [QuarantineEntry] {
        try await read(
            "list the quarantine",
            """
            SELECT id, channel, source, position, reason,
                CASE WHEN \(query.rawPrefix ?? -1)::int < 0 THEN raw
                    ELSE substring(raw FROM 1 FOR \(query.rawPrefix ?? 0)::int) END,
                source_key, created_at, resolved, reason_uz, reason_ru
            FROM quarantine WHERE (NOT resolved OR \(query.includeResolved)) AND id < \(query.before ?? Int64.max)
            ORDER BY id \(unescaped: query.newestFirst ? "DESC" : "ASC") LIMIT \(query.limit)
            """, Self.quarantineEntry)
    }

    public func quarantineEntry(id: Int64) async throws(StoreError) -> QuarantineEntry? {
        try await read(
            "read a quarantined record",
            "SELECT \(unescaped: Self.quarantineColumns) FROM quarantine WHERE id = \(id)", Self.quarantineEntry
        ).first
    }

    public func resolveQuarantine(id: Int64) async throws(StoreError) {
        let changed = try await read(
            "resolve a quarantined record", "UPDATE quarantine SET resolved = true WHERE id = \(id) RETURNING id"
        ) { _ in () }
        guard changed.count == 1 else { throw StoreError.noQuarantined(id: id) }
    }

    /// The `change_stamp` sequence, which every statement writing appeals or events moves, in any instance.
    public func changeStamp() async throws(StoreError) -> Int64 {
        let rows = try await read(
            "read the change stamp", "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_stamp"
        ) { row in
            try row.value(0, as: Int64.self)
        }
        return rows.first ?? 0
    }

    public func counts() async throws(StoreError) -> StoreCounts {
        let rows = try await read(
            "count",
            """
            SELECT (SELECT count(*) FROM inbox WHERE state = 'pending'), (SELECT count(*) FROM appeals),
                (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine WHERE NOT resolved)
            """
        ) { row in
            StoreCounts(
                inboxPending: try row.value(0, as: Int.self), appeals: try row.value(1, as: Int.self),
                events: try row.value(2, as: Int.self), quarantined: try row.value(3, as: Int.self))
        }
        return rows.first ?? StoreCounts(inboxPending: 0, appeals: 0, events: 0, quarantined: 0)
    }
}
