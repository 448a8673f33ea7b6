public import Foundation
public import MurojaatCore
import Rules
public import Store

/// After the calendar or a deadline policy changed, computes every open appeal's deadline again and moves the
/// ones that differ, each with a `deadline_changed` event. Due dates set by a source (a binding deadline in an
/// export) or by a head's decision (an extension) are decisions, not computations, and stay.
public struct DeadlineRecompute: Sendable {
    public let store: any AppealStore
    public let deadlines: DeadlineBook
    public let clock: DeadlineClock
    public var actor = "system:tracker"

    public init(store: any AppealStore, deadlines: DeadlineBook, clock: DeadlineClock) {
        self.store = store
        self.deadlines = deadlines
        self.clock = clock
    }

    public struct Summary: Sendable, Hashable {
        public var checked = 0
        public var moved = 0
        /// Appeals whose policy is no longer in deadlines.yaml: left as they are, listed for a person.
        public var unknownPolicy: [Int64] = []
        public var conflicts = 0
        public init() {}
    }

    /// Recomputes all open appeals, a page of `pageSize` at a time; `why` goes into each event (what changed).
    /// The moves are written `batchSize` or more at a time, while the next pages are read.
    public func run(
        now: Date, why: Wording, pageSize: Int = 20_000, batchSize: Int = 10_000
    ) async throws(StoreError) -> Summary {
        let today = LocalDate(now, in: clock.calendar.zone)
        var summary = Summary()
        // Appeals received on one day under one policy share their deadline: computed once.
        var memo: [Key: LocalDate?] = [:]
        // And the moved ones share a few new deadlines: each one's next check, with the steps still fired, once.
        var checks: [CheckKey: LocalDate] = [:]
        var after: Int64 = 0
        // The changes of a few pages are written while the next pages are read and computed: the store's writer
        // and a reader work side by side, on appeals that never overlap. A write takes the moves of several pages,
        // as the moves of one page fall all over the index pages of their department and new due day (the
        // figures index orders them by receipt, not by id), and each transaction wrote most of those pages again:
        // a quarter less write-ahead log with 10,000 moves a transaction than with a page's 2,500. Such a write
        // holds the store's write lock for half a second to a second.
        // Two writes at most are under way: one in the store's transaction, the next making its rows meanwhile.
        var writing: [Task<(moved: Int, conflicts: Int), any Error>] = []
        var changes: [AppealChange] = []
        func startWriting() {
            let store = self.store
            let batch = changes
            changes = []
            writing.append(
                Task {
                    let result = try await store.apply(batch)
                    return (batch.count - result.conflicts.count, result.conflicts.count)
                })
        }
        func finishWriting(leaving pending: Int) async throws(StoreError) {
            while writing.count > pending {
                let task = writing.removeFirst()
                do {
                    let result = try await task.value
                    summary.moved += result.moved
                    summary.conflicts += result.conflicts
                } catch let error as StoreError {
                    throw error
                } catch {
                    throw StoreError(.failed, "could not move deadlines", cause: error)
                }
            }
        }
        while true {
            let page = try await store.deadlineBases(after: after, limit: pageSize)
            guard let last = page.last else { break }
            after = last.id
            summary.checked += page.count
            for basis in page {
                guard let from = basis.deadlineFrom else { continue }
                let key = Key(day: LocalDate(from, in: clock.calendar.zone), policy: basis.policy, kind: basis.kind)
                let due: LocalDate?
                if let known = memo[key] {
                    due = known
                } else {
                    due = try? deadlines.deadline(from: from, kind: basis.kind, policy: basis.policy).due
                    memo[key] = due
                }
                guard let due else {
                    summary.unknownPolicy.append(basis.id)
                    continue
                }
                guard due != basis.due else { continue }
                let fired =
                    basis.escalations.isEmpty
                    ? [] : clock.stillFired(basis.escalations, newDue: due, today: today)
                let checkKey = CheckKey(due: due, fired: fired)
                let nextCheck: LocalDate
                if let known = checks[checkKey] {
                    nextCheck = known
                } else {
                    nextCheck = clock.nextCheck(due: due, today: today, fired: fired)
                    checks[checkKey] = nextCheck
                }
                var data = ["due": due.iso, "policy": basis.policy]
                if let old = basis.due { data["old_due"] = old.iso }
                changes.append(
                    AppealChange(
                        appealID: basis.id, expectedSequence: basis.sequence,
                        events: [AppealEvent(at: now, actor: actor, kind: .deadlineChanged, reason: why, data: data)],
                        updates: [.due(due), .nextCheck(nextCheck), .escalations(fired)]))
            }
            if changes.count < batchSize { continue }
            startWriting()
            try await finishWriting(leaving: 1)
        }
        if !changes.isEmpty { startWriting() }
        try await finishWriting(leaving: 0)
        return summary
    }

    struct Key: Hashable {
        var day: LocalDate
        var policy: String
        var kind: Kind
    }

    struct CheckKey: Hashable {
        var due: LocalDate
        var fired: [String]
    }
}
