import Foundation
import Ingest
import Mail
import MurojaatCore
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

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ url: URL, environment: [String: String]) throws -> ServeConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Problem(description: "cannot read the configuration \(url.path): \(error.localizedDescription)")
        }
        return try parse(text, file: url.path, environment: environment)
    }

    static func parse(_ text: String, file: String, environment: [String: String]) throws -> ServeConfiguration {
        var configuration = ServeConfiguration()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Problem(description: "\(file): not valid YAML: \(error)")
        }
        guard let top = root?.mapping else { return configuration }
        func fail(_ node: Node, _ message: String) -> Problem {
            Problem(description: "\(file):\((node.mark?.line).map(String.init) ?? "?"): \(message)")
        }
        for (key, value) in top {
            switch key.string {
            case "route_interval":
                configuration.routeInterval = try duration(value, fail)
            case "route_lease":
                configuration.routeLease = try duration(value, fail)
            case "own_addresses":
                configuration.ownAddresses = Set((value.sequence ?? []).compactMap { $0.string?.lowercased() })
            case "mailboxes":
                for entry in value.sequence ?? [] {
                    configuration.mailboxes.append(try mailbox(entry, environment: environment, fail))
                }
            default:
                throw fail(
                    key,
                    "unknown key \"\(key.string ?? "?")\" (known: mailboxes, route_interval, route_lease, own_addresses)"
                )
            }
        }
        return configuration
    }

    static func mailbox(
        _ node: Node, environment: [String: String], _ fail: (Node, String) -> Problem
    ) throws -> Mailbox {
        guard let fields = node.mapping else { throw fail(node, "a mailbox is a mapping with url, user, ...") }
        func text(_ name: String) -> String? { fields[Node(name)]?.string }
        guard let url = text("url"), url.hasPrefix("imap://") || url.hasPrefix("imaps://") else {
            throw fail(node, "a mailbox needs url: imap://... or imaps://...")
        }
        guard let user = text("user") ?? text("user_env").flatMap({ environment[$0] }) else {
            throw fail(node, "mailbox \(url): give user, or user_env naming the variable that holds it")
        }
        let password: String
        if let file = text("password_file") {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                throw fail(node, "mailbox \(url): cannot read the password file \(file)")
            }
        } else if let value = environment[text("password_env") ?? "MUROJAAT_IMAP_PASSWORD"] {
            password = value
        } else {
            throw fail(
                node, "mailbox \(url): no password; give password_file, or password_env naming a variable that is set")
        }
        let channel = text("channel").flatMap(Channel.init(name:)) ?? .email
        guard channel == .email || channel == .eXat else { throw fail(node, "a mailbox's channel is email or e-xat") }
        var acknowledgement = MailboxPoller.Acknowledgement.markSeen
        if let folder = text("move_to") { acknowledgement = .move(to: folder) }
        let interval = try fields[Node("poll_interval")].map { try duration($0, fail) } ?? .seconds(60)
        return Mailbox(
            account: IMAPAccount(
                url: url, user: user, password: password, requireTLS: fields[Node("require_tls")]?.bool ?? false,
                caFile: text("ca_file")),
            channel: channel, interval: interval, acknowledgement: acknowledgement)
    }

    /// `30s`, `5m`, `1h`, or a number of seconds.
    static func duration(_ node: Node, _ fail: (Node, String) -> Problem) throws -> Duration {
        guard let text = node.string?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            throw fail(node, "a duration such as 30s, 5m or 1h")
        }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var factor = 1
        if let last = text.last, let unit = units[last] {
            number = text.dropLast()
            factor = unit
        }
        guard let value = Int(number), value > 0 else {
            throw fail(node, "\"\(text)\" is not a duration (30s, 5m, 1h)")
        }
        return .seconds(value * factor)
    }
}
