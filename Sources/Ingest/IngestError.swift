import Foundation
import Mail
public import MurojaatCore

/// An ingest failure for a whole source, with the source named.
public struct IngestError: WordedError, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let unreadable = Code(rawValue: "unreadable")
        public static let badFile = Code(rawValue: "bad_file")
        public static let store = Code(rawValue: "store")
        /// The mail server is down or unreachable: try again later.
        public static let mailboxUnreachable = Code(rawValue: "mailbox_unreachable")
        /// The mail server refused the login: a person must fix the password.
        public static let mailboxLogin = Code(rawValue: "mailbox_login")
        /// The mailbox's settings are wrong (an untrusted certificate, no STARTTLS, a bad URL): a person must fix them.
        public static let mailboxSettings = Code(rawValue: "mailbox_settings")
        /// Any other mailbox failure.
        public static let mailbox = Code(rawValue: "mailbox")
        /// A mapping file (`Rules/adapters/...`) does not load, or is not at hand.
        public static let badMapping = Code(rawValue: "bad_mapping")
        /// No quarantined record has the number asked for.
        public static let noSuchRecord = Code(rawValue: "no_such_record")
        /// The quarantined record went in on an earlier retry.
        public static let resolvedAlready = Code(rawValue: "resolved_already")
        /// A retried message is still not an appeal (still machine mail, still unreadable).
        public static let stillSetAside = Code(rawValue: "still_set_aside")
        /// A quarantined row cannot be retried alone: its file must be corrected and imported again.
        public static let oneRow = Code(rawValue: "one_row")

        static func mailbox(_ error: MailError) -> Code {
            switch error.code {
            case .unreachable: .mailboxUnreachable
            case .authentication: .mailboxLogin
            case .configuration: .mailboxSettings
            default: .mailbox
            }
        }
    }
    public var code: Code
    /// What went wrong, without its cause.
    public var summary: Wording
    public var source: String
    /// The cause's words: its own when it is worded, else its text as it is (a database's, the system's).
    public var causeWording: Wording?

    public init(_ code: Code, _ summary: Wording, source: String, cause: (any Error)? = nil) {
        self.code = code
        self.summary = summary
        self.source = source
        causeWording = cause.map(Wording.init(describing:))
    }

    /// The English summary, for logs and machine clients.
    public var message: String { summary.en }
    /// The cause in English (or as the layer below wrote it).
    public var cause: String? { causeWording?.en }

    public var wording: Wording {
        guard let causeWording else { return summary }
        return Wording { summary[$0] + ": " + causeWording[$0] }
    }

    public var description: String { wording.en }

    /// A source file's bytes, or the error that names it: how every file import begins.
    static func readSource(_ url: URL) throws(IngestError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            let path = url.path
            let problem = fileProblem(error)
            throw IngestError(
                .unreadable,
                Wording(
                    uz: "\(path) faylini o‘qib bo‘lmadi: \(problem.uz)",
                    ru: "не удалось прочитать \(path): \(problem.ru)",
                    en: "cannot read \(path): \(problem.en)"),
                source: url.lastPathComponent)
        }
    }
}

extension Wording {
    /// `could not quarantine calls.csv`.
    static func couldNotQuarantine(_ name: String) -> Wording {
        Wording(
            uz: "\(name) karantinga olinmadi", ru: "не удалось поместить \(name) в карантин",
            en: "could not quarantine \(name)")
    }

    /// `could not store the records of calls.csv`.
    static func couldNotStore(_ name: String) -> Wording {
        Wording(
            uz: "\(name) yozuvlarini saqlab bo‘lmadi", ru: "не удалось сохранить записи \(name)",
            en: "could not store the records of \(name)")
    }

    /// `line 19: reason` in each language (`19-qator: ...`, `строка 19: ...`); `row` for a sheet's row, which
    /// Uzbek and Russian call a line too.
    static func located(_ line: Int, _ reason: Wording, row: Bool = false) -> Wording {
        Wording(
            uz: "\(line)-qator: \(reason.uz)", ru: "строка \(line): \(reason.ru)",
            en: "\(row ? "row" : "line") \(line): \(reason.en)")
    }
}
