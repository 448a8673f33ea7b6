import ArgumentParser
import Foundation
import Mail
import MurojaatCore
import Store
import Tracker

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Notices waiting to be sent, sent, or failed.",
        subcommands: [OutboxList.self, OutboxSend.self], defaultSubcommand: OutboxList.self)
}

struct OutboxList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the outbox.")
    @OptionGroup var locations: Locations
    @Option(help: "pending, sent or failed; default all.") var state: String?
    @Option(help: "At most this many.") var limit = 200

    func run() async throws {
        let wanted = try state.map { name throws -> OutboxItem.State in
            guard let value = OutboxItem.State(rawValue: name) else {
                throw CLIError("--state is pending, sent or failed")
            }
            return value
        }
        let store = try await locations.openStore()
        let items = try await storeCall { () async throws(StoreError) in
            try await store.outbox(state: wanted, limit: limit)
        }
        if items.isEmpty { print("the outbox is empty") }
        for item in items {
            let notice = item.notice
            let appeal = notice.appealID.map { " \(TrackingNumber(sequence: $0).value)" } ?? ""
            let when = item.sentAt.map { " sent \(Output.shortTime($0))" } ?? ""
            print(
                "#\(item.id) \(item.state.rawValue)\(when) \(notice.kind)\(appeal) → \(notice.to.joined(separator: ", ")): "
                    + notice.subject + (item.lastError.map { "  [\(item.attempts) attempts: \($0)]" } ?? ""))
        }
    }
}

struct OutboxSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Deliver the pending notices now, through SMTP when configured, else as .eml files.",
        discussion:
            "`serve` does this every outbox_interval; the settings (smtp, mail_from, outbox_folder) are serve's.")
    @OptionGroup var locations: Locations
    @Option(help: "The configuration file (as for serve).") var config: String?

    func run() async throws {
        let configuration = try ServeConfiguration.locate(config, locations: locations)
        let store = try await locations.openStore()
        let sender = try ServeCommand.outboxSender(configuration, store: store, locations: locations)
        let clock = try CommandClock.clock()
        let summary = try await storeCall { () async throws(StoreError) in try await sender.deliver(now: clock) }
        print(
            "sent \(summary.sent) through \(sender.transport.description)"
                + (summary.deferred > 0 ? ", \(summary.deferred) to retry" : "")
                + (summary.failed > 0 ? ", \(summary.failed) failed for good" : "")
                + (summary.lastError.map { " (last error: \($0))" } ?? ""))
    }
}
