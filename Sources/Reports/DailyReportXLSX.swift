import CXlsxWriter
public import Foundation
import MurojaatCore
import Store

/// The daily escalation report as an Excel workbook (FORMATS.md 4), attached to the e-mail.
///
/// ```swift
/// try DailyReportXLSX.write(report, to: URL(fileURLWithPath: "hisobot.xlsx"), language: "uz")
/// let attachment = try DailyReportXLSX.data(report, language: "ru")
/// ```
///
/// Three sheets (departments with a bar chart of overdue appeals, the overdue list, intake by channel). Figures are
/// numbers and dates are Excel dates, so the control department can sort, filter and sum them; the totals are
/// `SUM` formulas that carry their computed value, so readers that do not calculate still see the numbers.
public enum DailyReportXLSX {
    /// Why a workbook could not be made. Nothing is left at the target path when this is thrown: a workbook with a
    /// missing cell must not be mailed as if it were the report.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            public let description: String
            /// libxlsxwriter refused a sheet, a cell or the chart (a name or a text too long, say).
            public static let content = Code(description: "cannot lay out the report")
            /// The file could not be written (missing folder, no permission, disk full).
            public static let file = Code(description: "cannot write the workbook")
            /// ``DailyReportXLSX/data(_:language:)`` could not make or read back its temporary file.
            public static let temporaryFile = Code(description: "cannot use a temporary file")
        }

        public var code: Code
        /// The file concerned.
        public var path: String
        /// What went wrong, in libxlsxwriter's or Foundation's words, with the sheet and cell when there is one.
        public var reason: String

        public var description: String { "\(code): \(path): \(reason)" }
    }

    /// Writes the workbook to `url`, replacing what is there. Labels are in `language` (`uz` default, `ru`, `en`).
    ///
    /// - Throws: ``WriteError`` with code ``WriteError/Code/content`` or ``WriteError/Code/file``.
    public static func write(_ report: DailyReport, to url: URL, language: String = "uz") throws(WriteError) {
        guard let workbook = workbook_new(url.path) else {
            throw WriteError(code: .file, path: url.path, reason: "libxlsxwriter could not start a workbook")
        }
        var book = Book(workbook: workbook, labels: DailyReportLabels.for(language))
        book.properties(report)
        book.departments(report)
        book.overdue(report)
        book.intake(report)
        // Closing also frees the workbook, so it runs even when a cell has already failed.
        let status = workbook_close(workbook)
        if let failure = book.failure {
            try? FileManager.default.removeItem(at: url)
            throw WriteError(code: .content, path: url.path, reason: failure)
        }
        guard status == LXW_NO_ERROR else {
            try? FileManager.default.removeItem(at: url)
            throw WriteError(code: .file, path: url.path, reason: String(cString: lxw_strerror(status)))
        }
    }

    /// The workbook's bytes, for an e-mail attachment. libxlsxwriter 1.1 can only write to a file, so this goes
    /// through a private temporary folder that is removed before returning, also on failure.
    ///
    /// - Throws: ``WriteError`` as ``write(_:to:language:)`` does, or ``WriteError/Code/temporaryFile``.
    public static func data(_ report: DailyReport, language: String = "uz") throws(WriteError) -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "murojaat-report-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(code: .temporaryFile, path: folder.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.xlsx")
        try write(report, to: file, language: language)
        do {
            return [UInt8](try Data(contentsOf: file))
        } catch {
            throw WriteError(code: .temporaryFile, path: file.path, reason: error.localizedDescription)
        }
    }
}

