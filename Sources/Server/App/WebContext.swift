public import Hummingbird
public import Store

/// The request context of every route: who is signed in (by session cookie or API token) and from where.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in person or machine client; nil on public routes and before signing in.
    public var staff: UserAccount?
    /// The browser session, when signed in by cookie: its CSRF token guards every form.
    public var session: StaffSession?
    /// The address of the connection's other end: the user's, or a reverse proxy's.
    public let peer: String
    /// The user's address, for the login throttle and the logs: ``peer``, or through a trusted proxy the address
    /// it forwarded for (``ClientAddressMiddleware``).
    public var client: String
    /// Whether the request came through a trusted reverse proxy (it carried `X-Forwarded-For`).
    public var throughProxy = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "local"
        client = peer
    }
}
