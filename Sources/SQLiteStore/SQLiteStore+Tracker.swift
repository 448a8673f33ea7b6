public import Foundation
import GRDB
public import MurojaatCore
public import Store

extension SQLiteStore {
    static let openStatuses = Status.allCases.filter(\.isOpen).map { "'\($0.rawValue)'" }.joined(separator: ",")
    /// "Open" as the open queue's partial index says it (migration v8), for the queries that index serves.
    static let openQueueCondition =
        "(" + Status.allCases.filter(\.isOpen).map { "status = '\($0.rawValue)'" }.joined(separator: " OR ") + ")"

    // MARK: changes

    public func apply(_ changes: [AppealChange]) async throws(StoreError) -> ApplyResult {
        if changes.isEmpty { return ApplyResult() }
        // What each change writes is made before the write lock is taken (a recomputation holds it for 10,000
        // moves at a time): its events' rows, hashes chained from the appeal's last event as a reader sees it now,
        // and the appeal row's write. The transaction writes the row only where the chain still ends where the
        // change expects, which is where those hashes were chained from; a chain that a reader saw elsewhere is
        // read again in the transaction, as before.
        let heads = try await chainHeads(changes.map(\.appealID))
        let prepared = changes.map { change -> (AppealChange, ChangeRows?) in
            guard let head = heads[change.appealID], head.sequence == change.expectedSequence else {
                return (change, nil)
            }
            return (change, ChangeRows(change, after: head))
        }
        return try await write("apply tracker changes") { db in
            var result = ApplyResult()
            for (change, made) in prepared {
                let rows: ChangeRows
                if let made {
                    rows = made
                } else {
                    guard let head = try Self.chainHead(change.appealID, in: db) else {
                        throw StoreError.noAppeal(id: change.appealID)
                    }
                    guard head.sequence == change.expectedSequence else {
                        result.conflicts.append(change.appealID)
                        continue
                    }
                    rows = ChangeRows(change, after: head)
                }
                // One write of the appeal row for the whole change: a recomputation moves 120,000 deadlines, and
                // each extra UPDATE rewrites the row and the indexes on the columns it names.
                guard try rows.update.execute(change.appealID, expecting: change.expectedSequence, in: db) else {
                    // Moved on since a reader saw it.
                    guard try Self.chainHead(change.appealID, in: db) != nil else {
                        throw StoreError.noAppeal(id: change.appealID)
                    }
                    result.conflicts.append(change.appealID)
                    continue
                }
                for row in rows.events {
                    try Self.insert(row, in: db)
                    result.stored.append(row.stored)
                }
                if let assignments = change.assignments, let first = change.events.first {
                    try db.execute(
                        sql: "UPDATE assignments SET active = 0 WHERE appeal_id = ? AND active = 1",
                        arguments: [change.appealID])
                    for assignment in assignments {
                        try db.execute(
                            sql: """
                                INSERT INTO assignments (appeal_id, department, role, assigned_at, assigned_by)
                                VALUES (?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                change.appealID, assignment.department, assignment.role.rawValue,
                                Codecs.millis(first.at), first.actor,
                            ])
                    }
                }
                if !change.notices.isEmpty {
                    _ = try Self.insert(change.notices, appealID: change.appealID, in: db)
                }
                if !change.documents.isEmpty {
                    try Self.append(change.documents, toAppeal: change.appealID, in: db)
                }
                let createdAt = change.events.first.map { Codecs.millis($0.at) } ?? 0
                for task in change.tasks {
                    try db.execute(
                        sql: "INSERT INTO tasks (appeal_id, kind, due, note, created_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [change.appealID, task.kind, task.due.iso, task.note, createdAt])
                }
                for task in change.completedTasks {
                    try db.execute(
                        sql: "UPDATE tasks SET done_at = ? WHERE id = ? AND appeal_id = ? AND done_at IS NULL",
                        arguments: [createdAt, task, change.appealID])
                    guard db.changesCount == 1 else {
                        throw StoreError.taskNotOpen(task, appealID: change.appealID)
                    }
                }
            }
            return result
        }
    }

    /// Where an appeal's event chain ends: its event count and last hash.
    struct ChainHead: Sendable {
        var sequence: Int
        var hash: String
    }

    /// The chain heads of appeals as a reader sees them now; an appeal that does not exist is left out.
    func chainHeads(_ ids: [Int64]) async throws(StoreError) -> [Int64: ChainHead] {
        try await read("read the appeals' last events") { db in
            var heads: [Int64: ChainHead] = [:]
            heads.reserveCapacity(ids.count)
            for id in ids {
                if let head = try Self.chainHead(id, in: db) { heads[id] = head }
            }
            return heads
        }
    }

    static func chainHead(_ appealID: Int64, in db: Database) throws -> ChainHead? {
        let current = RawStatement(
            try db.cachedStatement(sql: "SELECT last_event_seq, last_event_hash FROM appeals WHERE id = ?"), in: db)
        current.reset()
        current.bind(1, appealID)
        guard try current.next() else { return nil }
        let head = ChainHead(sequence: Int(current.int64(0)), hash: current.text(1) ?? EventChain.genesis)
        // A statement left on a row keeps its read snapshot (see claimInbox).
        current.reset()
        return head
    }

    /// A change's events as rows chained after `head`, and the appeal row's write that goes with them.
    struct ChangeRows: Sendable {
        var events: [EventRow]
        var update: RowUpdate

        init(_ change: AppealChange, after head: ChainHead) {
            var sequence = head.sequence
            var hash = head.hash
            events = []
            events.reserveCapacity(change.events.count)
            for event in change.events {
                let row = EventRow(event, on: change.appealID, after: sequence, previous: hash)
                events.append(row)
                sequence = row.stored.sequence
                hash = row.stored.hash
            }
            update = RowUpdate(
                sequence: sequence, hash: hash,
                status: change.events.last { $0.status != nil }.map { ($0.status!, $0.at) }, change.updates)
        }
    }

    /// Keeps files with an appeal, numbered after the documents it came with.
    static func append(_ documents: [Document], toAppeal appealID: Int64, in db: Database) throws {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.channel, a.source_key, COALESCE(MAX(d.position) + 1, 0) AS next
                    FROM appeals a LEFT JOIN documents d ON d.channel = a.channel AND d.source_key = a.source_key
                    WHERE a.id = ? GROUP BY a.id
                    """, arguments: [appealID])
        else { throw StoreError.noAppeal(id: appealID) }
        var position: Int = row["next"]
        for document in documents {
            if document.stored, let content = document.content {
                try db.execute(
                    sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    arguments: [document.sha256, content.count, Data(content)])
            }
            try db.execute(
                sql: """
                    INSERT INTO documents (channel, source_key, position, role, name, content_type, size, sha256,
                        stored, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row["channel"] as String, row["source_key"] as String, position, document.role.rawValue,
                    document.name, document.contentType, document.size, document.sha256,
                    document.stored && document.content != nil, document.note,
                ])
            position += 1
        }
    }

    /// Writes the appeal row once for a change: the chain's head, the status its events reached (with the clock
    /// columns that follow from it unless the change sets them itself), and the change's fields.
    static func update(
        _ appealID: Int64, sequence: Int, hash: String, status: (Status, Date)?, _ updates: [AppealField],
        in db: Database
    ) throws {
        _ = try RowUpdate(sequence: sequence, hash: hash, status: status, updates).execute(appealID, in: db)
    }

    /// The UPDATE of an appeal row for a change, and its values. The statement is cached per combination of
    /// columns, which a sweep or a recomputation repeats thousands of times.
    struct RowUpdate: Sendable {
        var columns: String
        var values: [SQLValue]

        init(sequence: Int, hash: String, status: (Status, Date)?, _ updates: [AppealField]) {
            var columns = ["last_event_seq = ?", "last_event_hash = ?"]
            var values: [SQLValue] = [.integer(Int64(sequence)), .text(hash)]
            var explicit: Set<String> = []
            for update in updates {
                let (column, value): (String, SQLValue)
                switch update {
                case .department(let code): (column, value) = ("department", .text(code))
                case .coExecutors(let codes): (column, value) = ("co_executors", .text(Codecs.list(codes)))
                case .kind(let kind): (column, value) = ("kind", .text(kind.rawValue))
                case .policy(let name): (column, value) = ("policy", .text(name))
                case .due(let day): (column, value) = ("due", .text(day?.iso))
                case .nextCheck(let day): (column, value) = ("next_check", .text(day?.iso))
                case .escalations(let steps): (column, value) = ("escalations", .text(Codecs.list(steps)))
                case .extensions(let count): (column, value) = ("extensions", .integer(Int64(count)))
                case .answeredAt(let at): (column, value) = ("answered_at", .integer(at.map(Codecs.millis)))
                case .closedAt(let at): (column, value) = ("closed_at", .integer(at.map(Codecs.millis)))
                case .forwardTo(let body): (column, value) = ("forward_to", .text(body))
                case .tags(let tags): (column, value) = ("tags", .text(Codecs.list(tags)))
                case .deadlineFrom(let at): (column, value) = ("deadline_from", .integer(at.map(Codecs.millis)))
                }
                columns.append("\(column) = ?")
                values.append(value)
                explicit.insert(column)
            }
            if let (status, at) = status {
                columns.append("status = ?")
                values.append(.text(status.rawValue))
                // Ending consideration ends the clock, as in `append`, unless the change says otherwise.
                if !status.isOpen {
                    if !explicit.contains("closed_at") {
                        columns.append("closed_at = COALESCE(closed_at, ?)")
                        values.append(.integer(Codecs.millis(at)))
                    }
                    if !explicit.contains("next_check") { columns.append("next_check = NULL") }
                }
                if status == .answered && !explicit.contains("answered_at") {
                    columns.append("answered_at = COALESCE(answered_at, ?)")
                    values.append(.integer(Codecs.millis(at)))
                }
            }
            self.columns = columns.joined(separator: ", ")
            self.values = values
        }

        /// Writes the row; with `sequence`, only while the appeal's chain still has that many events. Returns
        /// whether the row was written.
        func execute(_ appealID: Int64, expecting sequence: Int? = nil, in db: Database) throws -> Bool {
            let condition = sequence == nil ? "" : " AND last_event_seq = ?"
            let statement = RawStatement(
                try db.cachedStatement(sql: "UPDATE appeals SET " + columns + " WHERE id = ?" + condition), in: db)
            statement.reset()
            for (index, value) in values.enumerated() {
                switch value {
                case .text(let text): statement.bind(Int32(index + 1), text)
                case .integer(let number): statement.bind(Int32(index + 1), number)
                }
            }
            statement.bind(Int32(values.count + 1), appealID)
            if let sequence { statement.bind(Int32(values.count + 2), sequence) }
            return try statement.execute() > 0
        }
    }

    enum SQLValue {
        case text(String?)
        case integer(Int64?)
    }

    /// Writes notices with their attachments (content-addressed, like documents). Returns how many were
    /// new: one whose dedup key exists already is skipped.
    static func insert(_ notices: [Notice], appealID: Int64?, in db: Database) throws -> Int {
        var added = 0
        for notice in notices {
            var attachments: [[String: String]] = []
            for attachment in notice.attachments {
                let sha256 = EventChain.digest(attachment.content)
                try db.execute(
                    sql: "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    arguments: [sha256, attachment.content.count, Data(attachment.content)])
                attachments.append([
                    "name": attachment.name, "content_type": attachment.contentType, "sha256": sha256,
                ])
            }
            let listing = String(decoding: try JSONSerialization.data(withJSONObject: attachments), as: UTF8.self)
            let created = Codecs.millis(notice.createdAt)
            try db.execute(
                sql: """
                    INSERT INTO outbox (kind, appeal_id, dedup_key, recipients, cc, subject, body_text, body_html,
                        attachments, created_at, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING
                    """,
                arguments: [
                    notice.kind, notice.appealID ?? appealID, notice.dedupKey,
                    Codecs.list(notice.to), Codecs.list(notice.cc), notice.subject,
                    notice.text, notice.html, listing, created, created,
                ])
            added += db.changesCount
        }
        return added
    }

    // MARK: sweeping and recomputing

    public func appealsToCheck(on day: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        try await read("find appeals to check") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.appealColumns) FROM appeals
                    WHERE next_check IS NOT NULL AND next_check <= ? ORDER BY next_check, id LIMIT ?
                    """, arguments: [day.iso, limit]
            ).map(Self.appeal)
        }
    }

    public func deadlineBases(after id: Int64, limit: Int) async throws(StoreError) -> [DeadlineBasis] {
        // `+status` keeps SQLite from choosing the status index: it would collect every open appeal and sort them
        // for each page, where walking the primary key from `id` reads just the page.
        try await read("read deadlines") { db in
            // Read through the C API: a recomputation reads every open appeal, and GRDB's rows cost more than
            // SQLite's own work here.
            let page = RawStatement(
                try db.cachedStatement(
                    sql: """
                        SELECT id, kind, policy, deadline_from, due, last_event_seq, escalations FROM appeals
                        WHERE id > ? AND +status IN (\(Self.openStatuses)) ORDER BY id LIMIT ?
                        """), in: db)
            page.reset()
            page.bind(1, id)
            page.bind(2, limit)
            defer { page.reset() }
            var bases: [DeadlineBasis] = []
            bases.reserveCapacity(limit)
            while try page.next() {
                bases.append(
                    DeadlineBasis(
                        id: page.int64(0), kind: page.text(1).flatMap(Kind.init(rawValue:)) ?? .ariza,
                        policy: page.text(2) ?? "", deadlineFrom: page.isNull(3) ? nil : Codecs.date(page.int64(3)),
                        due: page.text(4).flatMap { LocalDate($0) }, sequence: Int(page.int64(5)),
                        escalations: Codecs.list(page.text(6))))
            }
            return bases
        }
    }

    // MARK: report figures

    public func departmentFigures(_ query: FiguresQuery) async throws(StoreError) -> [DepartmentFigures] {
        // ?1 the moment, ?2 the day, ?3 the last "due soon" day, ?4 and ?5 the answer period, ?6 the zone offset.
        // Open at the moment: received before it and not closed by then. Late: answered after the end of the due
        // day in the calendar's zone.
        let open = "(received_at < ?1 AND (closed_at IS NULL OR closed_at >= ?1))"
        let sql = """
            SELECT department,
                SUM(\(open)),
                SUM(\(open) AND due > ?2 AND due <= ?3),
                SUM(\(open) AND due = ?2),
                SUM(\(open) AND due < ?2),
                SUM(\(open) AND extensions > 0),
                SUM(answered_at >= ?4 AND answered_at < ?5),
                SUM(answered_at >= ?4 AND answered_at < ?5
                    AND answered_at >= (CAST(strftime('%s', due) AS INTEGER) + 86400 - ?6) * 1000)
            FROM appeals INDEXED BY appeals_figures
            GROUP BY department
            """
        let arguments: StatementArguments = [
            Codecs.millis(query.at), query.day.iso, query.dueSoonThrough.iso, Codecs.millis(query.answeredFrom),
            Codecs.millis(query.answeredUntil), query.zoneOffsetSeconds,
        ]
        return try await read("count the report's figures") { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                DepartmentFigures(
                    department: row[0],
                    figures: ControlFigures(
                        open: row[1] ?? 0, dueSoon: row[2] ?? 0, dueToday: row[3] ?? 0, overdue: row[4] ?? 0,
                        extended: row[5] ?? 0, answered: row[6] ?? 0, answeredLate: row[7] ?? 0))
            }.filter { $0.figures.open + $0.figures.answered > 0 }
        }
    }

    public func overdueAppeals(at: Date, dueBefore: LocalDate, limit: Int) async throws(StoreError) -> [Appeal] {
        // Open now (the status index), or closed only after the moment (the few closed since): both halves read
        // an index, never the whole table.
        let moment = Codecs.millis(at)
        return try await read("list overdue appeals") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.appealColumns) FROM appeals
                    WHERE status IN (\(Self.openStatuses)) AND due < ?1 AND received_at < ?2
                    UNION ALL
                    SELECT \(Self.appealColumns) FROM appeals
                    WHERE closed_at >= ?2 AND due < ?1 AND received_at < ?2
                    ORDER BY due, id LIMIT ?3
                    """, arguments: [dueBefore.iso, moment, limit]
            ).map(Self.appeal)
        }
    }

    public func intake(from: Date, until: Date) async throws(StoreError) -> [Channel: Int] {
        try await read("count the intake") { db in
            var counts: [Channel: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, COUNT(*) FROM appeals WHERE received_at >= ? AND received_at < ? GROUP BY channel
                    """, arguments: [Codecs.millis(from), Codecs.millis(until)])
            {
                if let channel = Channel(rawValue: row[0]) { counts[channel] = row[1] }
            }
            return counts
        }
    }

    // MARK: outbox

    public func keepReport(_ report: KeptReport) async throws(StoreError) -> KeptReport {
        try await write("keep the daily report of \(report.date.iso)") { db in
            try db.execute(
                sql: "INSERT INTO daily_reports (date, kept_at, body) VALUES (?, ?, ?) ON CONFLICT (date) DO NOTHING",
                arguments: [report.date.iso, Codecs.millis(report.keptAt), Data(report.body)])
            guard let kept = try Self.keptReport(report.date, db) else {
                throw StoreError(.failed, "the daily report of \(report.date.iso) was not kept")
            }
            return kept
        }
    }

    public func keptReport(for date: LocalDate) async throws(StoreError) -> KeptReport? {
        try await read("read the kept daily report of \(date.iso)") { db in try Self.keptReport(date, db) }
    }

    static func keptReport(_ date: LocalDate, _ db: Database) throws -> KeptReport? {
        try Row.fetchOne(db, sql: "SELECT kept_at, body FROM daily_reports WHERE date = ?", arguments: [date.iso])
            .map { row in
                KeptReport(date: date, keptAt: Codecs.date(row["kept_at"]), body: [UInt8](row["body"] as Data))
            }
    }

    public func enqueueNotices(_ notices: [Notice]) async throws(StoreError) -> Int {
        if notices.isEmpty { return 0 }
        return try await write("write notices") { db in
            try Self.insert(notices, appealID: nil, in: db)
        }
    }

    public func claimOutbox(limit: Int, now: Date, lease: Duration) async throws(StoreError) -> [OutboxItem] {
        let nowMillis = Codecs.millis(now)
        let until = nowMillis + lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        return try await write("claim notices") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE outbox SET lease_until = ?, attempts = attempts + 1
                    WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
                                 AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?)
                    RETURNING *
                    """, arguments: [until, nowMillis, nowMillis, limit])
            return try rows.map { try Self.outboxItem($0, withContent: db) }.sorted { $0.id < $1.id }
        }
    }

    public func markSent(_ id: Int64, at: Date) async throws(StoreError) {
        try await write("mark a notice sent") { db in
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
                arguments: [Codecs.millis(at), id])
        }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws(StoreError) {
        try await write("record a failed delivery") { db in
            if let retryAt {
                try db.execute(
                    sql: "UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
                    arguments: [Codecs.millis(retryAt), error, id])
            } else {
                try db.execute(
                    sql: "UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = ? WHERE id = ?",
                    arguments: [error, id])
            }
        }
    }

    public func outbox(state: OutboxItem.State?, limit: Int) async throws(StoreError) -> [OutboxItem] {
        try await read("list the outbox") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE ? IS NULL OR state = ? ORDER BY id LIMIT ?",
                arguments: [state?.rawValue, state?.rawValue, limit]
            ).map { try Self.outboxItem($0, withContent: nil) }
        }
    }

    /// An outbox row; attachment bytes are read only when `db` is given (for sending, not for listing).
    static func outboxItem(_ row: Row, withContent db: Database?) throws -> OutboxItem {
        let listing: String = row["attachments"]
        let entries = (try? JSONSerialization.jsonObject(with: Data(listing.utf8))) as? [[String: String]] ?? []
        var attachments: [Notice.Attachment] = []
        for entry in entries {
            let sha256 = entry["sha256"] ?? ""
            var content: [UInt8] = []
            if let db {
                guard
                    let data = try Data.fetchOne(
                        db, sql: "SELECT content FROM blobs WHERE sha256 = ?", arguments: [sha256])
                else {
                    throw StoreError(.corrupt, "outbox item \(row["id"] as Int64) lacks its attachment \(sha256)")
                }
                content = Array(data)
            }
            attachments.append(
                Notice.Attachment(
                    name: entry["name"] ?? "attachment",
                    contentType: entry["content_type"] ?? "application/octet-stream",
                    content: content))
        }
        let sentAt: Int64? = row["sent_at"]
        return OutboxItem(
            id: row["id"],
            notice: Notice(
                kind: row["kind"], appealID: row["appeal_id"], to: Codecs.list(row["recipients"] as String?),
                cc: Codecs.list(row["cc"] as String?), subject: row["subject"], text: row["body_text"],
                html: row["body_html"], attachments: attachments, dedupKey: row["dedup_key"],
                createdAt: Codecs.date(row["created_at"])),
            state: OutboxItem.State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
            sentAt: sentAt.map(Codecs.date), lastError: row["last_error"])
    }

    // MARK: tasks

    public func tasks(of appealID: Int64) async throws(StoreError) -> [AppealTask] {
        try await read("read tasks") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tasks WHERE appeal_id = ? ORDER BY id", arguments: [appealID])
                .map(Self.task)
        }
    }

    public func openTasks(dueThrough: LocalDate?) async throws(StoreError) -> [AppealTask] {
        try await read("list open tasks") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM tasks WHERE done_at IS NULL AND (? IS NULL OR due <= ?) ORDER BY due, id
                    """, arguments: [dueThrough?.iso, dueThrough?.iso]
            ).map(Self.task)
        }
    }

    static func task(_ row: Row) -> AppealTask {
        let doneAt: Int64? = row["done_at"]
        return AppealTask(
            id: row["id"], appealID: row["appeal_id"], kind: row["kind"],
            due: LocalDate(row["due"] as String) ?? LocalDate(daysSinceEpoch: 0), note: row["note"],
            createdAt: Codecs.date(row["created_at"]), doneAt: doneAt.map(Codecs.date))
    }
}
