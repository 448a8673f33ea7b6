import Foundation
import Hummingbird

/// Finds the user's address behind a reverse proxy. Behind the proxy every request comes from the proxy's address:
/// without this the login throttle would count every user's failures as one address's, and the logs would name
/// the proxy. Only a proxy in ``WebSettings/trustedProxies`` is believed; anyone else could write the header.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let trusted: Set<String>

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let headers = request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        if trusted.contains(context.peer), let forwarded = Self.forwardedFor(headers) {
            context.throughProxy = true
            context.client = Self.client(forwarded, trusted: trusted) ?? context.peer
        }
        return try await next(request, context)
    }

    /// The addresses of every `X-Forwarded-For` header, in order; nil when there is none.
    static func forwardedFor(_ headers: [String]) -> [String]? {
        guard !headers.isEmpty else { return nil }
        return headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The last address a trusted proxy did not add: each proxy appends the address it heard from, so the ones to
    /// its left were written by whoever sent the request and may be made up.
    static func client(_ chain: [String], trusted: Set<String>) -> String? {
        chain.reversed().first { !$0.isEmpty && !trusted.contains($0) }
    }
}
