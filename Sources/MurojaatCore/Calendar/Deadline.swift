public import Foundation

/// A legal term: how long a body has, and how it is counted.
public enum Term: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Calendar days counted from the day after the starting event.
    case days(Int)
    /// Months: the same day number `n` months later, or that month's last day.
    case months(Int)
    /// Working days after the starting event (`callback`: the next working day is 1).
    case workingDays(Int)

    public var description: String {
        switch self {
        case .days(let n): "\(n) days"
        case .months(let n): n == 1 ? "1 month" : "\(n) months"
        case .workingDays(let n): n == 1 ? "next working day" : "\(n) working days"
        }
    }

    public var wording: Wording {
        switch self {
        case .days(let n): Wording(uz: "\(n) kun", ru: "\(n) дн.", en: description)
        case .months(let n): Wording(uz: "\(n) oy", ru: n == 1 ? "1 месяц" : "\(n) мес.", en: description)
        case .workingDays(let n):
            n == 1
                ? Wording(uz: "keyingi ish kuni", ru: "следующий рабочий день", en: description)
                : Wording(uz: "\(n) ish kuni", ru: "\(n) раб. дн.", en: description)
        }
    }
}

/// A named deadline policy from `Rules/deadlines.yaml`, e.g. `standard`: 15 days, ZRU-445 art. 28.
public struct DeadlinePolicy: Sendable, Hashable, Codable {
    public var name: String
    public var term: Term
    /// Where the law sets the term, shown in every explanation.
    public var legalSource: String
    public var summary: String
    /// How many times the policy may be applied to one appeal (the extension: once); nil for no limit.
    public var maxTimes: Int?

    public init(name: String, term: Term, legalSource: String, summary: String = "", maxTimes: Int? = nil) {
        self.name = name
        self.term = term
        self.legalSource = legalSource
        self.summary = summary
        self.maxTimes = maxTimes
    }
}

/// The policies in force and how they are applied: the deadline part of the rules, with the calendar.
public struct DeadlineBook: Sendable, Hashable {
    public var policies: [String: DeadlinePolicy]
    /// The policy a kind gets when no rule chooses one (ariza, shikoyat: `standard`; taklif: `proposal`).
    public var defaults: [Kind: String]
    /// A due date on a non-working day moves to the next working day (the rule; kept a setting).
    public var rollToWorkingDay: Bool
    public var calendar: WorkingCalendar

