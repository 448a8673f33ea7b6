import ArgumentParser
import Foundation
import Ingest
import Mail
import MurojaatCore
import Store
import Tracker

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read appeals from a source into the inbox queue.",
        subcommands: [IngestCalls.self, IngestCDR.self, IngestEmail.self, IngestReception.self])
}

struct IngestCalls: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "Import call-card exports of the call centre (CSV).",
        discussion: """
            Good rows go to the inbox queue (run `murojaat route` next); bad rows go to quarantine with their raw \
            line and the reason, and the rest of the file goes in. Importing a file again adds nothing new.
            """)

    @OptionGroup var locations: Locations
    @Argument(help: "Call-card CSV files.") var files: [String]

    func run() async throws {
        let mappingURL = locations.rulesDirectory.appendingPathComponent("adapters/call-cards.yaml")
        let mapping: CallCardMapping
        do {
            mapping = try CallCardMapping.load(from: mappingURL)
        } catch {
            throw CLIError(
                Wording(
                    uz: "Qo‘ng‘iroq kartalari sxemasini o‘qib bo‘lmadi",
                    ru: "Не удалось прочитать схему карточек звонков",
                    en: "cannot read the call-card mapping"), cause: error)
        }
        let store = try await locations.openStore()
        let now = try CommandClock.now()
        let importer = CallCardImport(store: store, mapping: mapping)
        var failed = 0
        for file in files {
            do {
                let report = try await importer.importFile(at: URL(fileURLWithPath: file), now: now)
                let before = report.quarantinedBefore
                Say.line(
                    uz: "\(report.file): \(report.rows) ta qator, \(report.added) ta yangi, "
                        + "\(report.alreadyKnown) tasi avval olingan, \(report.quarantined) tasi karantinga olindi"
                        + (before > 0 ? " (\(before) tasi avval karantinga olingan)" : ""),
                    ru: "\(report.file): строк — \(report.rows), новых — \(report.added), "
                        + "уже известных — \(report.alreadyKnown), в карантин — \(report.quarantined)"
                        + (before > 0 ? " (в карантине ранее — \(before))" : ""),
                    en: "\(report.file): \(report.rows) rows, \(report.added) new, "
                        + "\(report.alreadyKnown) already known, \(report.quarantined) quarantined"
                        + (before > 0 ? " (\(before) quarantined before)" : ""))
                IngestLines.quarantined(report.rejects)
            } catch {
                failed += 1
                Output.standardError(Say.errorLine(error))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

struct IngestEmail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "email",
        abstract: "Take in e-mail: from an IMAP mailbox, a Maildir, an mbox file, or .eml files and folders of them.",
        discussion: """
            Appeals go to the inbox queue (run `murojaat route` next); a reply quoting a tracking number is \
            recorded on that appeal. Auto-replies, delivery reports and mail loops are set aside in the quarantine \
            with the reason. Reading a source again adds nothing new.

            IMAP: the URL names server and mailbox (imaps://mail.migration.uz/INBOX). The user comes from the URL \
            or MUROJAAT_IMAP_USER, the password from MUROJAAT_IMAP_PASSWORD or the file named by \
            MUROJAAT_IMAP_PASSWORD_FILE; never from the command line. A message is marked \\Seen (or moved with \
            --move-to) only after its appeal is committed.
            """)

    @OptionGroup var locations: Locations
    @Option(help: "An IMAP mailbox URL, e.g. imaps://mail.migration.uz/INBOX.") var imap: String?
    @Option(help: "A Maildir to read.") var maildir: String?
    @Option(help: "An mbox file to read.") var mbox: String?
    @Option(help: "After the commit, move IMAP messages to this folder instead of marking them \\Seen.")
    var moveTo: String?
    @Flag(help: "On imap://, require STARTTLS before the password is sent.") var requireTLS = false
    @Option(help: "The channel: email, or e-xat for exports of the state e-mail system.") var channel = "email"
    @Option(help: "The Agency's own addresses (mail from them is a loop), comma-separated.")
    var ownAddresses = "info@migration.uz"
    @Argument(help: ".eml files, or folders of them (e-xat exports).") var files: [String] = []

    func run() async throws {
        guard let channel = Channel(name: channel), channel == .email || channel == .eXat else {
            throw CLIError(
                uz: "--channel qiymati email yoki e-xat bo‘ladi, \(channel) emas",
                ru: "--channel — email или e-xat, а не \(channel)", en: "--channel is email or e-xat, not \(channel)")
        }
        let sources = [imap != nil, maildir != nil, mbox != nil, !files.isEmpty].filter { $0 }.count
        guard sources == 1 else {
            throw CLIError(
                uz: "Bitta manba bering: --imap URL, --maildir DIR, --mbox FILE yoki fayllar",
                ru: "Укажите один источник: --imap URL, --maildir DIR, --mbox FILE или файлы",
                en: "give one source: --imap URL, --maildir DIR, --mbox FILE, or files")
        }
        let store = try await locations.openStore()
        let clock = try CommandClock.clock()
        let now = clock()
        let reader = EmailReader(
            channel: channel, ownAddresses: Set(ownAddresses.split(separator: ",").map { String($0) }))
        let importer = EmailImport(store: store, reader: reader)
        let report: EmailImport.Report
        do {
            if let imap {
                let poller = MailboxPoller(
                    account: try Self.account(url: imap, requireTLS: requireTLS), importer: importer,
                    acknowledgement: moveTo.map { .move(to: $0) } ?? .markSeen)
                let polled = try await poller.poll(now: clock)
                if polled.uidValidityChanged {
                    Say.line(
                        uz: "Pochta qutisining UIDVALIDITY qiymati yangi (\(polled.uidValidity)): u boshidan o‘qildi.",
                        ru: "У почтового ящика новый UIDVALIDITY (\(polled.uidValidity)): он прочитан с начала.",
                        en: "The mailbox's UIDVALIDITY is new (\(polled.uidValidity)): it was read from the start.")
                }
                report = polled.imported
            } else {
                let messages: [RawMail]
                let source: String
                // The quarantine keeps one copy per (channel, source, bytes): the source names the kind of
                // source, so the same message set aside from two folders is kept once.
                if let maildir {
                    messages = try MailSources.maildir(URL(fileURLWithPath: maildir))
                    source = "maildir"
                } else if let mbox {
                    messages = try MailSources.mbox(URL(fileURLWithPath: mbox))
                    source = "mbox"
                } else {
                    messages = try MailSources.files(files)
                    source = "files"
                }
                report = try await importer.importMessages(messages, source: source, now: now)
            }
        } catch let error as IngestError {
            throw CLIError(cause: error)
        }
        Say.line(
            uz: "\(report.messages) ta xat: \(report.added) ta yangi (\(report.followUps) tasi ma’lum murojaatlarga "
                + "javob), \(report.alreadyKnown) tasi avval olingan, \(report.setAside) tasi karantinga olindi, "
                + "\(report.unreadable) tasi o‘qilmadi",
            ru: "Писем — \(report.messages): новых — \(report.added) (ответов на известные обращения — "
                + "\(report.followUps)), уже известных — \(report.alreadyKnown), в карантин — \(report.setAside), "
                + "нечитаемых — \(report.unreadable)",
            en: "\(report.messages) messages: \(report.added) new (\(report.followUps) replies to known appeals), "
                + "\(report.alreadyKnown) already known, \(report.setAside) set aside, \(report.unreadable) unreadable")
        for note in report.notes { print("  \(note[Say.language])") }
    }

    /// The account from the URL and the environment; the password never comes from the command line, where any
    /// user of the machine could read it.
    static func account(url: String, requireTLS: Bool) throws -> IMAPAccount {
        let environment = ProcessInfo.processInfo.environment
        guard var components = URLComponents(string: url), components.host != nil else {
            throw CLIError(uz: "Bu IMAP URL emas: \(url)", ru: "Это не IMAP URL: \(url)", en: "not an IMAP URL: \(url)")
        }
        if components.password != nil {
            throw CLIError(
                uz: "IMAP parolini URL ga emas, MUROJAAT_IMAP_PASSWORD yoki MUROJAAT_IMAP_PASSWORD_FILE ga yozing",
                ru: "Укажите пароль IMAP в MUROJAAT_IMAP_PASSWORD или MUROJAAT_IMAP_PASSWORD_FILE, а не в URL",
                en: "put the IMAP password in MUROJAAT_IMAP_PASSWORD or MUROJAAT_IMAP_PASSWORD_FILE, not in the URL")
        }
        guard let user = components.user ?? environment["MUROJAAT_IMAP_USER"] else {
            throw CLIError(
                uz: "IMAP foydalanuvchisi yo‘q: uni URL ga (imaps://user@host/INBOX) yoki MUROJAAT_IMAP_USER ga yozing",
                ru: "Не указан пользователь IMAP: укажите его в URL (imaps://user@host/INBOX) или в MUROJAAT_IMAP_USER",
                en: "no IMAP user: put it in the URL (imaps://user@host/INBOX) or in MUROJAAT_IMAP_USER")
        }
        components.user = nil
        let password: String
        if let value = environment["MUROJAAT_IMAP_PASSWORD"] {
            password = value
        } else if let file = environment["MUROJAAT_IMAP_PASSWORD_FILE"] {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8)
                    .trimmingCharacters(in: .newlines)
            } catch {
                let cause = fileProblem(error)
                throw CLIError(
                    uz: "IMAP parol faylini o‘qib bo‘lmadi \(file): \(cause.uz)",
                    ru: "Не удалось прочитать файл пароля IMAP \(file): \(cause.ru)",
                    en: "cannot read the IMAP password file \(file): \(cause.en)")
            }
        } else {
            throw CLIError(
                uz: "IMAP paroli yo‘q: MUROJAAT_IMAP_PASSWORD yoki MUROJAAT_IMAP_PASSWORD_FILE ni o‘rnating",
                ru: "Нет пароля IMAP: задайте MUROJAAT_IMAP_PASSWORD или MUROJAAT_IMAP_PASSWORD_FILE",
                en: "no IMAP password: set MUROJAAT_IMAP_PASSWORD or MUROJAAT_IMAP_PASSWORD_FILE")
        }
        return IMAPAccount(
            url: components.string ?? url, user: user.removingPercentEncoding ?? user, password: password,
            requireTLS: requireTLS)
    }
}

