public import MurojaatCore

/// A mail operation that failed, in words an administrator can act on.
public struct MailError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The server could not be reached (refused, not resolved, timed out): worth retrying later.
        public static let unreachable = Code(rawValue: "unreachable")
        /// The server refused the user name or password: retrying will not help until someone fixes them.
        public static let authentication = Code(rawValue: "authentication")
        /// The mailbox or message does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// The server answered something unexpected, or a command failed.
        public static let protocolError = Code(rawValue: "protocol")
        /// The bytes are not a message GMime can read at all.
        public static let unreadable = Code(rawValue: "unreadable")
        /// A setting is missing or wrong (a URL without a host, a password file that cannot be read).
        public static let configuration = Code(rawValue: "configuration")
        /// The SMTP server refused the message or all its recipients for good (a 5xx reply), or the message cannot be
        /// sent as it is (an address that is not one): sending the same message again will not help.
        public static let rejected = Code(rawValue: "rejected")
        /// The SMTP server deferred this one message (a 4xx reply): it is up, so the next message may go through,
        /// and this one is tried again later.
        public static let deferred = Code(rawValue: "deferred")
    }

    public var code: Code
    public var message: String
    public var cause: String?
    /// The reason in the three languages, when it is ours rather than a server's or a library's (a file that is
    /// not an e-mail at all): ``wording`` then says it without the English.
    public var reason: Wording?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public init(_ code: Code, _ reason: Wording) {
        self.init(code, reason.en)
        self.reason = reason
    }

    /// Whether trying again later may succeed (the server was down, or deferred the message with a 4xx reply), as
    /// opposed to a problem a person must fix or a message the server refused for good (``Code/rejected``).
    public var isTransient: Bool { code == .unreachable || code == .deferred }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }
}

extension MailError: WordedError {
    /// The mail server's and the library's words stay as they are (English); in Uzbek and Russian a lead says what
    /// kind of failure it is, which decides what the administrator does: wait, fix a setting, or look at the message.
    public var wording: Wording {
        let kind: (uz: String, ru: String) =
            switch code {
            case .unreachable: ("Pochta serveriga ulanib bo‘lmadi", "Почтовый сервер недоступен")
            case .authentication:
                ("Pochta serveri login yoki parolni qabul qilmadi", "Почтовый сервер не принял логин или пароль")
            case .notFound: ("Pochta qutisi yoki xat topilmadi", "Почтовый ящик или письмо не найдены")
            case .unreadable: ("Xatni o‘qib bo‘lmadi", "Письмо не читается")
            case .configuration: ("Pochta sozlamalarida xato", "Ошибка в настройках почты")
            case .rejected: ("Pochta serveri xatni rad etdi", "Почтовый сервер отклонил письмо")
            case .deferred: ("Pochta serveri xatni keyinroqqa qoldirdi", "Почтовый сервер отложил письмо")
            default: ("Pochta serveri kutilmagan javob berdi", "Почтовый сервер ответил неожиданно")
            }
        if let reason { return Wording(uz: "\(kind.uz): \(reason.uz)", ru: "\(kind.ru): \(reason.ru)", en: reason.en) }
        return Wording(uz: "\(kind.uz): \(description)", ru: "\(kind.ru): \(description)", en: description)
    }
}
