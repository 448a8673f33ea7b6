import Foundation
import Hummingbird
import MurojaatCore
import Reports
import Rules
import Store

extension WebServer {
    /// The control department's morning: overdue by department (as bars), today's escalations, and the daily report
    /// for any date in each of its formats.
    func controlPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        guard Access.mayControl(staff) else { throw Denied(status: .forbidden, reason: "the dashboard is for control") }
        let words = pages.words(context)
        let now = now()
        let today = pages.today(now)
        let report = try await dailyReport(for: today, now: now)
        let most = max(1, report.departments.map(\.today.overdue).max() ?? 1)
        let rows: [[String: Any]] = report.departments.map { row in
            let figures = row.today
            return [
                "code": row.code.isEmpty ? "—" : row.code,
                "name": row.code.isEmpty ? words["triage"]! : row.name(staff.language),
                "queue": row.code.isEmpty ? "/triage" : "/queue?department=\(row.code)",
                "open": figures.open, "dueSoon": figures.dueSoon, "dueToday": figures.dueToday,
                "overdue": figures.overdue, "extended": figures.extended, "answered": figures.answered,
                "answeredLate": figures.answeredLate, "max": most,
                "change": Self.signed(figures.overdue - row.previous.overdue),
            ]
        }
        let start = today.start(in: pages.zone)
        let escalations = try await store.escalations(from: start, until: start.addingTimeInterval(86_400), limit: 200)
        let language = pages.language(context)
        let escalationRows: [[String: Any]] = escalations.map { stored in
            let tracking = TrackingNumber(sequence: stored.appealID).value
            // Named by whom the step told; a step since removed from the ladder by its id.
            let step = stored.event.data["step"] ?? ""
            return [
                "at": pages.stamp(stored.event.at), "tracking": tracking,
                "why": stored.event.why(in: language) ?? "",
                "step": ladder.step(step)?.told[language] ?? step, "level": stored.event.data["level"] ?? "",
            ]
        }
        var values = pages.base(context, title: words["control"]!, page: "control")
        values["date"] = today.iso
        values["dateDotted"] = today.dotted
        values["departments"] = rows
        values["totalOverdue"] = report.totals.today.overdue
        values["escalations"] = escalationRows
        values["hasEscalations"] = !escalationRows.isEmpty
        values["intake"] = report.intake.map {
            ["channel": Texts.name("channel", $0.channel.rawValue, in: words), "count": $0.count]
        }
        return pages.render("control", values)
    }

    /// `GET /reports/daily?date=YYYY-MM-DD&format=html|xlsx|csv`: the report as the e-mail carries it, downloaded.
    func dailyReportFile(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        guard Access.mayControl(staff) else { throw Denied(status: .forbidden, reason: "reports are for control") }
        let now = now()
        let asked = request.uri.queryParameters["date"].map(String.init) ?? ""
        let format = request.uri.queryParameters["format"].map(String.init) ?? "html"
        guard let day = asked.isEmpty ? pages.today(now) : LocalDate(asked), ["html", "xlsx", "csv"].contains(format)
        else {
            throw Denied(status: .badRequest, reason: "date must be YYYY-MM-DD and format html, xlsx or csv")
        }
        let report = try await dailyReport(for: day, now: now)
        let name = "murojaat-daily-\(day.iso).\(format)"
        let language = staff.language
        let body: [UInt8]
        let type: String
        switch format {
        case "xlsx":
            body = try DailyReportXLSX.data(report, language: language)
            type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "csv":
            body = Array(DailyReportCSV.departments(report, language: language))
            type = "text/csv; charset=utf-8"
        default:
            body = Array(DailyReportHTML.render(report, language: language).utf8)
            type = "text/html; charset=utf-8"
        }
        var headers: HTTPFields = [
            .contentType: type, .cacheControl: "no-store",
            // The e-mail's HTML styles itself inline; nothing in it may run.
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        if format != "html" { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func dailyReport(for day: LocalDate, now: Date) async throws -> DailyReport {
        if let cached = await reports.report(for: day, now: now) { return cached }
        let builder = DailyReportBuilder(
            store: store, calendar: book.deadlines.calendar,
            departments: book.org.departments.map { .init(code: $0.code, names: $0.names) },
            dueSoonDays: ladder.dueSoonDays, escalationSteps: ladder.toldByStep)
        // A past day's report is the one that was sent, when it was.
        let report = try await builder.report(for: day, now: now)
        await reports.keep(report, for: day, now: now)
        return report
    }

    static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
}

/// The last reports built, for a minute: with a million appeals a report takes a second to gather, and the
/// dashboard and its downloads ask for the same day again and again.
actor ReportCache {
    private var kept: [LocalDate: (report: DailyReport, at: Date)] = [:]
    let lifetime: TimeInterval = 60

    func report(for day: LocalDate, now: Date) -> DailyReport? {
        guard let entry = kept[day], now.timeIntervalSince(entry.at) < lifetime, now >= entry.at else { return nil }
        return entry.report
    }

    func keep(_ report: DailyReport, for day: LocalDate, now: Date) {
        if kept.count > 16 { kept.removeAll() }
        kept[day] = (report, now)
    }
}
