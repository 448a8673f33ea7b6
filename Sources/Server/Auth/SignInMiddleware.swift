import Foundation
import Hummingbird
import Logging
import Store

/// Finds who is calling: the session cookie of a browser, or `Authorization: Bearer <token>` of a machine client.
/// It only identifies; each route decides what the person may do (``Access``).
struct SignInMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookie = "murojaat_session"

    let store: any AccountStore
    let now: @Sendable () -> Date

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            context.staff = try await store.user(tokenHash: Secrets.digest(token))
            if context.staff == nil {
                context.logger.warning("denied: unknown or revoked API token", metadata: ["peer": "\(context.client)"])
                throw APIError(
                    .unauthorized, uz: "API tokeni noma’lum yoki bekor qilingan",
                    ru: "API-токен неизвестен или отозван", en: "unknown or revoked API token")
            }
        } else if let value = request.cookies[Self.cookie]?.value, !value.isEmpty,
            let (session, user) = try await store.session(tokenHash: Secrets.digest(value), now: now())
        {
            context.session = session
            context.staff = user
        }
        return try await next(request, context)
    }
}
