public import Foundation
public import MurojaatCore
public import Rules
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

    /// Recomputes all open appeals, a page at a time; `why` goes into each event (what changed).
    public func run(now: Date, why: String, pageSize: Int = 20_000) async throws(StoreError) -> Summary {
        let today = LocalDate(now, in: clock.calendar.zone)
        var summary = Summary()
        // Appeals received on one day under one policy share their deadline: computed once.
        var memo: [Key: LocalDate?] = [:]
        var after: Int64 = 0
        // Each page's changes are written while the next page is read and computed: the store's writer and a
        // reader work side by side, on pages that never overlap.
        var writing: Task<(moved: Int, conflicts: Int), any Error>?
        func finishWriting() async throws(StoreError) {
            guard let task = writing else { return }
            writing = nil
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
        while true {
            let page = try await store.deadlineBases(after: after, limit: pageSize)
            guard let last = page.last else { break }
            after = last.id
            summary.checked += page.count
            var changes: [AppealChange] = []
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
                var data = ["due": due.iso, "policy": basis.policy]
                if let old = basis.due { data["old_due"] = old.iso }
                changes.append(
                    AppealChange(
                        appealID: basis.id, expectedSequence: basis.sequence,
                        events: [AppealEvent(at: now, actor: actor, kind: .deadlineChanged, why: why, data: data)],
                        updates: [
                            .due(due), .nextCheck(clock.nextCheck(due: due, today: today, fired: fired)),
                            .escalations(fired),
                        ]))
            }
            try await finishWriting()
            if changes.isEmpty { continue }
            let store = self.store
            let batch = changes
            writing = Task {
                let result = try await store.apply(batch)
                return (batch.count - result.conflicts.count, result.conflicts.count)
            }
        }
        try await finishWriting()
        return summary
    }

    struct Key: Hashable {
        var day: LocalDate
        var policy: String
        var kind: Kind
    }
}
