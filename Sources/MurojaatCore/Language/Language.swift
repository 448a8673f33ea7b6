/// The languages the product speaks to people in: Uzbek (Latin) first, then Russian and English.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case uz, ru, en

    /// Reads a language tag or a POSIX locale name (`ru`, `ru_RU.UTF-8`, `uz-Latn`, `en_US`), or nil when it names
    /// none of the three (`C`, `POSIX`, `de_DE`).
    public init?(tag: String) {
        let code = tag.lowercased().prefix { $0.isLetter }
        guard let language = Language(rawValue: String(code)) else { return nil }
        self = language
    }

    /// The language of a command's messages: `MUROJAAT_LANG` when it names one of the three; else the locale the
    /// POSIX way (the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set decides); else Uzbek. A locale naming a
    /// language the product does not speak (`C.UTF-8`, the default of servers and containers) gives Uzbek.
    public static func preferred(in environment: [String: String]) -> Language {
        if let chosen = environment["MUROJAAT_LANG"], let language = Language(tag: chosen) { return language }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return Language(tag: value) ?? .uz
        }
        return .uz
    }
}

/// A message for people in the product's three languages, written where the message arises, so its words and its
/// values stay together. `description` is the English one, for logs.
public struct Wording: Sendable, Hashable, Codable, CustomStringConvertible {
    public var uz: String
    public var ru: String
    public var en: String

    public init(uz: String, ru: String, en: String) {
        self.uz = uz
        self.ru = ru
        self.en = en
    }

    /// A message built the same way in each language, usually from other wordings:
    /// `Wording { lead[$0] + ": " + cause[$0] }`.
    public init(_ build: (Language) -> String) {
        self.init(uz: build(.uz), ru: build(.ru), en: build(.en))
    }

    /// The same text in every language: a name, a number, a message that comes from outside the product.
    public init(verbatim text: String) {
        self.init(uz: text, ru: text, en: text)
    }

    /// An error's words: its own when it is worded, else its text as it is (a database's, the system's, a
    /// library's), the same in every language.
    public init(describing error: any Error) {
        self = (error as? any WordedError)?.wording ?? Wording(verbatim: "\(error)")
    }

    public subscript(language: Language) -> String {
        switch language {
        case .uz: uz
        case .ru: ru
        case .en: en
        }
    }

    public var description: String { en }
}

/// An error that can say what went wrong in each of the product's languages; the CLI and the web UI show
/// `wording` in the reader's language.
public protocol WordedError: Error {
    var wording: Wording { get }
}
