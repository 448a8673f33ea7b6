public import Foundation
public import Hummingbird
public import Ingest
public import Logging
import MurojaatCore
public import Prometheus
public import Rules
public import Store
public import Tracker

/// The HTTP face of the product: the operators' and departments' pages, the JSON API, health. It holds no business
/// logic: pages read through the store and act through ``Tracker/AppealActions``, as the CLI does.
///
/// ```swift
/// let server = try WebServer(store: store, book: book, tracker: tracker, settings: WebSettings(port: 8080))
/// try await server.application(logger: logger).runService()
/// ```
public struct WebServer: Sendable {
    public typealias Storage = AppealStore & AccountStore

    let store: any Storage
    let book: RuleBook
    let actions: AppealActions
    let settings: WebSettings
    let now: @Sendable () -> Date
    let pages: PageKit
    let throttle: LoginThrottle
    let reports = ReportCache()
    let explanations = ExplanationCache()
    let pageCache = QueuePageCache()
    /// The escalation ladder: its "due soon" window, and whom fired steps told.
    let ladder: EscalationLadder
    let callCards: CallCardMapping?
    let reception: ReceptionMapping?
    let live: LiveFeed
    let metrics: ServerMetrics

    /// `callCards` enables the webhook (`POST /api/v1/appeals`) and, with `reception`, retrying a whole file from
    /// the quarantine page (without its mapping the page says to use the CLI); `metrics` is the registry `/metrics` shows, the one
    /// the process bootstrapped swift-metrics with.
    public init(
        store: any Storage, book: RuleBook, tracker: TrackerRules, settings: WebSettings,
        callCards: CallCardMapping? = nil, reception: ReceptionMapping? = nil,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.store = store
        self.book = book
        self.actions = AppealActions(store: store, book: book, tracker: tracker)
        self.settings = settings
        self.now = now
        self.pages = try PageKit(
            org: book.org, sla: SLA(calendar: book.deadlines.calendar, dueSoonDays: tracker.ladder.dueSoonDays))
        self.throttle = LoginThrottle(store: store, attempts: settings.loginAttempts, window: settings.loginWindow)
        self.ladder = tracker.ladder
        self.callCards = callCards
        self.reception = reception
        self.live = LiveFeed(store: store)
        self.metrics = ServerMetrics(registry: metrics)
    }

