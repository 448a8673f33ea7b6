import Foundation
import Hummingbird
import Store

/// Form posts: decoded from `application/x-www-form-urlencoded`, and checked against the session's CSRF token.
enum Forms {
    static let csrfReason = "csrf"

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: body))
        } catch {
            throw Denied(status: .badRequest, reason: "the form is incomplete: \(error)")
        }
    }

    static func check(_ token: String?, _ session: StaffSession?) throws {
        guard let session, let token, Secrets.same(token, session.csrf) else {
            throw Denied(status: .forbidden, reason: csrfReason)
        }
    }
}

struct CSRFForm: Decodable {
    var csrf: String?
}
