import Foundation
import MurojaatCore
import Yams

/// The Agency's organisation from `Rules/org.yaml`: departments and who supervises them. Departments are renamed and
/// merged often, so this is configuration, never code.
public struct OrgChart: Sendable, Hashable {
    public struct Person: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var email: String?
    }

    public struct Department: Sendable, Hashable, Codable {
        public var code: String
        /// Names by language: `uz`, `ru`, `en`.
        public var names: [String: String]
        /// The id of the supervising deputy director.
        public var supervisor: String
        /// The head of the department: approves extensions and conclusions, and hears from the escalation ladder.
        public var head: Person?
        public var email: String?

        /// The name in `language`, falling back to Uzbek.
        public func name(_ language: String = "uz") -> String { names[language] ?? names["uz"] ?? code }
    }

    public struct Branch: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        public var region: String
    }

    public var director: Person
    public var deputies: [Person]
    public var departments: [Department]
    public var branches: [Branch]

    public func department(_ code: String) -> Department? { departments.first { $0.code == code } }
    /// The department a person typed, in any case ("abroad" for ABROAD).
    public func department(typed: String) -> Department? {
        department(typed) ?? departments.first { $0.code.lowercased() == typed.lowercased() }
    }
    public func deputy(_ id: String) -> Person? { deputies.first { $0.id == id } }

    /// Whether `id` names someone who may approve what the law reserves for a head: a department head, a deputy
    /// director or the director.
    public func isHead(_ id: String) -> Bool {
        id == director.id || deputies.contains { $0.id == id } || departments.contains { $0.head?.id == id }
    }

    /// Everyone by id (heads, deputies, the director), for names in notices.
    public func person(_ id: String) -> Person? {
        if id == director.id { return director }
        return deputy(id) ?? departments.lazy.compactMap(\.head).first { $0.id == id }
    }

    static func load(_ file: YAMLFile) throws(RulesError) -> OrgChart {
        let root = try file.mapping(file.root, .key("org.yaml"))
        try file.checkKeys(root, allowed: ["director", "deputies", "departments", "branches"], in: .key("org.yaml"))
        // `what` names the person; `id` and `name` their keys.
        func person(_ node: Node?, _ what: Wording, id: Wording, name: Wording) throws(RulesError) -> Person {
            let map = try file.mapping(node, what)
            try file.checkKeys(map, allowed: ["id", "name", "email"], in: what)
            return Person(
                id: try file.string(map["id"], id), name: try file.string(map["name"], name),
                email: map["email"]?.string)
        }
        let director = try person(
            root["director"], Wording(uz: "direktor", ru: "директор", en: "director"),
            id: Wording(uz: "direktor id si", ru: "id директора", en: "director id"),
            name: Wording(uz: "direktor ismi", ru: "имя директора", en: "director name"))
        var deputies: [Person] = []
        for node in try file.sequence(root["deputies"], .key("deputies")) {
            deputies.append(
                try person(
                    node, Wording(uz: "o‘rinbosar", ru: "заместитель", en: "deputy"),
                    id: Wording(uz: "o‘rinbosar id si", ru: "id заместителя", en: "deputy id"),
                    name: Wording(uz: "o‘rinbosar ismi", ru: "имя заместителя", en: "deputy name")))
        }
        var departments: [Department] = []
        var seen: Set<String> = []
        let department = Wording(uz: "bo‘lim", ru: "отдел", en: "department")
        for node in try file.sequence(root["departments"], .key("departments")) {
            let map = try file.mapping(node, department)
            try file.checkKeys(map, allowed: ["code", "name", "supervisor", "head", "email"], in: department)
            let code = try file.string(
                map["code"], Wording(uz: "bo‘lim kodi", ru: "код отдела", en: "department code"))
            guard seen.insert(code).inserted else {
                throw file.error(
                    Wording(
                        uz: "\"\(code)\" bo‘limi ikki marta yozilgan", ru: "отдел \"\(code)\" описан дважды",
                        en: "department \"\(code)\" is defined twice"), at: map["code"], code: .duplicate)
            }
            var names: [String: String] = [:]
            if let nameMap = map["name"]?.mapping {
                for (key, value) in nameMap { names[key.string ?? ""] = value.string }
            } else {
                names["uz"] = try file.string(
                    map["name"], Wording(uz: "bo‘lim nomi", ru: "название отдела", en: "department name"))
            }
            let supervisor = try file.string(
                map["supervisor"], Wording(uz: "bo‘lim kuratori", ru: "куратор отдела", en: "department supervisor"))
            guard deputies.contains(where: { $0.id == supervisor }) || supervisor == director.id else {
                throw file.error(
                    Wording(
                        uz: "noma’lum kurator \"\(supervisor)\" (o‘rinbosarlar orasida yo‘q)",
                        ru: "неизвестный куратор \"\(supervisor)\" (его нет среди заместителей)",
                        en: "unknown supervisor \"\(supervisor)\" (not among deputies)"), at: map["supervisor"],
                    code: .reference)
            }
            let head = try map["head"].map { node throws(RulesError) in
                try person(
                    node, Wording(uz: "\(code) boshlig‘i", ru: "начальник \(code)", en: "head of \(code)"),
                    id: Wording(uz: "\(code) boshlig‘i id si", ru: "id начальника \(code)", en: "head of \(code) id"),
                    name: Wording(
                        uz: "\(code) boshlig‘i ismi", ru: "имя начальника \(code)", en: "head of \(code) name"))
            }
            departments.append(
                Department(code: code, names: names, supervisor: supervisor, head: head, email: map["email"]?.string))
        }
        var branches: [Branch] = []
        for node in try file.sequence(root["branches"], .key("branches")) {
            let map = try file.mapping(node, Wording(uz: "filial", ru: "филиал", en: "branch"))
            branches.append(
                Branch(
                    code: try file.string(
                        map["code"], Wording(uz: "filial kodi", ru: "код филиала", en: "branch code")),
                    name: try file.string(
                        map["name"], Wording(uz: "filial nomi", ru: "название филиала", en: "branch name")),
                    region: try file.string(
                        map["region"], Wording(uz: "filial hududi", ru: "регион филиала", en: "branch region"))))
        }
        return OrgChart(director: director, deputies: deputies, departments: departments, branches: branches)
    }
}
