import Foundation
import MurojaatCore
import Reports
import Rules
import SQLiteStore
import Store
import Tracker

/// The tracker on SQLite with a million open appeals: a sweep when nothing is due, a recomputation after a new
/// day off, and the daily report (gathered and written as HTML, XLSX and CSV).
struct TrackerBench {
    let rulesDirectory: URL
    let appeals: Int
    let runs: Int
    /// One appeal in this many waits in triage (0: none), with a real routing explanation, for the web pages.
    var triageEvery = 0

    /// The bench's "today": 2026-03-02, a Monday. Appeals were received over the eight days before it, so all are
    /// on track; one in fifty arrived a month earlier and is overdue, already swept today.
    static let today = LocalDate("2026-03-02")!

    func run() async throws -> [Figures] {
        let book = try RuleBook.load(directory: rulesDirectory)
        let tracker = try TrackerRules.load(directory: rulesDirectory, org: book.org)
        let calendar = book.deadlines.calendar
        let clock = DeadlineClock(calendar: calendar, ladder: tracker.ladder)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tracker-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("bench.sqlite").path)
        let loading = try await seconds { try await fill(store, book: book, tracker: tracker, clock: clock) }
        FileHandle.standardError.write(
            Data("tracker: \(appeals) appeals registered in \(String(format: "%.1f", loading)) s\n".utf8))
        let now = Self.today.start(in: calendar.zone).addingTimeInterval(10 * 3600)
        var results: [Figures] = []

        let sweeper = Sweeper(
            store: store, clock: clock, notices: NoticeWriter(rules: tracker, org: book.org, zone: calendar.zone))
        var sweeps: [Double] = []
        var checked = 0
        for _ in 0..<max(runs, 5) {
            sweeps.append(try await seconds { checked += try await sweeper.sweep(now: now).checked })
        }
        results.append(
            Figures(
                bench: "tracker", name: "sweep-nothing-due", unit: "sweeps", runs: sweeps.map { 1 / $0 },
                extra: [
                    "open_appeals": String(appeals), "checked": String(checked),
                    "median_ms": String(format: "%.2f", median(sweeps) * 1000),
                ]))

        // A day off decreed for Thursday 12.03.2026, then lifted again: each run moves the deadlines that fall on
        // it (those received on 25.02), one appeal in eight.
        var changed = calendar
        changed.holidays[LocalDate("2026-03-12")!] = "Decree: a day off"
        // The same calendar first: what reading and recomputing every open appeal costs when nothing moves.
        let unchanged = DeadlineRecompute(store: store, deadlines: book.deadlines, clock: clock)
        let scan = try await seconds { _ = try await unchanged.run(now: now, why: Wording(verbatim: "bench")) }
        FileHandle.standardError.write(
            Data("tracker: recompute with nothing to move: \(String(format: "%.2f", scan)) s\n".utf8))
        var recomputes: [Double] = []
        var cpu: [Double] = []
        var moved: [Int] = []
        for run in 0..<runs {
            var deadlines = book.deadlines
            deadlines.calendar = run % 2 == 0 ? changed : calendar
            let recompute = DeadlineRecompute(
                store: store, deadlines: deadlines,
                clock: DeadlineClock(calendar: deadlines.calendar, ladder: tracker.ladder))
            let used = processCPUSeconds()
            recomputes.append(
                try await seconds {
                    moved.append(try await recompute.run(now: now, why: Wording(verbatim: "bench")).moved)
                })
            cpu.append(processCPUSeconds() - used)
            let figures = String(format: "%.2f s, %.2f s of CPU", recomputes[run], cpu[run])
            FileHandle.standardError.write(Data("tracker: recompute \(run + 1): \(figures)\n".utf8))
        }
        results.append(
            Figures(
                bench: "tracker", name: "recompute-after-calendar-change", unit: "recomputes",
                runs: recomputes.map { 1 / $0 },
                extra: [
                    "open_appeals": String(appeals), "moved": moved.map(String.init).joined(separator: "/"),
                    "median_s": String(format: "%.2f", median(recomputes)),
                    "median_cpu_s": String(format: "%.2f", median(cpu)),
                ]))

