public import Foundation
import Logging
public import MurojaatCore
import PostgresNIO
public import Store

extension PostgresStore {
    // MARK: changes

    public func apply(_ changes: [AppealChange]) async throws(StoreError) -> ApplyResult {
        if changes.isEmpty { return ApplyResult() }
        let logger = self.logger
        return try await transaction("apply tracker changes") { connection in
            var result = ApplyResult()
            for change in changes {
                // The row lock keeps another process from deciding on this appeal until the change commits; a
                // process that decided on the old version then finds the count moved on.
                guard
                    let (current, head) = try await connection.rows(
                        "SELECT last_event_seq, last_event_hash FROM appeals WHERE id = \(change.appealID) FOR UPDATE",
                        logger, { row in (try row.value(0, as: Int.self), try row.value(1, as: String.self)) }
                    ).first
                else { throw StoreError.noAppeal(id: change.appealID) }
                guard current == change.expectedSequence else {
                    result.conflicts.append(change.appealID)
                    continue
                }
                var sequence = current
                var hash = head
                var events: [StoredEvent] = []
                for event in change.events {
                    let next = EventChain.hash(
                        previous: hash, appealID: change.appealID, sequence: sequence + 1, event: event)
                    events.append(
                        StoredEvent(
                            appealID: change.appealID, sequence: sequence + 1, event: event, hash: next,
                            previousHash: hash))
                    sequence += 1
                    hash = next
                }
                try await Self.insert(events, connection, logger)
                result.stored += events
                let lastStatus = change.events.last { $0.status != nil }.flatMap { event in
                    event.status.map { ($0, event.at) }
                }
                // One write of the appeal row for the whole change.
                try await Self.update(
                    change.appealID, sequence: sequence, hash: hash, status: lastStatus, change.updates, connection,
                    logger)
                if let assignments = change.assignments, let first = change.events.first {
                    try await connection.run(
                        "UPDATE assignments SET active = false WHERE appeal_id = \(change.appealID) AND active",
                        logger)
                    if !assignments.isEmpty {
                        var rows = BulkInsert()
                        rows.column("appeal_id", assignments.map { _ in change.appealID })
                        rows.column("department", assignments.map(\.department))
                        rows.column("role", assignments.map(\.role.rawValue))
                        rows.column("assigned_at", assignments.map { _ in Instant(first.at) })
                        rows.column("assigned_by", assignments.map { _ in first.actor })
                        try await connection.run(rows.query(into: "assignments"), logger)
                    }
                }
                if !change.notices.isEmpty {
                    _ = try await Self.insert(change.notices.map { ($0, change.appealID) }, connection, logger)
                }
                if !change.documents.isEmpty {
                    try await Self.append(change.documents, toAppeal: change.appealID, connection, logger)
                }
                let createdAt = Instant(millis: change.events.first.map { Instant($0.at).millis } ?? 0)
                if !change.tasks.isEmpty {
                    var rows = BulkInsert()
                    rows.column("appeal_id", change.tasks.map { _ in change.appealID })
                    rows.column("kind", change.tasks.map(\.kind))
                    rows.column("due", change.tasks.map { Day($0.due) })
                    rows.column("note", change.tasks.map(\.note))
                    rows.column("created_at", change.tasks.map { _ in createdAt })
                    try await connection.run(rows.query(into: "tasks"), logger)
                }
                for task in change.completedTasks {
                    let done = try await connection.rows(
                        """
                        UPDATE tasks SET done_at = \(createdAt)
                        WHERE id = \(task) AND appeal_id = \(change.appealID) AND done_at IS NULL RETURNING id
                        """, logger
                    ) { _ in () }
                    guard done.count == 1 else {
                        throw StoreError.taskNotOpen(task, appealID: change.appealID)
                    }
                }
            }
            return result
        }
    }

