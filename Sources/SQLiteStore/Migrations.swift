import GRDB
import MurojaatCore

/// The schema, as versioned migrations. A migration once released is never edited: a change is a new migration.
/// Names are snake_case and types are plain, so the PostgreSQL schema can mirror them.
enum Migrations {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-inbox-appeals-events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inbox (
                        id INTEGER PRIMARY KEY,
                        channel TEXT NOT NULL,
                        source_key TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        enqueued_at INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending',
                        lease_until INTEGER,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        appeal_id INTEGER,
                        draft TEXT,
                        UNIQUE (channel, source_key)
                    );
                    CREATE INDEX inbox_pending ON inbox (state, id);

                    CREATE TABLE quarantine (
                        id INTEGER PRIMARY KEY,
                        channel TEXT NOT NULL,
                        source TEXT NOT NULL,
                        position TEXT,
                        reason TEXT NOT NULL,
                        raw BLOB NOT NULL,
                        raw_sha256 TEXT NOT NULL,
                        source_key TEXT,
                        created_at INTEGER NOT NULL,
                        resolved INTEGER NOT NULL DEFAULT 0,
                        UNIQUE (channel, source, raw_sha256)
                    );

                    CREATE TABLE appeals (
                        id INTEGER PRIMARY KEY,
                        tracking TEXT NOT NULL UNIQUE,
                        channel TEXT NOT NULL,
                        source_key TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        status TEXT NOT NULL,
                        department TEXT,
                        co_executors TEXT NOT NULL DEFAULT '',
                        urgent INTEGER NOT NULL DEFAULT 0,
                        policy TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        registered_at INTEGER NOT NULL,
                        due TEXT,
                        text TEXT NOT NULL,
                        subject TEXT,
                        applicant_name TEXT,
                        applicant_phone TEXT,
                        applicant_email TEXT,
                        applicant_address TEXT,
                        region TEXT,
                        country TEXT,
                        language TEXT NOT NULL,
                        tags TEXT NOT NULL DEFAULT '',
                        forward_to TEXT,
                        routing TEXT NOT NULL,
                        extra TEXT NOT NULL DEFAULT '{}',
                        last_event_seq INTEGER NOT NULL DEFAULT 0,
                        last_event_hash TEXT NOT NULL,
                        UNIQUE (channel, source_key)
                    );
                    CREATE INDEX appeals_department_due ON appeals (department, due);
                    CREATE INDEX appeals_status_due ON appeals (status, due);
                    CREATE INDEX appeals_phone ON appeals (applicant_phone);

                    CREATE TABLE events (
                        appeal_id INTEGER NOT NULL REFERENCES appeals (id),
                        seq INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        why TEXT,
                        data TEXT NOT NULL DEFAULT '{}',
                        status TEXT,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL,
                        PRIMARY KEY (appeal_id, seq)
                    ) WITHOUT ROWID;

                    CREATE TABLE assignments (
                        appeal_id INTEGER NOT NULL REFERENCES appeals (id),
                        department TEXT NOT NULL,
                        role TEXT NOT NULL,
                        assigned_at INTEGER NOT NULL,
                        assigned_by TEXT NOT NULL,
                        active INTEGER NOT NULL DEFAULT 1
                    );
                    CREATE INDEX assignments_appeal ON assignments (appeal_id);
                    CREATE INDEX assignments_department ON assignments (department, active);

