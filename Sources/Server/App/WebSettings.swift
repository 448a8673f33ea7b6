/// How the web server listens and guards its sessions; read from the `http:` section of murojaat.yaml.
public struct WebSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Mark cookies Secure: set it when the server is reached through TLS (a reverse proxy).
    public var secureCookies: Bool
    /// How long a sign-in lasts.
    public var sessionLifetime: Duration
    /// Failed sign-ins allowed per login and address within `loginWindow`, before the next is refused.
    public var loginAttempts: Int
    public var loginWindow: Duration
    /// Addresses of the reverse proxies in front of the server, whose `X-Forwarded-For` names the user's address.
    /// Loopback by default: the proxy the runbook sets up runs on the same host.
    public var trustedProxies: [String]

    public init(
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false,
        sessionLifetime: Duration = .seconds(12 * 3600), loginAttempts: Int = 5, loginWindow: Duration = .seconds(300),
        trustedProxies: [String] = ["127.0.0.1", "::1"]
    ) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.loginAttempts = loginAttempts
        self.loginWindow = loginWindow
        self.trustedProxies = trustedProxies
    }
}
