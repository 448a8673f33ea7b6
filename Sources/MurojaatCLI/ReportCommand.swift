import ArgumentParser
import Foundation
import MurojaatCore
import Reports
import Rules
import Store
import Tracker

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports for the control department.", subcommands: [DailyReportCommand.self])
}

struct DailyReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily",
        abstract: "The daily escalation report for a date: per department, the overdue list, yesterday's intake.",
        discussion: """
            html and csv print to standard output without --out; xlsx needs --out. With csv and --out FILE, the \\
            overdue list and the intake go beside FILE as FILE-overdue.csv and FILE-intake.csv. --send writes the \\
            report e-mail (HTML with the XLSX and CSV attached) to the outbox for the control department and the \\
            deputy directors, once per date. `serve` does that by itself every working day at 09:00.
            """)
    @OptionGroup var locations: Locations
    @Option(help: "The report's date (YYYY-MM-DD); default today in Tashkent.") var date: String?
    @Option(help: "html, xlsx or csv.") var format = "html"
    @Option(help: "Write to this file.") var out: String?
    @Option(help: "uz, ru or en.") var language = "uz"
    @Flag(help: "Also write the report e-mail to the outbox.") var send = false

    func run() async throws {
        let book = try locations.loadRules()
        let tracker = try locations.loadTrackerRules(book)
        let store = try await locations.openStore()
        let now = try CommandClock.now()
        let day: LocalDate
        if let date {
            guard let parsed = LocalDate(date) else {
                throw CLIError(
                    uz: "--date \(date) sana emas (YYYY-MM-DD)", ru: "--date \(date) — не дата (YYYY-MM-DD)",
                    en: "--date \(date) is not a date (YYYY-MM-DD)")
            }
            day = parsed
        } else {
            day = LocalDate(now, in: book.deadlines.calendar.zone)
        }
        guard ["uz", "ru", "en"].contains(language) else {
            throw CLIError(
                uz: "--language qiymati uz, ru yoki en bo‘ladi", ru: "--language — uz, ru или en",
                en: "--language is uz, ru or en")
        }
        let mail = DailyReportMail(book: book, tracker: tracker, store: store)
        // Sending keeps the report it sends, so the report of that day reads the same later.
        let report = try await storeCall { () async throws(StoreError) in
            send ? try await mail.reportToSend(for: day, now: now) : try await mail.report(for: day, now: now)
        }
        if report.builtAfterItsDay {
            // The CSV has no room for it; said once here for every format.
            Output.standardError(
                Say.text(
                    uz: "Diqqat: \(day.dotted) hisoboti bugungi ma’lumotlardan tuzildi: muddatlar, bo‘limlar va "
                        + "eskalatsiyalar o‘sha kungi emas, hozirgi holatida",
                    ru: "Внимание: отчёт за \(day.dotted) построен по сегодняшним данным: сроки, подразделения и "
                        + "эскалации — в текущем состоянии, а не на ту дату",
                    en: "note: the report for \(day.dotted) is built from today's data: deadlines, departments and "
                        + "escalations as they are now, not as they were that day"))
        }
        switch format {
        case "html":
            try emit(Data(DailyReportHTML.render(report, language: language).utf8), to: out)
        case "csv":
            try emit(DailyReportCSV.departments(report, language: language), to: out)
            if let out {
                try emit(DailyReportCSV.overdue(report, language: language), to: Self.sibling(out, "overdue"))
                try emit(DailyReportCSV.intake(report, language: language), to: Self.sibling(out, "intake"))
            } else {
                print("")
                try emit(DailyReportCSV.overdue(report, language: language), to: nil)
                print("")
                try emit(DailyReportCSV.intake(report, language: language), to: nil)
            }
        case "xlsx":
            guard let out else {
                throw CLIError(
                    uz: "XLSX kitobi uchun --out FILE.xlsx kerak", ru: "Для книги XLSX нужен --out FILE.xlsx",
                    en: "an XLSX workbook needs --out FILE.xlsx")
            }
            do { try DailyReportXLSX.write(report, to: URL(fileURLWithPath: out), language: language) } catch {
                throw CLIError(cause: error)
            }
            Self.wrote(out)
        default:
            throw CLIError(
                uz: "--format qiymati html, xlsx yoki csv bo‘ladi", ru: "--format — html, xlsx или csv",
                en: "--format is html, xlsx or csv")
        }
        if send {
            let notice = try mail.notice(report, now: now)
            let added = try await storeCall { () async throws(StoreError) in
                try await store.enqueueNotices([notice])
            }
            let to = notice.to.joined(separator: ", ")
            Output.standardError(
                added == 1
                    ? Say.text(
                        uz: "\(day.dotted) hisoboti xati chiquvchi xatlar navbatiga qo‘yildi: \(to)",
                        ru: "Письмо с отчётом за \(day.dotted) поставлено в исходящие для \(to)",
                        en: "the report e-mail for \(day.dotted) is in the outbox for \(to)")
                    : Say.text(
                        uz: "\(day.dotted) hisoboti avval yuborilgan: qayta yozilmadi",
                        ru: "Отчёт за \(day.dotted) уже отправлялся: повторно не записан",
                        en: "the report for \(day.dotted) was sent before: not written again"))
        }
    }

    func emit(_ data: Data, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(data)
            return
        }
        do { try data.write(to: URL(fileURLWithPath: path)) } catch {
            let cause = error.localizedDescription
            throw CLIError(
                uz: "\(path) ga yozib bo‘lmadi: \(cause)", ru: "Не удалось записать \(path): \(cause)",
                en: "cannot write \(path): \(cause)")
        }
        Self.wrote(path)
    }

    /// On stderr, so a report printed to stdout stays clean.
    static func wrote(_ path: String) {
        Output.standardError(Say.text(uz: "\(path) yozildi", ru: "Записан файл \(path)", en: "wrote \(path)"))
    }

    /// `report.csv` → `report-overdue.csv`, in the same folder, written the way the user wrote the first.
    static func sibling(_ path: String, _ suffix: String) -> String {
        let ext = (path as NSString).pathExtension
        let stem = ext.isEmpty ? path : (path as NSString).deletingPathExtension
        return "\(stem)-\(suffix).\(ext.isEmpty ? "csv" : ext)"
    }
}