                    -- The event log is append-only: the database itself refuses edits and deletions.
                    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-inbox-drafts") { db in
            // Drafts move out of the inbox row into a table of their own, as columns: claiming rewrote every
            // inbox row, and with the draft in it that was the whole text each time; reading the JSON back cost more
            // than the rest of a claim. A draft stays after its appeal is registered: it is what the adapter read.
            // Rows enqueued before keep their `draft` JSON and are read from it.
            try db.execute(
                sql: """
                    CREATE TABLE inbox_drafts (
                        inbox_id INTEGER PRIMARY KEY REFERENCES inbox (id),
                        intake TEXT NOT NULL,
                        text TEXT NOT NULL,
                        subject TEXT,
                        kind TEXT,
                        applicant_name TEXT,
                        applicant_phone TEXT,
                        applicant_email TEXT,
                        applicant_address TEXT,
                        region TEXT,
                        country TEXT,
                        language TEXT,
                        binding_deadline TEXT,
                        oral_answer TEXT,
                        origin TEXT,
                        extra TEXT
                    );
                    """)
        }
        migrator.registerMigration("v3-documents-follow-ups-checkpoints") { db in
            // Files are content-addressed: the same scan sent twice is one blob. They live in the database, not
            // in a folder, so they are committed with the appeal and move with it to PostgreSQL.
            try db.execute(
                sql: """
                    ALTER TABLE inbox_drafts ADD COLUMN follow_up_of TEXT;

                    CREATE TABLE blobs (
                        id INTEGER PRIMARY KEY,
                        sha256 TEXT NOT NULL UNIQUE,
                        size INTEGER NOT NULL,
                        content BLOB NOT NULL
                    );

                    CREATE TABLE documents (
                        channel TEXT NOT NULL,
                        source_key TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        role TEXT NOT NULL,
                        name TEXT,
                        content_type TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        stored INTEGER NOT NULL,
                        note TEXT,
                        PRIMARY KEY (channel, source_key, position)
                    );

                    -- Repeats are found by applicant: the phone has its index since v1, e-mail gets one here.
                    CREATE INDEX appeals_email ON appeals (applicant_email);

                    CREATE TABLE checkpoints (
                        name TEXT PRIMARY KEY,
                        value TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4-tracker") { db in
            // The tracker's cached state on the appeal row, the outbox and the tasks. `next_check` has a partial
            // index, so a sweep that finds nothing to do reads nothing; the daily report counts from a covering
            // index instead of reading the appeal rows with their texts.
            try db.execute(
                sql: """
                    ALTER TABLE appeals ADD COLUMN deadline_from INTEGER;
                    ALTER TABLE appeals ADD COLUMN next_check TEXT;
                    ALTER TABLE appeals ADD COLUMN escalations TEXT NOT NULL DEFAULT '';
                    ALTER TABLE appeals ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE appeals ADD COLUMN answered_at INTEGER;
                    ALTER TABLE appeals ADD COLUMN closed_at INTEGER;
                    CREATE INDEX appeals_next_check ON appeals (next_check) WHERE next_check IS NOT NULL;
                    CREATE INDEX appeals_figures
                        ON appeals (department, due, received_at, closed_at, extensions, answered_at);
                    -- (department, due) is that index's prefix now: one index fewer to rewrite whenever a deadline
                    -- moves or an appeal is registered.
                    DROP INDEX appeals_department_due;
                    CREATE INDEX appeals_received ON appeals (received_at, channel);
                    CREATE INDEX appeals_closed ON appeals (closed_at) WHERE closed_at IS NOT NULL;

                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY,
                        kind TEXT NOT NULL,
                        appeal_id INTEGER REFERENCES appeals (id),
                        dedup_key TEXT UNIQUE,
                        recipients TEXT NOT NULL,
                        cc TEXT NOT NULL DEFAULT '',
                        subject TEXT NOT NULL,
                        body_text TEXT NOT NULL,
                        body_html TEXT,
                        attachments TEXT NOT NULL DEFAULT '[]',
                        created_at INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending',
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        lease_until INTEGER,
                        sent_at INTEGER,
                        last_error TEXT
                    );
                    CREATE INDEX outbox_pending ON outbox (state, next_attempt_at);

                    CREATE TABLE tasks (
                        id INTEGER PRIMARY KEY,
                        appeal_id INTEGER NOT NULL REFERENCES appeals (id),
                        kind TEXT NOT NULL,
                        due TEXT NOT NULL,
                        note TEXT,
                        created_at INTEGER NOT NULL,
                        done_at INTEGER
                    );
                    CREATE INDEX tasks_appeal ON tasks (appeal_id);
                    CREATE INDEX tasks_open ON tasks (due) WHERE done_at IS NULL;

                    -- Appeals registered before the tracker: the term ran from receipt unless the source set it,
                    -- closed ones closed when registered, and every open one is checked on the first sweep.
                    UPDATE appeals SET deadline_from = received_at WHERE due IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM inbox JOIN inbox_drafts ON inbox_drafts.inbox_id = inbox.id
                        WHERE inbox.appeal_id = appeals.id AND inbox_drafts.binding_deadline IS NOT NULL);
                    UPDATE appeals SET closed_at = registered_at
                        WHERE status IN ('answered', 'closed', 'forwarded', 'left_without_consideration');
                    UPDATE appeals SET answered_at = registered_at WHERE status IN ('answered', 'closed');
                    UPDATE appeals SET next_check = '1970-01-01'
                        WHERE due IS NOT NULL AND status IN ('received', 'triage', 'registered', 'assigned',
                            'in_progress');
                    """)
        }
        migrator.registerMigration("v5 accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY,
                        login TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        department TEXT,
                        language TEXT NOT NULL DEFAULT 'uz',
                        password_hash TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE sessions (
                        token_hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        csrf TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX sessions_user ON sessions (user_id);
                    CREATE TABLE api_tokens (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        created_at INTEGER NOT NULL,
                        revoked INTEGER NOT NULL DEFAULT 0
                    );
                    """)
        }
        migrator.registerMigration("v6 search") { db in
            // Words for search (see SQLiteStore+Search), filled for the appeals registered before; the day's
            // escalations for the control dashboard, a partial index so other events cost nothing more; and a
            // department's queue (open appeals by deadline, then id) straight from an index: with a million
            // appeals, the figures index's columns after `due` and the status read from each row made a queue
            // page sort tens of thousands of rows. Its WHERE is SQLiteStore.openStatuses, spelled the same, as
            // SQLite uses a partial index only for a query that repeats its condition.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE appeal_words USING fts5 (words, content = '', detail = none);
                    CREATE INDEX events_escalated ON events (at) WHERE kind = 'escalated';
                    CREATE INDEX appeals_open_queue ON appeals (department, due)
                        WHERE status IN ('received','triage','registered','assigned','in_progress');
                    """)
            let insert = RawStatement(try db.makeStatement(sql: SQLiteStore.insertWordsSQL), in: db)
            var normalizer = TextNormalizer()
            let rows = try Row.fetchCursor(db, sql: "SELECT id, applicant_name, subject, text FROM appeals")
            while let row = try rows.next() {
                try SQLiteStore.indexWords(
                    insert, &normalizer, id: row["id"], name: row["applicant_name"], subject: row["subject"],
                    text: row["text"])
            }
        }
        migrator.registerMigration("v7 events in order of writing") { db in
            // The event log kept its rows in (appeal, sequence) order, so an event appended to an appeal went into
            // the middle of the table: a recomputation that moved one deadline in eight of a million rewrote three
            // quarters of the log's pages, about 400 MB of write-ahead log. Rows now go at the end, in the order
            // they are written (60 MB for the same recomputation, mostly the index); (appeal_id, seq) stays unique,
            // and its index finds an appeal's history. The copy keeps every column as stored: the hash chain is not
            // recomputed. The columns and rules of v1 are spelled out again: a migration says all it does, for good.
            try db.execute(
                sql: """
                    CREATE TABLE events_by_time (
                        appeal_id INTEGER NOT NULL REFERENCES appeals (id),
                        seq INTEGER NOT NULL,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        why TEXT,
                        data TEXT NOT NULL DEFAULT '{}',
                        status TEXT,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL,
                        UNIQUE (appeal_id, seq)
                    );
                    INSERT INTO events_by_time (appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash)
                        SELECT appeal_id, seq, at, actor, kind, why, data, status, prev_hash, hash FROM events
                        ORDER BY appeal_id, seq;
                    DROP TABLE events;
                    ALTER TABLE events_by_time RENAME TO events;

                    CREATE INDEX events_escalated ON events (at) WHERE kind = 'escalated';
                    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    """)
        }
        migrator.registerMigration("v8 open queue without a list") { db in
            // SQLite tests `status IN (five values)` by building a temporary B-tree of the values, twice for every
            // write of an appeal row that names an indexed column (for the old row and the new): about a quarter of
            // SQLite's time for moving a deadline. The same condition spelled as equalities joined by OR is tested
            // in place. Its WHERE is SQLiteStore.openQueueCondition, spelled the same, term by term in the same
            // order, as SQLite uses a partial index only for a query that repeats its condition.
            try db.execute(
                sql: """
                    DROP INDEX appeals_open_queue;
                    CREATE INDEX appeals_open_queue ON appeals (department, due)
                        WHERE status = 'received' OR status = 'triage' OR status = 'registered'
                            OR status = 'assigned' OR status = 'in_progress';
                    """)
        }
        migrator.registerMigration("v9 quarantine reasons in three languages") { db in
            // The reason an operator reads in Uzbek or Russian beside the English one; NULL for records set aside
            // before, which read in English in every language.
            try db.execute(
                sql: """
                    ALTER TABLE quarantine ADD COLUMN reason_uz TEXT;
                    ALTER TABLE quarantine ADD COLUMN reason_ru TEXT;
                    """)
        }
        migrator.registerMigration("v10 urgent appeals by status and deadline") { db in
            // The triage and department queues show urgent appeals first (AppealQuery.urgentFirst): read from these
            // in order, rather than by walking every appeal of the queue to find the few urgent ones. Only urgent
            // rows are in them, so they cost ingest little. Queries repeat `urgent = 1` and the open queue's
            // condition (SQLiteStore.openQueueCondition) as they are written here.
            try db.execute(
                sql: """
                    CREATE INDEX appeals_urgent ON appeals (status, due) WHERE urgent = 1;
                    CREATE INDEX appeals_urgent_queue ON appeals (department, due)
                        WHERE urgent = 1 AND (status = 'received' OR status = 'triage' OR status = 'registered'
                            OR status = 'assigned' OR status = 'in_progress');
                    """)
        }
        migrator.registerMigration("v11 daily reports as sent") { db in
            // The report of a past day as its recipients read it that morning (KeptReport): the appeals keep only
            // their current state, so a report built later from them can differ.
            try db.execute(
                sql: """
                    CREATE TABLE daily_reports (
                        date TEXT PRIMARY KEY,
                        kept_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v12 failed sign-ins") { db in
            // The sign-in limit, shared by the instances on one database and kept across restarts. Keys are
            // digests (LoginThrottle); rows older than the window are deleted as new ones come.
            try db.execute(
                sql: """
                    CREATE TABLE sign_in_failures (key TEXT NOT NULL, at INTEGER NOT NULL);
                    CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
                    CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
                    """)
        }
        return migrator
    }
}
