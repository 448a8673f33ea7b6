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
                    "name": staff.name, "roleName": staff.role.rawValue, "csrf": context.session?.csrf ?? "",
                    "mayTriage": Access.mayTriage(staff), "mayControl": Access.mayControl(staff),
                    "languages": zip(Texts.languages, ["O‘zbekcha", "Русский", "English"]).map { code, name in
                        ["code": code, "name": name, "selected": code == staff.language] as [String: Any]
                    },
                ] as [String: Any]
        }
        return values
    }

    func words(_ context: WebContext) -> [String: String] { Texts.table(context.staff?.language ?? "uz") }

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(values, withTemplate: template) ?? "template \(template) is missing"
        return Response(
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
            return ("none", appeal.status.isOpen ? words["no_due"] ?? "" : appeal.status.rawValue)
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
