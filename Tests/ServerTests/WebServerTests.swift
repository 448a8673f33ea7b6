import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Server
import Store
import Testing
import Tracker

/// A server on a fresh SQLite store with the shipped rules, one account per role, and appeals routed through the
/// real routing worker: one the rules send to ABROAD, one they leave to triage.
struct ServerFixture {
    static let book = Result { try RuleBook.load(directory: TestFolders.rules) }
    static let tracker = Result { try TrackerRules.load(directory: TestFolders.rules, org: try book.get().org) }
    static let now = instant("2026-03-06T10:00:00+05:00")

    let store: SQLiteStore
    let server: WebServer
    let abroad: Appeal
    let triage: Appeal

    /// login → password; executors and heads of ABROAD, and an executor of LEGAL.
    static let accounts: [(String, StaffRole, String?)] = [
        ("operator1", .operator, nil), ("abroad-exec", .executor, "ABROAD"), ("abroad-head", .head, "ABROAD"),
        ("legal-exec", .executor, "LEGAL"), ("control1", .control, nil), ("admin1", .admin, nil),
    ]
    static let password = "parol-12345"

    init(settings: WebSettings = WebSettings()) async throws {
        let book = try Self.book.get()
        let tracker = try Self.tracker.get()
        store = try SQLiteStore(path: try TestFolders.temporary("server").appendingPathComponent("s.sqlite").path)
        // A low bcrypt cost: the tests sign in many times, and the cost is not what they check.
        let hash = Secrets.hashPassword(Self.password, cost: 4)
        for (login, role, department) in Self.accounts {
            _ = try await store.addUser(
                NewUser(login: login, name: login, role: role, department: department, passwordHash: hash), at: Self.now
            )
        }
        let drafts = [
            AppealDraft(
                channel: .email, sourceKey: "abroad-1", receivedAt: instant("2026-03-05T10:00:00+05:00"),
                text: "Rossiyada ish beruvchi ish haqimni bermayapti, yordam bering <script>alert('x')</script>",
                kind: .shikoyat, intake: .appeal,
                applicant: Applicant(name: "<img src=x onerror=alert(1)>", phone: nil, email: nil, address: nil)),
            AppealDraft(
                channel: .email, sourceKey: "vague-1", receivedAt: instant("2026-03-05T11:00:00+05:00"),
                text: "Salom, menga yordam kerak", kind: .ariza, intake: .appeal,
                applicant: Applicant(name: "Vali", phone: nil, email: nil, address: nil)),
        ]
        _ = try await store.enqueue(drafts, at: Self.now)
        var worker = RoutingWorker(store: store, book: book, tracker: tracker)
        _ = try await worker.drain(now: { Self.now })
        let all = try await store.appeals(AppealQuery(limit: 10))
        abroad = try #require(all.first { $0.sourceKey == "abroad-1" })
        triage = try #require(all.first { $0.sourceKey == "vague-1" })
        try #require(abroad.department == "ABROAD" && triage.status == .triage)
        let callCards = try CallCardMapping.load(
            from: TestFolders.rules.appendingPathComponent("adapters/call-cards.yaml"))
        let reception = try ReceptionMapping.load(
            from: TestFolders.rules.appendingPathComponent("adapters/virtual-reception.yaml"))
        server = try WebServer(
            store: store, book: book, tracker: tracker, settings: settings, callCards: callCards, reception: reception,
            now: { Self.now })
    }

    var application: some ApplicationProtocol {
        Application(router: server.router())
    }
}

/// A browser's view: the session cookie after signing in, and the CSRF token of the pages.
struct Browser {
    var cookie = ""
    var csrf = ""

