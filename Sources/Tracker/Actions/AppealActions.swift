public import Foundation
public import MurojaatCore
public import Rules
public import Store

/// Why an action was not taken, in words for the person who asked, in the language they read.
public struct ActionError: WordedError, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The law or the appeal's state forbids it.
        case refused
        /// Something named does not exist (the appeal, a department, a task).
        case notFound = "not_found"
        /// Someone else changed the appeal meanwhile: look again and retry.
        case conflict
        /// The request itself is incomplete (a reason, a conclusion, a body to forward to).
        case invalid
        case store
    }
    public var code: Code
    public var wording: Wording
    public init(_ code: Code, _ wording: Wording) {
        self.code = code
        self.wording = wording
    }
    /// The English message, for logs.
    public var message: String { wording.en }
    public var description: String { wording.en }

    /// A store failure, in the store's words.
    static func store(_ error: StoreError) -> ActionError {
        ActionError(.store, error.wording)
    }

    /// The appeal a person named is not there (or not theirs to see).
    public static func noAppeal(_ tracking: TrackingNumber) -> ActionError {
        ActionError(
            .notFound,
            Wording(
                uz: "\(tracking.value) murojaati topilmadi", ru: "Обращение \(tracking.value) не найдено",
                en: "no appeal \(tracking.value)"))
    }
}

/// What people do to appeals: assign, extend, forward, answer, ... Each action checks what the law (ZRU-445) and
/// the appeal's state allow, then records its events, the cached fields, the assignments and the notices it
/// causes as one change, so the CLI and the web UI go through the same rules.
///
/// ```swift
/// let actions = AppealActions(store: store, book: book, tracker: trackerRules)
/// try await actions.extend(id, until: nil, reason: "expert opinion requested", approvedBy: "abroad-head",
///                          by: "aziza", now: Date())
/// ```
public struct AppealActions: Sendable {
    public let store: any AppealStore
    public let book: RuleBook
    public let clock: DeadlineClock
    public let notices: NoticeWriter

    public init(store: any AppealStore, book: RuleBook, tracker: TrackerRules) {
        self.store = store
        self.book = book
        clock = DeadlineClock(calendar: book.deadlines.calendar, ladder: tracker.ladder)
        notices = NoticeWriter(rules: tracker, org: book.org, zone: book.deadlines.calendar.zone)
    }

    /// The grounds of art. 29 on which an appeal is left without consideration.
    public enum Ground: String, Sendable, Hashable, CaseIterable {
        /// No surname and name, or no place of residence.
        case anonymous
        /// The applicant's data is false.
        case falseData = "false-data"
        /// A representative without proof of authority.
        case noAuthority = "no-authority"
    }

    // MARK: assignment

