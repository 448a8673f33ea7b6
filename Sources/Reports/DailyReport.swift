public import Foundation
public import MurojaatCore
public import Store

/// The daily escalation report (FORMATS.md 4): where every department stands against the law's deadlines on one
/// working morning, what is overdue, what came in, and how that changed since the previous working day.
///
/// The figures are gathered by ``DailyReportBuilder`` from the store; the renderers (HTML, XLSX, CSV) only lay
/// them out, so the e-mail, the command line and the web page show the same numbers.
public struct DailyReport: Sendable, Hashable, Codable {
    /// A department's figures on one day: open, due soon, due today, overdue, extended at its start; answered and
    /// answered late in ``period``.
    public typealias Figures = ControlFigures

    public struct DepartmentRow: Sendable, Hashable, Codable {
        /// The department code from `Rules/org.yaml`; empty for appeals without a department (in triage).
        public var code: String
        /// Names by language (`uz`, `ru`, `en`).
        public var names: [String: String]
        public var today: Figures
        /// The same figures on the previous working day, for the change column.
        public var previous: Figures

        public init(code: String, names: [String: String], today: Figures, previous: Figures) {
            self.code = code
            self.names = names
            self.today = today
            self.previous = previous
        }

        /// The name in `language`, falling back to Uzbek, then to the code.
        public func name(_ language: String) -> String { names[language] ?? names["uz"] ?? code }
    }

    public struct OverdueAppeal: Sendable, Hashable, Codable {
        public var tracking: String
        public var channel: Channel
        public var receivedAt: Date
        public var due: LocalDate
        /// Department code; empty in triage.
        public var department: String
        public var workingDaysOverdue: Int
        /// The last escalation step that fired (its id in `Rules/escalation.yaml`), nil when none has.
        public var escalation: String?
        /// How many steps of the ladder have fired.
        public var escalationLevel: Int
        public var urgent: Bool

        public init(
            tracking: String, channel: Channel, receivedAt: Date, due: LocalDate, department: String,
            workingDaysOverdue: Int, escalation: String?, escalationLevel: Int, urgent: Bool
        ) {
            self.tracking = tracking
            self.channel = channel
            self.receivedAt = receivedAt
            self.due = due
            self.department = department
            self.workingDaysOverdue = workingDaysOverdue
            self.escalation = escalation
            self.escalationLevel = escalationLevel
            self.urgent = urgent
        }
    }

    public struct IntakeRow: Sendable, Hashable, Codable {
        public var channel: Channel
        /// Received in ``DailyReport/period``.
        public var count: Int
        /// Received in the period before it (the previous report's).
        public var previous: Int

        public init(channel: Channel, count: Int, previous: Int) {
            self.channel = channel
            self.count = count
            self.previous = previous
        }
    }

    /// The working day the report is for (it describes the state at the start of that day).
    public var date: LocalDate
    /// The working day before ``date``: the change columns compare with it.
    public var previousWorkingDay: LocalDate
    /// "Yesterday": from the previous working day through the day before ``date`` (a Monday report covers the
    /// weekend too), both ends included.
    public var period: ClosedRange<LocalDate>
    public var generatedAt: Date
    /// Every department of the org chart, in its order, then a row with code "" for appeals still in triage when
    /// there are any.
    public var departments: [DepartmentRow]
    /// Oldest deadline first.
    public var overdue: [OverdueAppeal]
    /// One row per channel, every channel listed.
    public var intake: [IntakeRow]
    /// Whom each step of the escalation ladder tells, by step id (``OverdueAppeal/escalation``): the report names a
    /// fired step by it. A step the ladder no longer has is shown by its id.
    public var escalationSteps: [String: Wording]

    public init(
        date: LocalDate, previousWorkingDay: LocalDate, period: ClosedRange<LocalDate>, generatedAt: Date,
        departments: [DepartmentRow], overdue: [OverdueAppeal], intake: [IntakeRow],
        escalationSteps: [String: Wording] = [:]
    ) {
        self.date = date
        self.previousWorkingDay = previousWorkingDay
        self.period = period
        self.generatedAt = generatedAt
        self.departments = departments
        self.overdue = overdue
        self.intake = intake
        self.escalationSteps = escalationSteps
    }

    /// Whether the report was built on a day after its own (in Tashkent). The store keeps each appeal's current
    /// deadline, department and escalations, not their past values, so such a report shows those as they are now;
    /// the renderers say so. A day's report kept when it was sent (``DailyReportBuilder/report(for:now:)``) is
    /// not one of these.
    public var builtAfterItsDay: Bool { LocalDate(generatedAt, in: WorkingCalendar.tashkent) > date }

    /// The sum over all departments.
    public var totals: (today: Figures, previous: Figures) {
        func sum(_ pick: (DepartmentRow) -> Figures) -> Figures {
            departments.map(pick).reduce(into: Figures()) { total, row in
                total.open += row.open
                total.dueSoon += row.dueSoon
                total.dueToday += row.dueToday
                total.overdue += row.overdue
                total.extended += row.extended
                total.answered += row.answered
                total.answeredLate += row.answeredLate
            }
        }
        return (sum(\.today), sum(\.previous))
    }
}
