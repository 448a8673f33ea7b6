public import Foundation
import MurojaatCore
import Store

/// The daily escalation report as three CSV files (FORMATS.md 4), the attachments that other programs read.
///
/// ```swift
/// try DailyReportCSV.departments(report).write(to: folder.appendingPathComponent("departments.csv"))
/// ```
///
/// The header is in `language`; the values are for machines: plain integers (a change is `-2`, not `−2`), ISO
/// dates, and codes next to names, because departments are renamed and merged while their codes stay. Each file
/// carries the report date in its first column so that a year of daily files can be concatenated.
public enum DailyReportCSV {
    /// One row per department in org-chart order, the triage row (empty code) last; no totals row, which a program
    /// would have to skip.
    public static func departments(_ r: DailyReport, language: String = "uz") -> Data {
        let labels = DailyReportLabels.for(language)
        let header = [
            labels.reportDate, labels.departmentCode, labels.department, labels.open, labels.openChange,
            labels.dueSoon, labels.dueToday, labels.overdue, labels.overdueChange, labels.extended, labels.answered,
            labels.answeredLate,
        ]
        let rows = r.departments.map { row in
            let (today, previous) = (row.today, row.previous)
            return [r.date.iso, row.code, labels.departmentName(row)]
                + [
                    today.open, today.open - previous.open, today.dueSoon, today.dueToday, today.overdue,
                    today.overdue - previous.overdue, today.extended, today.answered, today.answeredLate,
                ].map { String($0) }
        }
        return CSVText.document(header: header, rows: rows)
    }

    /// The overdue appeals, oldest deadline first. The received time is ISO 8601 with Tashkent's offset.
    public static func overdue(_ r: DailyReport, language: String = "uz") -> Data {
        let labels = DailyReportLabels.for(language)
        let header = [
            labels.reportDate, labels.tracking, labels.channelCode, labels.channel, labels.received, labels.deadline,
            labels.departmentCode, labels.department, labels.daysOverdue, labels.escalationLevel,
            labels.escalationStep, labels.urgent,
        ]
        let rows = r.overdue.map { appeal in
            [
                r.date.iso, appeal.tracking, appeal.channel.rawValue, labels.channelName(appeal.channel),
                isoDateTime(appeal.receivedAt), appeal.due.iso, appeal.department,
                labels.departmentName(code: appeal.department, in: r), String(appeal.workingDaysOverdue),
                String(appeal.escalationLevel), appeal.escalation ?? "", appeal.urgent ? "1" : "0",
            ]
        }
        return CSVText.document(header: header, rows: rows)
    }

    /// Appeals received per channel in the report's period and the one before.
    public static func intake(_ r: DailyReport, language: String = "uz") -> Data {
        let labels = DailyReportLabels.for(language)
        let header = [
            labels.reportDate, labels.channelCode, labels.channel, labels.inPeriod, labels.previousPeriod,
            labels.change,
        ]
        let rows = r.intake.map { row in
            [
                r.date.iso, row.channel.rawValue, labels.channelName(row.channel), String(row.count),
                String(row.previous), String(row.count - row.previous),
            ]
        }
        return CSVText.document(header: header, rows: rows)
    }

    /// `2026-03-10T14:30:00+05:00`: the wall clock people saw, with the offset that makes it an instant.
    static func isoDateTime(_ moment: Date) -> String {
        let clock = DailyReportLabels.wallClock(moment)
        let offset = WorkingCalendar.tashkent.secondsFromGMT(for: moment) / 60
        let sign = offset < 0 ? "-" : "+"
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(clock.day.iso)T\(two(clock.hour)):\(two(clock.minute)):\(two(clock.second))"
            + "\(sign)\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
    }
}
