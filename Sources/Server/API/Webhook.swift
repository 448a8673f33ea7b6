import Foundation
import Hummingbird
import Ingest
import Logging
import MurojaatCore
import Store

/// `POST /api/v1/appeals`: the call-centre system sends each call card as it is written, as a JSON object whose keys
/// are the export's column names (`call_id`, `started_at`, `caller`, `summary`, ...; FORMATS.md 2a), or an array of
/// them. The card goes through the same reader as the CSV export, so `call_id` is the idempotency key across both:
/// a card sent twice, or sent and then exported, is one appeal. A card that cannot be read is quarantined with its
/// bytes and answered 422 with the reason.
struct Webhook {
    let server: WebServer

    struct Answer: ResponseEncodable {
        var received: Int
        var accepted: Int
        var duplicates: Int
        var rejected: [String]
    }

    func receive(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try API.caller(context)
        // A machine client with a token; a browser's session would need a CSRF token, and pages never post here.
        guard context.session == nil, [.operator, .admin].contains(staff.role) else {
            API.logDenied(context, staff, "webhook ingest")
            throw APIError(
                .forbidden, uz: "Webhook orqali qabul uchun operator yoki administrator hisobining API tokeni kerak",
                ru: "Для приёма через webhook нужен API-токен оператора или администратора",
                en: "webhook ingest needs an API token of an operator or admin account")
        }
        guard let importer = server.callCards.map({ CallCardImport(store: server.store, mapping: $0) }) else {
            throw APIError(
                .serviceUnavailable, uz: "Qo‘ng‘iroq kartalarini qabul qilish sozlanmagan",
                ru: "Приём карточек звонков не настроен", en: "call-card ingest is not configured")
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        let now = server.now()
        let raw = Array(body.readableBytesView)
        let csv: [UInt8]
        do {
            csv = try Self.csv(fromJSON: raw)
        } catch let error as APIError {
            _ = try await server.store.quarantine([
                QuarantineRecord(
                    channel: .call, source: "webhook", position: "request", reason: error.wording, raw: raw, at: now)
            ])
            throw error
        }
        let report: CallCardImport.Report
        do {
            report = try await importer.importBytes(csv, sourceName: "webhook", now: now)
        } catch {
            if error.code == .badFile { throw APIError(.unprocessableContent, error.wording) }
            throw error
        }
        context.logger.info(
            "webhook",
            metadata: [
                "login": "\(staff.login)", "rows": "\(report.rows)", "added": "\(report.added)",
                "known": "\(report.alreadyKnown)", "rejected": "\(report.rejects.count)",
            ])
        let language = APIError.language(of: request, staff: staff)
        let answer = Answer(
            received: report.rows, accepted: report.added, duplicates: report.alreadyKnown,
            rejected: report.rejects.map { $0[language] })
        let status: HTTPResponse.Status =
            report.added > 0 ? .accepted : report.rejects.isEmpty ? .ok : .unprocessableContent
        var response = try answer.response(from: request, context: context)
        response.status = status
        return response
    }

    /// The JSON card(s) as a one-header CSV in the export's layout: every value quoted, so commas, quotes and line
    /// breaks in a summary survive.
    static func csv(fromJSON bytes: [UInt8]) throws -> [UInt8] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw APIError(
                .badRequest, uz: "So‘rov tanasi JSON emas: qo‘ng‘iroq kartasini JSON obyekti sifatida yuboring",
                ru: "Тело запроса — не JSON: отправьте карточку звонка объектом JSON",
                en: "the body is not JSON: send a call card as a JSON object")
        }
        let cards: [[String: Any]]
        if let card = parsed as? [String: Any] {
            cards = [card]
        } else if let list = parsed as? [[String: Any]], !list.isEmpty, list.count <= 1000 {
            cards = list
        } else {
            throw APIError(
                .badRequest,
                uz: "Qo‘ng‘iroq kartasini JSON obyekti yoki 1 tadan 1000 tagacha obyektlar massivi sifatida yuboring",
                ru: "Отправьте карточку звонка объектом JSON или массивом из 1–1000 таких объектов",
                en: "send a call card as a JSON object, or an array of 1 to 1000 of them")
        }
        var columns: [String] = []
        for card in cards { for key in card.keys.sorted() where !columns.contains(key) { columns.append(key) } }
        func field(_ value: Any?) throws -> String {
            switch value {
            case nil, is NSNull: return ""
            case let text as String: return text
            case let number as NSNumber: return number.stringValue
            default:
                throw APIError(
                    .badRequest, uz: "Qo‘ng‘iroq kartasi maydonlari satr yoki son bo‘ladi, ro‘yxat yoki obyekt emas",
                    ru: "Поля карточки звонка — строки или числа, а не списки или объекты",
                    en: "call-card fields are strings or numbers, not lists or objects")
            }
        }
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = [columns.map(quoted).joined(separator: ",")]
        for card in cards { lines.append(try columns.map { quoted(try field(card[$0])) }.joined(separator: ",")) }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}
