import Foundation
import Hummingbird
import MurojaatCore
import Mustache
import Rules
import Store

/// Renders pages: the templates compiled once, the words of the reader's language, dates in Tashkent time.
struct PageKit: Sendable {
    let library: MustacheLibrary
    let org: OrgChart
    let sla: SLA
    /// The `<option>`s of a triage row's department list by "language|chosen code", made once: fifty rows of
    /// sixteen options each were most of the triage page's rendering.
    let optionLists: [String: String]
    /// Rendered page tops by everything that goes into them (QueuePageCache's pages).
    let tops = TopCache()

    init(org: OrgChart, sla: SLA) throws {
        var library = MustacheLibrary()
        for (name, text) in Templates.all { try library.register(text, named: name) }
        self.library = library
        self.org = org
        self.sla = sla
        // Rendered by Mustache itself, so the names are escaped as every other value is.
        let template = try MustacheTemplate(
            string: "{{#choose}}<option value=\"\" selected>{{choose}}</option>{{/choose}}{{#options}}"
                + "<option value=\"{{code}}\"{{#selected}} selected{{/selected}}>{{code}} · {{name}}</option>{{/options}}"
        )
        var lists: [String: String] = [:]
        for language in Texts.languages {
            for chosen in [nil] + org.departments.map(\.code) {
                var values: [String: Any] = [
                    "options": org.departments.map { department -> [String: Any] in
                        [
                            "code": department.code, "name": department.name(language),
                            "selected": department.code == chosen,
                        ]
                    }
                ]
                if chosen == nil { values["choose"] = Texts.table(language)["choose"]! }
                lists["\(language)|\(chosen ?? "")"] = template.render(values)
            }
        }
        optionLists = lists
    }

    /// The department list's options with `chosen` selected (a "choose" line first when nothing is), escaped when
    /// made: the one piece of markup a template inserts as it is (`{{{optionList}}}`).
    func optionList(chosen: String?, language: String) -> String {
        let key = "\(Texts.languages.contains(language) ? language : "uz")|\(chosen ?? "")"
        return optionLists[key] ?? optionLists["\(language)|"] ?? ""
    }

    var zone: TimeZone { sla.calendar.zone }

    /// The values every page has: language, words, the signed-in person and the CSRF token of their session.
    func base(_ context: WebContext, title: String, page: String, language: String? = nil) -> [String: Any] {
        let language = language ?? context.staff?.language ?? "uz"
        var values: [String: Any] = [
            "language": language, "t": Texts.table(language), "page": page, "title": title,
            "csrf": context.session?.csrf ?? "",
        ]
        if let staff = context.staff {
            values["staff"] =
                [
                    "name": staff.name,
                    "roleName": Texts.name("role", staff.role.rawValue, in: Texts.table(language)),
                    "csrf": context.session?.csrf ?? "",
                    "mayTriage": Access.mayTriage(staff), "mayControl": Access.mayControl(staff),
                    "mayQuarantine": Access.mayQuarantine(staff), "mayManageStaff": Access.mayManageStaff(staff),
                    "languages": Self.languageOptions(selected: staff.language),
                ] as [String: Any]
        }
        return values
    }

    /// The page languages as `<option>`s, each named in itself, `selected` chosen.
    static func languageOptions(selected: String) -> [[String: Any]] {
        zip(Texts.languages, ["O‘zbekcha", "Русский", "English"]).map { code, name in
            ["code": code, "name": name, "selected": code == selected]
        }
    }

    func words(_ context: WebContext) -> [String: String] { Texts.table(context.staff?.language ?? "uz") }

    /// The reader's language, for messages that come worded from the layers below (an action's refusal).
    func language(_ context: WebContext) -> Language { Language(tag: context.staff?.language ?? "uz") ?? .uz }

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        page(library.render(values, withTemplate: template) ?? "template \(template) is missing", status: status)
    }

    /// A page whose content was rendered before (QueuePageCache): only its top is rendered now, or taken from those
    /// rendered before for the same person, session, page and language.
    func render(
        _ context: WebContext, title: String, page name: String, flash: [String: String]? = nil, content: String
    ) -> Response {
        let render = {
            var values = base(context, title: title, page: name)
            if let flash { values["flash"] = flash }
            return library.render(values, withTemplate: "top") ?? ""
        }
        let top: String
        if flash == nil, let staff = context.staff, let session = context.session {
            let key = [session.csrf, String(staff.id), staff.name, staff.role.rawValue, staff.language, name, title]
            top = tops.top(key, render)
        } else {
            top = render()
        }
        return page(top + content + Templates.bottom, status: .ok)
    }

    private func page(_ html: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                // Pages run only their own script and style: an injected tag or handler has nothing to load.
                .contentSecurityPolicy:
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
                .init("Referrer-Policy")!: "same-origin",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A part of a page (content kept by QueuePageCache), escaped as every page is.
    func fragment(_ template: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: template) ?? ""
    }

    func message(_ context: WebContext, title: String, text: String, status: HTTPResponse.Status) -> Response {
        var values = base(context, title: title, page: "message")
        values["text"] = text
        return render("message", values, status: status)
    }

    // MARK: formats

    /// `21.11.2025 14:05`, Tashkent time.
    func stamp(_ date: Date) -> String { LocalDate.dottedDateTime(date, in: zone) }

    func today(_ now: Date) -> LocalDate { LocalDate(now, in: zone) }

    /// The SLA colour class and its words.
    func state(_ appeal: Appeal, now: Date, words: [String: String]) -> (css: String, label: String) {
        guard appeal.status.isOpen, let due = appeal.due else {
            return (
                "none",
                appeal.status.isOpen ? words["no_due"] ?? "" : Texts.name("status", appeal.status.rawValue, in: words)
            )
        }
        switch sla.state(due: due, on: today(now)) {
        case .onTrack: return ("ok", words["on_track"] ?? "")
        case .dueSoon(let days): return ("soon", "\(words["due_soon"] ?? ""): \(days)")
        case .dueToday: return ("today", words["due_today"] ?? "")
        case .overdue(let days): return ("overdue", "\(words["overdue"] ?? ""): \(days) \(words["working_days"] ?? "")")
        }
    }

    func departmentName(_ code: String?, language: String) -> String {
        guard let code else { return "—" }
        return org.department(code)?.name(language) ?? code
    }

    func departmentOptions(selected: String?, language: String, includeAll: String? = nil) -> [[String: Any]] {
        var options: [[String: Any]] = []
        if let all = includeAll { options.append(["code": "", "name": all, "selected": selected == nil]) }
        for department in org.departments {
            options.append([
                "code": department.code, "name": "\(department.code) · \(department.name(language))",
                "selected": department.code == selected,
            ])
        }
        return options
    }

    static func excerpt(_ text: String, _ limit: Int = 160) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}

/// Page tops already rendered, keyed by every value that goes into them, so a kept one is never out of date.
/// Bounded; emptied when full.
final class TopCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [[String]: String] = [:]
    let limit = 4_096

    func top(_ key: [String], _ render: () -> String) -> String {
        if let found = lock.withLock({ kept[key] }) { return found }
        let top = render()
        lock.withLock {
            if kept.count >= limit { kept.removeAll(keepingCapacity: true) }
            kept[key] = top
        }
        return top
    }
}
