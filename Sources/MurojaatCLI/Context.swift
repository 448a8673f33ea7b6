import ArgumentParser
import Foundation
import Logging
import MurojaatCore
import PostgresStore
import Rules
import SQLiteStore
import Store

/// Where the data and the rules are. Every command reads the data directory from `--data-dir`, else
/// `MUROJAAT_DATA_DIR`, else `./data`; the rules from `--rules`, else `MUROJAAT_RULES_DIR`, else `./Rules`; the
/// database from `--database`, else `MUROJAAT_DATABASE_URL` (serve: else `database.url` of its configuration), else
/// SQLite in the data directory.
struct Locations: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $MUROJAAT_DATA_DIR or ./data).")
    var dataDir: String?

    @Option(name: .customLong("rules"), help: "Rules directory (default: $MUROJAAT_RULES_DIR or ./Rules).")
    var rulesDir: String?

    @Option(
        name: .customLong("database"),
        help:
            "A PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DB (default: $MUROJAAT_DATABASE_URL, else SQLite in the data directory)."
    )
    var database: String?

    /// The PostgreSQL URL chosen, if any: `--database`, the environment, then what a configuration file names.
    func databaseURL(configured: String? = nil) -> String? {
        let url = database ?? ProcessInfo.processInfo.environment["MUROJAAT_DATABASE_URL"] ?? configured
        return url.flatMap { $0.isEmpty ? nil : $0 }
    }

    var dataDirectory: URL {
        URL(fileURLWithPath: dataDir ?? ProcessInfo.processInfo.environment["MUROJAAT_DATA_DIR"] ?? "data")
    }

    var rulesDirectory: URL {
        URL(fileURLWithPath: rulesDir ?? ProcessInfo.processInfo.environment["MUROJAAT_RULES_DIR"] ?? "Rules")
    }

    func loadRules() throws -> RuleBook {
        do {
            return try RuleBook.load(directory: rulesDirectory)
        } catch {
            let path = rulesDirectory.path
            throw CLIError(
                Wording(
                    uz: "\(path) katalogidagi qoidalar yuklanmadi", ru: "Правила в \(path) не загружаются",
                    en: "the rules in \(path) do not load"),
                cause: error, separator: ":\n")
        }
    }

    /// The ladder and notice texts; `book` for the org chart they refer to.
    func loadTrackerRules(_ book: RuleBook) throws -> TrackerRules {
        do {
            return try TrackerRules.load(directory: rulesDirectory, org: book.org)
        } catch {
            let path = rulesDirectory.path
            throw CLIError(
                Wording(
                    uz: "\(path) katalogidagi nazorat qoidalari yuklanmadi",
                    ru: "Правила контроля в \(path) не загружаются",
                    en: "the tracker's rules in \(path) do not load"),
                cause: error, separator: ":\n")
        }
    }

    /// The store: PostgreSQL when a URL is given (its schema brought up to date under an advisory lock, so several
    /// instances may start at once), else the SQLite file in the data directory. The only place that chooses.
    func openStore(configured: String? = nil) async throws -> any AppealStore & AccountStore & SingletonLocks {
        if let url = databaseURL(configured: configured) {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw CLIError(
                    uz: "--database postgres:// URL oladi; usiz ma’lumotlar katalogidagi SQLite ishlatiladi",
                    ru: "--database принимает URL postgres://; без него хранилище — SQLite в каталоге данных",
                    en: "--database takes a postgres:// URL; without it the store is SQLite in the data directory")
            }
            do {
                return try await PostgresStore.open(url: url, logger: Logger(label: "murojaat.postgres"))
            } catch {
                throw CLIError(cause: error)
            }
        }
        let directory = dataDirectory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CLIError(
                uz: "\(directory.path) ma’lumotlar katalogini yaratib bo‘lmadi: \(error.localizedDescription)",
                ru: "Не удалось создать каталог данных \(directory.path): \(error.localizedDescription)",
                en: "cannot create the data directory \(directory.path): \(error.localizedDescription)")
        }
        do {
            return try SQLiteStore(path: directory.appendingPathComponent("murojaat.sqlite").path)
        } catch {
            throw CLIError(cause: error)
        }
    }
}