    /// Assigns the main executor and co-executors (art. 24: the first named leads), from triage or again.
    @discardableResult
    public func assign(
        _ id: Int64, main: String, coExecutors: [String] = [], by actor: String, why: String? = nil, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        // Codes as people type them ("legal") name the department they mean.
        let main = book.org.department(typed: main)?.code ?? main
        let coExecutors = coExecutors.map { book.org.department(typed: $0)?.code ?? $0 }
        for code in [main] + coExecutors where book.org.department(code) == nil {
            let known = book.org.departments.map(\.code).joined(separator: ", ")
            throw ActionError(
                .notFound,
                Wording(
                    uz: "org.yaml da \"\(code)\" bo‘limi yo‘q (bor: \(known))",
                    ru: "В org.yaml нет отдела \"\(code)\" (есть: \(known))",
                    en: "no department \"\(code)\" in org.yaml (known: \(known))"))
        }
        let co = coExecutors.filter { $0 != main }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if appeal.department == main && appeal.coExecutors == co && appeal.status != .triage {
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(appeal.tracking.value) allaqachon \(main) bo‘limiga berilgan",
                    ru: "\(appeal.tracking.value) уже передано в \(main)",
                    en: "\(appeal.tracking.value) is already assigned to \(main)"))
        }
        var status = appeal.status
        var events: [AppealEvent] = []
        if status == .triage {
            status = try transition(appeal, status, .register)
            events.append(
                AppealEvent(
                    at: now, actor: actor, kind: .registered,
                    reason: Wording(
                        uz: "saralashdan ro‘yxatga olindi", ru: "зарегистрировано с сортировки",
                        en: "registered from triage"), status: status))
        }
        status = try transition(appeal, status, .assign)
        var data = ["department": main]
        if !co.isEmpty { data["co_executors"] = co.joined(separator: ",") }
        if let previous = appeal.department { data["previous"] = previous }
        if let why {
            events.append(AppealEvent(at: now, actor: actor, kind: .assigned, why: why, data: data, status: status))
        } else {
            let reason =
                appeal.department == nil
                ? Wording(uz: "ijrochiga berildi", ru: "передано исполнителю", en: "assigned")
                : Wording(uz: "boshqa ijrochiga berildi", ru: "передано другому исполнителю", en: "reassigned")
            events.append(
                AppealEvent(at: now, actor: actor, kind: .assigned, reason: reason, data: data, status: status))
        }
        var updates: [AppealField] = [.department(main), .coExecutors(co)]
        if appeal.forwardTo != nil { updates.append(.forwardTo(nil)) }
        var assigned = appeal
        assigned.department = main
        assigned.coExecutors = co
        // The applicant hears once the appeal has a department: at registration, or when it leaves triage.
        let acknowledgement =
            appeal.status == .triage ? notices.toApplicant("acknowledgement", assigned, at: now) : nil
        // An urgent appeal alerts the department it comes to, from triage or from another department.
        let alert = appeal.department != main ? notices.urgent(assigned, at: now) : nil
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence, events: events, updates: updates,
                assignments: [NewAssignment(department: main, role: .main)]
                    + co.map { NewAssignment(department: $0, role: .co) },
                notices: [acknowledgement, alert].compactMap { $0 }))
    }

    /// The executor has started work (assigned → in progress).
    @discardableResult
    public func startWork(_ id: Int64, by actor: String, now: Date) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let status = try transition(appeal, appeal.status, .startWork)
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [AppealEvent(at: now, actor: actor, kind: .workStarted, status: status)]))
    }

    // MARK: deadlines

    /// Extra study, a check or more documents are needed (art. 28): the deadline becomes one month from receipt.
    /// A proposal keeps its month and gets a task to tell the proposer within 10 days; with an e-mail address
    /// the notice goes at once and the task is done with it.
    @discardableResult
    public func markNeedsStudy(
        _ id: Int64, by actor: String, why: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        try requireOpen(appeal)
        let why = try required(
            why,
            Wording(
                uz: "Sababni yozing: nimani o‘rganish, tekshirish yoki so‘rash kerak",
                ru: "Укажите причину: что нужно изучить, проверить или запросить",
                en: "a reason (what must be studied, checked or requested) is required"))
        guard appeal.policy != "needs-study", !appeal.tags.contains("needs-study") else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(appeal.tracking.value) allaqachon qo‘shimcha o‘rganish talab etadi deb belgilangan",
                    ru: "\(appeal.tracking.value) уже отмечено как требующее дополнительного изучения",
                    en: "\(appeal.tracking.value) is already marked as needing study"))
        }
        try requireComputedDeadline(
            appeal,
            Wording(
                uz: "uni o‘rganish talab etadi deb belgilab bo‘lmaydi",
                ru: "его нельзя отметить здесь как требующее изучения",
                en: "it cannot be marked as needing study here"))
        let today = day(now)
        var events: [AppealEvent] = []
        var updates: [AppealField] = [.tags(appeal.tags + ["needs-study"])]
        var written: [Notice] = []
        var tasks: [NewTask] = []
        var data: [String: String] = [:]
        if appeal.kind == .taklif {
            let notice = try deadline(appeal.receivedAt, kind: .taklif, policy: "proposal-study-notice")
            data["notice_due"] = notice.due.iso
            if let sent = notices.toApplicant(
                "proposal-study", appeal, extra: ["notice_due": notice.due.dotted], at: now)
            {
                written.append(sent)
                data["notice"] = "sent by e-mail to \(sent.to.joined(separator: ", "))"
            } else {
                tasks.append(
                    NewTask(
                        kind: "proposal-study-notice", due: notice.due,
                        note: "tell the proposer in writing that the proposal needs further study (ZRU-445, 28-modda)"))
                data["notice"] = "no e-mail address: a task to write to the proposer by \(notice.due.dotted)"
            }
            events.append(AppealEvent(at: now, actor: actor, kind: .needsStudy, why: why, data: data))
        } else {
            let deadline = try deadline(appeal.receivedAt, kind: appeal.kind, policy: "needs-study")
            guard let old = appeal.due, deadline.due > old else {
                let current = appeal.due.map { " (\($0.dotted))" } ?? ""
                throw ActionError(
                    .refused,
                    Wording(
                        uz: "Qabuldan bir oy (\(deadline.due.dotted)) amaldagi muddatdan\(current) kech emas",
                        ru: "Месяц со дня поступления (\(deadline.due.dotted)) не позже действующего срока\(current)",
                        en: "one month from receipt (\(deadline.due.dotted)) is not later than the deadline in force"
                            + current))
            }
            data = ["old_due": old.iso, "due": deadline.due.iso, "policy": "needs-study"]
            AppealEvent.keep(deadline.summaryWording, as: .deadline, in: &data)
            events.append(AppealEvent(at: now, actor: actor, kind: .needsStudy, why: why, data: data))
            updates += [.policy("needs-study")] + moveDeadline(appeal, to: deadline.due, today: today)
            var moved = appeal
            moved.due = deadline.due
            if let sent = notices.toApplicant("needs-study", moved, extra: ["old_due": old.dotted], at: now) {
                written.append(sent)
            }
        }
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence, events: events, updates: updates,
                notices: written, tasks: tasks))
    }

    /// Extends the deadline once, by at most the `extension` policy's term (art. 28: one month), on a head's
    /// decision with a reason, before the deadline passes; the applicant is told.
    @discardableResult
    public func extend(
        _ id: Int64, until: LocalDate? = nil, reason: String, approvedBy: String, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        try requireOpen(appeal)
        let reason = try required(
            reason,
            Wording(
                uz: "Muddatni uzaytirish sababini yozing", ru: "Укажите причину продления срока",
                en: "a reason for the extension is required"))
        guard let due = appeal.due else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(appeal.tracking.value) murojaatining muddati yo‘q",
                    ru: "У \(appeal.tracking.value) нет срока",
                    en: "\(appeal.tracking.value) has no deadline"))
        }
        let policy = book.deadlines.policies["extension"]
        let allowed = policy?.maxTimes ?? 1
        guard appeal.control.extensions < allowed else {
            let source = policy?.legalSource ?? "ZRU-445, 28-modda"
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(appeal.tracking.value) muddati allaqachon uzaytirilgan; qonun buni "
                        + (allowed == 1 ? "bir marta" : "\(allowed) marta") + " ruxsat etadi (\(source))",
                    ru: "Срок \(appeal.tracking.value) уже продлевался; закон разрешает это "
                        + (allowed == 1 ? "один раз" : "\(allowed) раз(а)") + " (\(source))",
                    en: "the deadline of \(appeal.tracking.value) was extended already; the law allows it "
                        + (allowed == 1 ? "once" : "\(allowed) times") + " (\(source))"))
        }
        try requireComputedDeadline(
            appeal,
            Wording(
                uz: "uni bu yerda uzaytirib bo‘lmaydi", ru: "его нельзя здесь продлить", en: "it cannot extend here"))
        try requireHead(
            approvedBy,
            Wording(
                uz: "muddatni uzaytirishni bo‘lim boshlig‘i tasdiqlashi kerak",
                ru: "продление срока утверждает руководитель", en: "an extension needs a head's approval"))
        let today = day(now)
        guard today <= due else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "Muddat \(due.dotted) kuni o‘tgan: uzaytirish muddat tugashidan oldin hal qilinadi, keyin emas",
                    ru: "Срок истёк \(due.dotted): продление решается до истечения срока, а не после",
                    en:
                        "the deadline passed on \(due.dotted): an extension must be decided before the deadline, not after"
                ))
        }
        let latest: LocalDate
        do { latest = try book.deadlines.extending(due).due } catch {
            throw ActionError(
                .refused,
                Wording(
                    uz: "deadlines.yaml da uzaytirish siyosati yo‘q: \(error.wording.uz)",
                    ru: "В deadlines.yaml нет политики продления: \(error.wording.ru)",
                    en: "no extension policy in deadlines.yaml: \(error.wording.en)"))
        }
        let newDue = until ?? latest
        guard newDue > due else {
            throw ActionError(
                .invalid,
                Wording(
                    uz: "Yangi muddat \(newDue.dotted) amaldagi \(due.dotted) dan keyin emas",
                    ru: "Новый срок \(newDue.dotted) не позже текущего \(due.dotted)",
                    en: "the new deadline \(newDue.dotted) is not after the current \(due.dotted)"))
        }
        guard newDue <= latest else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "Muddat ko‘pi bilan \(latest.dotted) gacha uzaytiriladi, \(newDue.dotted) gacha emas",
                    ru: "Срок продлевается самое позднее до \(latest.dotted), а не до \(newDue.dotted)",
                    en: "an extension is at most \(policy.map { "\($0.term)" } ?? "1 month"): the latest is "
                        + "\(latest.dotted), not \(newDue.dotted)"))
        }
        let approver = book.org.person(approvedBy)?.name ?? approvedBy
        var moved = appeal
        moved.due = newDue
        let notice = notices.toApplicant(
            "extension", moved, extra: ["old_due": due.dotted, "reason": reason, "approved_by": approver], at: now)
        let data = [
            "old_due": due.iso, "due": newDue.iso, "approved_by": approvedBy,
            "applicant_notice": notice == nil ? "no e-mail address: inform the applicant by letter" : "e-mail",
        ]
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [AppealEvent(at: now, actor: actor, kind: .extended, why: reason, data: data)],
                updates: [.extensions(appeal.control.extensions + 1), .deadlineFrom(nil)]
                    + moveDeadline(appeal, to: newDue, today: today),
                notices: notice.map { [$0] } ?? []))
    }

    // MARK: ending consideration

    /// Sends the appeal to the competent body and tells the applicant. The law gives 5 days; a later forward is
    /// still made, and marked late. A complaint is never sent to the body it complains about (art. 25).
    @discardableResult
    public func forward(
        _ id: Int64, to body: String, reason: String, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let body = try required(
            body,
            Wording(
                uz: "Murojaat yuboriladigan organni yozing", ru: "Укажите орган, куда направить обращение",
                en: "the body to forward to is required"))
        let reason = try required(
            reason,
            Wording(
                uz: "Yuborish asosini yozing (bu organ nima uchun vakolatli)",
                ru: "Укажите основание (почему этот орган компетентен)",
                en: "the grounds for forwarding (why the body is competent) are required"))
        let status = try transition(appeal, appeal.status, .forward)
        var normalizer = TextNormalizer()
        // Compared as normalized words with one space around, so "IIB" does not match inside another word and the
        // Cyrillic or apostrophe spelling of a body still matches.
        func words(_ text: String) -> String {
            " " + normalizer.normalize(text).spelled.split(separator: " ").joined(separator: " ") + " "
        }
        let bodyWords = words(body)
        let agency = ["migratsiya agentligi", "migration agency", "агентство по миграции"].map(words)
        if agency.contains(where: { bodyWords.contains($0) }) {
            throw ActionError(
                .refused,
                Wording(
                    uz: "\"\(body)\" Agentlikning o‘zi: murojaatni bo‘limga bering",
                    ru: "\"\(body)\" и есть Агентство: передайте обращение отделу",
                    en: "\"\(body)\" is the Agency itself: assign the appeal to a department instead"))
        }
        if appeal.kind == .shikoyat, bodyWords.count >= 5, words(appeal.text).contains(bodyWords) {
            throw ActionError(
                .refused,
                Wording(
                    uz: "Shikoyat \"\(body)\" ustidan: qonun shikoyatni ustidan shikoyat qilingan organga yuborishni "
                        + "taqiqlaydi (ZRU-445, 25-modda)",
                    ru: "Жалоба на \"\(body)\": закон запрещает направлять жалобу в орган, на который жалуются "
                        + "(ZRU-445, 25-modda)",
                    en: "the complaint is about \"\(body)\": the law forbids sending a complaint to the body it "
                        + "complains about (ZRU-445, 25-modda)"))
        }
        var data = ["body": body]
        if let limit = try? book.deadlines.deadline(from: appeal.receivedAt, kind: appeal.kind, policy: "forward"),
            day(now) > limit.due
        {
            data["late"] = "the law's 5 days ended \(limit.due.dotted)"
        }
        let notice = notices.toApplicant("forwarded", appeal, extra: ["body": body, "reason": reason], at: now)
        data["applicant_notice"] = notice == nil ? "no e-mail address: inform the applicant by letter" : "e-mail"
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [AppealEvent(at: now, actor: actor, kind: .forwarded, why: reason, data: data, status: status)],
                updates: [.forwardTo(body), .closedAt(now), .nextCheck(nil)], notices: notice.map { [$0] } ?? []))
    }

    /// Leaves the appeal without consideration (art. 29) on a conclusion a head approved. Refused for a minor's
    /// appeal, and refused as anonymous when the appeal names the applicant and an address.
    @discardableResult
    public func leaveWithoutConsideration(
        _ id: Int64, ground: Ground, conclusion: String, approvedBy: String, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let conclusion = try required(
            conclusion,
            Wording(
                uz: "Yozma xulosa kerak", ru: "Нужно письменное заключение", en: "the written conclusion is required"))
        let status = try transition(appeal, appeal.status, .leaveWithoutConsideration)
        if appeal.tags.contains("minor") || appeal.extra["minor"] == "true" {
            throw ActionError(
                .refused,
                Wording(
                    uz:
                        "\(appeal.tracking.value) voyaga yetmagan shaxsning murojaati: uni ko‘rmasdan qoldirib bo‘lmaydi "
                        + "(ZRU-445, 29-modda)",
                    ru: "\(appeal.tracking.value) обращение несовершеннолетнего: его нельзя оставить без рассмотрения "
                        + "(ZRU-445, 29-modda)",
                    en: "\(appeal.tracking.value) is a minor's appeal: it may not be left without consideration "
                        + "(ZRU-445, 29-modda)"))
        }
        if ground == .anonymous, appeal.applicant.name?.isEmpty == false,
            appeal.applicant.address?.isEmpty == false
        {
            throw ActionError(
                .refused,
                Wording(
                    uz:
                        "Murojaatda ariza beruvchi va manzil ko‘rsatilgan, demak u anonim emas; ma’lumot yolg‘on bo‘lsa, "
                        + "false-data asosini tanlang",
                    ru: "В обращении указаны заявитель и адрес, значит оно не анонимное; если данные ложные, выберите "
                        + "основание false-data",
                    en: "the appeal names the applicant and an address, so it is not anonymous; if the data is false, "
                        + "use the ground false-data"))
        }
        try requireHead(
            approvedBy,
            Wording(
                uz: "ko‘rmasdan qoldirish haqidagi xulosani rahbar tasdiqlashi kerak",
                ru: "заключение об оставлении без рассмотрения утверждает руководитель",
                en: "a conclusion to leave an appeal without consideration needs a head's approval"))
        let approver = book.org.person(approvedBy)?.name ?? approvedBy
        let notice = notices.toApplicant(
            "left-without-consideration", appeal,
            extra: ["ground": ground.rawValue, "conclusion": conclusion, "approved_by": approver], at: now)
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [
                    AppealEvent(
                        at: now, actor: actor, kind: .leftWithoutConsideration, why: conclusion,
                        data: ["ground": ground.rawValue, "approved_by": approvedBy], status: status)
                ], updates: [.closedAt(now), .nextCheck(nil)], notices: notice.map { [$0] } ?? []))
    }

    /// Answers the appeal. A final answer stops the clock (and with `close` closes the appeal); an interim one is
    /// recorded and sent, and the appeal stays under control (art. 27).
    @discardableResult
    public func answer(
        _ id: Int64, text: String, attachments: [Document] = [], interim: Bool = false, close: Bool = false,
        by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let text = try required(
            text, Wording(uz: "Javob matni kerak", ru: "Нужен текст ответа", en: "the answer's text is required"))
        var data: [String: String] = [:]
        if !attachments.isEmpty {
            data["attachments"] = attachments.map { "\($0.name ?? "file") (\($0.sha256.prefix(12)))" }
                .joined(separator: ", ")
        }
        let notice = notices.toApplicant(
            "answer", appeal, extra: ["answer": text, "answered_by": actor],
            attachments: attachments.compactMap { document in
                document.content.map {
                    Notice.Attachment(name: document.name ?? "file", contentType: document.contentType, content: $0)
                }
            }, at: now)
        data["applicant_notice"] = notice == nil ? "no e-mail address: send the answer by letter" : "e-mail"
        if interim {
            try requireOpen(appeal)
            return try await commit(
                AppealChange(
                    appealID: id, expectedSequence: appeal.control.sequence,
                    events: [AppealEvent(at: now, actor: actor, kind: .interimAnswer, why: text, data: data)],
                    notices: notice.map { [$0] } ?? [], documents: attachments))
        }
        var status = try transition(appeal, appeal.status, .answer)
        if let due = appeal.due, day(now) > due {
            data["late"] = "\(clock.offset(due: due, on: day(now))) working days after \(due.dotted)"
        }
        var events = [AppealEvent(at: now, actor: actor, kind: .answered, why: text, data: data, status: status)]
        if close {
            status = try transition(appeal, status, .close)
            events.append(
                AppealEvent(
                    at: now, actor: actor, kind: .closed,
                    reason: Wording(uz: "javob berildi", ru: "дан ответ", en: "answered"), status: status))
        }
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence, events: events,
                updates: [.answeredAt(now), .closedAt(now), .nextCheck(nil)], notices: notice.map { [$0] } ?? [],
                documents: attachments))
    }

    @discardableResult
    public func close(_ id: Int64, by actor: String, now: Date) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let status = try transition(appeal, appeal.status, .close)
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [AppealEvent(at: now, actor: actor, kind: .closed, status: status)]))
    }

    /// Considers an answered appeal again because a complaint about the answer was found justified: the clock
    /// starts again from today under the kind's default policy, and the ladder with it.
    @discardableResult
    public func reopen(_ id: Int64, reason: String, by actor: String, now: Date) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let reason = try required(
            reason,
            Wording(
                uz: "Javob ustidan shikoyat nima uchun asosli ekanini yozing",
                ru: "Укажите, почему жалоба на ответ обоснована",
                en: "why the complaint about the answer is justified is required"))
        let status = try transition(appeal, appeal.status, .reopen)
        let policy = book.deadlines.defaults[appeal.kind] ?? "standard"
        let deadline = try deadline(now, kind: appeal.kind, policy: policy)
        var data = ["due": deadline.due.iso, "policy": policy]
        AppealEvent.keep(deadline.summaryWording, as: .deadline, in: &data)
        if let old = appeal.due { data["old_due"] = old.iso }
        var moved = appeal
        moved.due = deadline.due
        let notice = notices.toApplicant(
            "reopened", moved, extra: ["reason": reason, "old_due": appeal.due?.dotted ?? "—"], at: now)
        let today = day(now)
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [AppealEvent(at: now, actor: actor, kind: .reopened, why: reason, data: data, status: status)],
                updates: [
                    .policy(policy), .due(deadline.due), .deadlineFrom(now), .answeredAt(nil), .closedAt(nil),
                    .escalations([]), .nextCheck(clock.nextCheck(due: deadline.due, today: today, fired: [])),
                ], notices: notice.map { [$0] } ?? []))
    }

    /// Marks a task of the appeal done (the proposer was written to).
    @discardableResult
    public func completeTask(
        _ id: Int64, task taskID: Int64, note: String?, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        let tasks: [AppealTask]
        do { tasks = try await store.tasks(of: id) } catch { throw .store(error) }
        guard let task = tasks.first(where: { $0.id == taskID }) else {
            throw ActionError(
                .notFound,
                Wording(
                    uz: "\(appeal.tracking.value) murojaatida #\(taskID) topshiriq yo‘q",
                    ru: "У \(appeal.tracking.value) нет задачи #\(taskID)",
                    en: "\(appeal.tracking.value) has no task #\(taskID)"))
        }
        guard task.doneAt == nil else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "#\(taskID) topshiriq allaqachon bajarilgan", ru: "Задача #\(taskID) уже выполнена",
                    en: "task #\(taskID) is done already"))
        }
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [
                    AppealEvent(
                        at: now, actor: actor, kind: .taskDone, why: note,
                        data: ["task": String(taskID), "kind": task.kind, "due": task.due.iso])
                ], completedTasks: [taskID]))
    }

    /// Adds and removes tags (`minor`, `confidential`, ...), with the reason.
    @discardableResult
    public func tag(
        _ id: Int64, add: [String], remove: [String], by actor: String, why: String?, now: Date
    ) async throws(ActionError) -> Appeal {
        let appeal = try await load(id)
        var tags = appeal.tags.filter { !remove.contains($0) }
        for tag in add where !tags.contains(tag) { tags.append(tag) }
        guard tags != appeal.tags else {
            throw ActionError(
                .invalid,
                Wording(
                    uz: "Teglar allaqachon shunday", ru: "Метки уже такие", en: "the tags are as asked already"))
        }
        return try await commit(
            AppealChange(
                appealID: id, expectedSequence: appeal.control.sequence,
                events: [
                    AppealEvent(
                        at: now, actor: actor, kind: .tagged, why: why,
                        data: ["added": add.joined(separator: ","), "removed": remove.joined(separator: ",")])
                ], updates: [.tags(tags)]))
    }

    /// Joins a duplicate (a copy of an appeal already received, ZRU-445 art. 3) to that appeal: the copy is closed,
    /// its clock stops, and each history names the other. The copy keeps its own text and documents. When the first
    /// was answered already, the copy's applicant is told so (`notices/duplicate.yaml`). Refused when the appeal the
    /// copy joins was itself joined to another (join to that one), and for an appeal and itself.
    @discardableResult
    public func joinDuplicate(
        _ id: Int64, into mainID: Int64, why: String?, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        guard id != mainID else {
            throw ActionError(
                .invalid,
                Wording(
                    uz: "Murojaat o‘zining dublikati bo‘lolmaydi", ru: "Обращение не может быть дубликатом самого себя",
                    en: "an appeal is not a duplicate of itself"))
        }
        let copy = try await load(id)
        let main = try await load(mainID)
        if main.tags.contains("duplicate") {
            throw ActionError(
                .refused,
                Wording(
                    uz:
                        "\(main.tracking.value) o‘zi boshqa murojaatga birlashtirilgan dublikat: o‘shanga birlashtiring",
                    ru: "\(main.tracking.value) сам дубликат, присоединённый к другому: присоединяйте к тому",
                    en: "\(main.tracking.value) is itself a duplicate that was joined to another: join to that one"))
        }
        let status = try transition(copy, copy.status, .joinDuplicate)
        var tags = copy.tags
        if !tags.contains("duplicate") { tags.append("duplicate") }
        var notices: [Notice] = []
        if !main.status.isOpen, let answered = main.control.answeredAt,
            let notice = self.notices.toApplicant(
                "duplicate", copy,
                extra: [
                    "main": main.tracking.value,
                    "main_answered": LocalDate(answered, in: book.deadlines.calendar.zone).dotted,
                ], at: now)
        {
            notices.append(notice)
        }
        let joined = try await commit(
            AppealChange(
                appealID: id, expectedSequence: copy.control.sequence,
                events: [
                    AppealEvent(
                        at: now, actor: actor, kind: .joinedAsDuplicate, why: why,
                        data: ["into": main.tracking.value], status: status)
                ], updates: [.tags(tags), .closedAt(now), .nextCheck(nil)], notices: notices))
        try await note(
            mainID,
            AppealEvent(
                at: now, actor: actor, kind: .duplicateJoined, why: why, data: ["duplicate": copy.tracking.value]))
        return joined
    }

    /// Links two appeals of the same matter (a repeated appeal, art. 3: one contests or chases the other): each
    /// history names the other; both stay as they are.
    @discardableResult
    public func link(
        _ id: Int64, with otherID: Int64, why: String?, by actor: String, now: Date
    ) async throws(ActionError) -> Appeal {
        guard id != otherID else {
            throw ActionError(
                .invalid,
                Wording(
                    uz: "Murojaatni o‘ziga bog‘lab bo‘lmaydi", ru: "Обращение нельзя связать с самим собой",
                    en: "an appeal is not linked to itself"))
        }
        let appeal = try await load(id)
        let other = try await load(otherID)
        try await note(
            id, AppealEvent(at: now, actor: actor, kind: .linked, why: why, data: ["with": other.tracking.value]))
        try await note(
            otherID, AppealEvent(at: now, actor: actor, kind: .linked, why: why, data: ["with": appeal.tracking.value]))
        return try await load(id)
    }

    /// Records an event that changes nothing else, again on a fresh read if someone acted on the appeal meanwhile.
    func note(_ id: Int64, _ event: AppealEvent) async throws(ActionError) {
        for attempt in 1...3 {
            let appeal = try await load(id)
            let result: ApplyResult
            do {
                result = try await store.apply([
                    AppealChange(appealID: id, expectedSequence: appeal.control.sequence, events: [event])
                ])
            } catch { throw .store(error) }
            if result.conflicts.isEmpty { return }
            if attempt == 3 {
                throw ActionError(
                    .conflict,
                    Wording(
                        uz: "\(appeal.tracking.value) to‘xtovsiz o‘zgarmoqda: qaytadan qarang",
                        ru: "\(appeal.tracking.value) постоянно меняется: посмотрите ещё раз",
                        en: "\(appeal.tracking.value) keeps changing: look again"))
            }
        }
    }

    // MARK: helpers

    func load(_ id: Int64) async throws(ActionError) -> Appeal {
        let found: Appeal?
        do { found = try await store.appeal(id: id) } catch { throw .store(error) }
        guard let appeal = found else { throw .noAppeal(TrackingNumber(sequence: id)) }
        return appeal
    }

    func transition(_ appeal: Appeal, _ from: Status, _ action: StatusAction) throws(ActionError) -> Status {
        do { return try from.applying(action) } catch {
            throw ActionError(.refused, Wording { "\(appeal.tracking.value): " + error.wording[$0] })
        }
    }

    func requireOpen(_ appeal: Appeal) throws(ActionError) {
        guard appeal.status.isOpen else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(appeal.tracking.value) «\(appeal.status.wording.uz)» holatida: u endi ochiq emas",
                    ru: "\(appeal.tracking.value) в статусе «\(appeal.status.wording.ru)»: оно уже не открыто",
                    en: "\(appeal.tracking.value) is \(appeal.status.rawValue): no longer open"))
        }
    }

    /// `consequence` ends the refusal: "it cannot extend here".
    func requireComputedDeadline(_ appeal: Appeal, _ consequence: Wording) throws(ActionError) {
        guard appeal.control.deadlineFrom != nil || appeal.control.extensions > 0 else {
            let tracking = appeal.tracking.value
            throw ActionError(
                .refused,
                Wording(
                    uz: "\(tracking) muddatini manbasi belgilagan va u majburiy: \(consequence.uz)",
                    ru: "Срок \(tracking) установлен источником и обязателен: \(consequence.ru)",
                    en: "the deadline of \(tracking) was set by its source and binds: \(consequence.en)"))
        }
    }

    /// `rule` says whose approval the step needs: "an extension needs a head's approval".
    func requireHead(_ id: String, _ rule: Wording) throws(ActionError) {
        guard book.org.isHead(id) else {
            throw ActionError(
                .refused,
                Wording(
                    uz: "org.yaml da \"\(id)\" bo‘lim boshlig‘i, direktor o‘rinbosari yoki direktor emas: \(rule.uz)",
                    ru: "\"\(id)\" не начальник отдела, не заместитель директора и не директор в org.yaml: \(rule.ru)",
                    en: "\"\(id)\" is not a department head, deputy director or the director in org.yaml: \(rule.en)"
                ))
        }
    }

    /// `missing` is the whole refusal, said as a request for what is missing.
    func required(_ text: String, _ missing: Wording) throws(ActionError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ActionError(.invalid, missing) }
        return trimmed
    }

    func day(_ moment: Date) -> LocalDate { LocalDate(moment, in: clock.calendar.zone) }

    func deadline(_ from: Date, kind: Kind, policy: String) throws(ActionError) -> Deadline {
        do { return try book.deadlines.deadline(from: from, kind: kind, policy: policy) } catch {
            throw ActionError(.refused, error.wording)
        }
    }

    /// The fields a moved deadline changes: the due date, the ladder steps still behind it, the next check.
    func moveDeadline(_ appeal: Appeal, to due: LocalDate, today: LocalDate) -> [AppealField] {
        let fired = clock.stillFired(appeal.control.escalations, newDue: due, today: today)
        return [.due(due), .escalations(fired), .nextCheck(clock.nextCheck(due: due, today: today, fired: fired))]
    }

    func commit(_ change: AppealChange) async throws(ActionError) -> Appeal {
        let result: ApplyResult
        do { result = try await store.apply([change]) } catch { throw .store(error) }
        guard result.conflicts.isEmpty else {
            let tracking = TrackingNumber(sequence: change.appealID).value
            throw ActionError(
                .conflict,
                Wording(
                    uz: "\(tracking) murojaatini shu orada boshqa kishi o‘zgartirdi: qaytadan qarang",
                    ru: "\(tracking) тем временем изменил кто-то другой: посмотрите ещё раз",
                    en: "\(tracking) was changed by someone else meanwhile: look again"))
        }
        return try await load(change.appealID)
    }
}
