public import MurojaatCore

/// A store operation that failed, in words a person can act on, with the context and the underlying cause.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The database could not be opened or migrated.
        public static let unavailable = Code(rawValue: "unavailable")
        /// A statement failed.
        public static let failed = Code(rawValue: "failed")
        public static let notFound = Code(rawValue: "not_found")
        /// The change would break the appeal's life cycle or a constraint.
        public static let conflict = Code(rawValue: "conflict")
        /// Stored data could not be read back (a corrupted row or a newer schema).
        public static let corrupt = Code(rawValue: "corrupt")
    }

    public var code: Code
    /// What failed, in English (logs, machine clients).
    public var message: String { wording.en }
    /// Underlying error text (database message); never personal data.
    public var cause: String?
    /// What failed, in the reader's language; the cause follows it as the database wrote it.
    public var summary: Wording

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.init(code, Self.lead(code, message), cause: cause)
    }

    /// A failure people meet in normal use (a record that is not there, a name taken), worded in full.
    public init(_ code: Code, _ summary: Wording, cause: (any Error)? = nil) {
        self.code = code
        self.summary = summary
        self.cause = cause.map { "\($0)" }
    }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }

    /// A database's failure said in English by the store ("could not list the quarantine"), led in Uzbek and
    /// Russian by what kind of failure it is, so the reader knows whether to retry, wait or call an administrator.
    static func lead(_ code: Code, _ english: String) -> Wording {
        let kind: (uz: String, ru: String) =
            switch code {
            case .unavailable: ("Ma’lumotlar bazasi ishlamayapti", "База данных недоступна")
            case .notFound: ("Topilmadi", "Не найдено")
            case .conflict: ("Ziddiyat", "Конфликт")
            case .corrupt: ("Saqlangan ma’lumotni o‘qib bo‘lmadi", "Сохранённые данные не читаются")
            default: ("Ma’lumotlar bazasida amal bajarilmadi", "Операция с базой данных не выполнена")
            }
        return Wording(uz: "\(kind.uz) (\(english))", ru: "\(kind.ru) (\(english))", en: english)
    }

    // MARK: failures people meet, the same in every store

    public static func noAppeal(id: Int64) -> StoreError {
        let tracking = TrackingNumber(sequence: id).value
        return StoreError(
            .notFound,
            Wording(
                uz: "\(tracking) murojaati topilmadi", ru: "Обращение \(tracking) не найдено",
                en: "no appeal with id \(id)"))
    }

    public static func noUser(_ login: String) -> StoreError {
        StoreError(
            .notFound,
            Wording(
                uz: "\"\(login)\" foydalanuvchisi yo‘q", ru: "Пользователя \"\(login)\" нет", en: "no user \"\(login)\""
            ))
    }

    public static func noUser(id: Int64) -> StoreError {
        StoreError(
            .notFound,
            Wording(uz: "#\(id) foydalanuvchi yo‘q", ru: "Пользователя #\(id) нет", en: "no user #\(id)"))
    }

    public static func userExists(_ login: String) -> StoreError {
        StoreError(
            .conflict,
            Wording(
                uz: "\"\(login)\" foydalanuvchisi allaqachon bor", ru: "Пользователь \"\(login)\" уже есть",
                en: "a user \"\(login)\" exists already"))
    }

    public static func lastAdministrator(_ login: String) -> StoreError {
        StoreError(
            .conflict,
            Wording(
                uz: "\"\(login)\" — oxirgi faol administrator: avval boshqa hisobni administrator qiling",
                ru: "\"\(login)\" — последний действующий администратор: сначала назначьте администратором другого",
                en: "\"\(login)\" is the last enabled administrator: make another account an administrator first"))
    }

    public static func noToken(id: Int64) -> StoreError {
        StoreError(
            .notFound,
            Wording(uz: "#\(id) API tokeni yo‘q", ru: "API-токена #\(id) нет", en: "no API token #\(id)"))
    }

    public static func noQuarantined(id: Int64) -> StoreError {
        StoreError(
            .notFound,
            Wording(
                uz: "Karantinda #\(id) yozuv yo‘q", ru: "В карантине нет записи #\(id)",
                en: "no quarantined record #\(id)"))
    }

    public static func taskNotOpen(_ task: Int64, appealID: Int64) -> StoreError {
        let tracking = TrackingNumber(sequence: appealID).value
        return StoreError(
            .conflict,
            Wording(
                uz: "\(tracking) murojaatining #\(task) topshirig‘i ochiq emas",
                ru: "Задача #\(task) обращения \(tracking) не открыта",
                en: "task #\(task) of appeal \(appealID) is not open"))
    }
}

extension StoreError: WordedError {
    public var wording: Wording {
        guard let cause else { return summary }
        return Wording { summary[$0] + ": " + cause }
    }
}
