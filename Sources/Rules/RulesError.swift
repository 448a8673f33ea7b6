/// A problem in `Rules/`: the file, the place in it, and what to do.
///
/// Printed as `Rules/routing/abroad.yaml:42:7: unknown department "ABROD"` followed by the line and a caret, so an
/// administrator finds the spot at once.
public struct RulesError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let unreadable = Code(rawValue: "unreadable")
        public static let syntax = Code(rawValue: "syntax")
        public static let schema = Code(rawValue: "schema")
        public static let reference = Code(rawValue: "reference")
        public static let duplicate = Code(rawValue: "duplicate")
    }

    public var code: Code
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The offending line of the file with a caret under the column.
    public var snippet: String?

    public init(
        code: Code, file: String, line: Int? = nil, column: Int? = nil, message: String,
        snippet: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.snippet = snippet
    }

    public var location: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }

    public var description: String {
        var text = "\(location): \(message)"
        if let snippet, !snippet.isEmpty { text += "\n" + snippet }
        return text
    }
}

/// Several problems found at once, so one lint run shows them all.
public struct RulesErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RulesError]
    public init(_ errors: [RulesError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
