public import Hummingbird
public import Store

/// The request context of every route: who is signed in (by session cookie or API token) and from where.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in person or machine client; nil on public routes and before signing in.
    public var staff: UserAccount?
    /// The browser session, when signed in by cookie: its CSRF token guards every form.
    public var session: StaffSession?
    /// The peer's address, for the login throttle and the log of denied access.
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "local"
    }
}