    public init(
        policies: [DeadlinePolicy], defaults: [Kind: String], rollToWorkingDay: Bool = true,
        calendar: WorkingCalendar
    ) {
        self.policies = Dictionary(policies.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.defaults = defaults
        self.rollToWorkingDay = rollToWorkingDay
        self.calendar = calendar
    }

    /// The policy named `name`, or the default for `kind` when `name` is nil.
    public func policy(named name: String?, for kind: Kind) throws(DeadlineError) -> DeadlinePolicy {
        let chosen = name ?? defaults[kind] ?? "standard"
        guard let policy = policies[chosen] else {
            throw .unknownPolicy(chosen, known: policies.keys.sorted())
        }
        return policy
    }

    /// The due date of a term that starts with an event at `moment` (receipt, forwarding decision, ...).
    ///
    /// ```swift
    /// let deadline = try book.deadline(from: received, kind: .shikoyat)
    /// print(deadline.due, deadline.summary)  // 2026-03-24, "received Thu 05.03.2026; standard: 15 days ..."
    /// ```
    public func deadline(
        from moment: Date, kind: Kind, policy name: String? = nil
    ) throws(DeadlineError)
        -> Deadline
    {
        let policy = try policy(named: name, for: kind)
        let start = LocalDate(moment, in: calendar.zone)
        return deadline(
            startDay: start, policy: policy, startLabel: Wording(uz: "qabul qilindi", ru: "поступило", en: "received"))
    }

    /// Extends `due` once by the `extension` policy's term (art. 28: at most one month more).
    public func extending(_ due: LocalDate, policy name: String = "extension") throws(DeadlineError) -> Deadline {
        guard let policy = policies[name] else { throw .unknownPolicy(name, known: policies.keys.sorted()) }
        return deadline(
            startDay: due, policy: policy,
            startLabel: Wording(uz: "amaldagi muddat", ru: "действующий срок", en: "current deadline"))
    }

    func deadline(startDay start: LocalDate, policy: DeadlinePolicy, startLabel: Wording) -> Deadline {
        var steps: [Deadline.Step] = []
        let weekday = Weekday.short[start.weekday - 1]
        steps.append(
            .init(
                kind: .start, date: start,
                Wording(
                    uz: "\(startLabel.uz): \(Weekday.uzbek[start.weekday - 1]), \(start.dotted)",
                    ru: "\(startLabel.ru): \(Weekday.russianShort[start.weekday - 1]) \(start.dotted)",
                    en: "\(startLabel.en) \(weekday) \(start.dotted)")))
        let raw: LocalDate
        switch policy.term {
        case .days(let n):
            steps.append(
                .init(
                    kind: .countFrom, date: start.adding(days: 1),
                    Wording(
                        uz: "keyingi kundan, \(start.adding(days: 1).dotted) dan hisoblanadi",
                        ru: "считается со следующего дня, \(start.adding(days: 1).dotted)",
                        en: "counted from the next day, \(start.adding(days: 1).dotted)")))
            raw = start.adding(days: n)
        case .months(let n):
            raw = start.adding(months: n)
        case .workingDays(let n):
            raw = calendar.adding(workingDays: n, to: start)
        }
        steps.append(
            .init(
                kind: .term, date: raw,
                Wording(
                    uz: "\(policy.name): \(policy.term.wording.uz) (\(policy.legalSource)) \(raw.dotted) da tugaydi",
                    ru: "\(policy.name): \(policy.term.wording.ru) (\(policy.legalSource)), истекает \(raw.dotted)",
                    en: "\(policy.name): \(policy.term) (\(policy.legalSource)) ends \(raw.dotted)")))
        // Days off inside the term are counted (the law says days), but they are named so nobody has to ask.
        if case .days = policy.term {
            var day = start.adding(days: 1)
            while day < raw {
                if let name = calendar.holidays[day], !calendar.isWorkingDay(day) {
                    steps.append(
                        .init(
                            kind: .dayOffCounted, date: day,
                            Wording(
                                uz: "\(day.dotted) \(name) (hisobga kiradi)",
                                ru: "\(day.dotted) \(name) (засчитывается)",
                                en: "\(day.dotted) \(name) (counted)")))
                }
                day = day.adding(days: 1)
            }
        }
        var due = raw
        if rollToWorkingDay {
            while let off = calendar.reasonOffWording(due) {
                steps.append(
                    .init(
                        kind: .dayOffSkipped, date: due,
                        Wording(
                            uz: "\(due.dotted) \(off.uz): ish kuni emas", ru: "\(due.dotted) \(off.ru): нерабочий день",
                            en: "\(due.dotted) \(off.en): not a working day")))
                due = due.adding(days: 1)
                if due.daysSinceEpoch - raw.daysSinceEpoch > 366 { break }
            }
            if due != raw {
                steps.append(
                    .init(
                        kind: .rolled, date: due,
                        Wording(
                            uz: "keyingi ish kuniga, \(due.dotted) ga o‘tkazildi",
                            ru: "перенесено на следующий рабочий день, \(due.dotted)",
                            en: "moved to the next working day, \(due.dotted)")))
            }
        }
        if let uncovered = [start, raw, due].first(where: { !calendar.covers($0) }) {
            steps.append(
                .init(
                    kind: .warning, date: uncovered,
                    Wording(
                        uz: "taqvimda \(uncovered.year) yil uchun ma’lumot yo‘q: faqat dam olish kunlari ma’lum",
                        ru: "в календаре нет данных за \(uncovered.year) год: известны только выходные",
                        en: "the calendar has no data for \(uncovered.year): only weekends are known")))
        }
        return Deadline(
            due: due, policy: policy.name, term: policy.term, legalSource: policy.legalSource,
            steps: steps)
    }
}

/// A computed due date with the steps that led to it.
public struct Deadline: Sendable, Hashable, Codable {
    public struct Step: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case start, countFrom = "count_from", term, dayOffCounted = "day_off_counted"
            case dayOffSkipped = "day_off_skipped", rolled, warning
        }
        public var kind: Kind
        public var date: LocalDate
        /// The English, as the JSON and the stored summaries have it.
        public var text: String { wording.en }
        public var wording: Wording

        init(kind: Kind, date: LocalDate, _ wording: Wording) {
            self.kind = kind
            self.date = date
            self.wording = wording
        }

        enum CodingKeys: String, CodingKey { case kind, date, text }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(Kind.self, forKey: .kind)
            date = try container.decode(LocalDate.self, forKey: .date)
            wording = Wording(verbatim: try container.decode(String.self, forKey: .text))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(date, forKey: .date)
            try container.encode(text, forKey: .text)
        }
    }

    public var due: LocalDate
    public var policy: String
    public var term: Term
    public var legalSource: String
    public var steps: [Step]

    /// One line for people: "due 24.03.2026: received Thu 05.03.2026; standard: 15 days ...". English: it is what
    /// events keep.
    public var summary: String { summaryWording.en }

    /// The same line in each language, for the reader of `murojaat deadline`.
    public var summaryWording: Wording {
        let lead = Wording(uz: "muddat \(due.dotted)", ru: "срок \(due.dotted)", en: "due \(due.dotted)")
        let shown = steps.filter { $0.kind != .countFrom }
        return Wording { language in
            lead[language] + ": " + shown.map { $0.wording[language] }.joined(separator: "; ")
        }
    }
}

/// Why a deadline could not be computed.
public enum DeadlineError: WordedError, Sendable, Hashable, CustomStringConvertible {
    case unknownPolicy(String, known: [String])

    public var wording: Wording {
        switch self {
        case .unknownPolicy(let name, let known):
            let list = known.joined(separator: ", ")
            return Wording(
                uz: "\"\(name)\" degan muddat siyosati yo‘q (bor: \(list))",
                ru: "Неизвестная политика сроков \"\(name)\" (есть: \(list))",
                en: "unknown deadline policy \"\(name)\" (known: \(list))")
        }
    }

    public var description: String { wording.en }
}
