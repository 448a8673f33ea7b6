import ArgumentParser
import Foundation
import Ingest
import Logging
import Mail
import MurojaatCore
import Rules
import ServiceLifecycle
import Store
import Tracker
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the mailbox pollers and the router until stopped (SIGTERM or Ctrl-C stops it cleanly).",
        discussion: """
            Settings come from --config, else $MUROJAAT_CONFIG, else murojaat.yaml in the data directory \\
            (see deploy/murojaat.example.yaml). A mailbox is acknowledged only after its appeals are committed; a \\
            server that is down is retried with backoff, and every failure is logged once per attempt.
            """)

    @OptionGroup var locations: Locations
    @Option(help: "The configuration file.") var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "murojaat")
        logger.logLevel = .info
        let configuration = try loadConfiguration(environment: environment)
        let book = try locations.loadRules()
        let store = try locations.openStore()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: Self.services(configuration, book: book, store: store, logger: logger)
                    .map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "murojaat serve: \(configuration.mailboxes.count) mailbox(es), routing every \(PollingService.words(configuration.routeInterval)), data in \(locations.dataDirectory.path)"
        )
        try await group.run()
        logger.info("murojaat serve: stopped")
    }

    func loadConfiguration(environment: [String: String]) throws -> ServeConfiguration {
        let explicit = config ?? environment["MUROJAAT_CONFIG"]
        let url =
            explicit.map { URL(fileURLWithPath: $0) } ?? locations.dataDirectory.appendingPathComponent("murojaat.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            if explicit != nil { throw CLIError("no configuration file at \(url.path)") }
            return ServeConfiguration()
        }
        do {
            return try ServeConfiguration.load(url, environment: environment)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The pollers and the router, each a polling service of its own.
    static func services(
        _ configuration: ServeConfiguration, book: RuleBook, store: any AppealStore, logger: Logger
    ) -> [any Service] {
        var services: [any Service] = []
        for mailbox in configuration.mailboxes {
            let reader = EmailReader(channel: mailbox.channel, ownAddresses: configuration.ownAddresses)
            let poller = MailboxPoller(
                account: mailbox.account, importer: EmailImport(store: store, reader: reader),
                acknowledgement: mailbox.acknowledgement)
            services.append(
                PollingService(
                    name: "mailbox \(mailbox.account.description)", interval: mailbox.interval, logger: logger
                ) {
                    do throws(IngestError) {
                        let report = try await poller.poll(now: { Date() })
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
        let router = RouterBox(worker: RoutingWorker(store: store, book: book), lease: configuration.routeLease)
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
        return services
    }
}

/// The routing worker keeps scratch buffers between drains, so it lives in an actor the router service calls.
actor RouterBox {
    var worker: RoutingWorker
    let lease: Duration
    init(worker: RoutingWorker, lease: Duration) {
        self.worker = worker
        self.lease = lease
    }
    /// One drain at a time: the router service calls it in sequence.
    func drain() async throws(StoreError) -> RoutingWorker.Summary {
        var worker = self.worker
        defer { self.worker = worker }
        return try await worker.drain(lease: lease, now: { Date() })
    }
}
