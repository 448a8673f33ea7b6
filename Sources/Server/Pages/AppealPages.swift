import Foundation
import Hummingbird
import Ingest
import Logging
import MurojaatCore
import Rules
import Store
import Tracker

extension WebServer {
    func signedIn(_ request: Request, _ context: WebContext) throws -> UserAccount {
        guard let staff = context.staff else { throw SignInRequired(next: request.uri.description) }
        return staff
    }

    // MARK: queues

    /// Rows per page of a queue: a screen or two, so a page costs the same with ten or a million appeals.
    static let pageSize = 50

    /// The page asked for (`?page=2`), from 1.
    static func page(_ request: Request) -> Int {
        max(1, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1)
    }

    /// Which rows a page shows and the links to its neighbours.
    static func paging(page: Int, shown: Int, base: String) -> [String: Any] {
        let join = base.contains("?") ? "&" : "?"
        var values: [String: Any] = ["first": (page - 1) * pageSize + 1, "last": (page - 1) * pageSize + shown]
        if page > 1 { values["previous"] = "\(base)\(join)page=\(page - 1)" }
        if shown == pageSize { values["next"] = "\(base)\(join)page=\(page + 1)" }
        return values
    }

    /// What the rules were unsure of: urgent appeals first (a detention, a death abroad: the department must act
    /// now, not when the deadline nears), then nearest deadline first, as the clock of an appeal in triage runs from
    /// its receipt.
    func triagePage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        guard Access.mayTriage(staff) else { throw Denied(status: .forbidden, reason: "triage is for operators") }
        let words = pages.words(context)
        let page = Self.page(request)
        let now = now()
        let key = QueuePageCache.Key(
            page: "triage", department: nil, number: page, language: staff.language, role: staff.role.rawValue,
            day: pages.today(now))
        let content = try await pageCache.content(key, stamp: try await store.changeStamp(), now: now) {
            let appeals = try await store.appeals(
                AppealQuery(
                    status: .triage, urgentFirst: true, limit: Self.pageSize, offset: (page - 1) * Self.pageSize))
            var values: [String: Any] = [
                "t": words, "csrf": pageCache.csrfMarker, "hasRows": !appeals.isEmpty,
                "rows": triageRows(appeals, words: words, language: staff.language, now: now),
                "bulkOptions": pages.optionList(chosen: nil, language: staff.language),
            ]
            if !appeals.isEmpty { values["paging"] = Self.paging(page: page, shown: appeals.count, base: "/triage") }
            return pages.fragment("triage", values)
        }
        let flash = request.uri.queryParameters["assigned"].flatMap { Int($0) }.map { done in
            ["kind": "ok", "text": "\(words["assigned_many"]!): \(done)"]
        }
        return pages.render(
            context, title: words["triage"]!, page: "triage", flash: flash,
            content: content.html(csrf: context.session?.csrf ?? ""))
    }

    /// The triage rows' values, with the cache's marker where the reader's CSRF token goes.
    func triageRows(_ appeals: [Appeal], words: [String: String], language: String, now: Date) -> [[String: Any]] {
        appeals.map { appeal in
            let explanation = explanations.explanation(appeal)
            let candidates: [[String: Any]] = (explanation?.candidates ?? []).prefix(3).map {
                ["name": $0.outcome, "score": String(format: "%.2f", $0.score)]
            }
            let state = pages.state(appeal, now: now, words: words)
            return [
                "tracking": appeal.tracking.value, "received": pages.stamp(appeal.receivedAt),
                "channel": Texts.name("channel", appeal.channel.rawValue, in: words),
                "excerpt": PageKit.excerpt(appeal.text), "urgent": appeal.urgent, "candidates": candidates,
                "reason": explanation.map { $0.reasonWording[Language(tag: language) ?? .uz] } ?? "",
                "slaClass": state.css, "csrf": pageCache.csrfMarker,
                "optionList": pages.optionList(
                    chosen: explanation?.candidates.first.flatMap { pages.org.department($0.outcome)?.code },
                    language: language),
            ]
        }
    }

    struct BulkForm: Decodable {
        var csrf: String?
        var department: String?
        var pick: [String]?
    }

    /// Several triage appeals to one department at once. Each goes through the tracker on its own, so one that
    /// someone else assigned meanwhile is refused without stopping the rest; the page says how many went.
    func bulkAssign(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(BulkForm.self, request)
        try Forms.check(form.csrf, context.session)
        guard Access.mayTriage(staff) else { throw Denied(status: .forbidden, reason: "triage is for operators") }
        guard let department = form.department, !department.isEmpty, let picked = form.pick, !picked.isEmpty else {
            return Response.redirect(to: "/triage?assigned=0")
        }
        var assigned = 0
        for number in picked.prefix(Self.pageSize) {
            guard let tracking = try? TrackingNumber(parsing: number),
                let appeal = try await store.appeal(tracking: tracking), Access.may(staff, .assign, appeal)
            else { continue }
            do {
                try await actions.assign(appeal.id, main: department, by: staff.actor, now: now())
                assigned += 1
            } catch {
                context.logger.info(
                    "bulk assignment refused", metadata: ["appeal": "\(number)", "reason": "\(error.message)"])
            }
        }
        context.logger.info(
            "bulk assignment",
            metadata: ["login": "\(staff.login)", "department": "\(department)", "count": "\(assigned)"])
        return Response.redirect(to: "/triage?assigned=\(assigned)")
    }

    /// A department's open appeals, urgent ones first, each by deadline; executors and heads see their own
    /// department only.
    func queuePage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let words = pages.words(context)
        let asked = request.uri.queryParameters["department"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let department: String?
        if Access.mayBrowseDepartments(staff) {
            department = asked
        } else {
            if let asked, asked != staff.department {
                throw Denied(status: .forbidden, reason: "the queue of \(asked) is not this person's department")
            }
            department = staff.department
        }
        let base = department.map { "/queue?department=\($0)" } ?? "/queue"
        let page = Self.page(request)
        let now = now()
        let key = QueuePageCache.Key(
            page: "queue", department: department, number: page, language: staff.language,
            role: staff.role.rawValue, day: pages.today(now))
        let content = try await pageCache.content(key, stamp: try await store.changeStamp(), now: now) {
            let appeals = try await store.appeals(
                AppealQuery(
                    department: department, openOnly: true, urgentFirst: true, limit: Self.pageSize,
                    offset: (page - 1) * Self.pageSize))
            var values: [String: Any] = [
                "t": words, "hasRows": !appeals.isEmpty, "rows": queueRows(appeals, words: words, now: now),
                "departmentName": department.map { pages.departmentName($0, language: staff.language) }
                    ?? words["all_departments"]!,
                "mayBrowse": Access.mayBrowseDepartments(staff),
                "options": pages.departmentOptions(
                    selected: department, language: staff.language, includeAll: words["all_departments"]),
            ]
            if !appeals.isEmpty { values["paging"] = Self.paging(page: page, shown: appeals.count, base: base) }
            return pages.fragment("queue", values)
        }
        return pages.render(
            context, title: words["queue"]!, page: "queue", content: content.html(csrf: context.session?.csrf ?? ""))
    }

    func queueRows(_ appeals: [Appeal], words: [String: String], now: Date) -> [[String: Any]] {
        appeals.map { appeal in
            let state = pages.state(appeal, now: now, words: words)
            return [
                "tracking": appeal.tracking.value, "due": appeal.due?.dotted ?? "—", "sla": state.label,
                "slaClass": state.css, "status": Texts.name("status", appeal.status.rawValue, in: words),
                "kind": Texts.name("kind", appeal.kind.rawValue, in: words),
                "department": appeal.department ?? "—", "received": pages.stamp(appeal.receivedAt),
                "excerpt": PageKit.excerpt(appeal.text), "urgent": appeal.urgent,
            ]
        }
    }

    // MARK: one appeal

    func visibleAppeal(_ request: Request, _ context: WebContext, staff: UserAccount) async throws -> Appeal {
        let number = context.parameters.get("tracking") ?? ""
        guard let tracking = try? TrackingNumber(parsing: number),
            let appeal = try await store.appeal(tracking: tracking)
        else {
            throw Denied(status: .notFound, reason: "no appeal \(number)")
        }
        // Another department's appeal answers as if it did not exist: its number tells nothing to a stranger.
        guard Access.may(staff, .view, appeal) else {
            throw Denied(status: .notFound, reason: "\(appeal.tracking.value) belongs to another department")
        }
        return appeal
    }

    func appealPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let appeal = try await visibleAppeal(request, context, staff: staff)
        return try await renderAppeal(appeal, context, staff: staff, flash: Self.flash(request, pages.words(context)))
    }

    func renderAppeal(
        _ appeal: Appeal, _ context: WebContext, staff: UserAccount, flash: [String: String]?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let words = pages.words(context)
        let history = try await store.history(of: appeal.id)
        let state = pages.state(appeal, now: now(), words: words)
        var values = pages.base(context, title: appeal.tracking.value, page: "appeal")
        let applicant = [appeal.applicant.name, appeal.applicant.phone, appeal.applicant.email]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        // Mustache treats an empty string as present: optional parts are left out instead.
        var facts: [String: Any] = [
            "tracking": appeal.tracking.value, "status": Texts.name("status", appeal.status.rawValue, in: words),
            "kind": Texts.name("kind", appeal.kind.rawValue, in: words),
            "department": appeal.department.map { "\($0) · \(pages.departmentName($0, language: staff.language))" }
                ?? "—",
            "due": appeal.due?.dotted ?? "—", "received": pages.stamp(appeal.receivedAt),
            "channel": Texts.name("channel", appeal.channel.rawValue, in: words),
            "applicant": applicant.isEmpty ? "—" : applicant, "text": appeal.text,
            "urgent": appeal.urgent, "sla": state.label, "slaClass": state.css,
        ]
        if !appeal.coExecutors.isEmpty { facts["coExecutors"] = appeal.coExecutors.joined(separator: ", ") }
        if let subject = appeal.subject, !subject.isEmpty { facts["subject"] = subject }
        values["appeal"] = facts
        let documents = try await store.documents(channel: appeal.channel, sourceKey: appeal.sourceKey)
        values["documents"] = documents.map { document -> [String: Any] in
            var entry: [String: Any] = [
                "name": document.name ?? Texts.name("document", document.role.rawValue, in: words),
                "role": Texts.name("document", document.role.rawValue, in: words),
                "contentType": document.contentType, "size": Document.sizeText(document.size),
                "sha256": document.sha256, "kept": document.stored,
            ]
            if let note = document.note { entry["note"] = note }
            return entry
        }
        values["hasDocuments"] = !documents.isEmpty
        let fields = ExtraFields.listed(appeal.extra, in: pages.language(context))
        values["extra"] = fields.map { ["label": $0.label, "value": $0.value] }
        values["hasExtra"] = !fields.isEmpty
        let others = try await otherAppeals(of: appeal, staff: staff)
        values["others"] = others.map { other -> [String: Any] in
            [
                "tracking": other.tracking.value, "received": pages.stamp(other.receivedAt),
                "status": Texts.name("status", other.status.rawValue, in: words), "department": other.department ?? "—",
                "excerpt": PageKit.excerpt(other.text, 100),
            ]
        }
        values["hasOthers"] = !others.isEmpty
        let language = pages.language(context)
        let explanation = Self.explanation(appeal)
        let reading = HistoryReading(appeal: appeal, explanation: explanation, deadlines: book.deadlines)
        values["history"] = history.map { stored -> [String: Any] in
            var entry: [String: Any] = [
                "at": pages.stamp(stored.event.at), "actor": stored.event.actorWording[language],
                "kind": stored.event.kind.wording[language], "why": reading.why(stored.event, in: language) ?? "",
            ]
            // The status the event led to, unless the event is named as it ("Registered → Registered").
            if let status = stored.event.status, status.wording != stored.event.kind.wording {
                entry["status"] = Texts.name("status", status.rawValue, in: words)
            }
            // The other appeal a join, a link or a repeat names, as a link; only a well-formed number becomes one.
            let data = stored.event.data
            if let other = data["into"] ?? data["duplicate"] ?? data["with"] ?? data["repeat_of"]
                ?? (stored.event.kind == .repeatReceived ? data["tracking"] : nil),
                let tracking = try? TrackingNumber(parsing: other)
            {
                entry["other"] = tracking.value
            }
            return entry
        }
        if let explanation {
            values["routing"] =
                [
                    "reason": explanation.reasonWording[pages.language(context)],
                    "rules": explanation.rules.map { rule -> [String: Any] in
                        [
                            "id": rule.id, "department": rule.department ?? "—",
                            "words": Self.places(of: rule.words, words: words),
                        ]
                    },
                ] as [String: Any]
        }
        let may: [String: Bool] = [
            "mayAssign": Access.may(staff, .assign, appeal) && appeal.status.isOpen,
            "mayStart": Access.may(staff, .start, appeal) && appeal.status.allowedActions.contains(.startWork),
            "mayAnswer": Access.may(staff, .answer, appeal) && [.assigned, .inProgress].contains(appeal.status),
            // An extension is decided before the deadline (the tracker refuses it after): no form once it passed.
            "mayExtend": Access.may(staff, .extend, appeal) && appeal.status.isOpen && appeal.control.extensions == 0
                && appeal.due.map { pages.today(now()) <= $0 } == true,
            "mayClose": Access.may(staff, .close, appeal) && appeal.status.allowedActions.contains(.close),
            "mayNeedsStudy": Access.may(staff, .needsStudy, appeal) && appeal.status.isOpen
                && appeal.policy != "needs-study",
            "mayForward": Access.may(staff, .forward, appeal) && appeal.status.allowedActions.contains(.forward),
            "mayLeave": Access.may(staff, .leave, appeal)
                && appeal.status.allowedActions.contains(.leaveWithoutConsideration),
            "mayReopen": Access.may(staff, .reopen, appeal) && !appeal.status.isOpen,
            "mayJoin": Access.may(staff, .join, appeal) && appeal.status.allowedActions.contains(.joinDuplicate),
            "mayLink": Access.may(staff, .link, appeal),
            "mayMarkAnonymous": Access.may(staff, .anonymous, appeal) && appeal.status.isOpen
                && !appeal.tags.contains("anonymous"),
        ]
        for (key, value) in may { values[key] = value }
        values["hasActions"] = may.values.contains(true)
        // An appeal without a department offers what the rules proposed, as the triage queue does, else nothing:
        // a list that opened on its first department had a triage appeal sent there by one click.
        values["optionList"] = pages.optionList(
            chosen: appeal.department
                ?? explanation?.candidates.first.flatMap { pages.org.department($0.outcome)?.code },
            language: staff.language)
        if let flash { values["flash"] = flash }
        return pages.render("appeal", values, status: status)
    }

    /// The same applicant's other appeals (by phone, then e-mail), those this person may see.
    func otherAppeals(of appeal: Appeal, staff: UserAccount) async throws -> [Appeal] {
        var found: [Appeal] = []
        if let phone = appeal.applicant.phone, !phone.isEmpty {
            found += try await store.search(AppealSearch(phone: phone, limit: 20))
        }
        if let email = appeal.applicant.email, !email.isEmpty {
            found += try await store.search(AppealSearch(email: email, limit: 20))
        }
        var seen: Set<Int64> = [appeal.id]
        return found.filter { seen.insert($0.id).inserted && Access.may(staff, .view, $0) }
            .sorted { $0.receivedAt > $1.receivedAt }
    }

    /// A document of an appeal, always as a download: an HTML attachment is never shown as a page of this site.
    func document(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let appeal = try await visibleAppeal(request, context, staff: staff)
        let sha = context.parameters.get("sha") ?? ""
        let documents = try await store.documents(channel: appeal.channel, sourceKey: appeal.sourceKey)
        guard let document = documents.first(where: { $0.sha256 == sha }),
            let content = try await store.documentContent(sha256: sha)
        else { throw Denied(status: .notFound, reason: "no document \(sha) on \(appeal.tracking.value)") }
        let name = (document.name ?? "\(document.role.rawValue)-\(sha.prefix(8))")
            .filter { $0.isLetter || $0.isNumber || ".-_ ".contains($0) }
        let encoded = (document.name ?? name).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
        return Self.download(content, disposition: "attachment; filename=\"\(name)\"; filename*=UTF-8''\(encoded)")
    }

    static func flash(_ request: Request, _ words: [String: String]) -> [String: String]? {
        guard request.uri.queryParameters["done"] != nil else { return nil }
        return ["kind": "ok", "text": words["done"]!]
    }

    /// A rule's matched words, one per place in the appeal: two keywords of a rule that match the same word
    /// ("bermayapti" and "bermay*") showed it twice. The title says which keywords, in which field, where.
    static func places(of matched: [RoutingDecision.MatchedWord], words: [String: String]) -> [[String: Any]] {
        var places: [(word: RoutingDecision.MatchedWord, keywords: [String])] = []
        var index: [String: Int] = [:]
        for word in matched {
            let place = "\(word.field)@\(word.offset)"
            if let known = index[place] {
                places[known].keywords.append(word.keyword)
            } else {
                index[place] = places.count
                places.append((word, [word.keyword]))
            }
        }
        return places.map { place in
            let field = Texts.name("field", place.word.field, in: words)
            return [
                "text": place.word.text,
                "title": "\(place.keywords.joined(separator: ", ")) · \(field), \(place.word.offset)",
            ]
        }
    }

    static func explanation(_ appeal: Appeal) -> RoutingExplanation? {
        RoutingExplanation(json: appeal.routing)
    }

    // MARK: actions

    /// The appeal a join or a link names, which this person must be able to see.
    func otherAppeal(_ number: String?, staff: UserAccount) async throws -> Appeal {
        let text = (number ?? "").trimmingCharacters(in: .whitespaces)
        guard let tracking = try? TrackingNumber(parsing: text) else {
            throw ActionError(
                .invalid,
                Wording(
                    uz: "\"\(text)\" kuzatuv raqami emas", ru: "\"\(text)\" не номер обращения",
                    en: "\"\(text)\" is not a tracking number"))
        }
        guard let other = try await store.appeal(tracking: tracking), Access.may(staff, .view, other) else {
            throw ActionError.noAppeal(tracking)
        }
        return other
    }

    struct ActionForm: Decodable {
        var csrf: String?
        var department: String?
        var text: String?
        var reason: String?
        var close: String?
        var interim: String?
        var body: String?
        var ground: String?
        /// The other appeal's tracking number (join, link).
        var other: String?
    }

    /// One form post on an appeal: the CSRF token, the person's right to the action, then the tracker's own
    /// checks of the law. A refusal by the law shows on the appeal's page with the tracker's words.
    func act(_ name: String, _ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(ActionForm.self, request)
        try Forms.check(form.csrf, context.session)
        let appeal = try await visibleAppeal(request, context, staff: staff)
        guard let action = Access.Action(rawValue: name), Access.may(staff, action, appeal) else {
            throw Denied(status: .forbidden, reason: "\(staff.role.rawValue) may not \(name) \(appeal.tracking.value)")
        }
        let now = now()
        do {
            switch action {
            case .assign:
                guard let department = form.department, !department.isEmpty else {
                    throw ActionError(
                        .invalid, Wording(uz: "Bo‘limni tanlang", ru: "Выберите отдел", en: "choose a department"))
                }
                try await actions.assign(appeal.id, main: department, by: staff.actor, now: now)
            case .start:
                try await actions.startWork(appeal.id, by: staff.actor, now: now)
            case .answer:
                try await actions.answer(
                    appeal.id, text: form.text ?? "", interim: form.interim != nil, close: form.close != nil,
                    by: staff.actor, now: now)
            case .extend:
                // The head who asks is the head who approves (Access allows heads only).
                try await actions.extend(
                    appeal.id, reason: form.reason ?? "", approvedBy: (staff.department ?? "").lowercased() + "-head",
                    by: staff.actor, now: now)
            case .close:
                try await actions.close(appeal.id, by: staff.actor, now: now)
            case .needsStudy:
                try await actions.markNeedsStudy(appeal.id, by: staff.actor, why: form.reason ?? "", now: now)
            case .forward:
                try await actions.forward(
                    appeal.id, to: form.body ?? "", reason: form.reason ?? "", by: staff.actor, now: now)
            case .leave:
                guard let ground = form.ground.flatMap(AppealActions.Ground.init(rawValue:)) else {
                    throw ActionError(
                        .invalid,
                        Wording(
                            uz: "Asosni tanlang: anonymous, false-data yoki no-authority",
                            ru: "Выберите основание: anonymous, false-data или no-authority",
                            en: "choose the ground: anonymous, false-data or no-authority"))
                }
                // The head who decides is the head who approves (Access allows heads only).
                try await actions.leaveWithoutConsideration(
                    appeal.id, ground: ground, conclusion: form.reason ?? "",
                    approvedBy: (staff.department ?? "").lowercased() + "-head", by: staff.actor, now: now)
            case .reopen:
                try await actions.reopen(appeal.id, reason: form.reason ?? "", by: staff.actor, now: now)
            case .anonymous:
                try await actions.tag(
                    appeal.id, add: ["anonymous"], remove: [], by: staff.actor,
                    why: form.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "no name or no address", now: now)
            case .join, .link:
                let other = try await otherAppeal(form.other, staff: staff)
                let why = form.reason.flatMap { $0.isEmpty ? nil : $0 }
                if action == .join {
                    try await actions.joinDuplicate(appeal.id, into: other.id, why: why, by: staff.actor, now: now)
                } else {
                    try await actions.link(appeal.id, with: other.id, why: why, by: staff.actor, now: now)
                }
            default:
                throw Denied(status: .notFound, reason: "no such action")
            }
        } catch let error as ActionError {
            let fresh = try await store.appeal(id: appeal.id) ?? appeal
            let status: HTTPResponse.Status =
                switch error.code {
                case .refused, .conflict: .conflict
                case .notFound, .invalid: .badRequest
                default: .internalServerError
                }
            return try await renderAppeal(
                fresh, context, staff: staff,
                flash: [
                    "kind": "error",
                    "text": "\(pages.words(context)["refused"]!): \(error.wording[pages.language(context)])",
                ],
                status: status)
        }
        context.logger.info(
            "action", metadata: ["login": "\(staff.login)", "action": "\(name)", "appeal": "\(appeal.tracking.value)"])
        // After an operator's assignment the next appeal of the queue is what they want, not this one.
        if [.assign, .forward, .anonymous, .join].contains(action) && appeal.status == .triage
            && staff.role == .operator
        {
            return Response.redirect(to: "/triage")
        }
        return Response.redirect(to: "/appeals/\(appeal.tracking.value)?done=\(name)")
    }
}

/// Decoded routing explanations of the appeals the triage queue shows, by appeal id: an appeal's explanation is
/// written once at registration, and decoding fifty of them for every page view cost more than the rest of it.
/// Bounded; emptied when full.
final class ExplanationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [Int64: (routing: Int, explanation: RoutingExplanation?)] = [:]
    let limit = 20_000

    func explanation(_ appeal: Appeal) -> RoutingExplanation? {
        let fingerprint = appeal.routing.hashValue
        lock.lock()
        let found = kept[appeal.id]
        lock.unlock()
        if let found, found.routing == fingerprint { return found.explanation }
        let decoded = WebServer.explanation(appeal)
        lock.lock()
        if kept.count >= limit { kept.removeAll(keepingCapacity: true) }
        kept[appeal.id] = (fingerprint, decoded)
        lock.unlock()
        return decoded
    }
}