/// The daily report as data and as the e-mail the control department and the deputy directors receive.
struct DailyReportMail: Sendable {
    let book: RuleBook
    let tracker: TrackerRules
    let store: any AppealStore

    var builder: DailyReportBuilder {
        DailyReportBuilder(
            store: store, calendar: book.deadlines.calendar,
            departments: book.org.departments.map { .init(code: $0.code, names: $0.names) },
            dueSoonDays: tracker.ladder.dueSoonDays, escalationSteps: tracker.ladder.toldByStep)
    }

    /// A past day's report as it was sent, else built now (``Reports/DailyReportBuilder/report(for:now:)``).
    func report(for day: LocalDate, now: Date) async throws(StoreError) -> DailyReport {
        try await builder.report(for: day, now: now)
    }

    /// The report the e-mail carries, kept for the day.
    func reportToSend(for day: LocalDate, now: Date) async throws(StoreError) -> DailyReport {
        try await builder.reportToSend(for: day, now: now)
    }

    /// The e-mail: HTML body, a text part from the template, the workbook and the CSV tables attached. Its dedup
    /// key is the date, so it is written once however many times or instances ask.
    func notice(_ report: DailyReport, now: Date) throws -> Notice {
        let language = tracker.ladder.staffLanguage
        let writer = NoticeWriter(rules: tracker, org: book.org, zone: book.deadlines.calendar.zone)
        let to = writer.addresses(tracker.ladder.reportTo, department: nil)
        guard !to.isEmpty else {
            throw CLIError(
                uz: "Kunlik hisobotni oladiganlar yo‘q: escalation.yaml dagi daily_report ni qarang",
                ru: "У ежедневного отчёта нет получателей: см. daily_report в escalation.yaml",
                en: "the daily report has no recipients: see daily_report in escalation.yaml")
        }
        let totals = report.totals.today
        let period =
            report.period.lowerBound == report.period.upperBound
            ? report.period.lowerBound.dotted : "\(report.period.lowerBound.dotted)–\(report.period.upperBound.dotted)"
        let text = tracker.notice("daily-report").render(
            language,
            [
                "date": report.date.dotted, "period": period, "open": String(totals.open),
                "overdue": String(totals.overdue), "due_today": String(totals.dueToday),
                "due_soon": String(totals.dueSoon),
            ])
        let workbook: [UInt8]
        do { workbook = try DailyReportXLSX.data(report, language: language) } catch {
            throw CLIError(
                Wording(
                    uz: "Hisobot kitobini (XLSX) yozib bo‘lmadi", ru: "Не удалось записать книгу отчёта (XLSX)",
                    en: "cannot write the report's workbook"), cause: error)
        }
        let stem = "nazorat-hisoboti-\(report.date.iso)"
        let csv = "text/csv; charset=utf-8"
        return Notice(
            kind: "daily_report", appealID: nil, to: to, subject: text.subject, text: text.body,
            html: DailyReportHTML.render(report, language: language, overdueRows: 200),
            attachments: [
                .init(
                    name: "\(stem).xlsx",
                    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    content: workbook),
                .init(
                    name: "\(stem)-bolimlar.csv", contentType: csv,
                    content: Array(DailyReportCSV.departments(report, language: language))),
                .init(
                    name: "\(stem)-muddati-otgan.csv", contentType: csv,
                    content: Array(DailyReportCSV.overdue(report, language: language))),
                .init(
                    name: "\(stem)-kelib-tushgan.csv", contentType: csv,
                    content: Array(DailyReportCSV.intake(report, language: language))),
            ], dedupKey: "daily-report:\(report.date.iso)", createdAt: now)
    }
}