struct IngestCDR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cdr",
        abstract: "Find missed calls to the trust lines in Asterisk call detail records (Master.csv).",
        discussion: """
            A call to a trust line that nobody answered (or that was answered for less than short_call_seconds), \
            with no call card, becomes a callback task due the next working day: one per number and day. An \
            answered call from that number closes its open callback tasks. Settings: Rules/adapters/cdr.yaml.
            """)

    @OptionGroup var locations: Locations
    @Argument(help: "Master.csv files.") var files: [String]

    func run() async throws {
        let settingsURL = locations.rulesDirectory.appendingPathComponent("adapters/cdr.yaml")
        let settings: CDRSettings
        do {
            settings = try CDRSettings.load(from: settingsURL)
        } catch {
            throw CLIError(
                Wording(
                    uz: "CDR sozlamalarini o‘qib bo‘lmadi",
                    ru: "Не удалось прочитать настройки CDR",
                    en: "cannot read the CDR settings"), cause: error)
        }
        let store = try await locations.openStore()
        let now = try CommandClock.now()
        let importer = CDRImport(store: store, settings: settings)
        let callbacks = CallbackTasks(store: store)
        var failed = 0
        for file in files {
            do {
                let report = try await importer.importFile(at: URL(fileURLWithPath: file), now: now)
                let closed = try await storeCall { () async throws(StoreError) in
                    try await callbacks.close(
                        after: report.answered.map { .answeredCall(phone: $0.phone, at: $0.at) },
                        now: now)
                }
                Say.line(
                    uz: "\(report.file): \(report.records) ta yozuv, \(report.callbacks) ta yangi qayta qo‘ng‘iroq "
                        + "topshirig‘i, \(report.alreadyKnown) tasi avval olingan, \(report.quarantined) tasi karantinga "
                        + "olindi; qayta qo‘ng‘iroq kerak bo‘lmagan o‘tkazib yuborilgan qo‘ng‘iroqlar: "
                        + "\(report.gotThroughLater) tasi o‘sha kuni keyinroq bog‘langan, \(report.withCallCard) tasining "
                        + "qo‘ng‘iroq kartasi bor, \(report.hiddenNumbers) tasi yashirin raqamlardan; \(closed) ta oldingi "
                        + "qayta qo‘ng‘iroq topshirig‘i yopildi",
                    ru: "\(report.file): записей — \(report.records), новых задач перезвонить — \(report.callbacks), "
                        + "уже известных — \(report.alreadyKnown), в карантин — \(report.quarantined); пропущенные "
                        + "звонки без перезвона: дозвонились позже в тот же день — \(report.gotThroughLater), есть "
                        + "карточка звонка — \(report.withCallCard), со скрытых номеров — \(report.hiddenNumbers); "
                        + "закрыто прежних задач перезвонить — \(closed)",
                    en: "\(report.file): \(report.records) records, \(report.callbacks) new callback tasks, "
                        + "\(report.alreadyKnown) already known, \(report.quarantined) quarantined; missed calls "
                        + "not needing a callback: \(report.gotThroughLater) got through later that day, "
                        + "\(report.withCallCard) have a call card, \(report.hiddenNumbers) from hidden numbers; "
                        + "\(closed) earlier callback tasks closed")
                IngestLines.quarantined(report.rejects)
            } catch {
                failed += 1
                Output.standardError(Say.errorLine(error))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

struct IngestReception: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reception",
        abstract: "Import Virtual Reception exports (XLSX, CSV, JSON or JSON Lines).",
        discussion: """
            The Reception's number is the key: an export overlapping an earlier one adds only what is new. A \
            deadline in the export binds. Column names: Rules/adapters/virtual-reception.yaml.
            """)

    @OptionGroup var locations: Locations
    @Argument(help: "Export files.") var files: [String]

    func run() async throws {
        let mappingURL = locations.rulesDirectory.appendingPathComponent("adapters/virtual-reception.yaml")
        let mapping: ReceptionMapping
        do {
            mapping = try ReceptionMapping.load(from: mappingURL)
        } catch {
            throw CLIError(
                Wording(
                    uz: "Virtual qabulxona sxemasini o‘qib bo‘lmadi",
                    ru: "Не удалось прочитать схему Виртуальной приёмной",
                    en: "cannot read the Reception mapping"), cause: error)
        }
        var importer = ReceptionImport(store: try await locations.openStore(), mapping: mapping)
        let now = try CommandClock.now()
        // Failure injection for the crash tests only: MUROJAAT_FAULT=kill-after-batch:N kills the process with
        // SIGKILL right after its Nth batch is committed, between two commits.
        if let fault = ProcessInfo.processInfo.environment["MUROJAAT_FAULT"], fault.hasPrefix("kill-after-batch:"),
            let count = Int(fault.dropFirst("kill-after-batch:".count))
        {
            importer.afterBatch = { committed in if committed == count { kill(getpid(), SIGKILL) } }
        }
        var failed = 0
        for file in files {
            do {
                let report = try await importer.importFile(at: URL(fileURLWithPath: file), now: now)
                Say.line(
                    uz: "\(report.file) (\(report.format)): \(report.rows) ta qator, \(report.added) ta yangi, "
                        + "\(report.alreadyKnown) tasi avval olingan, \(report.quarantined) tasi karantinga olindi",
                    ru: "\(report.file) (\(report.format)): строк — \(report.rows), новых — \(report.added), "
                        + "уже известных — \(report.alreadyKnown), в карантин — \(report.quarantined)",
                    en: "\(report.file) (\(report.format)): \(report.rows) rows, \(report.added) new, "
                        + "\(report.alreadyKnown) already known, \(report.quarantined) quarantined")
                IngestLines.quarantined(report.rejects)
            } catch {
                failed += 1
                Output.standardError(Say.errorLine(error))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// The lines every import prints about its files.
enum IngestLines {
    /// Rows shown one by one under their file's line; the rest are counted. A file whose every row has one fault
    /// (a date format, a missing id) would otherwise print thousands of lines of the same reason.
    static let rowsShown = 20

    /// The rows set aside, under their file's line: `line 19: reason`, in the run's language.
    static func quarantined(_ rejects: [Wording]) {
        for reject in rejects.prefix(rowsShown) {
            Say.line(uz: "  karantin: \(reject.uz)", ru: "  карантин: \(reject.ru)", en: "  quarantine: \(reject.en)")
        }
        let more = rejects.count - rowsShown
        guard more > 0 else { return }
        Say.line(
            uz: "  karantin: yana \(more) ta qator; hammasi: murojaat quarantine list",
            ru: "  карантин: ещё строк — \(more); все: murojaat quarantine list",
            en: "  quarantine: \(more) more rows; all of them: murojaat quarantine list")
    }
}
