import Foundation
import MurojaatCore
import Yams

/// Reads `routing/*.yaml` into rules, collecting every problem instead of stopping at the first, so `rules lint`
/// shows them all. A rule with an error is left out; the others still load.
struct RoutingFileParser {
    var keywords: [Keyword] = []
    var keywordIndex: [Keyword: Int] = [:]
    var normalizer = TextNormalizer()
    var problems: [RulesError] = []
    var rules: [RoutingRule] = []
    var seenIDs: [String: String] = [:]

    mutating func parse(_ file: YAMLFile) {
        do {
            let root = try file.mapping(file.root, "a routing file")
            try file.checkKeys(root, allowed: ["rules"], in: "a routing file")
            for node in try file.sequence(root["rules"], "rules") {
                do {
                    let rule = try parseRule(node, file)
                    if let first = seenIDs[rule.id] {
                        problems.append(
                            file.error(
                                "duplicate rule id \"\(rule.id)\" (first at \(first))", at: node,
                                code: .duplicate))
                        continue
                    }
                    seenIDs[rule.id] = rule.location
                    rules.append(rule)
                } catch {
                    problems.append(error)
                }
            }
        } catch {
            problems.append(error)
        }
    }

    static let ruleKeys: Set<String> = ["id", "description", "weight", "priority", "when", "then", "examples"]
    static let whenKeys: Set<String> = [
        "any", "all", "not", "channel", "kind", "language", "region", "abroad",
        "country",
    ]
    static let thenKeys: Set<String> = [
        "department", "co_executors", "kind", "urgent", "policy", "tags",
        "out_of_competence",
    ]

    mutating func parseRule(_ node: Node, _ file: YAMLFile) throws(RulesError) -> RoutingRule {
        let map = try file.mapping(node, "a rule")
        try file.checkKeys(map, allowed: RoutingFileParser.ruleKeys, in: "a rule")
        let id = try file.string(map["id"], "rule id")
        let location = "\(file.path):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
        let weight = try map["weight"].map { n throws(RulesError) in try file.double(n, "weight") } ?? 1
        guard weight > 0 else { throw file.error("weight must be above 0", at: map["weight"]) }
        let priority = try map["priority"].map { n throws(RulesError) in try file.int(n, "priority") } ?? 0
        guard let when = map["when"] else { throw file.error("rule \(id) has no `when`", at: node) }
        let condition = try parseWhen(when, file)
        let action = try parseThen(map["then"], file, rule: id, at: node)
        var examples: [RuleExample] = []
        for example in try file.sequence(map["examples"], "examples") {
            examples.append(try parseExample(example, file))
        }
        return RoutingRule(
            id: id, description: map["description"]?.string, weight: weight, priority: priority,
            action: action, examples: examples, location: location, condition: condition,
            order: 0)
    }

