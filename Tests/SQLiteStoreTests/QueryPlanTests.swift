import Foundation
import GRDB
import MurojaatCore
import MurojaatTesting
import Store
import Testing

@testable import SQLiteStore

/// The queue pages read a page of a million appeals: SQLite must walk an index in the page's order and stop after
/// it, never sort the matching rows. A plan with a temporary B-tree is such a sort.
@Suite struct QueryPlanTests {
    func plan(_ query: AppealQuery) async throws -> [String] {
        let directory = try TestFolders.temporary("plan")
        let store = try SQLiteStore(path: directory.appendingPathComponent("p.sqlite").path)
        let (sql, arguments) = SQLiteStore.listing(query)
        return try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    @Test func aDepartmentsQueueReadsItsUrgentAppealsFromTheirOwnIndex() async throws {
        let steps = try await plan(
            AppealQuery(department: "ABROAD", openOnly: true, urgentFirst: true, limit: 50, offset: 100))
        #expect(steps.filter { $0.contains("appeals_urgent_queue") }.count == 2, "\(steps)")
        #expect(steps.filter { $0.contains("appeals_open_queue") }.count == 2, "\(steps)")
        #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")
    }

    @Test func aDepartmentsQueueIsReadFromTheOpenQueueIndexInOrder() async throws {
        let steps = try await plan(AppealQuery(department: "ABROAD", openOnly: true, limit: 50, offset: 100))
        #expect(steps.filter { $0.contains("appeals_open_queue") }.count == 2, "\(steps)")
        #expect(!steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")
    }

    /// A recomputation writes 120,000 appeal rows: a partial index whose condition SQLite tests with a temporary
    /// B-tree (`status IN (...)`) builds two for every row written.
    @Test func writingAnAppealRowBuildsNoTemporaryTable() async throws {
        let directory = try TestFolders.temporary("plan")
        let store = try SQLiteStore(path: directory.appendingPathComponent("p.sqlite").path)
        let opcodes = try await store.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN UPDATE appeals SET last_event_seq = ?, last_event_hash = ?, status = ?, department = ?,
                        due = ?, next_check = ?, escalations = ?, closed_at = ? WHERE id = ?
                    """, arguments: StatementArguments(Array(repeating: DatabaseValue.null, count: 9))
            ).map { $0["opcode"] as String }
        }
        #expect(!opcodes.contains("OpenEphemeral"), "\(opcodes)")
    }

    /// Urgent first: the urgent group from the small appeals_urgent index, the rest from the status index, both in
    /// order, never by walking every triage appeal or sorting them.
    @Test func theTriageQueueReadsItsUrgentAppealsFromTheirOwnIndex() async throws {
        let steps = try await plan(AppealQuery(status: .triage, urgentFirst: true, limit: 50, offset: 50))
        #expect(steps.filter { $0.contains("appeals_urgent") }.count == 2, "\(steps)")
        #expect(steps.filter { $0.contains("INDEX") }.count == 4, "\(steps)")
        #expect(!steps.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN appeals") }, "\(steps)")
    }

    @Test func theTriageQueueIsReadFromTheStatusIndexInOrder() async throws {
        let steps = try await plan(AppealQuery(status: .triage, limit: 50))
        #expect(steps.filter { $0.contains("INDEX") }.count == 2, "\(steps)")
        #expect(!steps.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN appeals") }, "\(steps)")
    }
}
