import Foundation
import Hummingbird
import MurojaatCore
import Store

/// An API refusal in the product's three languages. The body keeps the shape of Hummingbird's own errors,
/// `{"error": {"message": ...}}`, so a client that reads `error.message` goes on working; the message is in the
/// caller's language, and `error.uz`, `error.ru` and `error.en` give all three.
///
/// The caller's language: the first of the request's `Accept-Language` that the product speaks, else the signed-in
/// account's, else Uzbek.
struct APIError: HTTPResponseError, CustomStringConvertible {
    let status: HTTPResponse.Status
    let wording: Wording

    init(_ status: HTTPResponse.Status, _ wording: Wording) {
        self.status = status
        self.wording = wording
    }

    init(_ status: HTTPResponse.Status, uz: String, ru: String, en: String) {
        self.init(status, Wording(uz: uz, ru: ru, en: en))
    }

    /// For logs.
    var description: String { "\(status.code) \(wording.en)" }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = Self.language(of: request, staff: (context as? WebContext)?.staff)
        let body: [String: [String: String]] = [
            "error": ["message": wording[language], "uz": wording.uz, "ru": wording.ru, "en": wording.en]
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Quality values are not weighed: clients list languages in the order they want them.
    static func language(of request: Request, staff: UserAccount?) -> Language {
        for range in (request.headers[.acceptLanguage] ?? "").split(separator: ",") {
            let tag = range.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if let language = Language(tag: tag) { return language }
        }
        return staff.flatMap { Language(tag: $0.language) } ?? .uz
    }
}