    mutating func parseWhen(_ node: Node, _ file: YAMLFile) throws(RulesError) -> Condition {
        let map = try file.mapping(node, "when")
        try file.checkKeys(map, allowed: RoutingFileParser.whenKeys, in: "when")
        var parts: [Condition] = []
        for (key, value) in map {
            switch key.string ?? "" {
            case "any": parts.append(.any(try items(value, file, "any")))
            case "all": parts.append(.all(try items(value, file, "all")))
            case "not": parts.append(.not(.any(try items(value, file, "not"))))
            case "channel":
                var set: Set<Channel> = []
                for item in try file.sequence(value, "channel") {
                    guard let channel = Channel(name: item.string ?? "") else {
                        throw file.error(
                            "unknown channel \"\(item.string ?? "")\" (email, call, virtual-reception, "
                                + "ijro, e-xat, webhook)", at: item)
                    }
                    set.insert(channel)
                }
                parts.append(.channel(set))
            case "kind":
                var set: Set<Kind> = []
                for item in try file.sequence(value, "kind") {
                    guard let kind = Kind(rawValue: item.string ?? "") else {
                        throw file.error("unknown kind \"\(item.string ?? "")\" (ariza, taklif, shikoyat)", at: item)
                    }
                    set.insert(kind)
                }
                parts.append(.kind(set))
            case "language":
                var set: Set<DetectedLanguage> = []
                for item in try file.sequence(value, "language") {
                    guard let language = DetectedLanguage(rawValue: item.string ?? "") else {
                        throw file.error(
                            "unknown language \"\(item.string ?? "")\" (uz-Latn, uz-Cyrl, ru, en, mixed)",
                            at: item)
                    }
                    set.insert(language)
                }
                parts.append(.language(set))
            case "region":
                parts.append(.region(Set(try file.strings(value, "region").map { normalizedName($0) })))
            case "country":
                parts.append(.country(Set(try file.strings(value, "country").map { normalizedName($0) })))
            case "abroad":
                parts.append(.abroad(try file.bool(value, "abroad")))
            default:
                break
            }
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    mutating func items(_ node: Node, _ file: YAMLFile, _ what: String) throws(RulesError) -> [Condition] {
        var result: [Condition] = []
        let list = try file.sequence(node, what)
        if list.isEmpty { throw file.error("`\(what)` is empty", at: node) }
        for item in list {
            if let nested = item.mapping {
                try file.checkKeys(nested, allowed: ["any", "all", "not"], in: "a nested condition")
                guard nested.count == 1, let (key, value) = nested.first else {
                    throw file.error("a nested condition has exactly one of any, all, not", at: item)
                }
                let inner = try items(value, file, key.string ?? "")
                switch key.string {
                case "any": result.append(.any(inner))
                case "all": result.append(.all(inner))
                default: result.append(.not(.any(inner)))
                }
            } else {
                result.append(.keyword(try keyword(try file.string(item, "a keyword"), at: item, file)))
            }
        }
        return result
    }

    mutating func keyword(_ text: String, at node: Node, _ file: YAMLFile) throws(RulesError) -> Int {
        var body = text.trimmingCharacters(in: .whitespaces)
        let isPrefix = body.hasSuffix("*")
        if isPrefix { body.removeLast() }
        if body.contains("*") {
            throw file.error("`*` may only end a keyword: \"\(text)\"", at: node)
        }
        var symbols = normalizer.normalize(body).symbols
        guard symbols.count > 2 || (symbols.count == 2 && symbols[0] != symbols[1]) else {
            throw file.error("keyword \"\(text)\" has no letters or digits to match", at: node)
        }
        if isPrefix { symbols.removeLast() }
        let keyword = Keyword(text: text, symbols: symbols, isPrefix: isPrefix)
        if let id = keywordIndex[keyword] { return id }
        keywords.append(keyword)
        keywordIndex[keyword] = keywords.count - 1
        return keywords.count - 1
    }

    mutating func normalizedName(_ name: String) -> String {
        normalizer.normalize(name).spelled.trimmingCharacters(in: .whitespaces)
    }

    func parseThen(_ node: Node?, _ file: YAMLFile, rule: String, at ruleNode: Node) throws(RulesError) -> RuleAction {
        guard let node else { throw file.error("rule \(rule) has no `then`", at: ruleNode) }
        let map = try file.mapping(node, "then")
        try file.checkKeys(map, allowed: RoutingFileParser.thenKeys, in: "then")
        var action = RuleAction()
        action.department = try map["department"].map { n throws(RulesError) in try file.string(n, "department") }
        action.coExecutors = try file.strings(map["co_executors"], "co_executors")
        if let node = map["kind"] {
            guard let kind = Kind(rawValue: node.string ?? "") else {
                throw file.error("unknown kind \"\(node.string ?? "")\" (ariza, taklif, shikoyat)", at: node)
            }
            action.kind = kind
        }
        action.urgent = try map["urgent"].map { n throws(RulesError) in try file.bool(n, "urgent") }
        action.policy = try map["policy"].map { n throws(RulesError) in try file.string(n, "policy") }
        action.tags = try file.strings(map["tags"], "tags")
        if let node = map["out_of_competence"] {
            let inner = try file.mapping(node, "out_of_competence")
            try file.checkKeys(inner, allowed: ["forward_to"], in: "out_of_competence")
            action.forwardTo = try file.string(inner["forward_to"], "out_of_competence.forward_to")
        }
        for key in ["department", "co_executors", "policy"] {
            if let mark = map[key]?.mark { action.locations[key] = "\(file.path):\(mark.line):\(mark.column)" }
        }
        if action.isEmpty { throw file.error("rule \(rule): `then` does nothing", at: node) }
        return action
    }

    func parseExample(_ node: Node, _ file: YAMLFile) throws(RulesError) -> RuleExample {
        let map = try file.mapping(node, "an example")
        try file.checkKeys(map, allowed: ["text", "channel", "kind", "region", "country", "expect"], in: "an example")
        let location = "\(file.path):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
        var channel: Channel?
        if let value = map["channel"] {
            guard let parsed = Channel(name: value.string ?? "") else {
                throw file.error("unknown channel \"\(value.string ?? "")\"", at: value)
            }
            channel = parsed
        }
        var kind: Kind?
        if let value = map["kind"] {
            guard let parsed = Kind(rawValue: value.string ?? "") else { throw file.error("unknown kind", at: value) }
            kind = parsed
        }
        let expectMap = try file.mapping(map["expect"], "expect")
        try file.checkKeys(
            expectMap,
            allowed: [
                "department", "triage", "urgent", "kind", "policy",
                "out_of_competence", "forward_to", "tags", "rules",
            ], in: "expect")
        var expect = RuleExample.Expectation()
        if let value = expectMap["department"] {
            expect.department =
                value.tag.rawValue == "tag:yaml.org,2002:null" || value.string == "null"
                    || value.string == "~" || value.string == "" ? .some(nil) : .some(value.string)
        }
        expect.triage = try expectMap["triage"].map { n throws(RulesError) in try file.bool(n, "triage") }
        expect.urgent = try expectMap["urgent"].map { n throws(RulesError) in try file.bool(n, "urgent") }
        if let value = expectMap["kind"] {
            guard let parsed = Kind(rawValue: value.string ?? "") else { throw file.error("unknown kind", at: value) }
            expect.kind = parsed
        }
        expect.policy = expectMap["policy"]?.string
        expect.outOfCompetence = try expectMap["out_of_competence"].map { n throws(RulesError) in
            try file.bool(n, "out_of_competence")
        }
        expect.forwardTo = expectMap["forward_to"]?.string
        expect.tags = try file.strings(expectMap["tags"], "tags")
        expect.rules = try file.strings(expectMap["rules"], "rules")
        return RuleExample(
            text: try file.string(map["text"], "example text"), channel: channel, kind: kind,
            region: map["region"]?.string, country: map["country"]?.string, expect: expect,
            location: location)
    }
}
