import Foundation
import Hummingbird
import Logging
import MurojaatCore
import Rules
import Store

/// The JSON API under /api/v1, for machine clients with a token and for the pages' own scripts with a session.
/// What it serves is described by ``OpenAPIDocument`` at /api/v1/openapi.yaml.
struct API {
    let server: WebServer

    struct AppealSummary: ResponseEncodable {
        var tracking: String
        var channel: String
        var sourceKey: String
        var department: String?
        var coExecutors: [String]
        var kind: String
        var status: String
        var urgent: Bool
        var receivedAt: String
        var due: String?
        var subject: String?

        init(_ appeal: Appeal) {
            tracking = appeal.tracking.value
            channel = appeal.channel.rawValue
            sourceKey = appeal.sourceKey
            department = appeal.department
            coExecutors = appeal.coExecutors
            kind = appeal.kind.rawValue
            status = appeal.status.rawValue
            urgent = appeal.urgent
            receivedAt = appeal.receivedAt.formatted(.iso8601)
            due = appeal.due?.iso
            subject = appeal.subject
        }

        enum CodingKeys: String, CodingKey {
            case tracking, channel, department, kind, status, urgent, due, subject
            case sourceKey = "source_key"
            case coExecutors = "co_executors"
            case receivedAt = "received_at"
        }
    }

    struct AppealDetail: ResponseEncodable {
        var appeal: AppealSummary
        var text: String
        var history: [HistoryEntry]
    }

    struct HistoryEntry: Codable {
        var at: String
        var actor: String
        var kind: String
        var status: String?
        var why: String?
    }

    struct AppealList: ResponseEncodable {
        var appeals: [AppealSummary]
    }

    struct Me: ResponseEncodable {
        var login: String
        var name: String
        var role: String
        var department: String?
        var language: String
    }

    func add(to group: RouterGroup<WebContext>) {
        group.post("appeals") { request, context in try await Webhook(server: server).receive(request, context) }
        group.get("openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        group.get("me") { _, context -> Me in
            let staff = try Self.caller(context)
            return Me(
                login: staff.login, name: staff.name, role: staff.role.rawValue, department: staff.department,
                language: staff.language)
        }
        group.get("appeals") { request, context -> AppealList in
            let staff = try Self.caller(context)
            let parameters = request.uri.queryParameters
            // A code in any case ("abroad") names the org chart's department, as on the command line.
            var department = parameters["department"].map {
                server.book.org.department(typed: String($0))?.code ?? String($0)
            }
            if !Access.mayBrowseDepartments(staff) {
                if let department, department != staff.department {
                    Self.logDenied(context, staff, "the appeals of \(department)")
                    let own = staff.department ?? "-"
                    throw APIError(
                        .forbidden, uz: "Faqat \(own) bo‘limining murojaatlari sizniki",
                        ru: "Вам доступны только обращения отдела \(own)", en: "only the appeals of \(own) are yours")
                }
                department = staff.department
            }
            var status: Status?
            if let name = parameters["status"] {
                guard let known = Status(rawValue: String(name)) else {
                    throw APIError(
                        .badRequest, uz: "Noma’lum holat: \"\(name)\"", ru: "Неизвестный статус «\(name)»",
                        en: "unknown status \"\(name)\"")
                }
                status = known
            }
            let limit = min(max(parameters["limit"].flatMap { Int($0) } ?? 100, 1), 1000)
            let offset = max(parameters["offset"].flatMap { Int($0) } ?? 0, 0)
            let appeals = try await server.store.appeals(
                AppealQuery(
                    department: department, status: status, openOnly: parameters["open"] == "true", limit: limit,
                    offset: offset))
            return AppealList(appeals: appeals.map(AppealSummary.init))
        }
        group.get("appeals/:tracking") { _, context -> AppealDetail in
            let staff = try Self.caller(context)
            let number = context.parameters.get("tracking") ?? ""
            // A mistyped number is the caller's to fix, and says nothing about which appeals exist.
            let tracking: TrackingNumber
            do { tracking = try TrackingNumber(parsing: number) } catch {
                throw APIError(.badRequest, Wording(describing: error))
            }
            guard let appeal = try await server.store.appeal(tracking: tracking), Access.may(staff, .view, appeal)
            else {
                Self.logDenied(context, staff, "appeal \(number)")
                throw APIError(
                    .notFound, uz: "\(number) raqamli murojaat yo‘q", ru: "Обращения \(number) нет",
                    en: "no appeal \(number)")
            }
            let history = try await server.store.history(of: appeal.id)
            return AppealDetail(
                appeal: AppealSummary(appeal), text: appeal.text,
                history: history.map {
                    HistoryEntry(
                        at: $0.event.at.formatted(.iso8601), actor: $0.event.actor, kind: $0.event.kind.rawValue,
                        status: $0.event.status?.rawValue, why: $0.event.why)
                })
        }
    }

    static func caller(_ context: WebContext) throws -> UserAccount {
        guard let staff = context.staff else {
            throw APIError(
                .unauthorized, uz: "Tizimga kiring yoki Authorization: Bearer <token> sarlavhasini yuboring",
                ru: "Войдите или передайте заголовок Authorization: Bearer <token>",
                en: "sign in, or send Authorization: Bearer <token>")
        }
        return staff
    }

    static func logDenied(_ context: WebContext, _ staff: UserAccount, _ what: String) {
        context.logger.warning(
            "denied", metadata: ["login": "\(staff.login)", "role": "\(staff.role.rawValue)", "what": "\(what)"])
    }
}
