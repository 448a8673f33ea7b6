import Foundation
import MurojaatCore
import Store

/// The daily escalation report as the body of an HTML e-mail (FORMATS.md 4).
///
/// ```swift
/// let body = DailyReportHTML.render(report, language: "ru")
/// ```
///
/// Mail clients drop `<style>` blocks and block remote content, so every style is an inline `style` attribute and
/// the document references nothing outside itself. Every piece of text is escaped: department names and escalation
/// step ids come from configuration files that administrators edit.
public enum DailyReportHTML {
    /// A complete HTML document in `language` (`uz`, the default; `ru`; `en`; anything else reads as `uz`).
    /// `overdueRows` caps the overdue list (an e-mail body with thousands of rows helps nobody: the attached
    /// workbook has them all); nil lists every one.
    public static func render(_ report: DailyReport, language: String = "uz", overdueRows: Int? = nil) -> String {
        let labels = DailyReportLabels.for(language)
        var html = Document()
        html.raw("<!DOCTYPE html>\n<html lang=\"\(labels.language)\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        html.text("\(labels.title) \(report.date.dotted)")
        html.raw("</title>\n</head>\n<body style=\"\(Style.body)\">\n")

        html.raw("<h1 style=\"\(Style.h1)\">")
        html.text("\(labels.title): \(report.date.dotted)")
        html.raw("</h1>\n<p style=\"\(Style.meta)\">")
        html.text("\(labels.period): \(DailyReportLabels.period(report.period))")
        html.raw(" &middot; ")
        html.text("\(labels.comparedWith): \(report.previousWorkingDay.dotted)")
        html.raw(" &middot; ")
        html.text("\(labels.generated): \(DailyReportLabels.dateTime(report.generatedAt))")
        html.raw("</p>\n")
        if report.builtAfterItsDay {
            html.raw("<p id=\"built-later\" style=\"\(Style.meta)\"><strong>")
            html.text(labels.builtLater)
            html.raw("</strong></p>\n")
        }

        departments(report, labels, into: &html)
        overdue(report, labels, limit: overdueRows, into: &html)
        intake(report, labels, into: &html)

        html.raw("</body>\n</html>\n")
        return html.output
    }

    private static func departments(_ report: DailyReport, _ labels: DailyReportLabels, into html: inout Document) {
        heading(labels.byDepartment, into: &html)
        html.raw("<table style=\"\(Style.table)\">\n<thead>\n<tr>")
        header(
            [
                labels.department, labels.open, labels.openChange, labels.dueSoon, labels.dueToday, labels.overdue,
                labels.overdueChange, labels.extended, labels.answered, labels.answeredLate,
            ], into: &html)
        html.raw("</tr>\n</thead>\n<tbody>\n")
        for row in report.departments {
            html.raw("<tr>")
            figures(
                name: labels.departmentName(row), today: row.today, previous: row.previous, total: false, into: &html)
            html.raw("</tr>\n")
        }
        let totals = report.totals
        html.raw("<tr>")
        figures(name: labels.total, today: totals.today, previous: totals.previous, total: true, into: &html)
        html.raw("</tr>\n</tbody>\n</table>\n")
    }

    private static func figures(
        name: String, today: DailyReport.Figures, previous: DailyReport.Figures, total: Bool, into html: inout Document
    ) {
        let weight = total ? Style.totalRow : ""
        cell(name, style: Style.nameCell + weight, into: &html)
        cell(String(today.open), style: Style.number + weight, into: &html)
        change(today.open - previous.open, worseWhenUp: nil, extra: weight, into: &html)
        cell(String(today.dueSoon), style: Style.number + weight, into: &html)
        cell(
            String(today.dueToday), style: Style.number + weight + (today.dueToday > 0 ? Style.dueToday : ""),
            into: &html)
        cell(
            String(today.overdue), style: Style.number + weight + (today.overdue > 0 ? Style.overdue : ""), into: &html)
        change(today.overdue - previous.overdue, worseWhenUp: true, extra: weight, into: &html)
        cell(String(today.extended), style: Style.number + weight, into: &html)
        cell(String(today.answered), style: Style.number + weight, into: &html)
        cell(
            String(today.answeredLate), style: Style.number + weight + (today.answeredLate > 0 ? Style.late : ""),
            into: &html)
    }

    private static func overdue(
        _ report: DailyReport, _ labels: DailyReportLabels, limit: Int?, into html: inout Document
    ) {
        heading(labels.overdueHeading, into: &html)
        guard !report.overdue.isEmpty else {
            html.raw("<p style=\"\(Style.allClear)\">")
            html.text(labels.noOverdue)
            html.raw("</p>\n")
            return
        }
        html.raw("<table style=\"\(Style.table)\">\n<thead>\n<tr>")
        header(
            [
                labels.tracking, labels.channel, labels.received, labels.deadline, labels.department,
                labels.daysOverdue, labels.escalation,
            ], into: &html)
        html.raw("</tr>\n</thead>\n<tbody>\n")
        for appeal in report.overdue.prefix(limit ?? report.overdue.count) {
            html.raw("<tr>")
            html.raw("<td style=\"\(Style.cell)\">")
            html.text(appeal.tracking)
            if appeal.urgent {
                html.raw(" <span style=\"\(Style.urgent)\">")
                html.text(labels.urgent)
                html.raw("</span>")
            }
            html.raw("</td>")
            cell(labels.channelName(appeal.channel), style: Style.cell, into: &html)
            cell(DailyReportLabels.dateTime(appeal.receivedAt), style: Style.cell + Style.noWrap, into: &html)
            cell(appeal.due.dotted, style: Style.cell + Style.noWrap, into: &html)
            cell(labels.departmentName(code: appeal.department, in: report), style: Style.cell, into: &html)
            cell(String(appeal.workingDaysOverdue), style: Style.number + Style.overdue, into: &html)
            cell(labels.escalationText(appeal, in: report), style: Style.cell, into: &html)
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
        if let limit, report.overdue.count > limit {
            html.raw("<p style=\"\(Style.meta)\">")
            html.text(labels.moreOverdue(report.overdue.count - limit))
            html.raw("</p>\n")
        }
    }

    private static func intake(_ report: DailyReport, _ labels: DailyReportLabels, into html: inout Document) {
        heading(labels.intakeHeading, into: &html)
        html.raw("<table style=\"\(Style.table)\">\n<thead>\n<tr>")
        header([labels.channel, labels.inPeriod, labels.previousPeriod, labels.change], into: &html)
        html.raw("</tr>\n</thead>\n<tbody>\n")
        for row in report.intake {
            html.raw("<tr>")
            cell(labels.channelName(row.channel), style: Style.nameCell, into: &html)
            cell(String(row.count), style: Style.number, into: &html)
            cell(String(row.previous), style: Style.number, into: &html)
            change(row.count - row.previous, worseWhenUp: nil, extra: "", into: &html)
            html.raw("</tr>\n")
        }
        let count = report.intake.reduce(0) { $0 + $1.count }
        let previous = report.intake.reduce(0) { $0 + $1.previous }
        html.raw("<tr>")
        cell(labels.total, style: Style.nameCell + Style.totalRow, into: &html)
        cell(String(count), style: Style.number + Style.totalRow, into: &html)
        cell(String(previous), style: Style.number + Style.totalRow, into: &html)
        change(count - previous, worseWhenUp: nil, extra: Style.totalRow, into: &html)
        html.raw("</tr>\n</tbody>\n</table>\n")
    }

    private static func heading(_ text: String, into html: inout Document) {
        html.raw("<h2 style=\"\(Style.h2)\">")
        html.text(text)
        html.raw("</h2>\n")
    }

    private static func header(_ titles: [String], into html: inout Document) {
        for title in titles {
            html.raw("<th scope=\"col\" style=\"\(Style.th)\">")
            html.text(title)
            html.raw("</th>")
        }
    }

    private static func cell(_ text: String, style: String, into html: inout Document) {
        html.raw("<td style=\"\(style)\">")
        html.text(text)
        html.raw("</td>")
    }

    /// `worseWhenUp` colours the change: more overdue appeals is bad news, fewer is good; nil leaves it neutral
    /// (more open appeals or more intake is neither).
    private static func change(_ delta: Int, worseWhenUp: Bool?, extra: String, into html: inout Document) {
        var style = Style.number + extra
        if let worseWhenUp, delta != 0 {
            style += (delta > 0) == worseWhenUp ? Style.worse : Style.better
        }
        cell(DailyReportLabels.signed(delta), style: style, into: &html)
    }

    /// Builds the document; `text` is the only way in for anything that is not markup written here. Attributes
    /// are always double-quoted, so `'` needs no escape and Uzbek's o' and g' stay readable in the source.
    private struct Document {
        var output = ""

        mutating func raw(_ markup: String) { output += markup }

        mutating func text(_ text: String) {
            output.reserveCapacity(output.utf8.count + text.utf8.count)
            for character in text {
                switch character {
                case "&": output += "&amp;"
                case "<": output += "&lt;"
                case ">": output += "&gt;"
                case "\"": output += "&quot;"
                default: output.append(character)
                }
            }
        }
    }

    private enum Style {
        static let body =
            "margin:0;padding:16px;background-color:#ffffff;color:#1f2933;"
            + "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4"
        static let h1 = "margin:0 0 4px 0;font-size:20px;font-weight:bold;color:#102a43"
        static let h2 = "margin:24px 0 8px 0;font-size:16px;font-weight:bold;color:#102a43"
        static let meta = "margin:0 0 8px 0;color:#52606d;font-size:13px"
        static let table = "border-collapse:collapse;border:1px solid #bcccdc;font-size:13px"
        static let th =
            "padding:6px 8px;border:1px solid #bcccdc;background-color:#d9e2ec;color:#102a43;"
            + "font-weight:bold;text-align:center;vertical-align:bottom"
        static let cell = "padding:4px 8px;border:1px solid #d9e2ec;text-align:left;vertical-align:top"
        static let nameCell = cell + ";min-width:220px"
        static let number = "padding:4px 8px;border:1px solid #d9e2ec;text-align:right;white-space:nowrap"
        static let noWrap = ";white-space:nowrap"
        static let totalRow = ";font-weight:bold;background-color:#f0f4f8"
        static let overdue = ";background-color:#fde2e1;color:#a61b1b;font-weight:bold"
        static let dueToday = ";background-color:#fff3c4;color:#8d2b0b"
        static let late = ";color:#a61b1b"
        static let worse = ";color:#a61b1b"
        static let better = ";color:#1b7a3d"
        static let urgent =
            "display:inline-block;padding:0 4px;border-radius:3px;background-color:#a61b1b;color:#ffffff;"
            + "font-size:11px;font-weight:bold"
        static let allClear = "margin:0;padding:8px 12px;background-color:#e3f9e5;color:#1b7a3d;font-weight:bold"
    }
}

/// Every word of the daily report in the product's languages: Uzbek (Latin) first, Russian, English.
///
/// A struct of constants rather than a dictionary of keys so that a label missing in one language does not compile.
/// The HTML, XLSX and CSV renderers all read it, so the three attachments of one e-mail use the same words.
struct DailyReportLabels: Sendable {
    /// The language actually used (`uz` for anything unknown), for `<html lang>`.
    let language: String
    let title, period, comparedWith, generated: String
    let byDepartment, department, departmentCode, open, openChange, dueSoon, dueToday, overdue, overdueChange: String
    let extended, answered, answeredLate, total, triage: String
    let overdueHeading, tracking, channel, received, deadline, daysOverdue, escalation, escalationLevel: String
    let escalationStep, urgent, yes, noOverdue: String
    /// Said on a report built after its day (``DailyReport/builtAfterItsDay``).
    let builtLater: String
    let intakeHeading, inPeriod, previousPeriod, change: String
    let chartTitle, departmentsSheet, overdueSheet, intakeSheet: String
    /// Column names of the machine-readable files only.
    let reportDate, channelCode: String
    let channels: [Channel: String]

    static func `for`(_ language: String) -> DailyReportLabels {
        switch language.lowercased().prefix(2) {
        case "ru": russian
        case "en": english
        default: uzbek
        }
    }

    func channelName(_ channel: Channel) -> String { channels[channel] ?? channel.rawValue }

    /// The triage row has no name in the org chart: it gets the label.
    func departmentName(_ row: DailyReport.DepartmentRow) -> String {
        row.code.isEmpty ? triage : row.name(language)
    }

    /// The line under a capped overdue list.
    func moreOverdue(_ count: Int) -> String {
        switch language {
        case "ru": "И ещё \(count): все просроченные обращения во вложенной книге XLSX."
        case "en": "And \(count) more: every overdue appeal is in the attached XLSX workbook."
        default: "Yana \(count) ta: muddati o'tgan barcha murojaatlar ilova qilingan XLSX faylida."
        }
    }

    /// A department code from an overdue appeal; a code the org chart no longer has is shown as it is.
    func departmentName(code: String, in report: DailyReport) -> String {
        if code.isEmpty { return triage }
        return report.departments.first { $0.code == code }.map { departmentName($0) } ?? code
    }

    /// Whom the fired step `id` told, in the report's language ("direktor"); the id itself when the ladder the
    /// report was built with does not have it.
    func stepName(_ id: String, in report: DailyReport) -> String {
        report.escalationSteps[id].map { $0[Language(rawValue: language) ?? .uz] } ?? id
    }

    /// "2 · mas’ul direktor o‘rinbosari", the level alone when the step is unknown, "—" when nothing has fired.
    func escalationText(_ appeal: DailyReport.OverdueAppeal, in report: DailyReport) -> String {
        switch (appeal.escalationLevel, appeal.escalation) {
        case (0, nil): "—"
        case (let level, nil): String(level)
        case (let level, let step?): "\(level) · \(stepName(step, in: report))"
        }
    }

    /// `+3`, `−2` (a real minus sign, which does not break across lines as a hyphen may), `0`.
    static func signed(_ delta: Int) -> String {
        delta > 0 ? "+\(delta)" : delta < 0 ? "\u{2212}\(-delta)" : "0"
    }

    /// `22.03.2026` for one day; `20.03–22.03.2026` within a year; both dates in full across New Year.
    static func period(_ range: ClosedRange<LocalDate>) -> String {
        let (first, last) = (range.lowerBound, range.upperBound)
        if first == last { return last.dotted }
        if first.year == last.year { return "\(first.dotted.prefix(5))\u{2013}\(last.dotted)" }
        return "\(first.dotted)\u{2013}\(last.dotted)"
    }

    /// `dd.MM.yyyy HH:mm` on Tashkent's clock, whatever the server's time zone is.
    static func dateTime(_ moment: Date) -> String {
        LocalDate.dottedDateTime(moment, in: WorkingCalendar.tashkent)
    }

    /// The Tashkent date and time of day of `moment`.
    static func wallClock(_ moment: Date) -> (day: LocalDate, hour: Int, minute: Int, second: Int) {
        let zone = WorkingCalendar.tashkent
        let ofDay = LocalDate.secondOfDay(moment, in: zone)
        return (LocalDate(moment, in: zone), ofDay / 3600, ofDay % 3600 / 60, ofDay % 60)
    }

    static let uzbek = DailyReportLabels(
        language: "uz", title: "Murojaatlar ijrosi bo'yicha kunlik hisobot", period: "Davr",
        comparedWith: "Oldingi ish kuni bilan taqqoslangan", generated: "Tayyorlangan",
        byDepartment: "Bo'limlar kesimida", department: "Bo'lim", departmentCode: "Bo'lim kodi", open: "Ijroda",
        openChange: "Ijroda, o'zgarish", dueSoon: "Muddati yaqin", dueToday: "Muddati bugun",
        overdue: "Muddati o'tgan", overdueChange: "Muddati o'tgan, o'zgarish", extended: "Muddati uzaytirilgan",
        answered: "Javob berilgan", answeredLate: "Kechikib javob berilgan", total: "Jami", triage: "Saralashda",
        overdueHeading: "Muddati o'tgan murojaatlar", tracking: "Kuzatuv raqami", channel: "Kanal",
        received: "Kelib tushgan", deadline: "Muddat", daysOverdue: "Kechikish (ish kuni)",
        escalation: "Eskalatsiya", escalationLevel: "Eskalatsiya darajasi", escalationStep: "Eskalatsiya bosqichi",
        urgent: "Shoshilinch", yes: "Ha", noOverdue: "Muddati o'tgan murojaatlar yo'q.",
        builtLater:
            "Hisobot o'z sanasidan keyin tuzilgan: muddatlar, bo'limlar va eskalatsiyalar o'sha kungi emas, hozirgi "
            + "holatida ko'rsatilgan.",
        intakeHeading: "Kanallar bo'yicha kelib tushgan murojaatlar", inPeriod: "Davr ichida",
        previousPeriod: "Oldingi davr", change: "O'zgarish",
        chartTitle: "Bo'limlar bo'yicha muddati o'tgan murojaatlar", departmentsSheet: "Bo'limlar",
        overdueSheet: "Muddati o'tgan", intakeSheet: "Kanallar", reportDate: "Hisobot sanasi",
        channelCode: "Kanal kodi",
        channels: [
            .email: "Elektron pochta", .call: "Call-markaz", .virtualReception: "Virtual qabulxona",
            .ijro: "ijro.gov.uz", .eXat: "E-xat", .webhook: "Veb-xizmat",
        ])

    static let russian = DailyReportLabels(
        language: "ru", title: "Ежедневный отчёт об исполнении обращений", period: "Период",
        comparedWith: "Сравнение с предыдущим рабочим днём", generated: "Сформирован",
        byDepartment: "По подразделениям", department: "Подразделение", departmentCode: "Код подразделения",
        open: "На исполнении", openChange: "На исполнении, изменение", dueSoon: "Срок скоро",
        dueToday: "Срок сегодня", overdue: "Просрочено", overdueChange: "Просрочено, изменение",
        extended: "Срок продлён", answered: "Дан ответ", answeredLate: "Ответ с опозданием", total: "Итого",
        triage: "На сортировке", overdueHeading: "Просроченные обращения", tracking: "Номер обращения",
        channel: "Канал", received: "Поступило", deadline: "Срок", daysOverdue: "Просрочка (раб. дней)",
        escalation: "Эскалация", escalationLevel: "Уровень эскалации", escalationStep: "Шаг эскалации",
        urgent: "Срочное", yes: "Да", noOverdue: "Просроченных обращений нет.",
        builtLater:
            "Отчёт сформирован после своей даты: сроки, подразделения и эскалации показаны в текущем состоянии, а не "
            + "на ту дату.",
        intakeHeading: "Поступление обращений по каналам", inPeriod: "За период", previousPeriod: "Предыдущий период",
        change: "Изменение", chartTitle: "Просроченные обращения по подразделениям",
        departmentsSheet: "Подразделения", overdueSheet: "Просроченные", intakeSheet: "Каналы",
        reportDate: "Дата отчёта", channelCode: "Код канала",
        channels: [
            .email: "Электронная почта", .call: "Колл-центр", .virtualReception: "Виртуальная приёмная",
            .ijro: "ijro.gov.uz", .eXat: "E-xat", .webhook: "Веб-сервис",
        ])

    static let english = DailyReportLabels(
        language: "en", title: "Daily escalation report", period: "Period",
        comparedWith: "Compared with the previous working day", generated: "Generated",
        byDepartment: "By department", department: "Department", departmentCode: "Department code", open: "Open",
        openChange: "Open, change", dueSoon: "Due soon", dueToday: "Due today", overdue: "Overdue",
        overdueChange: "Overdue, change", extended: "Extended", answered: "Answered", answeredLate: "Answered late",
        total: "Total", triage: "In triage", overdueHeading: "Overdue appeals", tracking: "Tracking number",
        channel: "Channel", received: "Received", deadline: "Deadline", daysOverdue: "Working days overdue",
        escalation: "Escalation", escalationLevel: "Escalation level", escalationStep: "Escalation step",
        urgent: "Urgent", yes: "Yes", noOverdue: "No overdue appeals.",
        builtLater:
            "Built after its date: deadlines, departments and escalations are shown as they are now, not as they were "
            + "that day.",
        intakeHeading: "Intake by channel",
        inPeriod: "In period", previousPeriod: "Previous period", change: "Change",
        chartTitle: "Overdue appeals by department", departmentsSheet: "Departments", overdueSheet: "Overdue",
        intakeSheet: "Intake", reportDate: "Report date", channelCode: "Channel code",
        channels: [
            .email: "E-mail", .call: "Call centre", .virtualReception: "Virtual Reception", .ijro: "ijro.gov.uz",
            .eXat: "E-xat", .webhook: "Web service",
        ])
}
