public import MurojaatCore
public import Rules

/// The tracker's arithmetic on the working-day calendar: how far an appeal stands from its due date, which ladder
/// steps have fallen due, and the next day anything about it can change. Pure, so an injected clock can walk
/// appeals through holidays in tests.
public struct DeadlineClock: Sendable {
    public let calendar: WorkingCalendar
    public let ladder: EscalationLadder
    public let sla: SLA

    public init(calendar: WorkingCalendar, ladder: EscalationLadder) {
        self.calendar = calendar
        self.ladder = ladder
        sla = SLA(calendar: calendar, dueSoonDays: ladder.dueSoonDays)
    }

    /// Working days from the due date to `day`: negative before it (-3: three working days left), 0 on it,
    /// positive after (5: five working days overdue).
    public func offset(due: LocalDate, on day: LocalDate) -> Int {
        if day == due { return 0 }
        return day < due
            ? -calendar.workingDays(after: day, through: due) : calendar.workingDays(after: due, through: day)
    }

    /// The steps due on `day` that have not fired yet, in ladder order.
    public func stepsDue(due: LocalDate, on day: LocalDate, fired: [String]) -> [EscalationStep] {
        let now = offset(due: due, on: day)
        return ladder.steps.filter { $0.offset <= now && !fired.contains($0.id) }
    }

    /// The first day on which the offset reaches `target`, found by walking from the due date, so it costs the
    /// few days in between, not the whole term.
    public func firstDay(reaching target: Int, due: LocalDate) -> LocalDate {
        if target == 0 { return due }
        if target > 0 {
            var day = due
            var count = 0
            while count < target {
                day = day.adding(days: 1)
                if calendar.isWorkingDay(day) { count += 1 }
                if day.daysSinceEpoch - due.daysSinceEpoch > 3660 { break }
            }
            return day
        }
        // Before the due date the offset of day d is minus the working days in (d, due]; stepping back one day
        // adds one when the day stepped over is a working day.
        var day = due
        var left = 0
        while true {
            let more = left + (calendar.isWorkingDay(day) ? 1 : 0)
            if more > -target || due.daysSinceEpoch - day.daysSinceEpoch > 3660 { return day }
            left = more
            day = day.adding(days: -1)
        }
    }

    /// The next day after `today` on which the SLA state changes or an unfired step falls due; `today` itself
    /// when a step is due already (the sweep should look at once).
    public func nextCheck(due: LocalDate, today: LocalDate, fired: [String]) -> LocalDate {
        let now = offset(due: due, on: today)
        if ladder.steps.contains(where: { $0.offset <= now && !fired.contains($0.id) }) { return today }
        var next: LocalDate
        if now < -sla.dueSoonDays {
            next = firstDay(reaching: -sla.dueSoonDays, due: due)
        } else {
            // Inside the window or past the deadline the state changes every working day or two.
            next = sla.nextChange(due: due, after: today)
        }
        if let step = ladder.steps.first(where: { $0.offset > now && !fired.contains($0.id) }) {
            next = min(next, firstDay(reaching: step.offset, due: due))
        }
        return max(next, today.adding(days: 1))
    }

    /// The steps that stay fired when the deadline moves to `newDue` on `today`: those the appeal has still
    /// passed. The others may fire again for the new deadline.
    public func stillFired(_ fired: [String], newDue: LocalDate, today: LocalDate) -> [String] {
        let now = offset(due: newDue, on: today)
        return fired.filter { id in ladder.step(id).map { $0.offset <= now } ?? false }
    }
}
