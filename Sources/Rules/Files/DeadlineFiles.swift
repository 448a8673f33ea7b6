public import Foundation
public import MurojaatCore
import Yams

extension DeadlineBook {
    /// Reads `deadlines.yaml` and every `calendar/*.yaml` under `directory`.
    static func load(deadlines: YAMLFile, calendars: [YAMLFile]) throws(RulesError) -> DeadlineBook {
        let calendar = try WorkingCalendar.load(calendars)
        let file = deadlines
        let root = try file.mapping(file.root, .key("deadlines.yaml"))
        try file.checkKeys(root, allowed: ["roll_to_working_day", "defaults", "policies"], in: .key("deadlines.yaml"))
        var policies: [DeadlinePolicy] = []
        let policyMap = try file.mapping(root["policies"], .key("policies"))
        for (key, value) in policyMap {
            let name = try file.string(
                key, Wording(uz: "muddat siyosati nomi", ru: "название политики сроков", en: "policy name"))
            let policy = Wording(uz: "\(name) muddat siyosati", ru: "политика сроков \(name)", en: "policy \(name)")
            let map = try file.mapping(value, policy)
            try file.checkKeys(
                map, allowed: ["days", "months", "working_days", "source", "summary", "max_times"], in: policy)
            var terms: [Term] = []
            if let node = map["days"] { terms.append(.days(try file.int(node, .key("days")))) }
            if let node = map["months"] { terms.append(.months(try file.int(node, .key("months")))) }
            if let node = map["working_days"] { terms.append(.workingDays(try file.int(node, .key("working_days")))) }
            guard terms.count == 1, let term = terms.first else {
                throw file.error(
                    Wording(
                        uz: "\(name) muddat siyosatida days, months, working_days dan faqat bittasi bo‘lishi kerak",
                        ru: "в политике сроков \(name) нужен ровно один из ключей days, months, working_days",
                        en: "policy \(name) needs exactly one of days, months, working_days"), at: value)
            }
            let maxTimes = try map["max_times"].map { node throws(RulesError) in try file.int(node, .key("max_times")) }
            policies.append(
                DeadlinePolicy(
                    name: name, term: term,
                    legalSource: try file.string(
                        map["source"],
                        Wording(
                            uz: "\(name) muddat siyosatidagi source", ru: "source политики сроков \(name)",
                            en: "policy \(name) source")),
                    summary: map["summary"]?.string ?? "", maxTimes: maxTimes))
        }
        var defaults: [Kind: String] = [:]
        for (key, value) in try file.mapping(root["defaults"], .key("defaults")) {
            guard let kind = Kind(rawValue: key.string ?? "") else {
                throw file.error(.unknownKind(key.string ?? ""), at: key)
            }
            let policy = try file.string(
                value,
                Wording(uz: "defaults dagi muddat siyosati", ru: "политика сроков в defaults", en: "default policy"))
            guard policies.contains(where: { $0.name == policy }) else {
                throw file.error(
                    Wording(
                        uz: "noma’lum muddat siyosati \"\(policy)\"", ru: "неизвестная политика сроков \"\(policy)\"",
                        en: "unknown policy \"\(policy)\""), at: value, code: .reference)
            }
            defaults[kind] = policy
        }
        for kind in Kind.allCases where defaults[kind] == nil {
            throw file.error(
                Wording(
                    uz: "defaults da \(kind.rawValue) uchun muddat siyosati ko‘rsatilishi kerak",
                    ru: "в defaults нужно указать политику сроков для \(kind.rawValue)",
                    en: "defaults must name a policy for \(kind.rawValue)"), at: root["defaults"])
        }
        let roll = try root["roll_to_working_day"].map { node throws(RulesError) in
            try file.bool(node, .key("roll_to_working_day"))
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
            let calendarFile = Wording(uz: "kalendar fayli", ru: "файл календаря", en: "calendar file")
            let root = try file.mapping(file.root, calendarFile)
            try file.checkKeys(
                root,
                allowed: [
                    "year", "timezone", "weekend", "office_hours", "holidays",
                    "working_days",
                ], in: calendarFile)
            let year = try file.int(root["year"], .key("year"))
            guard years.insert(year).inserted else {
                throw file.error(
                    Wording(
                        uz: "\(year) yil ikki kalendar faylida yozilgan",
                        ru: "\(year) год описан в двух файлах календаря",
                        en: "year \(year) is defined by two calendar files"), at: root["year"], code: .duplicate)
            }
            if let node = root["timezone"] {
                let name = try file.string(node, .key("timezone"))
                guard let zone = TimeZone(identifier: name) else {
                    throw file.error(
                        Wording(
                            uz: "noma’lum vaqt mintaqasi \(name)", ru: "неизвестный часовой пояс \(name)",
                            en: "unknown time zone \(name)"), at: node)
                }
                calendar.zone = zone
            }
            if let node = root["weekend"] {
                var days: Set<Int> = []
                for item in try file.sequence(node, .key("weekend")) {
                    let day = try file.string(
                        item, Wording(uz: "weekend dagi kun", ru: "день в weekend", en: "weekend day"))
                    guard let number = Weekday.number(day) else {
                        let text = item.string ?? ""
                        throw file.error(
                            Wording(
                                uz: "hafta kuni emas: \(text)", ru: "не день недели: \(text)",
                                en: "not a weekday: \(text)"), at: item)
                    }
                    days.insert(number)
                }
                calendar.weekend = days
            }
            if let node = root["office_hours"] {
                let map = try file.mapping(node, .key("office_hours"))
                func minutes(_ key: String) throws(RulesError) -> Int {
                    let text = try file.string(map[key], .key("office_hours.\(key)"))
                    let parts = text.split(separator: ":").compactMap { Int($0) }
                    guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                        throw file.error(
                            Wording(
                                uz: "office_hours.\(key) HH:MM ko‘rinishida bo‘lishi kerak",
                                ru: "office_hours.\(key): ожидается время ЧЧ:ММ",
                                en: "office_hours.\(key) must be HH:MM"), at: map[key])
                    }
                    return parts[0] * 60 + parts[1]
                }
                calendar.officeOpens = try minutes("opens")
                calendar.officeCloses = try minutes("closes")
            }
            func days(_ key: String) throws(RulesError) -> [WorkingCalendar.Day] {
                var result: [WorkingCalendar.Day] = []
                for item in try file.sequence(root[key], .key(key)) {
                    let map = try file.mapping(
                        item, Wording(uz: "\(key) dagi yozuv", ru: "запись в \(key)", en: "\(key) entry"))
                    let text = try file.string(map["date"], .key("date"))
                    guard let date = LocalDate(text) else {
                        throw file.error(
                            Wording(
                                uz: "sana emas: \(text) (YYYY-MM-DD ko‘rinishida yozing)",
                                ru: "не дата: \(text) (пишите YYYY-MM-DD)",
                                en: "not a date: \(text) (write YYYY-MM-DD)"), at: map["date"])
                    }
                    guard date.year == year else {
                        throw file.error(
                            Wording(
                                uz: "\(text) sanasi \(year) yilga tegishli emas",
                                ru: "\(text) не относится к \(year) году",
                                en: "\(text) is not in \(year)"), at: map["date"])
                    }
                    result.append(.init(date: date, name: try file.string(map["name"], .key("name"))))
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
