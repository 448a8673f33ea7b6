public import Foundation
public import MurojaatCore
import Yams

extension DeadlineBook {
    /// Reads `deadlines.yaml` and every `calendar/*.yaml` under `directory`.
    static func load(deadlines: YAMLFile, calendars: [YAMLFile]) throws(RulesError) -> DeadlineBook {
        let calendar = try WorkingCalendar.load(calendars)
        let file = deadlines
        let root = try file.mapping(file.root, "deadlines.yaml")
        try file.checkKeys(root, allowed: ["roll_to_working_day", "defaults", "policies"], in: "deadlines.yaml")
        var policies: [DeadlinePolicy] = []
        let policyMap = try file.mapping(root["policies"], "policies")
        for (key, value) in policyMap {
            let name = try file.string(key, "policy name")
            let map = try file.mapping(value, "policy \(name)")
            try file.checkKeys(
                map, allowed: ["days", "months", "working_days", "source", "summary", "max_times"],
                in: "policy \(name)")
            var terms: [Term] = []
            if let node = map["days"] { terms.append(.days(try file.int(node, "days"))) }
            if let node = map["months"] { terms.append(.months(try file.int(node, "months"))) }
            if let node = map["working_days"] { terms.append(.workingDays(try file.int(node, "working_days"))) }
            guard terms.count == 1, let term = terms.first else {
                throw file.error("policy \(name) needs exactly one of days, months, working_days", at: value)
            }
            let maxTimes = try map["max_times"].map { node throws(RulesError) in try file.int(node, "max_times") }
            policies.append(
                DeadlinePolicy(
                    name: name, term: term,
                    legalSource: try file.string(map["source"], "policy \(name) source"),
                    summary: map["summary"]?.string ?? "", maxTimes: maxTimes))
        }
        var defaults: [Kind: String] = [:]
        for (key, value) in try file.mapping(root["defaults"], "defaults") {
            guard let kind = Kind(rawValue: key.string ?? "") else {
                throw file.error("unknown kind \"\(key.string ?? "")\" (ariza, taklif, shikoyat)", at: key)
            }
            let policy = try file.string(value, "default policy")
            guard policies.contains(where: { $0.name == policy }) else {
                throw file.error("unknown policy \"\(policy)\"", at: value, code: .reference)
            }
            defaults[kind] = policy
        }
        for kind in Kind.allCases where defaults[kind] == nil {
            throw file.error("defaults must name a policy for \(kind.rawValue)", at: root["defaults"])
        }
        let roll = try root["roll_to_working_day"].map { node throws(RulesError) in
            try file.bool(node, "roll_to_working_day")
        }
        return DeadlineBook(
            policies: policies, defaults: defaults, rollToWorkingDay: roll ?? true,
            calendar: calendar)
    }
}

extension WorkingCalendar {
    static func load(_ files: [YAMLFile]) throws(RulesError) -> WorkingCalendar {
        var calendar = WorkingCalendar()
        var holidays: [WorkingCalendar.Day] = []
        var working: [WorkingCalendar.Day] = []
        var years: Set<Int> = []
        for file in files {
            let root = try file.mapping(file.root, "calendar file")
            try file.checkKeys(
                root,
                allowed: [
                    "year", "timezone", "weekend", "office_hours", "holidays",
                    "working_days",
                ], in: "calendar file")
            let year = try file.int(root["year"], "year")
            guard years.insert(year).inserted else {
                throw file.error("year \(year) is defined by two calendar files", at: root["year"], code: .duplicate)
            }
            if let node = root["timezone"] {
                let name = try file.string(node, "timezone")
                guard let zone = TimeZone(identifier: name) else {
                    throw file.error("unknown time zone \(name)", at: node)
                }
                calendar.zone = zone
            }
            if let node = root["weekend"] {
                var days: Set<Int> = []
                for item in try file.sequence(node, "weekend") {
                    guard let number = Weekday.number(try file.string(item, "weekend day")) else {
                        throw file.error("not a weekday: \(item.string ?? "")", at: item)
                    }
                    days.insert(number)
                }
                calendar.weekend = days
            }
            if let node = root["office_hours"] {
                let map = try file.mapping(node, "office_hours")
                func minutes(_ key: String) throws(RulesError) -> Int {
                    let text = try file.string(map[key], "office_hours.\(key)")
                    let parts = text.split(separator: ":").compactMap { Int($0) }
                    guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                        throw file.error("office_hours.\(key) must be HH:MM", at: map[key])
                    }
                    return parts[0] * 60 + parts[1]
                }
                calendar.officeOpens = try minutes("opens")
                calendar.officeCloses = try minutes("closes")
            }
            func days(_ key: String) throws(RulesError) -> [WorkingCalendar.Day] {
                var result: [WorkingCalendar.Day] = []
                for item in try file.sequence(root[key], key) {
                    let map = try file.mapping(item, "\(key) entry")
                    let text = try file.string(map["date"], "date")
                    guard let date = LocalDate(text) else {
                        throw file.error("not a date: \(text) (write YYYY-MM-DD)", at: map["date"])
                    }
                    guard date.year == year else {
                        throw file.error("\(text) is not in \(year)", at: map["date"])
                    }
                    result.append(.init(date: date, name: try file.string(map["name"], "name")))
                }
                return result
            }
            holidays += try days("holidays")
            working += try days("working_days")
        }
        return WorkingCalendar(
            weekend: calendar.weekend, holidays: holidays, workingWeekends: working,
            years: years, zone: calendar.zone, officeOpens: calendar.officeOpens,
            officeCloses: calendar.officeCloses)
    }
}

extension DeadlineBook {
    /// Reads only the deadline policies and the calendar from a `Rules/` folder (`murojaat deadline` needs no more).
    public static func load(directory: URL) throws(RulesErrors) -> DeadlineBook {
        let calendarFolder = directory.appendingPathComponent("calendar")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: calendarFolder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        do {
            let deadlines = try YAMLFile(
                url: directory.appendingPathComponent("deadlines.yaml"),
                displayPath: directory.lastPathComponent + "/deadlines.yaml")
            var calendars: [YAMLFile] = []
            for name in names {
                calendars.append(
                    try YAMLFile(
                        url: calendarFolder.appendingPathComponent(name),
                        displayPath: directory.lastPathComponent + "/calendar/" + name))
            }
            return try load(deadlines: deadlines, calendars: calendars)
        } catch {
            throw RulesErrors([error])
        }
    }
}
