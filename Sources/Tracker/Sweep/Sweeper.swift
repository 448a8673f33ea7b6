public import Foundation
public import MurojaatCore
import Rules
public import Store

/// Enforces the deadlines: reads only the appeals whose next check has come, fires the escalation steps that have
/// fallen due (each an event, with its notice written in the same transaction), and stores the next day to look.
///
/// ```swift
/// let sweeper = Sweeper(store: store, clock: clock, notices: writer)
/// let summary = try await sweeper.sweep(now: Date())   // nothing due: one index probe, no rows read
/// ```
public struct Sweeper: Sendable {
    public let store: any AppealStore
    public let clock: DeadlineClock
    public let notices: NoticeWriter
    public var actor = "system:tracker"

    public init(store: any AppealStore, clock: DeadlineClock, notices: NoticeWriter) {
        self.store = store
        self.clock = clock
        self.notices = notices
    }

    public struct Summary: Sendable, Hashable {
        /// Appeals looked at.
        public var checked = 0
        /// Ladder steps fired.
        public var escalations = 0
        public var notices = 0
        /// Appeals someone changed while the sweep decided; they are looked at on the next sweep.
        public var conflicts = 0
        public init() {}
    }

    /// One sweep at `now`: every appeal due for a check on that Tashkent day, in batches.
    public func sweep(now: Date, batchSize: Int = 1000) async throws(StoreError) -> Summary {
        let today = LocalDate(now, in: clock.calendar.zone)
        var summary = Summary()
        var skipped: Set<Int64> = []
        while true {
            let appeals = try await store.appealsToCheck(on: today, limit: batchSize + skipped.count)
                .filter { !skipped.contains($0.id) }
            if appeals.isEmpty { break }
            let changes = appeals.map { change(for: $0, today: today, now: now) }
            let result = try await store.apply(changes)
            summary.checked += appeals.count
            summary.conflicts += result.conflicts.count
            skipped.formUnion(result.conflicts)
            let conflicted = Set(result.conflicts)
            for change in changes where !conflicted.contains(change.appealID) {
                summary.escalations += change.events.count
                summary.notices += change.notices.count
            }
            if appeals.count < batchSize { break }
        }
        return summary
    }

    /// What the sweep does to one appeal on `today`. Pure, for tests.
    public func change(for appeal: Appeal, today: LocalDate, now: Date) -> AppealChange {
        guard appeal.status.isOpen, let due = appeal.due else {
            // Closed, or without a deadline: nothing to watch any more.
            return AppealChange(
                appealID: appeal.id, expectedSequence: appeal.control.sequence, events: [],
                updates: [.nextCheck(nil)])
        }
        var fired = appeal.control.escalations
        let state = clock.sla.state(due: due, on: today)
        var events: [AppealEvent] = []
        var written: [Notice] = []
        let dueSteps = clock.stepsDue(due: due, on: today, fired: fired)
        if let step = dueSteps.max(by: { $0.offset < $1.offset }) {
            // Steps the sweep reaches together (after the tracker was stopped for days, or for an appeal that came
            // late in its term) make one notice: the latest step's, whose words are true today ("5 days overdue",
            // not "3 days left"), sent to everyone the steps passed over would have told. All count as fired.
            let passedOver = dueSteps.filter { $0.id != step.id }
            fired += dueSteps.map(\.id)
            var audiences: [Audience] = []
            for audience in (passedOver + [step]).flatMap(\.notify) where !audiences.contains(audience) {
                audiences.append(audience)
            }
            let notice = notices.escalation(step, appeal, state: state, at: now, notify: audiences)
            var data = [
                "step": step.id, "level": String(fired.count), "due": due.iso,
                "offset": String(clock.offset(due: due, on: today)),
                "notify": audiences.map(\.rawValue).joined(separator: ","),
            ]
            if !passedOver.isEmpty { data["passed_over"] = passedOver.map(\.id).joined(separator: ",") }
            data["recipients"] = notice?.to.joined(separator: ",") ?? ""
            events.append(AppealEvent(at: now, actor: actor, kind: .escalated, reason: step.summary, data: data))
            if let notice { written.append(notice) }
        }
        let next = clock.nextCheck(due: due, today: today, fired: fired)
        var updates: [AppealField] = [.nextCheck(next)]
        if fired != appeal.control.escalations { updates.append(.escalations(fired)) }
        return AppealChange(
            appealID: appeal.id, expectedSequence: appeal.control.sequence, events: events, updates: updates,
            notices: written)
    }
}