    public func application(logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "murojaat"),
            logger: logger)
    }

    public func router() -> Hummingbird.Router<WebContext> {
        let router = Hummingbird.Router(context: WebContext.self)
        router.add(middleware: ClientAddressMiddleware(trusted: Set(settings.trustedProxies)))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SignInMiddleware(store: store, now: now))
        router.add(middleware: ErrorPageMiddleware(pages: pages))
        router.get("/health") { _, _ in try await self.health() }
        router.get("/static/app.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: StaticFiles.css)))
        }
        router.get("/static/app.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: StaticFiles.javascript)))
        }
        router.get("/login") { request, context in self.loginPage(request, context) }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.post("/logout") { request, context in try await self.logout(request, context) }
        router.post("/language") { request, context in try await self.chooseLanguage(request, context) }
        router.get("/") { _, context in
            guard let staff = context.staff else { return Response.redirect(to: "/login") }
            return Response.redirect(to: Access.mayTriage(staff) && staff.role == .operator ? "/triage" : "/queue")
        }
        router.get("/triage") { request, context in try await self.triagePage(request, context) }
        router.post("/triage/assign") { request, context in try await self.bulkAssign(request, context) }
        router.get("/queue") { request, context in try await self.queuePage(request, context) }
        router.get("/appeals/:tracking") { request, context in try await self.appealPage(request, context) }
        router.get("/appeals/:tracking/documents/:sha") { request, context in
            try await self.document(request, context)
        }
        router.get("/control") { request, context in try await self.controlPage(request, context) }
        router.get("/reports/daily") { request, context in try await self.dailyReportFile(request, context) }
        router.get("/rules") { request, context in try await self.rulesPage(request, context) }
        router.post("/rules") { request, context in try await self.rulesPage(request, context) }
        router.get("/search") { request, context in try await self.searchPage(request, context) }
        router.get("/quarantine") { request, context in try await self.quarantinePage(request, context) }
        router.get("/quarantine/:id") { request, context in try await self.quarantineRecordPage(request, context) }
        router.get("/quarantine/:id/raw") { request, context in try await self.quarantineRaw(request, context) }
        router.post("/quarantine/:id/retry") { request, context in try await self.retryQuarantined(request, context) }
        router.get("/account") { request, context in try await self.accountPage(request, context) }
        router.post("/account/password") { request, context in try await self.changeOwnPassword(request, context) }
        router.get("/staff") { request, context in try await self.staffPage(request, context) }
        router.post("/staff") { request, context in try await self.addStaff(request, context) }
        router.get("/staff/:login") { request, context in try await self.staffMemberPage(request, context) }
        router.post("/staff/:login") { request, context in try await self.editStaff(request, context) }
        router.post("/staff/:login/password") { request, context in try await self.resetPassword(request, context) }
        router.post("/staff/:login/disable") { request, context in
            try await self.setDisabled(true, request, context)
        }
        router.post("/staff/:login/enable") { request, context in
            try await self.setDisabled(false, request, context)
        }
        router.get("/events") { request, context in try await self.events(request, context) }
        router.get("/metrics") { request, context in try await self.metricsPage(request, context) }
        for action in [
            "assign", "start", "answer", "extend", "close", "needs-study", "forward", "leave", "reopen", "anonymous",
            "join", "link",
        ] {
            router.post("/appeals/:tracking/\(action)") { request, context in
                try await self.act(action, request, context)
            }
        }
        API(server: self).add(to: router.group("/api/v1"))
        return router
    }

    func health() async throws -> Response {
        // A read of the database, so a load balancer stops sending work to an instance that cannot reach it.
        let healthy: Bool
        do {
            _ = try await store.checkpoint("health")
            healthy = true
        } catch {
            healthy = false
        }
        return Response(
            status: healthy ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string: healthy ? #"{"status":"ok","database":"ok"}"# : #"{"status":"down","database":"down"}"#)))
    }

    // MARK: signing in

    struct LoginForm: Decodable {
        var login: String
        var password: String
        var next: String?
    }

    func loginPage(_ request: Request, _ context: WebContext) -> Response {
        if context.staff != nil { return Response.redirect(to: "/") }
        var values = pages.base(context, title: Texts.table("uz")["sign_in"]!, page: "login")
        values["next"] = request.uri.queryParameters["next"].map(String.init) ?? ""
        return pages.render("login", values)
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Forms.decode(LoginForm.self, request)
        let now = now()
        let login = form.login.trimmingCharacters(in: .whitespaces)
        var values = pages.base(context, title: Texts.table("uz")["sign_in"]!, page: "login")
        values["login"] = login
        values["next"] = form.next ?? ""
        if let wait = try await throttle.wait(login: login, peer: context.client, now: now) {
            context.logger.warning(
                "sign-in refused: too many attempts", metadata: ["login": "\(login)", "peer": "\(context.client)"])
            values["flash"] = [
                "kind": "error",
                "text": Texts.table("uz")["too_many"]!.replacingOccurrences(of: "{s}", with: "\(wait)"),
            ]
            var response = pages.render("login", values, status: .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        guard let user = try await store.user(login: login), !user.disabled,
            Secrets.verify(form.password, hash: user.passwordHash)
        else {
            try await throttle.failed(login: login, peer: context.client, now: now)
            context.logger.warning("sign-in failed", metadata: ["login": "\(login)", "peer": "\(context.client)"])
            values["flash"] = ["kind": "error", "text": Texts.table("uz")["wrong_password"]!]
            return pages.render("login", values, status: .unauthorized)
        }
        try await throttle.succeeded(login: login, peer: context.client)
        let cookie = try await openSession(for: user, now: now)
        context.logger.info("signed in", metadata: ["login": "\(login)", "peer": "\(context.client)"])
        // Only a local path is followed after signing in, never another site.
        let next = form.next.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
        var response = Response.redirect(to: next)
        response.setCookie(cookie)
        return response
    }

    /// A new session for `user`, and the cookie that carries it.
    func openSession(for user: UserAccount, now: Date) async throws -> Cookie {
        let token = Secrets.token()
        let lifetime = TimeInterval(settings.sessionLifetime.components.seconds)
        try await store.openSession(
            StaffSession(
                tokenHash: Secrets.digest(token), userID: user.id, csrf: Secrets.token(), createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime)))
        return Cookie(
            name: SignInMiddleware.cookie, value: token, maxAge: Int(lifetime), path: "/",
            secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }

    struct LanguageForm: Decodable {
        var csrf: String?
        var language: String
    }

    /// The person's language for every page from now on (Uzbek, Russian or English), kept with the account.
    func chooseLanguage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(LanguageForm.self, request)
        try Forms.check(form.csrf, context.session)
        guard Texts.languages.contains(form.language) else {
            throw Denied(status: .badRequest, reason: "the pages are in uz, ru or en")
        }
        _ = try await store.updateUser(login: staff.login, UserUpdate(language: form.language))
        // Back to the page the choice was made on, when the browser says which (same site only).
        let back = request.headers[.referer].flatMap { URL(string: $0) }.map { url in
            url.path + (url.query.map { "?" + $0 } ?? "")
        }
        return Response.redirect(to: back.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/")
    }

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Forms.decode(CSRFForm.self, request)
        if let session = context.session {
            try Forms.check(form.csrf, session)
            try await store.closeSession(tokenHash: session.tokenHash)
        }
        var response = Response.redirect(to: "/login")
        response.setCookie(
            Cookie(
                name: SignInMiddleware.cookie, value: "", maxAge: 0, path: "/", secure: settings.secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }
}

/// The signed-in person of a page, or a redirect to the sign-in page.
extension WebServer {
    /// Bytes written by someone outside (a quarantined mail, an appeal's attachment), always as a download and never
    /// as a page of this site: any type, any markup, nothing runs and nothing is kept by a shared cache.
    static func download(_ bytes: [UInt8], disposition: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream", .contentDisposition: disposition,
                .init("X-Content-Type-Options")!: "nosniff", .cacheControl: "private, no-store",
                .contentSecurityPolicy: "default-src 'none'; sandbox",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

struct SignInRequired: Error {
    let next: String
}

/// A refused access, logged with who asked for what.
struct Denied: Error {
    let status: HTTPResponse.Status
    let reason: String
}

/// Turns the page errors into pages: not signed in → the sign-in page; denied → 403 (or 404 when the appeal's
/// existence is not the person's business); a bad form → 400.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: PageKit

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let signIn as SignInRequired {
            return Response.redirect(
                to: "/login?next=" + (signIn.next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        } catch let denied as Denied {
            context.logger.warning(
                "denied",
                metadata: [
                    "login": "\(context.staff?.login ?? "-")", "role": "\(context.staff?.role.rawValue ?? "-")",
                    "method": "\(request.method)", "path": "\(request.uri.path)", "reason": "\(denied.reason)",
                    "peer": "\(context.client)",
                ])
            let words = pages.words(context)
            let text =
                denied.status == .notFound
                ? words["not_found"]!
                : denied.reason == Forms.csrfReason
                    ? words["csrf"]! : denied.status == .forbidden ? words["forbidden"]! : denied.reason
            return pages.message(context, title: "\(denied.status.code)", text: text, status: denied.status)
        } catch let error as HTTPError where error.status == .notFound {
            // An address no route has (a typo, an old bookmark): the product's page with its menu, or for the API
            // its worded refusal, rather than an empty 404 the browser dresses as its own error.
            if request.uri.path.hasPrefix("/api/") {
                throw APIError(
                    .notFound, uz: "API da bunday manzil yo‘q: \(request.uri.path)",
                    ru: "В API нет адреса \(request.uri.path)", en: "the API has no path \(request.uri.path)")
            }
            return pages.message(context, title: "404", text: pages.words(context)["no_page"]!, status: .notFound)
        }
    }
}