    /// Keeps files with an appeal, numbered after the documents it came with.
    static func append(
        _ documents: [Document], toAppeal appealID: Int64, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard
            let (channel, sourceKey, next) = try await connection.rows(
                """
                SELECT a.channel, a.source_key, COALESCE(MAX(d.position) + 1, 0)
                FROM appeals a LEFT JOIN documents d ON d.channel = a.channel AND d.source_key = a.source_key
                WHERE a.id = \(appealID) GROUP BY a.id
                """, logger,
                { row in
                    (
                        try row.value(0, as: String.self), try row.value(1, as: String.self),
                        try row.value(2, as: Int.self)
                    )
                }
            ).first
        else { throw StoreError.noAppeal(id: appealID) }
        try await saveBlobs(
            documents.compactMap { document in
                document.stored ? document.content.map { (document.sha256, $0) } : nil
            }, connection, logger)
        var rows = BulkInsert()
        rows.column("channel", documents.map { _ in channel })
        rows.column("source_key", documents.map { _ in sourceKey })
        rows.column("position", documents.indices.map { Int32(next + $0) })
        rows.column("role", documents.map(\.role.rawValue))
        rows.column("name", documents.map(\.name))
        rows.column("content_type", documents.map(\.contentType))
        rows.column("size", documents.map { Int64($0.size) })
        rows.column("sha256", documents.map(\.sha256))
        rows.column("stored", documents.map { $0.stored && $0.content != nil })
        rows.column("note", documents.map(\.note))
        try await connection.run(rows.query(into: "documents"), logger)
    }

    /// Writes the appeal row once for a change: the chain's head, the status its events reached (with the clock
    /// columns that follow from it unless the change sets them itself), and the change's fields.
    static func update(
        _ appealID: Int64, sequence: Int, hash: String, status: (Status, Date)?, _ updates: [AppealField],
        _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        var query = PostgresQuery(unsafeSQL: "UPDATE appeals SET ")
        var columns: [String] = []
        var explicit: Set<String> = []
        func set<Value: PostgresNonThrowingEncodable>(_ column: String, _ value: Value?) {
            query.binds.append(value)
            columns.append("\(column) = $\(query.binds.count)")
            explicit.insert(column)
        }
        set("last_event_seq", Int32(sequence))
        set("last_event_hash", hash)
        for update in updates {
            switch update {
            case .department(let code): set("department", code)
            case .coExecutors(let codes): set("co_executors", codes)
            case .kind(let kind): set("kind", kind.rawValue)
            case .policy(let name): set("policy", name)
            case .due(let day): set("due", day.map(Day.init))
            case .nextCheck(let day): set("next_check", day.map(Day.init))
            case .escalations(let steps): set("escalations", steps)
            case .extensions(let count): set("extensions", Int32(count))
            case .answeredAt(let at): set("answered_at", at.map(Instant.init))
            case .closedAt(let at): set("closed_at", at.map(Instant.init))
            case .forwardTo(let body): set("forward_to", body)
            case .tags(let tags): set("tags", tags)
            case .deadlineFrom(let at): set("deadline_from", at.map(Instant.init))
            }
        }
        if let (status, at) = status {
            set("status", status.rawValue)
            // Ending consideration ends the clock, as in `append`, unless the change says otherwise.
            if !status.isOpen {
                if !explicit.contains("closed_at") {
                    query.binds.append(Instant(at))
                    columns.append("closed_at = COALESCE(closed_at, $\(query.binds.count))")
                }
                if !explicit.contains("next_check") { columns.append("next_check = NULL") }
            }
            if status == .answered && !explicit.contains("answered_at") {
                query.binds.append(Instant(at))
                columns.append("answered_at = COALESCE(answered_at, $\(query.binds.count))")
            }
        }
        query.binds.append(appealID)
        query.sql += columns.joined(separator: ", ") + " WHERE id = $\(query.binds.count)"
        try await connection.run(query, logger)
    }

