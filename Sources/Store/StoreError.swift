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
    public var message: String
    /// Underlying error text (database message); never personal data.
    public var cause: String?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause.map { "\($0)" }
    }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }
}