    static func signIn(
        _ client: some TestClientProtocol, _ login: String, password: String = ServerFixture.password
    )
        async throws -> Browser
    {
        let response = try await client.execute(
            uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "login=\(login)&password=\(password)"))
        try #require(response.status == .seeOther, "sign-in of \(login): \(response.status)")
        let header = try #require(response.headers[.setCookie])
        var browser = Browser(cookie: String(header.split(separator: ";")[0]))
        let page = try await browser.get(client, "/queue")
        browser.csrf = try #require(Browser.csrf(in: String(buffer: page.body)))
        return browser
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="[^"]+""#, options: .regularExpression) else { return nil }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
    }

    func post(
        _ client: some TestClientProtocol, _ uri: String, _ form: String, csrf: Bool = true
    ) async throws
        -> TestResponse
    {
        let body = csrf ? "csrf=\(self.csrf)&" + form : form
        return try await client.execute(
            uri: uri, method: .post,
            headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }
}

@Suite struct WebServerTests {
    @Test func healthReadsTheDatabase() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains(#""database":"ok""#))
        }
    }

    @Test func signingInSetsAStrictHttpOnlyCookieAndWrongPasswordsAreThrottled() async throws {
        let fixture = try await ServerFixture(settings: WebSettings(loginAttempts: 3))
        try await fixture.application.test(.router) { client in
            let page = try await client.execute(uri: "/triage", method: .get)
            #expect(page.status == .seeOther && page.headers[.location] == "/login?next=%2Ftriage")
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let good = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "login=operator1&password=\(ServerFixture.password)&next=/triage"))
            #expect(good.status == .seeOther && good.headers[.location] == "/triage")
            let cookie = try #require(good.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            // A foreign site is never where signing in leads.
            let away = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "login=operator1&password=\(ServerFixture.password)&next=//evil.example"))
            #expect(away.headers[.location] == "/")
            for _ in 0..<3 {
                let bad = try await client.execute(
                    uri: "/login", method: .post, headers: form,
                    body: ByteBuffer(string: "login=control1&password=wrong-password"))
                #expect(bad.status == .unauthorized)
                #expect(String(buffer: bad.body).contains("Login yoki parol noto‘g‘ri"))
            }
            // The fourth try is refused even with the right password, until the window passes.
            let throttled = try await client.execute(
                uri: "/login", method: .post, headers: form,
                body: ByteBuffer(string: "login=control1&password=\(ServerFixture.password)"))
            #expect(throttled.status == .tooManyRequests && throttled.headers[.retryAfter] != nil)
        }
    }

    /// Three instances on one database (or one instance restarted) count the same failures: a limit each kept for
    /// itself would allow as many guesses per instance.
    @Test func theSignInLimitHoldsAcrossInstancesAndRestarts() async throws {
        let fixture = try await ServerFixture(settings: WebSettings(loginAttempts: 2))
        func instance(at now: Date) throws -> some ApplicationProtocol {
            let server = try WebServer(
                store: fixture.store, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get(),
                settings: WebSettings(loginAttempts: 2, loginWindow: .seconds(300)), now: { now })
            return Application(router: server.router())
        }
        @Sendable func signIn(_ client: some TestClientProtocol, password: String) async throws -> HTTPResponse.Status {
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "login=control1&password=\(password)")
            ).status
        }
        let now = ServerFixture.now
        try await instance(at: now).test(.router) { client in
            let first = try await signIn(client, password: "wrong-1")
            #expect(first == .unauthorized)
        }
        try await instance(at: now.addingTimeInterval(60)).test(.router) { client in
            let second = try await signIn(client, password: "wrong-2")
            #expect(second == .unauthorized)
        }
        try await instance(at: now.addingTimeInterval(120)).test(.router) { client in
            let refused = try await signIn(client, password: ServerFixture.password)
            #expect(refused == .tooManyRequests, "the third instance sees both failures")
        }
        // Once the first failure is out of the window, one attempt is allowed again; a success clears the count.
        try await instance(at: now.addingTimeInterval(301)).test(.router) { client in
            let allowed = try await signIn(client, password: ServerFixture.password)
            let wrong = try await signIn(client, password: "wrong-3")
            let cleared = try await signIn(client, password: ServerFixture.password)
            #expect(allowed == .seeOther && wrong == .unauthorized && cleared == .seeOther)
        }
    }

    @Test func anOperatorAssignsFromTriageAndTheEventNamesThem() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "operator1")
            let page = String(buffer: try await browser.get(client, "/triage").body)
            #expect(page.contains(fixture.triage.tracking.value) && !page.contains(fixture.abroad.tracking.value))
            let uri = "/appeals/\(fixture.triage.tracking.value)/assign"
            // The rules proposed nothing for it: its page asks for a department instead of offering the first one.
            let appealPage = String(
                buffer: try await browser.get(client, "/appeals/\(fixture.triage.tracking.value)").body)
            let form = try #require(appealPage.range(of: "action=\"\(uri)\"").map { appealPage[$0.upperBound...] })
            let select = try #require(form.range(of: "</select>").map { form[..<$0.lowerBound] })
            #expect(select.contains("<option value=\"\" selected>— tanlang —</option>"))
            #expect(select.components(separatedBy: " selected").count == 2)
            let unchosen = try await browser.post(client, uri, "department=")
            #expect(String(buffer: unchosen.body).contains("Bo‘limni tanlang"))
            #expect(try await fixture.store.appeal(id: fixture.triage.id)?.status == .triage)
            // Without the session's token the form is refused and nothing changes.
            let forged = try await browser.post(client, uri, "department=LEGAL", csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await fixture.store.appeal(id: fixture.triage.id)?.status == .triage)
            let assigned = try await browser.post(client, uri, "department=LEGAL")
            #expect(assigned.status == .seeOther && assigned.headers[.location] == "/triage")
            let appeal = try #require(try await fixture.store.appeal(id: fixture.triage.id))
            #expect(appeal.department == "LEGAL" && appeal.status == .assigned)
            let event = try #require(try await fixture.store.history(of: appeal.id).last?.event)
            #expect(event.kind == .assigned && event.actor == "user:operator1")
            // Out of triage, the operator may not move it again.
            let again = try await browser.post(client, uri, "department=ABROAD")
            #expect(again.status == .forbidden)
        }
    }

    /// Urgent markers (danger to life, a death abroad) put an appeal at the top of the triage and department queues,
    /// before routine ones that fall due sooner.
    @Test func urgentAppealsComeFirstInTheTriageAndDepartmentQueues() async throws {
        let fixture = try await ServerFixture()
        let later = instant("2026-03-16T09:00:00+05:00")
        _ = try await fixture.store.enqueue(
            [
                AppealDraft(
                    channel: .email, sourceKey: "urgent-vague", receivedAt: later,
                    text: "Salom, hayotimga xavf bor, yordam bering", kind: .ariza, intake: .appeal,
                    applicant: Applicant(name: "Ali", phone: nil, email: nil, address: nil)),
                AppealDraft(
                    channel: .email, sourceKey: "urgent-abroad", receivedAt: later,
                    text: "Akam Rossiyada vafot etdi, jasadini olib kelishga yordam bering", kind: .ariza,
                    intake: .appeal, applicant: Applicant(name: "Olim", phone: nil, email: nil, address: nil)),
            ], at: ServerFixture.now)
        var worker = RoutingWorker(
            store: fixture.store, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get())
        _ = try await worker.drain(now: { ServerFixture.now })
        let routed = try await fixture.store.appeals(AppealQuery(urgent: true))
        let vague = try #require(routed.first { $0.sourceKey == "urgent-vague" })
        let abroad = try #require(routed.first { $0.sourceKey == "urgent-abroad" })
        try #require(vague.status == .triage && abroad.department == "ABROAD")
        try #require(vague.due! > fixture.triage.due! && abroad.due! > fixture.abroad.due!)
        try await fixture.application.test(.router) { client in
            func order(_ page: String, _ first: Appeal, _ second: Appeal, as login: String) async throws -> Bool {
                let browser = try await Browser.signIn(client, login)
                let html = String(buffer: try await browser.get(client, page).body)
                let a = try #require(html.range(of: first.tracking.value), "\(page)")
                let b = try #require(html.range(of: second.tracking.value), "\(page)")
                return a.lowerBound < b.lowerBound
            }
            let triageFirst = try await order("/triage", vague, fixture.triage, as: "operator1")
            let queueFirst = try await order("/queue", abroad, fixture.abroad, as: "abroad-exec")
            #expect(triageFirst && queueFirst)
        }
    }

    /// The queue pages' rows are kept between views (QueueRowsCache): each reader still gets their own CSRF token in
    /// the rows' forms, and a change by another connection to the database (a CLI import while the server runs)
    /// shows on the next view.
    @Test func keptTriageRowsCarryEachReadersTokenAndShowChangesAtOnce() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let first = try await Browser.signIn(client, "operator1")
            let second = try await Browser.signIn(client, "admin1")
            #expect(first.csrf != second.csrf)
            for browser in [first, second, first] {
                let page = String(buffer: try await browser.get(client, "/triage").body)
                let tokens = Set(
                    page.matches(of: /name="csrf" value="([^"]+)"/).map { String($0.output.1) })
                #expect(tokens == [browser.csrf], "every form on the page carries the reader's own token")
                #expect(page.contains("/appeals/\(fixture.triage.tracking.value)/assign"))
            }
            // Another connection to the same file, as `murojaat ingest` and `murojaat route` would be.
            let other = try SQLiteStore(path: fixture.store.path)
            _ = try await other.enqueue(
                [
                    AppealDraft(
                        channel: .email, sourceKey: "vague-2", receivedAt: ServerFixture.now,
                        text: "Assalomu alaykum, savolim bor", kind: .ariza, intake: .appeal,
                        applicant: Applicant(name: "Ali", phone: nil, email: nil, address: nil))
                ], at: ServerFixture.now)
            var worker = RoutingWorker(
                store: other, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get())
            _ = try await worker.drain(now: { ServerFixture.now })
            let added = try #require(
                try await other.appeals(AppealQuery(status: .triage, limit: 10)).first { $0.sourceKey == "vague-2" })
            let page = String(buffer: try await first.get(client, "/triage").body)
            #expect(page.contains(added.tracking.value))
        }
    }

    @Test func anExecutorAnswersAndTheLawsRefusalShowsOnThePage() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let executor = try await Browser.signIn(client, "abroad-exec")
            let tracking = fixture.abroad.tracking.value
            let queue = String(buffer: try await executor.get(client, "/queue").body)
            #expect(queue.contains(tracking) && queue.contains("sla-ok"))
            // The history names each event and says the software's reasons in the reader's language.
            let page = String(buffer: try await executor.get(client, "/appeals/\(tracking)").body)
            #expect(page.contains("<td>Ro‘yxatga olindi") && page.contains("yo‘naltirish qoidalari: "))
            #expect(!page.contains("<td>registered") && !page.contains("routed to ABROAD"))
            let closeEarly = try await executor.post(client, "/appeals/\(tracking)/close", "")
            #expect(closeEarly.status == .conflict)
            // The refusal comes worded from the life cycle, in the reader's language (Uzbek here), not in English.
            let refusal = String(buffer: closeEarly.body)
            #expect(refusal.contains("Rad etildi") && refusal.contains("holatidagi murojaatni yopish mumkin emas"))
            #expect(!refusal.contains("cannot close"))
            let answered = try await executor.post(
                client, "/appeals/\(tracking)/answer", "text=Ish+beruvchiga+talabnoma+yuborildi&close=1")
            #expect(answered.status == .seeOther)
            let appeal = try #require(try await fixture.store.appeal(id: fixture.abroad.id))
            #expect(appeal.status == .closed)
            let kinds = try await fixture.store.history(of: appeal.id).map(\.event.kind)
            #expect(kinds.contains(.answered) && kinds.last == .closed)
            // An executor may not extend: that is the head's decision.
            let extend = try await executor.post(client, "/appeals/\(tracking)/extend", "reason=tekshiruv")
            #expect(extend.status == .forbidden)
        }
    }

    /// The page shows each matched place once, with the keywords that found it, and its files in the reader's words.
    @Test func anAppealPageShowsEachMatchedWordOnceAndItsFilesInWords() async throws {
        let fixture = try await ServerFixture()
        let scan = Array("%PDF-1.4 mehnat shartnomasi".utf8)
        var draft = AppealDraft(
            channel: .email, sourceKey: "passport-1", receivedAt: instant("2026-03-05T12:00:00+05:00"),
            text: "Ish beruvchi pasportimni olib qo'ygan, agentlik 2000 dollar olib ketdi", kind: .ariza,
            intake: .appeal,
            applicant: Applicant(name: "Olim", phone: nil, email: nil, address: nil))
        draft.documents = [
            Document(
                role: .attachment, name: "shartnoma.pdf", contentType: "application/pdf", size: scan.count,
                sha256: EventChain.digest(scan), content: scan)
        ]
        _ = try await fixture.store.enqueue([draft], at: ServerFixture.now)
        var worker = RoutingWorker(
            store: fixture.store, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get())
        _ = try await worker.drain(now: { ServerFixture.now })
        let appeal = try #require(
            try await fixture.store.appeals(AppealQuery(limit: 10)).first { $0.sourceKey == "passport-1" })
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let page = String(buffer: try await control.get(client, "/appeals/\(appeal.tracking.value)").body)
            // "dollar*" and "доллар*" (read as Uzbek) found the same word: one mark names both.
            #expect(page.components(separatedBy: ">dollar</mark>").count == 2, "\(page)")
            #expect(page.contains(#"<mark title="dollar*, доллар* · matnda, 53">dollar</mark>"#), "\(page)")
            #expect(page.contains("shartnoma.pdf</a> <small>ilova · application/pdf · \(scan.count) B</small>"))
            _ = try await fixture.store.addUser(
                NewUser(
                    login: "nazorat-ru", name: "nazorat-ru", role: .control, language: "ru",
                    passwordHash: Secrets.hashPassword(ServerFixture.password, cost: 4)),
                at: ServerFixture.now)
            let russian = try await Browser.signIn(client, "nazorat-ru")
            let russianPage = String(buffer: try await russian.get(client, "/appeals/\(appeal.tracking.value)").body)
            #expect(
                russianPage.contains("доллар* · в тексте, 53") && russianPage.contains("вложение · application/pdf"))
        }
    }

    /// What the source said beside the documented fields (the operator, the line, an export's own column) is on
    /// the appeal's page, labelled in the reader's language and escaped.
    @Test func anAppealPageShowsTheSourcesOtherFields() async throws {
        let fixture = try await ServerFixture()
        var draft = AppealDraft(
            channel: .call, sourceKey: "card-7", receivedAt: instant("2026-03-05T12:00:00+05:00"),
            text: "Ish beruvchi pasportimni olib qo'ygan", kind: .ariza, intake: .appeal,
            applicant: Applicant(name: "Olim", phone: nil, email: nil, address: nil))
        draft.extra = ["operator": "op.karimova", "line": "1282", "navbat <kutish>": "35 s"]
        _ = try await fixture.store.enqueue([draft], at: ServerFixture.now)
        var worker = RoutingWorker(store: fixture.store, book: try ServerFixture.book.get())
        _ = try await worker.drain(now: { ServerFixture.now })
        let appeal = try #require(
            try await fixture.store.appeals(AppealQuery(limit: 10)).first { $0.sourceKey == "card-7" })
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let page = String(buffer: try await control.get(client, "/appeals/\(appeal.tracking.value)").body)
            #expect(
                page.contains(
                    "<h2>Manbadagi boshqa maydonlar</h2>\n<dl class=\"facts extra\"><dt>terilgan liniya</dt><dd>1282</dd>"
                        + "<dt>operator</dt><dd>op.karimova</dd><dt>navbat &lt;kutish&gt;</dt><dd>35 s</dd></dl>"),
                "\(page)")
        }
    }

    @Test func appealTextAndNamesAreEscapedAndPagesForbidForeignScripts() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "control1")
            let response = try await browser.get(client, "/appeals/\(fixture.abroad.tracking.value)")
            let html = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert"))
            #expect(!html.contains("<img src=x") && html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "control1")
            #expect(try await browser.post(client, "/logout", "").status == .seeOther)
            let after = try await browser.get(client, "/queue")
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/login") == true)
        }
    }

    /// Behind a reverse proxy every request comes from the proxy's address ("local" in these in-process tests).
    @Test func behindATrustedProxyEachUsersAddressIsThrottledAndMetricsAreNotLocal() async throws {
        let fixture = try await ServerFixture(settings: WebSettings(loginAttempts: 2, trustedProxies: ["local"]))
        try await fixture.application.test(.router) { client in
            func signIn(from address: String?, password: String) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                if let address { headers[.init("X-Forwarded-For")!] = "198.51.100.77, \(address)" }
                return try await client.execute(
                    uri: "/login", method: .post, headers: headers,
                    body: ByteBuffer(string: "login=control1&password=\(password)"))
            }
            for _ in 0..<2 { #expect(try await signIn(from: "203.0.113.5", password: "wrong").status == .unauthorized) }
            #expect(try await signIn(from: "203.0.113.5", password: ServerFixture.password).status == .tooManyRequests)
            // Another user behind the same proxy is not locked out by the first one's failures; the address the
            // proxy appended counts, not the made-up one to its left.
            #expect(try await signIn(from: "203.0.113.6", password: ServerFixture.password).status == .seeOther)

            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok, "a local scraper")
            let proxied = try await client.execute(
                uri: "/metrics", method: .get, headers: [.init("X-Forwarded-For")!: "203.0.113.5"])
            #expect(proxied.status == .notFound, "through the proxy, /metrics is the world's")
        }
        // A proxy that is not trusted cannot choose the address it is counted by.
        let untrusted = try await ServerFixture(settings: WebSettings(loginAttempts: 1, trustedProxies: []))
        try await untrusted.application.test(.router) { client in
            func signIn(from address: String, password: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .init("X-Forwarded-For")!: address],
                    body: ByteBuffer(string: "login=control1&password=\(password)"))
            }
            let failed = try await signIn(from: "203.0.113.5", password: "wrong")
            let next = try await signIn(from: "203.0.113.6", password: ServerFixture.password)
            #expect(failed.status == .unauthorized && next.status == .tooManyRequests)
        }
    }

    @Test func anAddressWithNoPageAnswersTheProductsOwnNotFound() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "control1")
            let page = try await browser.get(client, "/users")
            let html = String(buffer: page.body)
            #expect(page.status == .notFound && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.contains("Bunday sahifa yo‘q.") && html.contains(#"href="/control""#), "with the menu")
            let stranger = try await client.execute(uri: "/nowhere", method: .get)
            #expect(stranger.status == .notFound && String(buffer: stranger.body).contains("Bunday sahifa yo‘q."))
            let api = try await browser.get(client, "/api/v1/nothing")
            #expect(api.status == .notFound && String(buffer: api.body).contains(#""en":"the API has no path"#))
        }
    }

    @Test func aDisabledAccountsSessionEnds() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "legal-exec")
            _ = try await fixture.store.updateUser(login: "legal-exec", UserUpdate(disabled: true))
            #expect(try await browser.get(client, "/queue").status == .seeOther)
        }
    }

    @Test func anAPITokenActsAsItsAccountAndARevokedOneIsRefused() async throws {
        let fixture = try await ServerFixture()
        let owner = try #require(try await fixture.store.user(login: "abroad-exec"))
        let secret = Secrets.token()
        let token = try await fixture.store.addToken(
            name: "call-centre", tokenHash: Secrets.digest(secret), userID: owner.id, at: ServerFixture.now)
        try await fixture.application.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(secret)"]
            let list = try await client.execute(uri: "/api/v1/appeals", method: .get, headers: headers)
            #expect(list.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(String(buffer: list.body).utf8)) as? [String: Any]
            let appeals = try #require(body?["appeals"] as? [[String: Any]])
            #expect(appeals.map { $0["tracking"] as? String } == [fixture.abroad.tracking.value])
            #expect(
                try await client.execute(uri: "/api/v1/appeals?department=LEGAL", method: .get, headers: headers)
                    .status == .forbidden)
            // A mistyped number is refused as such, not looked for.
            let mistyped = try await client.execute(uri: "/api/v1/appeals/K7P4-9QXN", method: .get, headers: headers)
            #expect(mistyped.status == .badRequest)
            // The refusal is in the account's language (Uzbek here), and in all three beside it.
            let refusal = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: mistyped.body).utf8))
                    as? [String: [String: String]])
            let error = try #require(refusal["error"])
            #expect(error["message"] == error["uz"] && error["en"]?.contains("mistyped") == true)
            #expect(error["uz"] != error["en"] && error["ru"] != error["en"] && error["ru"] != error["uz"])
            #expect(mistyped.headers[.contentLanguage] == "uz")
            var russian = headers
            russian[.acceptLanguage] = "de-DE, ru-RU;q=0.9, en;q=0.8"
            let inRussian = try await client.execute(
                uri: "/api/v1/appeals/K7P4-9QXN", method: .get, headers: russian)
            let russianRefusal = try #require(
                try JSONSerialization.jsonObject(with: Data(String(buffer: inRussian.body).utf8))
                    as? [String: [String: String]])
            #expect(russianRefusal["error"]?["message"] == error["ru"], "the first of Accept-Language it speaks")
            // Its own department's code in lower case is its own department.
            let typed = try await client.execute(
                uri: "/api/v1/appeals?department=abroad", method: .get, headers: headers)
            #expect(typed.status == .ok && String(buffer: typed.body).contains(fixture.abroad.tracking.value))
            #expect(
                try await client.execute(
                    uri: "/api/v1/appeals/\(fixture.triage.tracking.value)", method: .get, headers: headers
                ).status == .notFound)
            try await fixture.store.revokeToken(id: token.id)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: headers).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get).status == .unauthorized)
        }
    }

    @Test func theOpenAPIDocumentListsWhatTheServerAnswers() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let document = String(buffer: try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).body)
            let control = try await Browser.signIn(client, "control1")
            let paths = document.split(separator: "\n").filter { $0.hasPrefix("  /") }.map {
                String($0.dropFirst(2).dropLast())
            }
            #expect(paths == ["/me", "/appeals", "/appeals/{tracking}"])
            for path in paths {
                let uri = "/api/v1" + path.replacingOccurrences(of: "{tracking}", with: fixture.abroad.tracking.value)
                let response = try await control.get(client, uri)
                #expect(response.status == .ok, "\(uri)")
            }
            // The summary fields the document requires are in the answer.
            let list = String(buffer: try await control.get(client, "/api/v1/appeals").body)
            for field in [
                "tracking", "channel", "source_key", "co_executors", "kind", "status", "urgent", "received_at",
            ] {
                #expect(list.contains("\"\(field)\""), "\(field)")
            }
        }
    }
}
