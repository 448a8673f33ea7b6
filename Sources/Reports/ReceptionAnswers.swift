import CXlsxWriter
public import Foundation
public import MurojaatCore
public import Store

/// What goes back to the Presidential Virtual Reception (FORMATS.md 4): for each of its appeals, the status, the
/// answer date, the executor and a short answer, for upload to the Reception.
public struct ReceptionAnswers: Sendable {
    public struct Row: Sendable, Hashable {
        /// The Reception's own number (the appeal's source key).
        public var number: String
        public var tracking: String
        public var status: String
        public var answeredOn: LocalDate?
        public var executor: String
        public var shortAnswer: String
    }

    /// The columns, in Uzbek as the Reception's own exports name them.
    public static let header = [
        "Murojaat raqami", "Kuzatuv raqami", "Holati", "Javob sanasi", "Ijrochi", "Qisqa javob",
    ]
    /// A short answer is cut here, at a word, with an ellipsis.
    public static let shortAnswerLength = 500

    public let store: any AppealStore

    public init(store: any AppealStore) { self.store = store }

    /// The Reception's appeals with anything recorded on or after `since` (Tashkent days), in number order.
    /// `departmentNames` turns department codes into the names the Reception shows.
    public func rows(since: LocalDate, departmentNames: [String: String] = [:]) async throws(StoreError) -> [Row] {
        let start = since.start(in: WorkingCalendar.tashkent)
        var rows: [Row] = []
        var offset = 0
        while true {
            let page = try await store.appeals(AppealQuery(channel: .virtualReception, limit: 1000, offset: offset))
            if page.isEmpty { break }
            offset += page.count
            for appeal in page {
                let history = try await store.history(of: appeal.id)
                guard history.contains(where: { $0.event.at >= start }) else { continue }
                let answer = history.last { $0.event.kind == .answered }
                let executor = appeal.department.map { departmentNames[$0] ?? $0 } ?? ""
                rows.append(
                    Row(
                        number: appeal.sourceKey, tracking: appeal.tracking.value, status: appeal.status.rawValue,
                        answeredOn: answer.map { LocalDate($0.event.at, in: WorkingCalendar.tashkent) },
                        executor: executor, shortAnswer: Self.shorten(answer?.event.why ?? "")))
            }
        }
        return rows.sorted { $0.number < $1.number }
    }

    static func shorten(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > shortAnswerLength else { return flat }
        let cut = flat.prefix(shortAnswerLength)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord + "…"
    }

    /// RFC 4180 CSV in UTF-8 with a BOM (so Excel opens Cyrillic right), CRLF line ends.
    public static func csv(_ rows: [Row]) -> Data {
        CSVText.document(
            header: header,
            rows: rows.map {
                [$0.number, $0.tracking, $0.status, $0.answeredOn?.dotted ?? "", $0.executor, $0.shortAnswer]
            })
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// An Excel workbook through libxlsxwriter: bold header, frozen first row, filters, sized columns.
    public static func xlsx(_ rows: [Row], to url: URL) throws(WriteError) {
        guard let workbook = workbook_new(url.path) else {
            throw WriteError(description: "cannot create \(url.path)")
        }
        let sheet = workbook_add_worksheet(workbook, "Javoblar")
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        let wrap = workbook_add_format(workbook)
        format_set_text_wrap(wrap)
        for (column, name) in header.enumerated() {
            worksheet_write_string(sheet, 0, lxw_col_t(column), name, bold)
        }
        for (index, row) in rows.enumerated() {
            let line = lxw_row_t(index + 1)
            let cells = [
                row.number, row.tracking, row.status, row.answeredOn?.dotted ?? "", row.executor, row.shortAnswer,
            ]
            for (column, value) in cells.enumerated() {
                worksheet_write_string(sheet, line, lxw_col_t(column), value, column == 5 ? wrap : nil)
            }
        }
        for (column, width) in [18.0, 12, 14, 13, 30, 80].enumerated() {
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil)
        }
        worksheet_freeze_panes(sheet, 1, 0)
        worksheet_autofilter(sheet, 0, 0, lxw_row_t(rows.count), lxw_col_t(header.count - 1))
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            throw WriteError(description: "cannot write \(url.path): \(String(cString: lxw_strerror(status)))")
        }
    }
}
