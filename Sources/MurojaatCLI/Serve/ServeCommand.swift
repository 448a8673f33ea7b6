import ArgumentParser
import Foundation
import Ingest
import Logging
import Mail
import Metrics
import MurojaatCore
import Prometheus
import Rules
import Server
import ServiceLifecycle
import Store
import Tracker
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run the web UI and API, the mailbox pollers, the router and the tracker until stopped (SIGTERM or Ctrl-C).",
        discussion: """
            Settings come from --config, else $MUROJAAT_CONFIG, else murojaat.yaml in the data directory \\
            (see deploy/murojaat.example.yaml). A mailbox is acknowledged only after its appeals are committed; a \\
            server that is down is retried with backoff, and every failure is logged once per attempt.
            """)

    @OptionGroup var locations: Locations
    @Option(help: "The configuration file.") var config: String?

    func run() async throws {
        let configuration = try ServeConfiguration.locate(config, locations: locations)
        // Once per process, before the first logger and the first metric: serve is the only command that runs
        // long enough to be watched.
        if configuration.logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "murojaat")
        logger.logLevel = .info
        let book = try locations.loadRules()
        let tracker = try locations.loadTrackerRules(book)
        let store = try await locations.openStore(configured: configuration.databaseURL)
        let now = try CommandClock.running()
        try await recomputeIfRulesChanged(book: book, tracker: tracker, store: store, now: now(), logger: logger)
        let sender = try Self.outboxSender(configuration, store: store, locations: locations)
        var services = Self.services(
            configuration, book: book, tracker: tracker, store: store, locks: store, sender: sender, now: now,
            logger: logger)
        if let web = configuration.web {
            let server: WebServer
            do {
                let adapters = locations.rulesDirectory.appendingPathComponent("adapters")
                server = try WebServer(
                    store: store, book: book, tracker: tracker, settings: web,
                    callCards: try CallCardMapping.load(from: adapters.appendingPathComponent("call-cards.yaml")),
                    reception: try ReceptionMapping.load(
                        from: adapters.appendingPathComponent("virtual-reception.yaml")),
                    metrics: registry, now: now)
            } catch {
                throw CLIError(
                    Wording(
                        uz: "Veb sahifalarni tayyorlab bo‘lmadi", ru: "Не удалось подготовить веб-страницы",
                        en: "the web pages could not be prepared"), cause: error)
            }
            services.append(server.application(logger: logger))
            logger.info("murojaat serve: web UI and API on http://\(web.host):\(web.port)/")
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "murojaat serve: \(configuration.mailboxes.count) mailbox(es), routing every \(PollingService.words(configuration.routeInterval)), data in \(locations.dataDirectory.path)"
        )
        do {
            try await group.run()
            await store.releaseAll()
        } catch {
            await store.releaseAll()
            // A part that stops serve (most often the web address taken by another program, another serve among
            // them) says so in the run's language, with the address, instead of the argument parser's "Error:".
            let address = configuration.web.map { " (\($0.host):\($0.port))" } ?? ""
            throw CLIError(
                Wording(
                    uz: "murojaat serve to‘xtadi\(address)", ru: "murojaat serve остановлен\(address)",
                    en: "murojaat serve stopped\(address)"), cause: error)
        }
        logger.info("murojaat serve: stopped")
    }

    /// When the calendar or a deadline policy changed since deadlines were last computed, recompute them before
    /// anything else runs, so no sweep acts on a stale deadline.
    func recomputeIfRulesChanged(
        book: RuleBook, tracker: TrackerRules, store: any AppealStore, now: Date, logger: Logger
    ) async throws {
        let fingerprint = DeadlineRules.fingerprint(locations.rulesDirectory)
        let known = try await storeCall { () async throws(StoreError) in
            try await store.checkpoint(DeadlineRules.checkpoint)
        }
        guard known != fingerprint else { return }
        let clock = DeadlineClock(calendar: book.deadlines.calendar, ladder: tracker.ladder)
        let recompute = DeadlineRecompute(store: store, deadlines: book.deadlines, clock: clock)
        let summary = try await storeCall { () async throws(StoreError) in
            try await recompute.run(
                now: now,
                why: known == nil
                    ? Wording(
                        uz: "muddatlar trekerning shu versiyasi bilan hisoblandi",
                        ru: "сроки пересчитаны этой версией трекера", en: "deadlines computed by this version's tracker"
                    )
                    : Wording(
                        uz: "Rules/ dagi kalendar yoki muddat qoidasi o‘zgardi",
                        ru: "изменился календарь или правило сроков в Rules/",
                        en: "the calendar or a deadline policy in Rules/ changed"))
        }
        try await storeCall { () async throws(StoreError) in
            try await store.saveCheckpoint(DeadlineRules.checkpoint, value: fingerprint, at: now)
        }
        logger.info(
            "deadline rules changed: \(summary.checked) open appeals checked, \(summary.moved) deadlines moved")
    }

    /// Notices go through SMTP when it is configured, else into the outbox folder as .eml files.
    static func outboxSender(
        _ configuration: ServeConfiguration, store: any AppealStore, locations: Locations
    ) throws -> OutboxSender {
        let transport: any NoticeTransport
        if let smtp = configuration.smtp {
            do { transport = try SMTPTransport(settings: smtp) } catch { throw CLIError(cause: error) }
        } else {
            let folder =
                configuration.outboxFolder.hasPrefix("/")
                ? URL(fileURLWithPath: configuration.outboxFolder)
                : locations.dataDirectory.appendingPathComponent(configuration.outboxFolder)
            transport = EMLFolderTransport(folder: folder)
        }
        let domain = configuration.mailFrom.address.split(separator: "@").last.map(String.init) ?? "murojaat.local"
        var sender = OutboxSender(store: store, transport: transport, from: configuration.mailFrom, domain: domain)
        sender.lease = configuration.outboxLease
        // Failure injection for the crash tests only: MUROJAAT_FAULT=kill-before-send:N kills the process with
        // SIGKILL just before its Nth delivery, after the notice was committed and claimed.
        if let fault = ProcessInfo.processInfo.environment["MUROJAAT_FAULT"], fault.hasPrefix("kill-before-send:"),
            let count = Int(fault.dropFirst("kill-before-send:".count))
        {
            let deliveries = Counter()
            sender.beforeDelivery = { _ in
                if deliveries.next() == count { kill(getpid(), SIGKILL) }
            }
        }
        return sender
    }

    /// The pollers, the router, the sweeper, the outbox sender and the daily report, each a polling service.
    static func services(
        _ configuration: ServeConfiguration, book: RuleBook, tracker: TrackerRules, store: any AppealStore,
        locks: any SingletonLocks, sender: OutboxSender, now: @escaping @Sendable () -> Date, logger: Logger
    ) -> [any Service] {
        var services: [any Service] = []
        for mailbox in configuration.mailboxes {
            let reader = EmailReader(channel: mailbox.channel, ownAddresses: configuration.ownAddresses)
            let poller = MailboxPoller(
                account: mailbox.account, importer: EmailImport(store: store, reader: reader),
                acknowledgement: mailbox.acknowledgement)
            services.append(
                PollingService(
                    name: "mailbox \(mailbox.account.description)", singleton: locks, interval: mailbox.interval,
                    logger: logger
                ) {
                    do throws(IngestError) {
                        let report = try await poller.poll(now: now)
                        var line: String?
                        if report.imported.messages > 0 {
                            line =
                                "\(report.imported.messages) messages: \(report.imported.added) new, "
                                + "\(report.imported.setAside) set aside, \(report.imported.unreadable) unreadable"
                        }
                        if report.uidValidityChanged {
                            line = "UIDVALIDITY changed to \(report.uidValidity): read from the start. " + (line ?? "")
                        }
                        return .success(line)
                    } catch {
                        switch error.code {
                        case .mailboxLogin, .mailboxSettings:
                            return .failure(.init(failure: .needsAttention("\(error)")))
                        default: return .failure(.init(failure: .transient("\(error)")))
                        }
                    }
                })
        }
        let router = RouterBox(
            worker: RoutingWorker(store: store, book: book, tracker: tracker), lease: configuration.routeLease,
            now: now)
        services.append(
            PollingService(name: "router", interval: configuration.routeInterval, logger: logger) {
                do {
                    let summary = try await router.drain()
                    guard summary.total > 0 else { return .success(nil) }
                    return .success(
                        "routed \(summary.total): \(summary.routed) to departments, \(summary.triage) to triage, "
                            + "\(summary.followUps) follow-ups, \(summary.repeats) repeats")
                } catch {
                    return .failure(.init(failure: .transient("\(error)")))
                }
            })
        let clock = DeadlineClock(calendar: book.deadlines.calendar, ladder: tracker.ladder)
        let sweeper = Sweeper(
            store: store, clock: clock,
            notices: NoticeWriter(rules: tracker, org: book.org, zone: book.deadlines.calendar.zone))
        services.append(
            PollingService(name: "tracker", singleton: locks, interval: configuration.sweepInterval, logger: logger) {
                do {
                    let summary = try await sweeper.sweep(now: now())
                    guard summary.escalations > 0 || summary.conflicts > 0 else { return .success(nil) }
                    return .success(
                        "checked \(summary.checked): \(summary.escalations) escalation steps fired, "
                            + "\(summary.notices) notices written")
                } catch {
                    return .failure(.init(failure: .transient("\(error)")))
                }
            })
        services.append(
            PollingService(name: "outbox", singleton: locks, interval: configuration.outboxInterval, logger: logger) {
                do {
                    let summary = try await sender.deliver(now: now)
                    if let blocked = summary.blocked, blocked.code != .unreachable {
                        return .failure(.init(failure: .needsAttention("notices wait: \(blocked)")))
                    }
                    if summary.deferred > 0 || summary.failed > 0, let error = summary.lastError {
                        return .failure(
                            .init(
                                failure: .transient(
                                    "sent \(summary.sent), \(summary.deferred) to retry, \(summary.failed) failed: "
                                        + error)))
                    }
                    return .success(summary.sent > 0 ? "sent \(summary.sent) through \(sender.transport)" : nil)
                } catch {
                    return .failure(.init(failure: .transient("\(error)")))
                }
            })
        if configuration.dailyReport {
            let mail = DailyReportMail(book: book, tracker: tracker, store: store)
            let schedule = ReportSchedule(calendar: book.deadlines.calendar, minute: tracker.ladder.reportMinute)
            services.append(
                PollingService(name: "daily report", singleton: locks, interval: .seconds(60), logger: logger) {
                    let now = now()
                    guard let day = schedule.due(at: now) else { return .success(nil) }
                    do {
                        // Asked every minute after the hour: the checkpoint spares building a report that exists;
                        // the dedup key keeps a second one out if a crash came between the two writes.
                        if try await store.checkpoint(ReportSchedule.checkpoint) == day.iso { return .success(nil) }
                        let report = try await mail.reportToSend(for: day, now: now)
                        let added = try await store.enqueueNotices([try mail.notice(report, now: now)])
                        try await store.saveCheckpoint(ReportSchedule.checkpoint, value: day.iso, at: now)
                        return .success(added > 0 ? "daily report for \(day.dotted) written to the outbox" : nil)
                    } catch {
                        return .failure(.init(failure: .transient("daily report for \(day.dotted): \(error)")))
                    }
                })
        }
        return services
    }
}

/// A thread-safe count, for the failure injection above.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// When the daily report is due: on a working day, from the configured minute on. Written once per date (the
/// outbox's dedup key), so asking every minute for the rest of the day costs one report a day.
struct ReportSchedule: Sendable {
    static let checkpoint = "daily-report"
    let calendar: WorkingCalendar
    let minute: Int

    func due(at now: Date) -> LocalDate? {
        let day = LocalDate(now, in: calendar.zone)
        let minuteOfDay = LocalDate.secondOfDay(now, in: calendar.zone) / 60
        guard calendar.isWorkingDay(day), minuteOfDay >= minute else { return nil }
        return day
    }
}

/// The routing worker keeps scratch buffers between drains, so it lives in an actor the router service calls.
actor RouterBox {
    var worker: RoutingWorker
    let lease: Duration
    let now: @Sendable () -> Date
    init(worker: RoutingWorker, lease: Duration, now: @escaping @Sendable () -> Date) {
        self.worker = worker
        self.lease = lease
        self.now = now
    }
    /// One drain at a time: the router service calls it in sequence.
    func drain() async throws(StoreError) -> RoutingWorker.Summary {
        var worker = self.worker
        defer { self.worker = worker }
        return try await worker.drain(lease: lease, now: now)
    }
}
