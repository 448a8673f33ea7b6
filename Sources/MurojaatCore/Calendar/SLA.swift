/// Where an open appeal stands against its deadline, counted in working days of the calendar: the state the tracker
/// sweeps, the department queue colours and the daily report count.
public enum SLAState: Sendable, Hashable, CustomStringConvertible {
    /// More working days left than the "due soon" window.
    case onTrack
    /// Due within the window: this many working days left (1: due on the next working day; 0: due on a day off
    /// before it, as a deadline set by a source may be).
    case dueSoon(workingDaysLeft: Int)
    case dueToday
    /// Past the due date by this many working days: 1 on the first working day after it, 0 on the days off
    /// between.
    case overdue(workingDays: Int)

    public var description: String {
        switch self {
        case .onTrack: "on track"
        case .dueSoon(let days): "due soon (\(days) working day\(days == 1 ? "" : "s") left)"
        case .dueToday: "due today"
        case .overdue(let days): "overdue by \(days) working day\(days == 1 ? "" : "s")"
        }
    }
}

/// The state of a due date on a day, and the next day that state can change: an appeal stores that day, so a sweep
/// reads only the appeals whose day has come.
///
/// ```swift
/// let sla = SLA(calendar: calendar)                       // "due soon" = 3 working days by default
/// sla.state(due: LocalDate("2025-03-24")!, on: LocalDate("2025-03-19")!)   // .dueSoon(workingDaysLeft: 2)
/// ```
public struct SLA: Sendable, Hashable {
    public var calendar: WorkingCalendar
    /// How many working days before the due date an appeal counts as due soon.
    public var dueSoonDays: Int

    public init(calendar: WorkingCalendar, dueSoonDays: Int = 3) {
        self.calendar = calendar
        self.dueSoonDays = max(0, dueSoonDays)
    }

    public func state(due: LocalDate, on day: LocalDate) -> SLAState {
        if day == due { return .dueToday }
        if day < due {
            let left = workingDays(after: day, through: due)
            return left <= dueSoonDays ? .dueSoon(workingDaysLeft: left) : .onTrack
        }
        return .overdue(workingDays: workingDays(after: due, through: day))
    }

    /// The first day after `day` on which the state differs from today's. While the count runs (due soon,
    /// overdue) that is the next working day; on track, the day the window opens.
    public func nextChange(due: LocalDate, after day: LocalDate) -> LocalDate {
        let today = state(due: due, on: day)
        var candidate = day.adding(days: 1)
        // A working-day count changes only on working days, and the due date itself always changes the state;
        // the loop is bounded by the window plus the days off in between.
        while candidate < due.adding(days: 400) {
            if candidate == due || candidate.adding(days: -1) == due || calendar.isWorkingDay(candidate) {
                if state(due: due, on: candidate) != today { return candidate }
            }
            candidate = candidate.adding(days: 1)
        }
        return candidate
    }

    /// Working days in (`start`, `end`].
    func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if calendar.isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}