/// Sheet names: Excel allows at most 31 characters, none of `[]:*?/\`, and no apostrophe at either end.
/// The labels are constants that obey this today; the check keeps a translated label from ever breaking the file.
func excelSheetName(_ name: String) -> String {
    let allowed = name.unicodeScalars.filter { !"[]:*?/\\".unicodeScalars.contains($0) }
    var cleaned = String(String.UnicodeScalarView(allowed)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
    // libxlsxwriter counts UTF-8 code points; Excel counts UTF-16 units. Both agree within the BMP, which holds
    // every Uzbek, Russian and English letter.
    while cleaned.unicodeScalars.count > 31 { cleaned.unicodeScalars.removeLast() }
    return cleaned.isEmpty ? "Sheet" : cleaned
}

private typealias Sheet = UnsafeMutablePointer<lxw_worksheet>
private typealias Format = UnsafeMutablePointer<lxw_format>

/// One workbook being laid out. libxlsxwriter reports a bad cell only from the call that wrote it, not at close,
/// so every call goes through `check` and the first failure is kept for the error.
private struct Book {
    let workbook: UnsafeMutablePointer<lxw_workbook>
    let labels: DailyReportLabels
    let formats: Formats
    var failure: String?

    init(workbook: UnsafeMutablePointer<lxw_workbook>, labels: DailyReportLabels) {
        self.workbook = workbook
        self.labels = labels
        self.formats = Formats(workbook)
    }

    // Rows 0 and 1 of every sheet: a title line with the date, then the column header; data start at row 2.
    static let headerRow = 1
    static let firstDataRow = 2

    // MARK: Departments

    /// Columns of the departments sheet; the chart and the totals refer to them by these numbers.
    enum DepartmentColumn {
        static let name = 0
        static let overdue = 6
        static let count = 11
    }

    mutating func departments(_ report: DailyReport) {
        guard let sheet = sheet(labels.departmentsSheet) else { return }
        title(sheet, report)
        header(
            sheet,
            [
                labels.department, labels.departmentCode, labels.open, labels.openChange, labels.dueSoon,
                labels.dueToday, labels.overdue, labels.overdueChange, labels.extended, labels.answered,
                labels.answeredLate,
            ])
        for (index, row) in report.departments.enumerated() {
            let line = Self.firstDataRow + index
            text(sheet, line, 0, labels.departmentName(row), formats.name)
            text(sheet, line, 1, row.code, formats.text)
            figures(sheet, line, today: row.today, previous: row.previous)
        }

        // The totals: `SUM` over the rows above, with the value computed here cached in the cell.
        let totalsRow = Self.firstDataRow + report.departments.count
        let totals = report.totals
        let values = Self.figureValues(today: totals.today, previous: totals.previous)
        text(sheet, totalsRow, 0, labels.total, formats.totalText)
        text(sheet, totalsRow, 1, "", formats.totalText)
        for (offset, value) in values.enumerated() {
            let column = 2 + offset
            let format = Self.isChange(column) ? formats.totalChange : formats.totalNumber
            sum(sheet, totalsRow, column, of: report.departments.count, value: value, format: format)
        }

        for (column, width) in [52.0, 14, 11, 12, 11, 11, 11, 12, 12, 11, 13].enumerated() {
            check(worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil), "column width")
        }
        // Below the header and right of the names, so both stay in view in a long or wide table.
        worksheet_freeze_panes(sheet, lxw_row_t(Self.firstDataRow), 1)
        check(
            worksheet_autofilter(
                sheet, lxw_row_t(Self.headerRow), 0, lxw_row_t(totalsRow - 1), lxw_col_t(DepartmentColumn.count - 1)),
            "autofilter")
        printSetup(sheet)
        if !report.departments.isEmpty {
            chart(on: sheet, report, at: totalsRow + 2)
        }
    }

    mutating func figures(_ sheet: Sheet, _ line: Int, today: DailyReport.Figures, previous: DailyReport.Figures) {
        for (offset, value) in Self.figureValues(today: today, previous: previous).enumerated() {
            let column = 2 + offset
            let format =
                Self.isChange(column)
                ? formats.change
                : column == DepartmentColumn.overdue && value > 0 ? formats.overdue : formats.number
            number(sheet, line, column, value, format)
        }
    }

    /// Columns 2... of a department row, in the header's order.
    static func figureValues(today: DailyReport.Figures, previous: DailyReport.Figures) -> [Int] {
        [
            today.open, today.open - previous.open, today.dueSoon, today.dueToday, today.overdue,
            today.overdue - previous.overdue, today.extended, today.answered, today.answeredLate,
        ]
    }

    static func isChange(_ column: Int) -> Bool { column == 3 || column == 7 }

    /// A native bar chart, so it stays live and readable in Excel, LibreOffice and the mail client's preview.
    mutating func chart(on sheet: Sheet, _ report: DailyReport, at row: Int) {
        guard let chart = workbook_add_chart(workbook, UInt8(LXW_CHART_BAR.rawValue)) else {
            fail("libxlsxwriter could not add the chart")
            return
        }
        let first = lxw_row_t(Self.firstDataRow)
        let last = lxw_row_t(Self.firstDataRow + report.departments.count - 1)
        let sheetName = excelSheetName(labels.departmentsSheet)
        guard let series = chart_add_series(chart, nil, nil) else {
            fail("libxlsxwriter could not add the chart's series")
            return
        }
        chart_series_set_categories(
            series, sheetName, first, lxw_col_t(DepartmentColumn.name), last, lxw_col_t(DepartmentColumn.name))
        chart_series_set_values(
            series, sheetName, first, lxw_col_t(DepartmentColumn.overdue), last, lxw_col_t(DepartmentColumn.overdue))
        chart_series_set_name_range(
            series, sheetName, lxw_row_t(Self.headerRow), lxw_col_t(DepartmentColumn.overdue))
        var fill = lxw_chart_fill(color: 0xC0392B, none: 0, transparency: 0)
        chart_series_set_fill(series, &fill)
        chart_series_set_labels(series)
        chart_title_set_name(chart, "\(labels.chartTitle): \(report.date.dotted)")
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        // A bar chart draws its first category at the bottom; reversed, it reads top-down like the table. In a bar
        // chart libxlsxwriter's y axis is the category axis. Crossing at the last category keeps the value axis at
        // the bottom, where reversing would otherwise move it.
        chart_axis_set_reverse(chart.pointee.y_axis)
        chart_axis_set_crossing_max(chart.pointee.y_axis)
        chart_axis_set_min(chart.pointee.x_axis, 0)
        // About 24 points a bar, so seventeen departments with long names do not squash together.
        let height = max(288.0, 80.0 + 24.0 * Double(report.departments.count))
        var options = lxw_chart_options()
        options.x_scale = 2.0
        options.y_scale = height / 288.0
        check(
            worksheet_insert_chart_opt(sheet, lxw_row_t(row), 0, chart, &options), "chart at row \(row + 1)")
    }

    // MARK: Overdue

    mutating func overdue(_ report: DailyReport) {
        guard let sheet = sheet(labels.overdueSheet) else { return }
        title(sheet, report)
        header(
            sheet,
            [
                labels.tracking, labels.channel, labels.received, labels.deadline, labels.department,
                labels.daysOverdue, labels.escalationLevel, labels.escalationStep, labels.urgent,
            ])
        for (index, appeal) in report.overdue.enumerated() {
            let line = Self.firstDataRow + index
            text(sheet, line, 0, appeal.tracking, formats.text)
            text(sheet, line, 1, labels.channelName(appeal.channel), formats.text)
            let clock = DailyReportLabels.wallClock(appeal.receivedAt)
            date(
                sheet, line, 2,
                lxw_datetime(
                    year: Int32(clock.day.year), month: Int32(clock.day.month), day: Int32(clock.day.day),
                    hour: Int32(clock.hour), min: Int32(clock.minute), sec: Double(clock.second)),
                formats.dateTime)
            date(
                sheet, line, 3,
                lxw_datetime(
                    year: Int32(appeal.due.year), month: Int32(appeal.due.month), day: Int32(appeal.due.day), hour: 0,
                    min: 0, sec: 0),
                formats.date)
            text(sheet, line, 4, labels.departmentName(code: appeal.department, in: report), formats.name)
            number(sheet, line, 5, appeal.workingDaysOverdue, formats.overdue)
            number(sheet, line, 6, appeal.escalationLevel, formats.number)
            text(sheet, line, 7, appeal.escalation.map { labels.stepName($0, in: report) } ?? "", formats.text)
            text(sheet, line, 8, appeal.urgent ? labels.yes : "", formats.text)
        }
        if report.overdue.isEmpty {
            text(sheet, Self.firstDataRow, 0, labels.noOverdue, formats.allClear)
        }
        for (column, width) in [18.0, 18, 17, 12, 52, 13, 13, 24, 13].enumerated() {
            check(worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil), "column width")
        }
        worksheet_freeze_panes(sheet, lxw_row_t(Self.firstDataRow), 0)
        let lastRow = Self.headerRow + report.overdue.count
        check(worksheet_autofilter(sheet, lxw_row_t(Self.headerRow), 0, lxw_row_t(lastRow), 8), "autofilter")
        printSetup(sheet)
    }

    // MARK: Intake

    mutating func intake(_ report: DailyReport) {
        guard let sheet = sheet(labels.intakeSheet) else { return }
        title(sheet, report)
        header(sheet, [labels.channel, labels.inPeriod, labels.previousPeriod, labels.change])
        for (index, row) in report.intake.enumerated() {
            let line = Self.firstDataRow + index
            text(sheet, line, 0, labels.channelName(row.channel), formats.text)
            number(sheet, line, 1, row.count, formats.number)
            number(sheet, line, 2, row.previous, formats.number)
            number(sheet, line, 3, row.count - row.previous, formats.change)
        }
        let totalsRow = Self.firstDataRow + report.intake.count
        let count = report.intake.reduce(0) { $0 + $1.count }
        let previous = report.intake.reduce(0) { $0 + $1.previous }
        text(sheet, totalsRow, 0, labels.total, formats.totalText)
        sum(sheet, totalsRow, 1, of: report.intake.count, value: count, format: formats.totalNumber)
        sum(sheet, totalsRow, 2, of: report.intake.count, value: previous, format: formats.totalNumber)
        sum(sheet, totalsRow, 3, of: report.intake.count, value: count - previous, format: formats.totalChange)
        for (column, width) in [24.0, 13, 15, 12].enumerated() {
            check(worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil), "column width")
        }
        worksheet_freeze_panes(sheet, lxw_row_t(Self.firstDataRow), 0)
        check(
            worksheet_autofilter(sheet, lxw_row_t(Self.headerRow), 0, lxw_row_t(totalsRow - 1), 3), "autofilter")
        printSetup(sheet)
    }

    // MARK: Pieces

    mutating func sheet(_ name: String) -> Sheet? {
        guard let sheet = workbook_add_worksheet(workbook, excelSheetName(name)) else {
            fail("libxlsxwriter refused the sheet name \"\(excelSheetName(name))\"")
            return nil
        }
        return sheet
    }

    /// Row 0: what the report is, for which day and period, so a printed or forwarded sheet still says so.
    mutating func title(_ sheet: Sheet, _ report: DailyReport) {
        let line =
            "\(labels.title): \(report.date.dotted) · \(labels.period): \(DailyReportLabels.period(report.period))"
            + " · \(labels.comparedWith): \(report.previousWorkingDay.dotted)"
            + (report.builtAfterItsDay ? " · " + labels.builtLater : "")
        text(sheet, 0, 0, line, formats.title)
        check(worksheet_set_row(sheet, 0, 22, nil), "title row")
    }

    mutating func header(_ sheet: Sheet, _ titles: [String]) {
        for (column, title) in titles.enumerated() {
            text(sheet, Self.headerRow, column, title, formats.header)
        }
    }

    /// Landscape A4, one page wide, the header on every page: the control department prints it for meetings.
    mutating func printSetup(_ sheet: Sheet) {
        worksheet_set_landscape(sheet)
        worksheet_set_paper(sheet, 9)  // A4
        worksheet_fit_to_pages(sheet, 1, 0)
        check(worksheet_repeat_rows(sheet, lxw_row_t(Self.headerRow), lxw_row_t(Self.headerRow)), "print titles")
    }

    mutating func text(_ sheet: Sheet, _ row: Int, _ column: Int, _ value: String, _ format: Format?) {
        check(
            worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), value, format),
            "text at \(Self.cell(row, column))")
    }

    mutating func number(_ sheet: Sheet, _ row: Int, _ column: Int, _ value: Int, _ format: Format?) {
        check(
            worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(value), format),
            "number at \(Self.cell(row, column))")
    }

    mutating func date(_ sheet: Sheet, _ row: Int, _ column: Int, _ value: lxw_datetime, _ format: Format?) {
        var value = value
        check(
            worksheet_write_datetime(sheet, lxw_row_t(row), lxw_col_t(column), &value, format),
            "date at \(Self.cell(row, column))")
    }

    /// `=SUM(...)` over the data rows of `column`, caching `value` (libxlsxwriter does not calculate).
    mutating func sum(_ sheet: Sheet, _ row: Int, _ column: Int, of rows: Int, value: Int, format: Format?) {
        guard rows > 0 else {
            number(sheet, row, column, value, format)
            return
        }
        let range = "\(Self.cell(Self.firstDataRow, column)):\(Self.cell(Self.firstDataRow + rows - 1, column))"
        check(
            worksheet_write_formula_num(
                sheet, lxw_row_t(row), lxw_col_t(column), "=SUM(\(range))", format, Double(value)),
            "total at \(Self.cell(row, column))")
    }

    mutating func properties(_ report: DailyReport) {
        let title = strdup("\(labels.title): \(report.date.dotted)")
        let subject = strdup("\(labels.period): \(DailyReportLabels.period(report.period))")
        defer {
            free(title)
            free(subject)
        }
        var properties = lxw_doc_properties()
        properties.title = title
        properties.subject = subject
        // The report's own time rather than the moment of writing: the same report gives the same workbook.
        properties.created = time_t(report.generatedAt.timeIntervalSince1970.rounded(.down))
        check(workbook_set_properties(workbook, &properties), "document properties")
    }

    /// `A1` notation, for messages and formulas; the sheets are narrower than 26 columns.
    static func cell(_ row: Int, _ column: Int) -> String {
        let letter = Character(UnicodeScalar(UInt8(ascii: "A") + UInt8(column)))
        return "\(letter)\(row + 1)"
    }

    mutating func check(_ status: lxw_error, _ what: @autoclosure () -> String) {
        guard status != LXW_NO_ERROR else { return }
        fail("\(what()): \(String(cString: lxw_strerror(status)))")
    }

    mutating func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }
}