/// A failure the user can act on: printed as one line in the run's language (`Xato: ...`), exit code 1, never a
/// stack trace.
struct CLIError: WordedError, CustomStringConvertible {
    let wording: Wording

    init(_ wording: Wording) { self.wording = wording }

    init(uz: String, ru: String, en: String) { wording = Wording(uz: uz, ru: ru, en: en) }

    /// An error from the layers below: one that is worded keeps its words; any other (a database's or the
    /// system's message) is shown as it is, after `lead` when one is given ("the rules in Rules do not load").
    init(_ lead: Wording? = nil, cause: any Error, separator: String = ": ") {
        let words = Wording(describing: cause)
        wording = lead.map { lead in Wording { lead[$0] + separator + words[$0] } } ?? words
    }

    var description: String { wording.en }
}

/// The language of this run's messages: `MUROJAAT_LANG`, else the POSIX locale, else Uzbek. JSON output is the
/// same in every language; what people read is not.
enum Say {
    static let language = Language.preferred(in: ProcessInfo.processInfo.environment)

    /// The text in this run's language.
    static func text(uz: String, ru: String, en: String) -> String {
        Wording(uz: uz, ru: ru, en: en)[language]
    }

    /// A line on stdout in this run's language.
    static func line(uz: String, ru: String, en: String) {
        print(text(uz: uz, ru: ru, en: en))
    }

    /// An error as the one line a person reads on stderr: "Xato: ...", "Ошибка: ...", "Error: ...".
    static func errorLine(_ error: any Error) -> String {
        let lead = Wording(uz: "Xato", ru: "Ошибка", en: "Error")
        return "\(lead[language]): \(Wording(describing: error)[language])"
    }
}

/// The time commands act at: now, or `MUROJAAT_NOW` (ISO 8601, e.g. 2026-03-20T09:00:00+05:00) for rehearsing a
/// day in a demo or a test. Library code takes its clock as a parameter; this is the one place that reads it.
enum CommandClock {
    static func now() throws -> Date { try clock()() }

    /// A clock for work that spans time (a drain, a serve): the fixed time when set, else the real one.
    static func clock() throws -> @Sendable () -> Date {
        guard let text = ProcessInfo.processInfo.environment["MUROJAAT_NOW"], !text.isEmpty else { return { Date() } }
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw CLIError(
                uz: "MUROJAAT_NOW=\(text) ISO 8601 vaqti emas (masalan 2026-03-20T09:00:00+05:00)",
                ru: "MUROJAAT_NOW=\(text) не время ISO 8601 (например 2026-03-20T09:00:00+05:00)",
                en: "MUROJAAT_NOW=\(text) is not an ISO 8601 time such as 2026-03-20T09:00:00+05:00")
        }
        return { date }
    }

    /// The clock of `serve`: with `MUROJAAT_NOW` the rehearsed day starts at that time and runs on from there, so
    /// the pages, the sweeper and the daily report all live the same (moving) day; else the real time.
    static func running() throws -> @Sendable () -> Date {
        let fixed = try clock()
        guard ProcessInfo.processInfo.environment["MUROJAAT_NOW"]?.isEmpty == false else { return fixed }
        let start = fixed()
        let started = ContinuousClock.now
        return { start.addingTimeInterval(Double((ContinuousClock.now - started).components.seconds)) }
    }
}

/// Reads an appeal reference: a tracking number (MJ-...) as people write it.
func appealID(_ text: String) throws -> Int64 {
    do { return try TrackingNumber(parsing: text).sequence } catch { throw CLIError(cause: error) }
}

/// Converts a store error into a CLI error at the command boundary.
func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw CLIError(cause: error)
    }
}

enum Output {
    static let zone = WorkingCalendar.tashkent

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Tashkent wall time with its offset, `2025-03-18T10:00:00+05:00`.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func shortTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd.MM.yyyy HH:mm"
        return formatter.string(from: date)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        if count >= width { return String(text.prefix(width)) }
        return text + String(repeating: " ", count: width - count)
    }

    /// One line of at most `width` characters (control characters as spaces).
    static func line(_ text: String, width: Int = 70) -> String { text.oneLine(limit: width) }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
