import Foundation
import Ingest
import Mail
import MurojaatCore
import Server
import Yams

/// `murojaat serve`'s settings: a YAML file (`--config`, else `$MUROJAAT_CONFIG`, else `murojaat.yaml` in the data
/// directory, else the defaults). Secrets are never in it: it names the environment variable or file holding each.
/// Every key is documented in `deploy/murojaat.example.yaml`.
struct ServeConfiguration: Sendable {
    struct Mailbox: Sendable {
        var account: IMAPAccount
        var channel: Channel
        var interval: Duration
        var acknowledgement: MailboxPoller.Acknowledgement
    }

    var mailboxes: [Mailbox] = []
    /// How often the router drains the inbox.
    var routeInterval: Duration = .seconds(10)
    /// How long a claimed batch is the router's alone: after a crash its items wait this long before another run
    /// takes them. Longer than routing a batch ever takes, short enough that a restart picks them up soon.
    var routeLease: Duration = .seconds(60)
    /// The Agency's own addresses, for recognising mail loops.
    var ownAddresses: Set<String> = ["info@migration.uz"]
    /// How often the tracker sweeps for appeals whose day has come.
    var sweepInterval: Duration = .seconds(60)
    /// Whether this instance writes the daily report at the time escalation.yaml sets.
    var dailyReport = true
    /// The sender of notices.
    var mailFrom = MailAddress(name: "Migratsiya agentligi", address: "murojaat@migration.uz")
    /// Where notices go: an SMTP server, or else `.eml` files in `outboxFolder` (relative to the data directory).
    var smtp: SMTPSettings?
    var outboxFolder = "outbox"
    var outboxInterval: Duration = .seconds(10)
    /// How long notices a sender claimed are its alone: after a crash they are sent again once this has passed.
    var outboxLease: Duration = .seconds(120)
    /// The web UI and the API; nil when `http: off`. MUROJAAT_HTTP_HOST and MUROJAAT_HTTP_PORT override the file.
    var web: WebSettings? = WebSettings()
    /// `json` (one object a line, for a collector) or `text`; MUROJAAT_LOG_FORMAT overrides the file.
    var logFormat = "json"
    /// `database.url` (or the URL read from `database.url_file`): a PostgreSQL URL; --database and
    /// MUROJAAT_DATABASE_URL come first. Nil: SQLite in the data directory.
    var databaseURL: String?

    /// A mistake in the configuration, in the reader's language; `description` is the English, for logs.
    struct Problem: WordedError, CustomStringConvertible {
        var wording: Wording
        var description: String { wording.en }
    }

