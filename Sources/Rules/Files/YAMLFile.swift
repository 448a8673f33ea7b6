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
            throw RulesError(
                code: .unreadable, file: displayPath, message: "cannot read the file: \(fileProblem(error))")
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
            throw RulesError(code: .syntax, file: path, message: "not valid YAML: \(error)")
        }
    }

    static func syntaxError(_ error: YamlError, path: String) -> RulesError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return RulesError(
                code: .syntax, file: path, line: mark.line, column: mark.column,
                message: "not valid YAML: \(what)")
        default:
            return RulesError(code: .syntax, file: path, message: "not valid YAML: \(error)")
        }
    }

    func error(_ message: String, at node: Node?, code: RulesError.Code = .schema) -> RulesError {
        guard let mark = node?.mark else { return RulesError(code: code, file: path, message: message) }
        return RulesError(
            code: code, file: path, line: mark.line, column: mark.column, message: message,
            snippet: mark.snippet(from: text).trimmingCharacters(in: .newlines))
    }

    // MARK: typed access that reports where the file is wrong

    func mapping(_ node: Node?, _ what: String) throws(RulesError) -> Node.Mapping {
        guard let mapping = node?.mapping else { throw error("\(what) must be a mapping (key: value)", at: node) }
        return mapping
    }

    func sequence(_ node: Node?, _ what: String) throws(RulesError) -> [Node] {
        guard let node else { return [] }
        if let sequence = node.sequence { return Array(sequence) }
        // A single value where a list is expected is taken as a list of one: `channel: call`.
        if node.scalar != nil { return [node] }
        throw error("\(what) must be a list", at: node)
    }

    func string(_ node: Node?, _ what: String) throws(RulesError) -> String {
        guard let scalar = node?.scalar else { throw error("\(what) must be a text", at: node) }
        return scalar.string
    }

    func strings(_ node: Node?, _ what: String) throws(RulesError) -> [String] {
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, "each item of \(what)")) }
        return result
    }

    func int(_ node: Node?, _ what: String) throws(RulesError) -> Int {
        guard let value = node?.int else { throw error("\(what) must be a whole number", at: node) }
        return value
    }

    func double(_ node: Node?, _ what: String) throws(RulesError) -> Double {
        guard let value = node?.float ?? node?.int.map(Double.init) else {
            throw error("\(what) must be a number", at: node)
        }
        return value
    }

    func bool(_ node: Node?, _ what: String) throws(RulesError) -> Bool {
        guard let value = node?.bool else { throw error("\(what) must be true or false", at: node) }
        return value
    }

    /// Refuses keys the schema does not know: a misspelt `departmnet:` must not silently do nothing.
    func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, in what: String) throws(RulesError) {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw error("unknown key \"\(key.string ?? "?")\" in \(what) (known: \(known))", at: key)
            }
        }
    }
}
