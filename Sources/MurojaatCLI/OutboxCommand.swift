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
                throw CLIError(
                    uz: "--state qiymati pending, sent yoki failed bo‘ladi", ru: "--state — pending, sent или failed",
                    en: "--state is pending, sent or failed")
            }
            return value
        }
        let store = try await locations.openStore()
        let items = try await storeCall { () async throws(StoreError) in
            try await store.outbox(state: wanted, limit: limit)
        }
        if items.isEmpty {
            Say.line(uz: "Chiquvchi xatlar navbati bo‘sh", ru: "Очередь исходящих пуста", en: "the outbox is empty")
        }
        for item in items {
            let notice = item.notice
            let appeal = notice.appealID.map { " \(TrackingNumber(sequence: $0).value)" } ?? ""
            let when = item.sentAt.map { Output.shortTime($0) }
            let head = "#\(item.id) \(item.state.rawValue)"
            let tail = " \(notice.kind)\(appeal) → \(notice.to.joined(separator: ", ")): " + notice.subject
            let (attempts, error) = (item.attempts, item.lastError)
            Say.line(
                uz: head + (when.map { " yuborildi \($0)" } ?? "") + tail
                    + (error.map { "  [\(attempts) urinish: \($0)]" } ?? ""),
                ru: head + (when.map { " отправлено \($0)" } ?? "") + tail
                    + (error.map { "  [попыток \(attempts): \($0)]" } ?? ""),
                en: head + (when.map { " sent \($0)" } ?? "") + tail
                    + (error.map { "  [\(attempts) attempts: \($0)]" } ?? ""))
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
        let (transport, retry, failed) = (sender.transport.description, summary.deferred, summary.failed)
        let last = summary.lastError
        Say.line(
            uz: "\(transport) orqali \(summary.sent) ta yuborildi"
                + (retry > 0 ? ", \(retry) tasi qayta yuboriladi" : "")
                + (failed > 0 ? ", \(failed) tasi butunlay yuborilmadi" : "")
                + (last.map { " (oxirgi xato: \($0))" } ?? ""),
            ru: "Отправлено через \(transport): \(summary.sent)" + (retry > 0 ? ", будет повторено — \(retry)" : "")
                + (failed > 0 ? ", окончательно не отправлено — \(failed)" : "")
                + (last.map { " (последняя ошибка: \($0))" } ?? ""),
            en: "sent \(summary.sent) through \(transport)" + (retry > 0 ? ", \(retry) to retry" : "")
                + (failed > 0 ? ", \(failed) failed for good" : "") + (last.map { " (last error: \($0))" } ?? ""))
    }
}