/// The cell formats, made once per workbook (libxlsxwriter owns and frees them).
private struct Formats {
    let title, header, name, text, number, change, overdue, date, dateTime, allClear: Format?
    let totalText, totalNumber, totalChange: Format?

    init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
        let thin = UInt8(LXW_BORDER_THIN.rawValue)
        func make(_ configure: (Format) -> Void) -> Format? {
            guard let format = workbook_add_format(workbook) else { return nil }
            configure(format)
            return format
        }
        func bordered(_ configure: (Format) -> Void = { _ in }) -> Format? {
            make {
                format_set_border($0, thin)
                format_set_border_color($0, 0xBCCCDC)
                format_set_align($0, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
                configure($0)
            }
        }
        func total(_ configure: (Format) -> Void = { _ in }) -> Format? {
            bordered {
                format_set_bold($0)
                format_set_bg_color($0, 0xF0F4F8)
                format_set_top($0, UInt8(LXW_BORDER_MEDIUM.rawValue))
                configure($0)
            }
        }
        // Positive with a plus, negative with a minus, zero as 0: the change columns.
        let signed = "+0;-0;0"
        title = make {
            format_set_bold($0)
            format_set_font_size($0, 13)
        }
        header = bordered {
            format_set_bold($0)
            format_set_bg_color($0, 0xD9E2EC)
            format_set_text_wrap($0)
            format_set_align($0, UInt8(LXW_ALIGN_CENTER.rawValue))
            format_set_align($0, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        }
        name = bordered { format_set_text_wrap($0) }
        text = bordered()
        number = bordered()
        change = bordered { format_set_num_format($0, signed) }
        overdue = bordered {
            format_set_bold($0)
            format_set_bg_color($0, 0xFDE2E1)
            format_set_font_color($0, 0xA61B1B)
        }
        date = bordered { format_set_num_format($0, "dd.mm.yyyy") }
        dateTime = bordered { format_set_num_format($0, "dd.mm.yyyy hh:mm") }
        allClear = make {
            format_set_bold($0)
            format_set_font_color($0, 0x1B7A3D)
        }
        totalText = total()
        totalNumber = total()
        totalChange = total { format_set_num_format($0, signed) }
    }
}