        let builder = DailyReportBuilder(
            store: store, calendar: calendar,
            departments: book.org.departments.map { .init(code: $0.code, names: $0.names) },
            dueSoonDays: tracker.ladder.dueSoonDays, escalationSteps: tracker.ladder.toldByStep)
        var reports: [Double] = []
        var overdue = 0
        var bytes = 0
        var parts: [String] = []
        var reportCPU: [Double] = []
        for _ in 0..<runs {
            let used = processCPUSeconds()
            defer { reportCPU.append(processCPUSeconds() - used) }
            reports.append(
                try await seconds {
                    // Each part timed too, for the note: what the store costs and what each renderer costs.
                    let clock = ContinuousClock()
                    var marks = [clock.now]
                    let report = try await builder.build(for: Self.today, generatedAt: now)
                    marks.append(clock.now)
                    overdue = report.overdue.count
                    let html = DailyReportHTML.render(report)
                    marks.append(clock.now)
                    let xlsx = try DailyReportXLSX.data(report)
                    marks.append(clock.now)
                    let csv =
                        DailyReportCSV.departments(report) + DailyReportCSV.overdue(report)
                        + DailyReportCSV.intake(report)
                    marks.append(clock.now)
                    bytes = html.utf8.count + xlsx.count + csv.count
                    let spans = zip(marks, marks.dropFirst()).map { pair -> String in
                        let span = pair.1 - pair.0
                        return String(
                            format: "%.2f",
                            Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18)
                    }
                    parts.append("gather \(spans[0]) html \(spans[1]) xlsx \(spans[2]) csv \(spans[3])")
                })
        }
        results.append(
            Figures(
                bench: "tracker", name: "daily-report", unit: "reports", runs: reports.map { 1 / $0 },
                extra: [
                    "open_appeals": String(appeals), "overdue_listed": String(overdue), "bytes": String(bytes),
                    "median_s": String(format: "%.2f", median(reports)), "parts_s": parts.joined(separator: " | "),
                    "median_cpu_s": String(format: "%.2f", median(reportCPU)),
                ]))
        return results
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Registers the appeals straight into the store (routing has a benchmark of its own), as the router would:
    /// due dates from the deadline rules, the next check from the tracker's clock.
    func fill(
        _ store: any AppealStore & AccountStore, book: RuleBook, tracker: TrackerRules, clock: DeadlineClock
    ) async throws {
        let calendar = book.deadlines.calendar
        let departments = book.org.departments.map(\.code)
        let channels: [Channel] = [.call, .email, .virtualReception, .eXat]
        let steps = tracker.ladder.steps.map(\.id)
        var router = Router(book: book)
        let unsure = router.route(RoutingInput(text: "Salom, menga yordam kerak, iltimos javob bering")).jsonText
        let batch = 20_000
        var made = 0
        while made < appeals {
            let count = min(batch, appeals - made)
            let drafts = (made..<(made + count)).map { index -> AppealDraft in
                let overdue = index % 50 == 0
                let daysBack = overdue ? 30 + index % 10 : 1 + index % 8
                let received = Self.today.adding(days: -daysBack).start(in: calendar.zone)
                    .addingTimeInterval(Double(9 * 3600 + index % 28_800))
                return AppealDraft(
                    channel: channels[index % channels.count], sourceKey: "bench-\(index)", receivedAt: received,
                    text: "Murojaat \(index): xorijda ish haqi to'lanmayapti", kind: .ariza, intake: .appeal,
                    applicant: Applicant(name: "Fuqaro \(index)", phone: "+99890\(String(format: "%07d", index))"))
            }
            _ = try await store.enqueue(drafts, at: Date())
            let items = try await store.claimInbox(limit: count, now: Date(), lease: .seconds(600))
            let registrations = items.map { item -> Registration in
                let index = Int(item.draft.sourceKey.dropFirst(6)) ?? 0
                let department = departments[index % departments.count]
                let due = (try? book.deadlines.deadline(from: item.draft.receivedAt, kind: .ariza))?.due
                var control = Appeal.Control(deadlineFrom: item.draft.receivedAt)
                if let due {
                    let overdue = due < Self.today
                    // Overdue ones were swept this morning: every step fired, the next look tomorrow.
                    control.escalations = overdue ? steps : []
                    control.nextCheck =
                        overdue
                        ? Self.today.adding(days: 1) : clock.nextCheck(due: due, today: Self.today, fired: [])
                }
                let at = item.draft.receivedAt
                if triageEvery > 0 && index % triageEvery == 1 {
                    return Registration(
                        inboxID: item.id, draft: item.draft, kind: .ariza, status: .triage, department: nil,
                        coExecutors: [], urgent: false, policy: "standard", due: due, registeredAt: at,
                        language: "uz-Latn", tags: [], forwardTo: nil, routing: unsure,
                        events: [AppealEvent(at: at, actor: "bench", kind: .sentToTriage, status: .triage)],
                        assignedBy: "bench", control: control)
                }
                return Registration(
                    inboxID: item.id, draft: item.draft, kind: .ariza, status: .assigned, department: department,
                    coExecutors: [], urgent: false, policy: "standard", due: due, registeredAt: at,
                    language: "uz-Latn", tags: [], forwardTo: nil, routing: "{}",
                    events: [
                        AppealEvent(at: at, actor: "bench", kind: .registered, status: .registered),
                        AppealEvent(
                            at: at, actor: "bench", kind: .assigned, data: ["department": department],
                            status: .assigned),
                    ], assignedBy: "bench", control: control)
            }
            _ = try await store.register(registrations)
            made += count
        }
    }
}