    /// The file `--config` names, else `$MUROJAAT_CONFIG`, else `murojaat.yaml` in the data directory, else the
    /// defaults.
    static func locate(_ explicitPath: String?, locations: Locations) throws -> ServeConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let explicit = explicitPath ?? environment["MUROJAAT_CONFIG"]
        let url =
            explicit.map { URL(fileURLWithPath: $0) } ?? locations.dataDirectory.appendingPathComponent("murojaat.yaml")
        var configuration = ServeConfiguration()
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                configuration = try ServeConfiguration.load(url, environment: environment)
            } catch {
                throw CLIError(cause: error)
            }
        } else if explicit != nil {
            throw CLIError(
                uz: "\(url.path) da sozlamalar fayli yo‘q", ru: "Нет файла настроек \(url.path)",
                en: "no configuration file at \(url.path)")
        }
        try configuration.applyEnvironment(environment)
        return configuration
    }

    static func load(_ url: URL, environment: [String: String]) throws -> ServeConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let cause = fileProblem(error)
            throw Problem(
                wording: Wording(
                    uz: "\(url.path) sozlamalar faylini o‘qib bo‘lmadi: \(cause.uz)",
                    ru: "Не удалось прочитать файл настроек \(url.path): \(cause.ru)",
                    en: "cannot read the configuration \(url.path): \(cause.en)"))
        }
        return try parse(text, file: url.path, environment: environment)
    }

    /// `database: {url: postgres://...}` or `{url_file: PATH}`, the file keeping the password out of this one.
    static func database(_ node: Node, _ fail: (Node, Wording) -> Problem) throws -> String {
        guard let fields = node.mapping else {
            throw fail(
                node,
                Wording(
                    uz: "database bo‘limida url yoki url_file bo‘lishi kerak",
                    ru: "Раздел database должен содержать url или url_file",
                    en: "database is a mapping with url or url_file"))
        }
        for key in fields.keys where !["url", "url_file"].contains(key.string ?? "") {
            throw fail(
                key,
                Wording(
                    uz: "Noma’lum kalit database.\(key.string ?? "?") (bor: url, url_file)",
                    ru: "Неизвестный ключ database.\(key.string ?? "?") (есть: url, url_file)",
                    en: "unknown key database.\(key.string ?? "?") (known: url, url_file)"))
        }
        var url = fields[Node("url")]?.string
        if let file = fields[Node("url_file")]?.string {
            do {
                url = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                let cause = fileProblem(error)
                throw fail(
                    node,
                    Wording(
                        uz: "database.url_file faylini o‘qib bo‘lmadi: \(file): \(cause.uz)",
                        ru: "Не удалось прочитать database.url_file \(file): \(cause.ru)",
                        en: "cannot read database.url_file \(file): \(cause.en)"))
            }
        }
        guard let url, url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw fail(
                node,
                Wording(
                    uz: "database.url postgres:// URL bo‘lishi kerak (SQLite uchun bu bo‘limni yozmang)",
                    ru: "database.url — это URL postgres:// (для SQLite уберите этот раздел)",
                    en: "database.url is a postgres:// URL (leave the section out for SQLite)"))
        }
        return url
    }

    static func parse(_ text: String, file: String, environment: [String: String]) throws -> ServeConfiguration {
        var configuration = ServeConfiguration()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Problem(
                wording: Wording(
                    uz: "\(file): YAML to‘g‘ri emas: \(error)", ru: "\(file): некорректный YAML: \(error)",
                    en: "\(file): not valid YAML: \(error)"))
        }
        guard let top = root?.mapping else { return configuration }
        // Read after the loop: its envelope sender defaults to mail_from, wherever that stands in the file.
        var smtpNode: Node?
        func fail(_ node: Node, _ message: Wording) -> Problem {
            let place = "\(file):\((node.mark?.line).map(String.init) ?? "?"): "
            return Problem(wording: Wording { place + message[$0] })
        }
        for (key, value) in top {
            switch key.string {
            case "route_interval":
                configuration.routeInterval = try duration(value, fail)
            case "route_lease":
                configuration.routeLease = try duration(value, fail)
            case "own_addresses":
                configuration.ownAddresses = Set((value.sequence ?? []).compactMap { $0.string?.lowercased() })
            case "sweep_interval":
                configuration.sweepInterval = try duration(value, fail)
            case "outbox_interval":
                configuration.outboxInterval = try duration(value, fail)
            case "outbox_lease":
                configuration.outboxLease = try duration(value, fail)
            case "daily_report":
                guard let flag = value.bool else {
                    throw fail(
                        value,
                        Wording(
                            uz: "daily_report qiymati true yoki false bo‘ladi", ru: "daily_report — true или false",
                            en: "daily_report is true or false"))
                }
                configuration.dailyReport = flag
            case "mail_from":
                guard let text = value.string, let address = mailAddress(text) else {
                    throw fail(
                        value,
                        Wording(
                            uz: "mail_from — manzil, ism bilan ham bo‘ladi: \"Name <a@b.uz>\"",
                            ru: "mail_from — адрес, можно с именем: \"Name <a@b.uz>\"",
                            en: "mail_from is an address, optionally with a name: \"Name <a@b.uz>\""))
                }
                configuration.mailFrom = address
            case "outbox_folder":
                guard let text = value.string, !text.isEmpty else {
                    throw fail(
                        value,
                        Wording(
                            uz: "outbox_folder — papka yo‘li", ru: "outbox_folder — путь к папке",
                            en: "outbox_folder is a path"))
                }
                configuration.outboxFolder = text
            case "smtp":
                smtpNode = value
            case "http":
                configuration.web = try web(value, fail)
            case "database":
                configuration.databaseURL = try database(value, fail)
            case "log_format":
                guard let text = value.string, ["json", "text"].contains(text) else {
                    throw fail(
                        value,
                        Wording(
                            uz: "log_format qiymati json yoki text bo‘ladi", ru: "log_format — json или text",
                            en: "log_format is json or text"))
                }
                configuration.logFormat = text
            case "mailboxes":
                for entry in value.sequence ?? [] {
                    configuration.mailboxes.append(try mailbox(entry, environment: environment, fail))
                }
            default:
                let name = key.string ?? "?"
                let known =
                    "mailboxes, route_interval, route_lease, own_addresses, sweep_interval, daily_report, mail_from, "
                    + "smtp, outbox_folder, outbox_interval, outbox_lease, http, log_format, database"
                throw fail(
                    key,
                    Wording(
                        uz: "Noma’lum kalit \"\(name)\" (bor: \(known))",
                        ru: "Неизвестный ключ \"\(name)\" (есть: \(known))",
                        en: "unknown key \"\(name)\" (known: \(known))"))
            }
        }
        if let smtpNode {
            configuration.smtp = try smtp(smtpNode, from: configuration.mailFrom, environment: environment, fail)
        }
        return configuration
    }

    /// MUROJAAT_HTTP_HOST and MUROJAAT_HTTP_PORT, over the file or the defaults.
    mutating func applyEnvironment(_ environment: [String: String]) throws {
        if let format = environment["MUROJAAT_LOG_FORMAT"], !format.isEmpty {
            guard ["json", "text"].contains(format) else {
                throw CLIError(
                    uz: "MUROJAAT_LOG_FORMAT qiymati json yoki text bo‘ladi, \"\(format)\" emas",
                    ru: "MUROJAAT_LOG_FORMAT — json или text, а не \"\(format)\"",
                    en: "MUROJAAT_LOG_FORMAT is json or text, not \"\(format)\"")
            }
            logFormat = format
        }
        guard web != nil else { return }
        if let host = environment["MUROJAAT_HTTP_HOST"], !host.isEmpty { web?.host = host }
        if let text = environment["MUROJAAT_HTTP_PORT"] {
            guard let port = Int(text), (1...65_535).contains(port) else {
                throw CLIError(
                    uz: "MUROJAAT_HTTP_PORT port raqami bo‘lishi kerak, \"\(text)\" emas",
                    ru: "MUROJAAT_HTTP_PORT — номер порта, а не \"\(text)\"",
                    en: "MUROJAAT_HTTP_PORT is a port number, not \"\(text)\"")
            }
            web?.port = port
        }
    }

    /// `http: off`, or a mapping of host, port, secure_cookies, session_lifetime, login_attempts, login_window,
    /// trusted_proxies.
    static func web(_ node: Node, _ fail: (Node, Wording) -> Problem) throws -> WebSettings? {
        if node.bool == false || node.string == "off" { return nil }
        guard let fields = node.mapping else {
            throw fail(
                node,
                Wording(
                    uz: "http qiymati off yoki host, port, ... kalitlari bor bo‘lim bo‘ladi",
                    ru: "http — off или раздел с host, port, ...", en: "http is off, or a mapping of host, port, ..."))
        }
        var settings = WebSettings()
        for (key, value) in fields {
            switch key.string {
            case "host":
                guard let host = value.string, !host.isEmpty else {
                    throw fail(
                        value,
                        Wording(uz: "http.host — manzil", ru: "http.host — адрес", en: "http.host is an address"))
                }
                settings.host = host
            case "port":
                guard let port = value.int, (1...65_535).contains(port) else {
                    throw fail(
                        value,
                        Wording(
                            uz: "http.port — port raqami", ru: "http.port — номер порта",
                            en: "http.port is a port number"))
                }
                settings.port = port
            case "secure_cookies":
                guard let flag = value.bool else {
                    throw fail(
                        value,
                        Wording(
                            uz: "http.secure_cookies qiymati true yoki false bo‘ladi",
                            ru: "http.secure_cookies — true или false", en: "http.secure_cookies is true or false"))
                }
                settings.secureCookies = flag
            case "session_lifetime": settings.sessionLifetime = try duration(value, fail)
            case "login_attempts":
                guard let count = value.int, count > 0 else {
                    throw fail(
                        value,
                        Wording(
                            uz: "http.login_attempts — musbat son", ru: "http.login_attempts — положительное число",
                            en: "http.login_attempts is a count"))
                }
                settings.loginAttempts = count
            case "login_window": settings.loginWindow = try duration(value, fail)
            case "trusted_proxies":
                guard let list = value.sequence, case let addresses = list.compactMap(\.string),
                    addresses.count == list.count, addresses.allSatisfy(Self.isAddress)
                else {
                    throw fail(
                        value,
                        Wording(
                            uz: "http.trusted_proxies — IP manzillar ro‘yxati, masalan [127.0.0.1, ::1]",
                            ru: "http.trusted_proxies — список IP-адресов, например [127.0.0.1, ::1]",
                            en: "http.trusted_proxies is a list of IP addresses, e.g. [127.0.0.1, ::1]"))
                }
                settings.trustedProxies = addresses
            default:
                let name = key.string ?? "?"
                let known =
                    "host, port, secure_cookies, session_lifetime, login_attempts, login_window, trusted_proxies"
                throw fail(
                    key,
                    Wording(
                        uz: "Noma’lum kalit http.\(name) (bor: \(known))",
                        ru: "Неизвестный ключ http.\(name) (есть: \(known))",
                        en: "unknown key http.\(name) (known: \(known))"))
            }
        }
        return settings
    }

    /// An IPv4 or IPv6 address as a peer's address is written: a host name would never equal one.
    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    static func mailbox(
        _ node: Node, environment: [String: String], _ fail: (Node, Wording) -> Problem
    ) throws -> Mailbox {
        guard let fields = node.mapping else {
            throw fail(
                node,
                Wording(
                    uz: "Pochta qutisi url, user, ... kalitlari bor bo‘lim bo‘ladi",
                    ru: "Почтовый ящик — раздел с url, user, ...", en: "a mailbox is a mapping with url, user, ..."))
        }
        func text(_ name: String) -> String? { fields[Node(name)]?.string }
        guard let url = text("url"), url.hasPrefix("imap://") || url.hasPrefix("imaps://") else {
            throw fail(
                node,
                Wording(
                    uz: "Pochta qutisiga url kerak: imap://... yoki imaps://...",
                    ru: "Почтовому ящику нужен url: imap://... или imaps://...",
                    en: "a mailbox needs url: imap://... or imaps://..."))
        }
        guard let user = text("user") ?? text("user_env").flatMap({ environment[$0] }) else {
            throw fail(
                node,
                Wording(
                    uz: "Pochta qutisi \(url): user ni yoki uni saqlovchi o‘zgaruvchi nomini user_env da bering",
                    ru: "Почтовый ящик \(url): укажите user или user_env с именем переменной, где он задан",
                    en: "mailbox \(url): give user, or user_env naming the variable that holds it"))
        }
        let password: String
        if let file = text("password_file") {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                let cause = fileProblem(error)
                throw fail(
                    node,
                    Wording(
                        uz: "Pochta qutisi \(url): \(file) parol faylini o‘qib bo‘lmadi: \(cause.uz)",
                        ru: "Почтовый ящик \(url): не удалось прочитать файл пароля \(file): \(cause.ru)",
                        en: "mailbox \(url): cannot read the password file \(file): \(cause.en)"))
            }
        } else if let value = environment[text("password_env") ?? "MUROJAAT_IMAP_PASSWORD"] {
            password = value
        } else {
            throw fail(
                node,
                Wording(
                    uz: "Pochta qutisi \(url): parol yo‘q; password_file ni yoki o‘rnatilgan o‘zgaruvchi nomini "
                        + "password_env da bering",
                    ru: "Почтовый ящик \(url): нет пароля; укажите password_file или password_env с именем заданной "
                        + "переменной",
                    en: "mailbox \(url): no password; give password_file, or password_env naming a variable "
                        + "that is set"))
        }
        let channel = text("channel").flatMap(Channel.init(name:)) ?? .email
        guard channel == .email || channel == .eXat else {
            throw fail(
                node,
                Wording(
                    uz: "Pochta qutisining kanali email yoki e-xat bo‘ladi",
                    ru: "Канал почтового ящика — email или e-xat", en: "a mailbox's channel is email or e-xat"))
        }
        var acknowledgement = MailboxPoller.Acknowledgement.markSeen
        if let folder = text("move_to") { acknowledgement = .move(to: folder) }
        let interval = try fields[Node("poll_interval")].map { try duration($0, fail) } ?? .seconds(60)
        return Mailbox(
            account: IMAPAccount(
                url: url, user: user, password: password, requireTLS: fields[Node("require_tls")]?.bool ?? false,
                caFile: text("ca_file")),
            channel: channel, interval: interval, acknowledgement: acknowledgement)
    }

    /// `Name <address>` or a bare address.
    static func mailAddress(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = trimmed[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
            return address.contains("@") ? MailAddress(name: name.isEmpty ? nil : name, address: address) : nil
        }
        return trimmed.contains("@") ? MailAddress(name: nil, address: trimmed) : nil
    }

    static func smtp(
        _ node: Node, from: MailAddress, environment: [String: String], _ fail: (Node, Wording) -> Problem
    ) throws -> SMTPSettings {
        guard let fields = node.mapping else {
            throw fail(
                node,
                Wording(
                    uz: "smtp url, security, ... kalitlari bor bo‘lim bo‘ladi",
                    ru: "smtp — раздел с url, security, ...", en: "smtp is a mapping with url, security, ..."))
        }
        func text(_ name: String) -> String? { fields[Node(name)]?.string }
        guard let url = text("url"), url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            throw fail(
                node,
                Wording(
                    uz: "smtp uchun url kerak: smtp://host:587 yoki smtps://host:465",
                    ru: "Для smtp нужен url: smtp://host:587 или smtps://host:465",
                    en: "smtp needs url: smtp://host:587 or smtps://host:465"))
        }
        let security: SMTPSettings.Security
        if let name = text("security") {
            guard let value = SMTPSettings.Security(rawValue: name) else {
                throw fail(
                    node,
                    Wording(
                        uz: "smtp security qiymati starttls, tls yoki none bo‘ladi",
                        ru: "smtp security — starttls, tls или none", en: "smtp security is starttls, tls or none"))
            }
            security = value
        } else {
            security = url.hasPrefix("smtps://") ? .tls : .startTLS
        }
        let user = text("user") ?? text("user_env").flatMap { environment[$0] }
        var password: String?
        if let file = text("password_file") {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                let cause = fileProblem(error)
                throw fail(
                    node,
                    Wording(
                        uz: "smtp: \(file) parol faylini o‘qib bo‘lmadi: \(cause.uz)",
                        ru: "smtp: не удалось прочитать файл пароля \(file): \(cause.ru)",
                        en: "smtp: cannot read the password file \(file): \(cause.en)"))
            }
        } else {
            password = environment[text("password_env") ?? "MUROJAAT_SMTP_PASSWORD"]
        }
        if user != nil && password == nil {
            throw fail(
                node,
                Wording(
                    uz: "smtp: foydalanuvchi bor, lekin parol yo‘q; password_file yoki password_env ni bering",
                    ru: "smtp: пользователь указан без пароля; укажите password_file или password_env",
                    en: "smtp: a user without a password; give password_file or password_env"))
        }
        let timeout = try fields[Node("timeout")].map { try duration($0, fail) } ?? .seconds(30)
        return SMTPSettings(
            url: url, security: security, username: user, password: password, caFile: text("ca_file"),
            envelopeFrom: text("envelope_from") ?? from.address, timeout: timeout)
    }

    /// `30s`, `5m`, `1h`, or a number of seconds.
    static func duration(_ node: Node, _ fail: (Node, Wording) -> Problem) throws -> Duration {
        guard let text = node.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw fail(
                node,
                Wording(
                    uz: "Davomiylik kerak, masalan 30s, 5m yoki 1h", ru: "Нужна длительность, например 30s, 5m или 1h",
                    en: "a duration such as 30s, 5m or 1h"))
        }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var factor = 1
        if let last = text.last, let unit = units[last] {
            number = text.dropLast()
            factor = unit
        }
        guard let value = Int(number), value > 0 else {
            throw fail(
                node,
                Wording(
                    uz: "\"\(text)\" davomiylik emas (30s, 5m, 1h)", ru: "\"\(text)\" — не длительность (30s, 5m, 1h)",
                    en: "\"\(text)\" is not a duration (30s, 5m, 1h)"))
        }
        return .seconds(value * factor)
    }
}
