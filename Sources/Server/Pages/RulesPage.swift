import Foundation
import Hummingbird
import MurojaatCore
import Rules
import Store

extension WebServer {
    struct RulesForm: Decodable {
        var csrf: String?
        var text: String?
        var channel: String?
        var region: String?
        var country: String?
    }

    /// Paste a text, see what the rules in force decide and why: the same router the queue uses, nothing stored.
    func rulesPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let words = pages.words(context)
        var values = pages.base(context, title: words["rules"]!, page: "rules")
        values["channels"] = Channel.allCases.map {
            ["code": $0.rawValue, "name": Texts.name("channel", $0.rawValue, in: words)]
        }
        guard request.method == .post else { return pages.render("rules", values) }
        let form = try await Forms.decode(RulesForm.self, request)
        try Forms.check(form.csrf, context.session)
        let text = form.text ?? ""
        values["text"] = text
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return pages.render("rules", values)
        }
        let blank: (String?) -> String? = { $0.flatMap { $0.isEmpty ? nil : $0 } }
        var router = Router(book: book)
        let decision = router.route(
            RoutingInput(
                text: text, channel: blank(form.channel).flatMap(Channel.init(name:)), region: blank(form.region),
                country: blank(form.country)))
        var outcome: [String: Any] = [
            "reason": decision.explanation.reasonWording[pages.language(context)],
            "kind": Texts.name("kind", decision.kind.rawValue, in: words), "policy": decision.policy,
            "language": decision.language.rawValue, "urgent": decision.urgent,
            "confidence": String(format: "%.2f", decision.confidence),
            "candidates": decision.candidates.map { ["name": $0.outcome, "score": String(format: "%.2f", $0.score)] },
            "rules": decision.rules.map { rule -> [String: Any] in
                [
                    "id": rule.id, "department": rule.department ?? "—",
                    "words": WebServer.places(of: rule.words, words: words),
                ]
            },
        ]
        if decision.triage {
            outcome["verdict"] = words["to_triage"]!
        } else if decision.outOfCompetence {
            outcome["verdict"] = "\(words["forward"]!): \(decision.forwardTo ?? "?")"
        } else if let department = decision.department {
            outcome["verdict"] = "\(department) · \(pages.departmentName(department, language: staff.language))"
            outcome["department"] = department
        }
        if !decision.coExecutors.isEmpty { outcome["coExecutors"] = decision.coExecutors.joined(separator: ", ") }
        if !decision.tags.isEmpty { outcome["tags"] = decision.tags.joined(separator: ", ") }
        values["decision"] = outcome
        return pages.render("rules", values)
    }

    /// Search by tracking number (opens the appeal), phone number, e-mail address, or words of the name and text.
    /// Executors and heads find only their department's appeals.
    func searchPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let words = pages.words(context)
        let asked = (request.uri.queryParameters["q"].map(String.init) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var values = pages.base(context, title: words["search"]!, page: "search")
        values["q"] = asked
        guard !asked.isEmpty else { return pages.render("search", values) }
        if let tracking = try? TrackingNumber(parsing: asked), let appeal = try await store.appeal(tracking: tracking),
            Access.may(staff, .view, appeal)
        {
            return Response.redirect(to: "/appeals/\(appeal.tracking.value)")
        }
        let department = Access.mayBrowseDepartments(staff) ? nil : staff.department
        var query = AppealSearchParser.parse(asked)
        query.department = department
        query.limit = 100
        let found = try await store.search(query).filter { Access.may(staff, .view, $0) }
        let now = now()
        values["rows"] = found.map { appeal -> [String: Any] in
            let state = pages.state(appeal, now: now, words: words)
            return [
                "tracking": appeal.tracking.value, "due": appeal.due?.dotted ?? "—", "sla": state.label,
                "slaClass": state.css, "status": Texts.name("status", appeal.status.rawValue, in: words),
                "department": appeal.department ?? "—",
                "received": pages.stamp(appeal.receivedAt), "applicant": appeal.applicant.name ?? "",
                "excerpt": PageKit.excerpt(appeal.text), "urgent": appeal.urgent,
            ]
        }
        values["hasRows"] = !found.isEmpty
        values["count"] = found.count
        values["searched"] = true
        return pages.render("search", values)
    }
}

/// What a search box's text means: a phone number (7 digits or more, in any spelling), an e-mail address, or words.
enum AppealSearchParser {
    static func parse(_ text: String) -> Store.AppealSearch {
        if text.contains("@"), !text.contains(" ") { return Store.AppealSearch(email: text) }
        let digits = text.filter(\.isNumber)
        let phoneish = text.allSatisfy { $0.isNumber || " +-()".contains($0) }
        if phoneish, digits.count >= 7, let phone = PhoneNumber(text) {
            return Store.AppealSearch(phone: phone.e164)
        }
        return Store.AppealSearch(words: text)
    }
}