    /// Writes notices (each with the appeal it belongs to unless it names one) with their attachments
    /// (content-addressed, like documents). Returns how many were new: one whose dedup key exists already, or
    /// comes twice in the batch, is skipped.
    static func insert(
        _ notices: [(Notice, Int64?)], _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Int {
        if notices.isEmpty { return 0 }
        var blobs: [(String, [UInt8])] = []
        var listings: [String] = []
        for (notice, _) in notices {
            var entries: [[String: String]] = []
            for attachment in notice.attachments {
                let sha256 = EventChain.digest(attachment.content)
                blobs.append((sha256, attachment.content))
                entries.append(["name": attachment.name, "content_type": attachment.contentType, "sha256": sha256])
            }
            listings.append(Codecs.attachmentListing(entries))
        }
        try await saveBlobs(blobs, connection, logger)
        var rows = BulkInsert()
        rows.column("kind", notices.map(\.0.kind))
        rows.column("appeal_id", notices.map { $0.0.appealID ?? $0.1 })
        rows.column("dedup_key", notices.map(\.0.dedupKey))
        rows.column("recipients", notices.map { Self.list($0.0.to) }, "$::text[]")
        rows.column("cc", notices.map { Self.list($0.0.cc) }, "$::text[]")
        rows.column("subject", notices.map(\.0.subject))
        rows.column("body_text", notices.map(\.0.text))
        rows.column("body_html", notices.map(\.0.html))
        rows.column("attachments", listings, "$::jsonb")
        rows.column("created_at", notices.map { Instant($0.0.createdAt) })
        rows.column("next_attempt_at", notices.map { Instant($0.0.createdAt) })
        return try await connection.rows(
            rows.query(into: "outbox", "ON CONFLICT (dedup_key) DO NOTHING RETURNING id"), logger
        ) { _ in () }.count
    }

    // MARK: sweeping and recomputing

    public func appealsToCheck(on day: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        try await read(
            "find appeals to check",
            """
            SELECT \(unescaped: Self.appealColumns) FROM appeals
            WHERE next_check IS NOT NULL AND next_check <= \(Day(day)) ORDER BY next_check, id LIMIT \(limit)
            """, Self.appeal)
    }

    public func deadlineBases(after id: Int64, limit: Int) async throws(StoreError) -> [DeadlineBasis] {
        try await read(
            "read deadlines",
            """
            SELECT id, kind, policy, deadline_from, due, last_event_seq, escalations FROM appeals
            WHERE id > \(id) AND status IN (\(unescaped: Migrations.openStatuses)) ORDER BY id LIMIT \(limit)
            """
        ) { row in
            DeadlineBasis(
                id: try row.value(0), kind: Kind(rawValue: try row.value(1)) ?? .ariza, policy: try row.value(2),
                deadlineFrom: try row.value(3, as: Instant?.self)?.date, due: try row.value(4, as: Day?.self)?.day,
                sequence: try row.value(5, as: Int.self), escalations: try row.value(6))
        }
    }

    // MARK: report figures

    public func departmentFigures(_ query: FiguresQuery) async throws(StoreError) -> [DepartmentFigures] {
        // Open at the moment: received before it and not closed by then. Late: answered after the end of the due
        // day in the calendar's zone (midnight after the due day, UTC, less the zone's offset).
        let at = Instant(query.at)
        let day = Day(query.day)
        let from = Instant(query.answeredFrom)
        let until = Instant(query.answeredUntil)
        let open = "received_at < $1 AND (closed_at IS NULL OR closed_at >= $1)"
        let answered = "answered_at >= $4 AND answered_at < $5"
        var sql = PostgresQuery(
            unsafeSQL: """
                SELECT department,
                    count(*) FILTER (WHERE \(open)),
                    count(*) FILTER (WHERE \(open) AND due > $2 AND due <= $3),
                    count(*) FILTER (WHERE \(open) AND due = $2),
                    count(*) FILTER (WHERE \(open) AND due < $2),
                    count(*) FILTER (WHERE \(open) AND extensions > 0),
                    count(*) FILTER (WHERE \(answered)),
                    count(*) FILTER (WHERE \(answered)
                        AND answered_at >= ((due + 1)::timestamp - make_interval(secs => $6)) AT TIME ZONE 'UTC')
                FROM appeals GROUP BY department ORDER BY department NULLS FIRST
                """)
        sql.binds.append(at)
        sql.binds.append(day)
        sql.binds.append(Day(query.dueSoonThrough))
        sql.binds.append(from)
        sql.binds.append(until)
        sql.binds.append(Double(query.zoneOffsetSeconds))
        return try await read("count the report's figures", sql) { row in
            DepartmentFigures(
                department: try row.value(0),
                figures: ControlFigures(
                    open: try row.value(1), dueSoon: try row.value(2), dueToday: try row.value(3),
                    overdue: try row.value(4), extended: try row.value(5), answered: try row.value(6),
                    answeredLate: try row.value(7)))
        }.filter { $0.figures.open + $0.figures.answered > 0 }
    }

    public func overdueAppeals(at: Date, dueBefore: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        // Open now, or closed only after the moment: what was open then.
        let moment = Instant(at)
        return try await read(
            "list overdue appeals",
            """
            SELECT \(unescaped: Self.appealColumns) FROM appeals
            WHERE due < \(Day(dueBefore)) AND received_at < \(moment)
                AND (status IN (\(unescaped: Migrations.openStatuses)) OR closed_at >= \(moment))
            ORDER BY due, id LIMIT \(limit)
            """, Self.appeal)
    }

    public func intake(from: Date, until: Date) async throws(StoreError) -> [MurojaatCore.Channel: Int] {
        let rows = try await read(
            "count the intake",
            """
            SELECT channel, count(*) FROM appeals
            WHERE received_at >= \(Instant(from)) AND received_at < \(Instant(until)) GROUP BY channel
            """
        ) { row in (try row.value(0, as: String.self), try row.value(1, as: Int.self)) }
        var counts: [MurojaatCore.Channel: Int] = [:]
        for (name, count) in rows {
            if let channel = MurojaatCore.Channel(rawValue: name) { counts[channel] = count }
        }
        return counts
    }

    // MARK: outbox

    public func keepReport(_ report: KeptReport) async throws(StoreError) -> KeptReport {
        let logger = self.logger
        return try await transaction("keep the daily report of \(report.date.iso)") { connection in
            try await connection.run(
                """
                INSERT INTO daily_reports (date, kept_at, body)
                VALUES (\(Day(report.date)), \(Instant(report.keptAt)), \(ByteBuffer(bytes: report.body)))
                ON CONFLICT (date) DO NOTHING
                """, logger)
            guard
                let kept = try await connection.rows(
                    "SELECT kept_at, body FROM daily_reports WHERE date = \(Day(report.date))", logger,
                    { row in
                        KeptReport(
                            date: report.date, keptAt: try row.value(0, as: Instant.self).date,
                            body: try row.value(1, as: ByteBuffer.self).bytes)
                    }
                ).first
            else { throw StoreError(.failed, "the daily report of \(report.date.iso) was not kept") }
            return kept
        }
    }

    public func keptReport(for date: LocalDate) async throws(StoreError) -> KeptReport? {
        try await read(
            "read the kept daily report of \(date.iso)",
            "SELECT kept_at, body FROM daily_reports WHERE date = \(Day(date))"
        ) { row in
            KeptReport(
                date: date, keptAt: try row.value(0, as: Instant.self).date,
                body: try row.value(1, as: ByteBuffer.self).bytes)
        }.first
    }

    public func enqueueNotices(_ notices: [Notice]) async throws(StoreError) -> Int {
        if notices.isEmpty { return 0 }
        let logger = self.logger
        return try await transaction("write notices") { connection in
            try await Self.insert(notices.map { ($0, nil) }, connection, logger)
        }
    }

    static let outboxColumns = """
        id, kind, appeal_id, recipients, cc, subject, body_text, body_html, attachments::text, dedup_key, created_at,
        state, attempts, sent_at, last_error
        """

    public func claimOutbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [OutboxItem] {
        let nowInstant = Instant(now)
        let until = Instant(
            millis: nowInstant.millis + lease.components.seconds * 1000 + lease.components.attoseconds
                / 1_000_000_000_000_000)
        let logger = self.logger
        return try await transaction("claim notices") { connection in
            let rows = try await connection.rows(
                """
                UPDATE outbox SET lease_until = \(until), attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= \(nowInstant)
                        AND (lease_until IS NULL OR lease_until < \(nowInstant))
                    ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.outboxColumns)
                """, logger
            ) { row in row }
            var items: [OutboxItem] = []
            for row in rows { items.append(try await Self.outboxItem(row, withContent: connection, logger)) }
            return items.sorted { $0.id < $1.id }
        }
    }

    public func markSent(_ id: Int64, at: Date) async throws(StoreError) {
        _ = try await read(
            "mark a notice sent",
            """
            UPDATE outbox SET state = 'sent', sent_at = \(Instant(at)), lease_until = NULL, last_error = NULL
            WHERE id = \(id)
            """
        ) { _ in () }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws(StoreError) {
        if let retryAt {
            _ = try await read(
                "record a failed delivery",
                """
                UPDATE outbox SET next_attempt_at = \(Instant(retryAt)), lease_until = NULL, last_error = \(error)
                WHERE id = \(id)
                """
            ) { _ in () }
        } else {
            _ = try await read(
                "record a failed delivery",
                "UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = \(error) WHERE id = \(id)"
            ) { _ in () }
        }
    }

    public func outbox(state: OutboxItem.State?, limit: Int) async throws(StoreError) -> [OutboxItem] {
        let logger = self.logger
        let rows = try await read(
            "list the outbox",
            """
            SELECT \(unescaped: Self.outboxColumns) FROM outbox
            WHERE \(state?.rawValue)::text IS NULL OR state = \(state?.rawValue) ORDER BY id LIMIT \(limit)
            """
        ) { row in row }
        var items: [OutboxItem] = []
        for row in rows {
            do {
                items.append(try await Self.outboxItem(row, withContent: nil, logger))
            } catch {
                throw Self.failure(error, "list the outbox", endpoint: endpoint)
            }
        }
        return items
    }

    /// An outbox row of ``outboxColumns``; attachment bytes are read only when `connection` is given (for sending,
    /// not for listing).
    static func outboxItem(
        _ row: PostgresRandomAccessRow, withContent connection: PostgresConnection?, _ logger: Logger
    ) async throws -> OutboxItem {
        let id = try row.value(0, as: Int64.self)
        var attachments: [Notice.Attachment] = []
        for entry in try Codecs.attachmentEntries(try row.value(8, as: String.self)) {
            let sha256 = entry["sha256"] ?? ""
            var content: [UInt8] = []
            if let connection {
                guard
                    let stored = try await connection.rows(
                        "SELECT content FROM blobs WHERE sha256 = \(sha256)", logger,
                        { try $0.value(0, as: ByteBuffer.self).bytes }
                    ).first
                else { throw StoreError(.corrupt, "outbox item \(id) lacks its attachment \(sha256)") }
                content = stored
            }
            attachments.append(
                Notice.Attachment(
                    name: entry["name"] ?? "attachment",
                    contentType: entry["content_type"] ?? "application/octet-stream", content: content))
        }
        return OutboxItem(
            id: id,
            notice: Notice(
                kind: try row.value(1), appealID: try row.value(2), to: try row.value(3), cc: try row.value(4),
                subject: try row.value(5), text: try row.value(6), html: try row.value(7), attachments: attachments,
                dedupKey: try row.value(9), createdAt: try row.value(10, as: Instant.self).date),
            state: OutboxItem.State(rawValue: try row.value(11)) ?? .pending, attempts: try row.value(12, as: Int.self),
            sentAt: try row.value(13, as: Instant?.self)?.date, lastError: try row.value(14))
    }

    // MARK: tasks

    static let taskColumns = "id, appeal_id, kind, due, note, created_at, done_at"

    public func tasks(of appealID: Int64) async throws(StoreError) -> [AppealTask] {
        try await read(
            "read tasks",
            "SELECT \(unescaped: Self.taskColumns) FROM tasks WHERE appeal_id = \(appealID) ORDER BY id", Self.task)
    }

    public func openTasks(dueThrough: LocalDate?) async throws(StoreError) -> [AppealTask] {
        let through = dueThrough.map(Day.init)
        return try await read(
            "list open tasks",
            """
            SELECT \(unescaped: Self.taskColumns) FROM tasks
            WHERE done_at IS NULL AND (\(through)::date IS NULL OR due <= \(through)) ORDER BY due, id
            """, Self.task)
    }

    static func task(_ row: PostgresRandomAccessRow) throws -> AppealTask {
        AppealTask(
            id: try row.value(0), appealID: try row.value(1), kind: try row.value(2),
            due: try row.value(3, as: Day.self).day, note: try row.value(4),
            createdAt: try row.value(5, as: Instant.self).date, doneAt: try row.value(6, as: Instant?.self)?.date)
    }
}
