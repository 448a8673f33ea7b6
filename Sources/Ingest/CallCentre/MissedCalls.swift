public import Foundation
public import MurojaatCore

/// One line of Asterisk's Master.csv, the fields a missed-call decision needs.
public struct CallRecord: Sendable, Hashable {
    public var line: Int
    /// Asterisk's id of the call, when the layout has it.
    public var uniqueID: String?
    /// The caller's number as the network gave it (`src`).
    public var source: String
    /// The number dialled (`dst`).
    public var destination: String
    public var start: Date
    /// Seconds of conversation.
    public var billsec: Int
    /// `ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`, upper case.
    public var disposition: String
}

/// What one CDR file says about the trust lines: callback tasks for missed calls, and the answered calls that
/// close earlier tasks.
public struct MissedCallsBatch: Sendable {
    public var callbacks: [AppealDraft] = []
    /// Calls to a trust line that were answered long enough: the caller got through.
    public var answered: [(phone: String, at: Date, line: Int)] = []
    /// Lines that could not be read, with the raw bytes and why.
    public var rejects: [CallCardBatch.Reject] = []
    /// Records read (good and bad).
    public var records = 0
    /// Missed calls from numbers that cannot be called back (hidden, `anonymous`, too short).
    public var hiddenNumbers = 0
    /// Missed calls whose caller got through later that day: no task.
    public var gotThroughLater = 0
    /// Missed calls that have a call card (the operator spoke to the caller after all).
    public var withCallCard = 0
}

/// Reads Master.csv and finds the missed calls (FORMATS.md 2b). Pure, apart from the call-card check, which the
/// caller answers from the store.
public struct MissedCalls: Sendable {
    public let settings: CDRSettings
    public let zone: TimeZone

    public init(settings: CDRSettings, zone: TimeZone = WorkingCalendar.tashkent) {
        self.settings = settings
        self.zone = zone
    }

    /// The lines of a file, read; the bad ones as rejects.
    public struct Parsed: Sendable {
        public var calls: [CallRecord] = []
        public var rejects: [CallCardBatch.Reject] = []
        public var records = 0
        /// Asterisk ids of calls to the trust lines: the ones to check for call cards.
        public var trustLineIDs: [String] {
            calls.compactMap { settings.isTrustLine($0.destination) ? $0.uniqueID : nil }
        }
        let settings: CDRSettings
    }

