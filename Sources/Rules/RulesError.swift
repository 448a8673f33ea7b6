public import MurojaatCore

/// A problem in `Rules/`: the file, the place in it, and what to do, in each of the product's languages.
///
/// Printed as `Rules/routing/abroad.yaml:42:7: unknown department "ABROD"` followed by the line and a caret, so an
/// administrator finds the spot at once; `text(_:)` says it in the reader's language.
public struct RulesError: WordedError, Sendable, CustomStringConvertible {
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
    /// What is wrong and what to do, without the place.
    public var problem: Wording
    /// The offending line of the file with a caret under the column.
    public var snippet: String?

    public init(
        code: Code, file: String, line: Int? = nil, column: Int? = nil, problem: Wording,
        snippet: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.snippet = snippet
    }

    /// The problem in English, for logs and tests.
    public var message: String { problem.en }

    public var location: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }

    /// The place, the problem in `language`, and the offending line under it when there is one.
    public func text(_ language: Language) -> String {
        var text = "\(location): \(problem[language])"
        if let snippet, !snippet.isEmpty { text += "\n" + snippet }
        return text
    }

    public var wording: Wording { Wording { text($0) } }

    public var description: String { text(.en) }
}

/// Several problems found at once, so one lint run shows them all.
public struct RulesErrors: WordedError, Sendable, CustomStringConvertible {
    public var errors: [RulesError]
    public init(_ errors: [RulesError]) { self.errors = errors }

    /// Every problem in each language, one after another.
    public var wording: Wording { Wording { language in errors.map { $0.text(language) }.joined(separator: "\n") } }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
