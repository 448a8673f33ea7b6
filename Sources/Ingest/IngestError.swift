import Foundation
import Mail
import MurojaatCore

/// An ingest failure for a whole source, with the source named.
public struct IngestError: Error, Sendable, CustomStringConvertible {
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
    public var message: String
    public var source: String
    public var cause: String?

    public init(_ code: Code, _ message: String, source: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.cause = cause.map { "\($0)" }
    }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }

    /// A source file's bytes, or the error that names it: how every file import begins.
    static func readSource(_ url: URL) throws(IngestError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw IngestError(
                .unreadable, "cannot read \(url.path): \(fileProblem(error))", source: url.lastPathComponent)
        }
    }
}
