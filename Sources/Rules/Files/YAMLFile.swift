import Foundation
import MurojaatCore
import Yams

/// One YAML file of `Rules/`, parsed with positions, so every error can point into it.
struct YAMLFile {
    let path: String
    let text: String
    let root: Node?

    init(url: URL, displayPath: String) throws(RulesError) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let cause = fileProblem(error)
            throw RulesError(
                code: .unreadable, file: displayPath,
                problem: Wording(
                    uz: "faylni o‘qib bo‘lmadi: \(cause.uz)", ru: "не удаётся прочитать файл: \(cause.ru)",
                    en: "cannot read the file: \(cause.en)"))
        }
        try self.init(text: text, path: displayPath)
    }

    init(text: String, path: String) throws(RulesError) {
        self.path = path
        self.text = text
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw YAMLFile.syntaxError(error, path: path)
        } catch {
            throw RulesError(code: .syntax, file: path, problem: YAMLFile.notYAML("\(error)"))
        }
    }

    static func syntaxError(_ error: YamlError, path: String) -> RulesError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return RulesError(
                code: .syntax, file: path, line: mark.line, column: mark.column, problem: notYAML(what))
        default:
            return RulesError(code: .syntax, file: path, problem: notYAML("\(error)"))
        }
    }

    /// The YAML parser's own words (English) after ours.
    static func notYAML(_ cause: String) -> Wording {
        Wording(
            uz: "YAML noto‘g‘ri yozilgan: \(cause)", ru: "некорректный YAML: \(cause)", en: "not valid YAML: \(cause)")
    }

    func error(_ problem: Wording, at node: Node?, code: RulesError.Code = .schema) -> RulesError {
        guard let mark = node?.mark else { return RulesError(code: code, file: path, problem: problem) }
        return RulesError(
            code: code, file: path, line: mark.line, column: mark.column, problem: problem,
            snippet: mark.snippet(from: text).trimmingCharacters(in: .newlines))
    }

    // MARK: typed access that reports where the file is wrong
    //
    // `what` names the value in each language: `.key("weight")` for a key, a path or a file name, which reads the
    // same in every language; a `Wording` for a description (a rule, the code of a department).

    func mapping(_ node: Node?, _ what: Wording) throws(RulesError) -> Node.Mapping {
        guard let mapping = node?.mapping else {
            throw error(
                Wording(
                    uz: "\(what.uz) lug‘at (kalit: qiymat) bo‘lishi kerak",
                    ru: "\(what.ru): ожидается словарь (ключ: значение)",
                    en: "\(what.en) must be a mapping (key: value)"), at: node)
        }
        return mapping
    }

    func sequence(_ node: Node?, _ what: Wording) throws(RulesError) -> [Node] {
        guard let node else { return [] }
        if let sequence = node.sequence { return Array(sequence) }
        // A single value where a list is expected is taken as a list of one: `channel: call`.
        if node.scalar != nil { return [node] }
        throw error(
            Wording(
                uz: "\(what.uz) ro‘yxat bo‘lishi kerak", ru: "\(what.ru): ожидается список",
                en: "\(what.en) must be a list"), at: node)
    }

    func string(_ node: Node?, _ what: Wording) throws(RulesError) -> String {
        guard let scalar = node?.scalar else {
            throw error(
                Wording(
                    uz: "\(what.uz) matn bo‘lishi kerak", ru: "\(what.ru): ожидается текст",
                    en: "\(what.en) must be a text"), at: node)
        }
        return scalar.string
    }

    /// Words for people: one text for every language, or `{uz: ..., ru: ..., en: ...}` with Uzbek required and the
    /// others falling back to it.
    func wording(_ node: Node?, _ what: Wording) throws(RulesError) -> Wording {
        guard let map = node?.mapping else { return Wording(verbatim: try string(node, what)) }
        try checkKeys(map, allowed: ["uz", "ru", "en"], in: what)
        let uz = try string(map["uz"], Wording { "\(what[$0]): uz" })
        return Wording(
            uz: uz,
            ru: try map["ru"].map { node throws(RulesError) in try string(node, Wording { "\(what[$0]): ru" }) } ?? uz,
            en: try map["en"].map { node throws(RulesError) in try string(node, Wording { "\(what[$0]): en" }) } ?? uz)
    }

    func strings(_ node: Node?, _ what: Wording) throws(RulesError) -> [String] {
        var result: [String] = []
        let item = Wording(
            uz: "\(what.uz): har bir element", ru: "каждый элемент \(what.ru)", en: "each item of \(what.en)")
        for node in try sequence(node, what) { result.append(try string(node, item)) }
        return result
    }

    func int(_ node: Node?, _ what: Wording) throws(RulesError) -> Int {
        guard let value = node?.int else {
            throw error(
                Wording(
                    uz: "\(what.uz) butun son bo‘lishi kerak", ru: "\(what.ru): ожидается целое число",
                    en: "\(what.en) must be a whole number"), at: node)
        }
        return value
    }

    func double(_ node: Node?, _ what: Wording) throws(RulesError) -> Double {
        guard let value = node?.float ?? node?.int.map(Double.init) else {
            throw error(
                Wording(
                    uz: "\(what.uz) son bo‘lishi kerak", ru: "\(what.ru): ожидается число",
                    en: "\(what.en) must be a number"), at: node)
        }
        return value
    }

    func bool(_ node: Node?, _ what: Wording) throws(RulesError) -> Bool {
        guard let value = node?.bool else {
            throw error(
                Wording(
                    uz: "\(what.uz) true yoki false bo‘lishi kerak", ru: "\(what.ru): ожидается true или false",
                    en: "\(what.en) must be true or false"), at: node)
        }
        return value
    }

    /// Refuses keys the schema does not know: a misspelt `departmnet:` must not silently do nothing.
    func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, in what: Wording) throws(RulesError) {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                let unknown = key.string ?? "?"
                throw error(
                    Wording(
                        uz: "\(what.uz): noma’lum kalit \"\(unknown)\" (bor: \(known))",
                        ru: "\(what.ru): неизвестный ключ \"\(unknown)\" (есть: \(known))",
                        en: "unknown key \"\(unknown)\" in \(what.en) (known: \(known))"), at: key)
            }
        }
    }
}

extension Wording {
    /// A key, a path or a file name of `Rules/` (`weight`, `office_hours.opens`, `org.yaml`): the same in every
    /// language, as the administrator writes it.
    static func key(_ name: String) -> Wording { Wording(verbatim: name) }

    /// A `channel` that is none of the product's; `known` lists them.
    static func unknownChannel(_ name: String, known: String? = nil) -> Wording {
        let list = known.map { " (\($0))" } ?? ""
        return Wording(
            uz: "noma’lum kanal \"\(name)\"\(list)", ru: "неизвестный канал \"\(name)\"\(list)",
            en: "unknown channel \"\(name)\"\(list)")
    }

    /// A `kind` that is none of the three the law knows.
    static func unknownKind(_ name: String) -> Wording {
        Wording(
            uz: "noma’lum tur \"\(name)\" (ariza, taklif, shikoyat)",
            ru: "неизвестный вид \"\(name)\" (ariza, taklif, shikoyat)",
            en: "unknown kind \"\(name)\" (ariza, taklif, shikoyat)")
    }
}
