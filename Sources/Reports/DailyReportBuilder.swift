public import Foundation
public import MurojaatCore
public import Store

/// Gathers the daily escalation report from the store: a few aggregate queries over indexes, not a walk over the
/// appeals, so it takes about the same time with a thousand open appeals or a million.
///
/// ```swift
/// let builder = DailyReportBuilder(store: store, calendar: calendar, departments: names)
/// let report = try await builder.build(for: LocalDate("2026-03-24")!, generatedAt: Date())
/// ```
public struct DailyReportBuilder: Sendable {
    /// A department as the report names it.
    public struct Department: Sendable, Hashable {
        public var code: String
        public var names: [String: String]
        public init(code: String, names: [String: String]) {
            self.code = code
            self.names = names
        }
    }

    public let store: any AppealStore
    public let calendar: WorkingCalendar
    /// In the org chart's order.
    public let departments: [Department]
    public var dueSoonDays: Int
    /// At most this many overdue appeals are listed (the counts are always complete).
    public var overdueLimit = 20_000
    /// Whom each step of the escalation ladder tells, by step id (see ``DailyReport/escalationSteps``).
    public var escalationSteps: [String: Wording]

    public init(
        store: any AppealStore, calendar: WorkingCalendar, departments: [Department], dueSoonDays: Int = 3,
        escalationSteps: [String: Wording] = [:]
    ) {
        self.store = store
        self.calendar = calendar
        self.departments = departments
        self.dueSoonDays = dueSoonDays
        self.escalationSteps = escalationSteps
    }

    /// The report for the morning of `date`: the state at the start of that day, compared with the start of the
    /// previous working day.
    public func build(for date: LocalDate, generatedAt: Date) async throws(StoreError) -> DailyReport {
        let previous = previousWorkingDay(before: date)
        let beforePrevious = previousWorkingDay(before: previous)
        let start = date.start(in: calendar.zone)
        let store = self.store
        let (todayQuery, earlierQuery) = (
            query(on: date, answeredSince: previous), query(on: previous, answeredSince: beforePrevious)
        )
        let limit = overdueLimit
        // Each figure is a scan of its own: run side by side on the store's readers (SQLite's WAL lets them), so
        // the report takes about the longest of them, not their sum.
        async let todayFigures = store.departmentFigures(todayQuery)
        async let earlierFigures = store.departmentFigures(earlierQuery)
        async let overdueList = store.overdueAppeals(at: start, dueBefore: date, limit: limit)
        async let intakeNow = store.intake(from: previous.start(in: calendar.zone), until: start)
        async let intakeThen = store.intake(
            from: beforePrevious.start(in: calendar.zone), until: previous.start(in: calendar.zone))
        let today: [DepartmentFigures]
        let earlier: [DepartmentFigures]
        let overdue: [Appeal]
        let intake: [Channel: Int]
        let intakeBefore: [Channel: Int]
        do {
            (today, earlier, overdue, intake, intakeBefore) = try await (
                todayFigures, earlierFigures, overdueList, intakeNow, intakeThen
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.failed, "could not gather the daily report", cause: error)
        }

        func figures(_ row: DepartmentFigures?) -> DailyReport.Figures { row?.figures ?? DailyReport.Figures() }
        let todayBy = Dictionary(today.map { ($0.department ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let earlierBy = Dictionary(earlier.map { ($0.department ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        var rows = departments.map {
            DailyReport.DepartmentRow(
                code: $0.code, names: $0.names, today: figures(todayBy[$0.code]), previous: figures(earlierBy[$0.code]))
        }
        // Codes the org chart no longer has (a department renamed while appeals were open), then triage.
        let known = Set(departments.map(\.code))
        for code in Set(todayBy.keys).union(earlierBy.keys).sorted() where !known.contains(code) && !code.isEmpty {
            rows.append(
                DailyReport.DepartmentRow(
                    code: code, names: ["uz": code], today: figures(todayBy[code]), previous: figures(earlierBy[code])))
        }
        if todayBy[""] != nil || earlierBy[""] != nil {
            rows.append(
                DailyReport.DepartmentRow(
                    code: "", names: ["uz": "Saralashda", "ru": "На сортировке", "en": "In triage"],
                    today: figures(todayBy[""]), previous: figures(earlierBy[""])))
        }
        return DailyReport(
            date: date, previousWorkingDay: previous, period: previous...date.adding(days: -1),
            generatedAt: generatedAt, departments: rows,
            overdue: overdue.compactMap { appeal in
                guard let due = appeal.due else { return nil }
                return DailyReport.OverdueAppeal(
                    tracking: appeal.tracking.value, channel: appeal.channel, receivedAt: appeal.receivedAt, due: due,
                    department: appeal.department ?? "",
                    workingDaysOverdue: calendar.workingDays(after: due, through: date),
                    escalation: appeal.control.escalations.last, escalationLevel: appeal.control.escalations.count,
                    urgent: appeal.urgent)
            },
            intake: Channel.allCases.map {
                DailyReport.IntakeRow(channel: $0, count: intake[$0] ?? 0, previous: intakeBefore[$0] ?? 0)
            }, escalationSteps: escalationSteps)
    }

    /// The working day before `date` (a Monday's is the Friday, or the Saturday a decree made a working day).
    public func previousWorkingDay(before date: LocalDate) -> LocalDate {
        var day = date.adding(days: -1)
        for _ in 0..<366 where !calendar.isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    func query(on day: LocalDate, answeredSince: LocalDate) -> FiguresQuery {
        let start = day.start(in: calendar.zone)
        // Due soon: at most `dueSoonDays` working days left, so due before the next working day after those.
        let soon = calendar.adding(workingDays: dueSoonDays + 1, to: day).adding(days: -1)
        return FiguresQuery(
            at: start, day: day, dueSoonThrough: soon, answeredFrom: answeredSince.start(in: calendar.zone),
            answeredUntil: start, zoneOffsetSeconds: calendar.zone.secondsFromGMT(for: start))
    }
}