    public func parse(_ bytes: [UInt8]) -> Parsed {
        var parsed = Parsed(settings: settings)
        var csv = CSVReader(bytes: bytes, delimiter: UInt8(ascii: ","))
        let index = Dictionary(settings.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        while let record = csv.next() {
            parsed.records += 1
            switch parse(record, index: index) {
            case .success(let call): parsed.calls.append(call)
            case .failure(let problem):
                parsed.rejects.append(
                    CallCardBatch.Reject(line: record.line, raw: Array(record.raw), reason: problem.reason))
            }
        }
        return parsed
    }

    /// The callback tasks and answered calls of a parsed file; `carded` are the unique ids that have a call card.
    public func missedCalls(in parsed: Parsed, carded: Set<String>, sourceName: String) -> MissedCallsBatch {
        var batch = MissedCallsBatch()
        batch.records = parsed.records
        batch.rejects = parsed.rejects
        let trust = parsed.calls.filter { settings.isTrustLine($0.destination) }
        // Missed and answered calls per number and Tashkent day.
        struct Day: Hashable {
            var phone: String
            var day: LocalDate
        }
        var missed: [Day: [CallRecord]] = [:]
        var lastAnswered: [Day: Date] = [:]
        for call in trust {
            let isMissed =
                settings.missedDispositions.contains(call.disposition)
                || (call.disposition == "ANSWERED" && call.billsec < settings.shortCallSeconds)
            guard let phone = PhoneNumber(call.source)?.e164 else {
                if isMissed { batch.hiddenNumbers += 1 }
                continue
            }
            let key = Day(phone: phone, day: LocalDate(call.start, in: zone))
            if !isMissed {
                if call.disposition == "ANSWERED" {
                    batch.answered.append((phone, call.start, call.line))
                    lastAnswered[key] = max(lastAnswered[key] ?? call.start, call.start)
                }
                continue
            }
            if let id = call.uniqueID, carded.contains(id) {
                batch.withCallCard += 1
                continue
            }
            missed[key, default: []].append(call)
        }
        for (key, calls) in missed.sorted(by: { ($0.key.day, $0.key.phone) < ($1.key.day, $1.key.phone) }) {
            let calls = calls.sorted { $0.start < $1.start }
            if let answered = lastAnswered[key], answered > calls.last!.start {
                batch.gotThroughLater += calls.count
                continue
            }
            batch.callbacks.append(draft(phone: key.phone, day: key.day, calls: calls, sourceName: sourceName))
        }
        return batch
    }

    /// One callback task per number and day: its source key says so, so a second file with the same day's
    /// missed calls adds nothing.
    func draft(phone: String, day: LocalDate, calls: [CallRecord], sourceName: String) -> AppealDraft {
        let first = calls[0]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let times = calls.map { call in
            let parts = calendar.dateComponents([.hour, .minute], from: call.start)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }.joined(separator: ", ")
        let dispositions = Array(Set(calls.map(\.disposition))).sorted().joined(separator: ", ")
        let text =
            "Javobsiz qo'ng'iroq: \(phone) raqami \(first.destination) ishonch telefoniga \(day.dotted) kuni "
            + "\(times) da qo'ng'iroq qilgan, ulanmagan (\(dispositions)). Qayta qo'ng'iroq qilish kerak."
        var extra = ["missed_calls": "\(calls.count)", "dispositions": dispositions, "line": first.destination]
        let ids = calls.compactMap(\.uniqueID)
        if !ids.isEmpty { extra["uniqueids"] = ids.joined(separator: ",") }
        return AppealDraft(
            channel: .call, sourceKey: "missed:\(phone):\(day.iso)", receivedAt: first.start, text: text,
            intake: .missedCall, applicant: Applicant(phone: phone),
            origin: "\(sourceName) line \(first.line)", extra: extra)
    }

    struct Problem: Error {
        var reason: Wording
    }

    func parse(_ record: CSVRecord, index: [String: Int]) -> Result<CallRecord, Problem> {
        if record.problem != nil {
            return .failure(
                Problem(
                    reason: Wording(
                        uz: "qo‘shtirnoq yopilmagan", ru: "кавычка не закрыта", en: "a quote is never closed")))
        }
        func field(_ name: String) -> String? {
            guard let position = index[name], position < record.fields.count else { return nil }
            return String(decoding: record.fields[position], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        let needed = CDRSettings.required.compactMap { index[$0] }.max() ?? 0
        guard record.fields.count > needed else {
            let (count, least) = (record.fields.count, needed + 1)
            return .failure(
                Problem(
                    reason: Wording(
                        uz: "qatorda \(count) ta maydon bor, Master.csv qatorida esa kamida \(least) ta bo‘ladi",
                        ru: "в строке полей: \(count), а в строке Master.csv их не меньше \(least)",
                        en: "the line has \(count) fields, a Master.csv line has at least \(least)")))
        }
        guard let startText = field("start"), let start = CallTime.parse(startText, zone: zone) else {
            let text = field("start") ?? ""
            return .failure(
                Problem(
                    reason: Wording(
                        uz: "start \"\(text)\" sana va vaqt emas", ru: "start \"\(text)\" — не дата и время",
                        en: "start \"\(text)\" is not a date and time")))
        }
        guard let billsecText = field("billsec"), let billsec = Int(billsecText), billsec >= 0 else {
            let text = field("billsec") ?? ""
            return .failure(
                Problem(
                    reason: Wording(
                        uz: "billsec \"\(text)\" soniyalar soni emas", ru: "billsec \"\(text)\" — не число секунд",
                        en: "billsec \"\(text)\" is not a number of seconds")))
        }
        let disposition = (field("disposition") ?? "").uppercased()
        guard !disposition.isEmpty else {
            return .failure(
                Problem(
                    reason: Wording(uz: "disposition bo‘sh", ru: "disposition пуст", en: "the disposition is empty")))
        }
        return .success(
            CallRecord(
                line: record.line, uniqueID: field("uniqueid").flatMap { $0.isEmpty ? nil : $0 },
                source: field("src") ?? "", destination: field("dst") ?? "", start: start, billsec: billsec,
                disposition: disposition))
    }
}
