import Foundation
import Hummingbird
import Logging
import MurojaatCore
import Rules
import Store

/// The accounts in the web UI: everyone's own page with a password change, and the administrator's staff pages
/// (adding an account, its name, role, department and language, a new password, disabling and enabling). The CLI's
/// `murojaat user` does the same through the same ``AccountRules``.
extension WebServer {
    // MARK: one's own account

    /// `GET /account`
    func accountPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        return renderAccount(staff, context, flash: Self.doneFlash(request, words: pages.words(context)))
    }

    func renderAccount(
        _ staff: UserAccount, _ context: WebContext, flash: [String: String]?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let words = pages.words(context)
        var values = pages.base(context, title: words["my_account"]!, page: "account")
        values["account"] = [
            "login": staff.login, "name": staff.name, "role": Texts.name("role", staff.role.rawValue, in: words),
            "department": staff.department.map { "\($0) · \(pages.departmentName($0, language: staff.language))" }
                ?? "—",
        ]
        if let flash { values["flash"] = flash }
        return pages.render("account", values, status: status)
    }

    struct OwnPasswordForm: Decodable {
        var csrf: String?
        var current: String
        var password: String
        var again: String
    }

    /// `POST /account/password`: the current password, then the new one twice. Wrong current passwords count
    /// against the same limit as wrong sign-ins, so this form is no way around it. Every session of the account
    /// ends (a stolen one too); this browser gets a new one.
    func changeOwnPassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(OwnPasswordForm.self, request)
        try Forms.check(form.csrf, context.session)
        let now = now()
        let words = pages.words(context)
        func refuse(_ text: String, _ status: HTTPResponse.Status) -> Response {
            renderAccount(staff, context, flash: ["kind": "error", "text": text], status: status)
        }
        if let wait = try await throttle.wait(login: staff.login, peer: context.client, now: now) {
            var response = refuse(words["too_many"]!.replacingOccurrences(of: "{s}", with: "\(wait)"), .tooManyRequests)
            response.headers[.retryAfter] = "\(wait)"
            return response
        }
        guard Secrets.verify(form.current, hash: staff.passwordHash) else {
            try await throttle.failed(login: staff.login, peer: context.client, now: now)
            context.logger.warning(
                "password change refused: wrong current password",
                metadata: ["login": "\(staff.login)", "peer": "\(context.client)"])
            return refuse(words["wrong_current"]!, .forbidden)
        }
        guard form.password == form.again else { return refuse(words["passwords_differ"]!, .badRequest) }
        do throws(AccountRules.Refusal) {
            try AccountRules.checkPassword(form.password)
        } catch {
            return refuse(error.wording[pages.language(context)], .badRequest)
        }
        let updated = try await store.updateUser(
            login: staff.login, UserUpdate(passwordHash: Secrets.hashPassword(form.password)))
        let cookie = try await openSession(for: updated, now: now)
        context.logger.info("password changed", metadata: ["login": "\(staff.login)", "peer": "\(context.client)"])
        var response = Response.redirect(to: "/account?done=password")
        response.setCookie(cookie)
        return response
    }

    // MARK: the staff pages

    /// 403 unless this person manages accounts (``Access/mayManageStaff(_:)``).
    static func allowStaff(_ staff: UserAccount) throws {
        guard Access.mayManageStaff(staff) else {
            throw Denied(status: .forbidden, reason: "accounts are managed by administrators")
        }
    }

    /// What the add and edit forms were filled with, kept when a form is refused so nothing is typed twice.
    struct StaffForm: Decodable {
        var csrf: String?
        var login: String?
        var name: String?
        var role: String?
        var department: String?
        var language: String?
        var password: String?
    }

    /// `GET /staff`: every account, and the form to add one.
    func staffPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        try Self.allowStaff(staff)
        return try await renderStaff(
            context, form: StaffForm(role: StaffRole.executor.rawValue, language: "uz"),
            flash: Self.doneFlash(request, words: pages.words(context)))
    }

    func renderStaff(
        _ context: WebContext, form: StaffForm, flash: [String: String]?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let words = pages.words(context)
        let users = try await store.users()
        var values = pages.base(context, title: words["staff"]!, page: "staff")
        values["count"] = users.count
        values["rows"] = users.map { user -> [String: Any] in
            [
                "login": user.login, "name": user.name, "role": Texts.name("role", user.role.rawValue, in: words),
                "department": user.department ?? "—", "language": user.language, "disabled": user.disabled,
                "created": pages.stamp(user.createdAt),
            ]
        }
        var fields = choices(form, words: words, language: pages.language(context).rawValue)
        fields["login"] = form.login ?? ""
        fields["name"] = form.name ?? ""
        values["form"] = fields
        if let flash { values["flash"] = flash }
        return pages.render("staff", values, status: status)
    }

    /// The role, department and language lists of a form, with its values chosen.
    func choices(_ form: StaffForm, words: [String: String], language: String) -> [String: Any] {
        [
            "roles": StaffRole.allCases.map { role -> [String: Any] in
                [
                    "code": role.rawValue, "name": Texts.name("role", role.rawValue, in: words),
                    "selected": role.rawValue == form.role,
                ]
            },
            "departments": pages.departmentOptions(
                selected: form.department.flatMap { $0.isEmpty ? nil : $0 }, language: language,
                includeAll: words["no_department"]),
            "languages": PageKit.languageOptions(selected: form.language ?? "uz"),
        ]
    }

    /// `POST /staff`: a new account, checked by ``AccountRules`` as `murojaat user add` checks it.
    func addStaff(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(StaffForm.self, request)
        try Forms.check(form.csrf, context.session)
        try Self.allowStaff(staff)
        var kept = form
        kept.password = nil
        func refuse(_ text: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await renderStaff(context, form: kept, flash: ["kind": "error", "text": text], status: status)
        }
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let language = form.language ?? "uz"
        let post: StaffPost
        do throws(AccountRules.Refusal) {
            try AccountRules.checkLogin(login)
            try AccountRules.checkName(name)
            try AccountRules.checkLanguage(language)
            post = try AccountRules.post(
                role: try AccountRules.role(form.role ?? ""), department: form.department, org: book.org)
            try AccountRules.checkPassword(form.password ?? "")
        } catch {
            return try await refuse(error.wording[pages.language(context)], .badRequest)
        }
        let account = NewUser(
            login: login, name: name, role: post.role, department: post.department, language: language,
            passwordHash: Secrets.hashPassword(form.password ?? ""))
        let taken: Bool
        do throws(StoreError) {
            _ = try await store.addUser(account, at: now())
            taken = false
        } catch {
            guard error.code == .conflict else { throw error }
            taken = true
        }
        if taken { return try await refuse(pages.words(context)["login_taken"]!, .conflict) }
        context.logger.info(
            "account added",
            metadata: [
                "login": "\(staff.login)", "account": "\(login)", "role": "\(post.role.rawValue)",
                "department": "\(post.department ?? "-")",
            ])
        return Response.redirect(to: "/staff?done=added")
    }

    /// The account a path names, or 404.
    func staffMember(_ context: WebContext) async throws -> UserAccount {
        let login = context.parameters.get("login") ?? ""
        guard let member = try await store.user(login: login) else {
            throw Denied(status: .notFound, reason: "no account \(login)")
        }
        return member
    }

    /// `GET /staff/:login`
    func staffMemberPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        try Self.allowStaff(staff)
        let member = try await staffMember(context)
        return renderStaffMember(
            member, staff, context, form: nil, flash: Self.doneFlash(request, words: pages.words(context)))
    }

    func renderStaffMember(
        _ member: UserAccount, _ staff: UserAccount, _ context: WebContext, form: StaffForm?,
        flash: [String: String]?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let words = pages.words(context)
        let shown =
            form
            ?? StaffForm(
                name: member.name, role: member.role.rawValue, department: member.department,
                language: member.language)
        var fields = choices(shown, words: words, language: pages.language(context).rawValue)
        fields["login"] = member.login
        fields["name"] = shown.name ?? member.name
        fields["disabled"] = member.disabled
        // Nobody disables or demotes themselves here: another administrator does, so the web always keeps one.
        fields["self"] = member.id == staff.id
        var values = pages.base(context, title: "\(words["staff"]!): \(member.login)", page: "staff-member")
        values["member"] = fields
        if let flash { values["flash"] = flash }
        return pages.render("staff_member", values, status: status)
    }

    /// A form posted about one account: the administrator who posted it, the form, and the account, once the
    /// session's CSRF token and the right to manage staff are checked.
    func staffPost<Form: Decodable>(
        _ type: Form.Type, csrf: KeyPath<Form, String?>, _ request: Request, _ context: WebContext
    ) async throws -> (staff: UserAccount, form: Form, member: UserAccount) {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(type, request)
        try Forms.check(form[keyPath: csrf], context.session)
        try Self.allowStaff(staff)
        return (staff, form, try await staffMember(context))
    }

    /// `POST /staff/:login`: name, language, and (for someone else) role with department.
    func editStaff(_ request: Request, _ context: WebContext) async throws -> Response {
        let (staff, form, member) = try await staffPost(StaffForm.self, csrf: \.csrf, request, context)
        let words = pages.words(context)
        let name = form.name.map { $0.trimmingCharacters(in: .whitespaces) }
        var change = UserUpdate(language: form.language, name: name)
        do throws(AccountRules.Refusal) {
            if let name { try AccountRules.checkName(name) }
            if let language = form.language { try AccountRules.checkLanguage(language) }
            if let role = form.role {
                change.post = try AccountRules.post(
                    role: try AccountRules.role(role), department: form.department, org: book.org)
            }
        } catch {
            return renderStaffMember(
                member, staff, context, form: form,
                flash: ["kind": "error", "text": error.wording[pages.language(context)]], status: .badRequest)
        }
        if member.id == staff.id, let post = change.post,
            post != StaffPost(role: staff.role, department: staff.department)
        {
            return renderStaffMember(
                member, staff, context, form: form, flash: ["kind": "error", "text": words["not_yourself"]!],
                status: .conflict)
        }
        if let refused = try await update(member, change, by: staff, context) { return refused }
        context.logger.info(
            "account changed",
            metadata: [
                "login": "\(staff.login)", "account": "\(member.login)",
                "role": "\(change.post?.role.rawValue ?? member.role.rawValue)",
                "department": "\(change.post.map { $0.department ?? "-" } ?? member.department ?? "-")",
            ])
        return Response.redirect(to: "/staff/\(member.login)?done=saved")
    }

    struct NewPasswordForm: Decodable {
        var csrf: String?
        var password: String
    }

    /// `POST /staff/:login/password`: a new password set by the administrator; the account's sessions end.
    func resetPassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let (staff, form, member) = try await staffPost(NewPasswordForm.self, csrf: \.csrf, request, context)
        do throws(AccountRules.Refusal) {
            try AccountRules.checkPassword(form.password)
        } catch {
            return renderStaffMember(
                member, staff, context, form: nil,
                flash: ["kind": "error", "text": error.wording[pages.language(context)]], status: .badRequest)
        }
        let updated = try await store.updateUser(
            login: member.login, UserUpdate(passwordHash: Secrets.hashPassword(form.password)))
        context.logger.info("password set", metadata: ["login": "\(staff.login)", "account": "\(member.login)"])
        var response = Response.redirect(to: "/staff/\(member.login)?done=reset")
        // One's own new password ended this session too: this browser goes on with a new one.
        if member.id == staff.id { response.setCookie(try await openSession(for: updated, now: now())) }
        return response
    }

    /// `POST /staff/:login/disable` and `/enable`. Disabling ends the account's sessions and stops its API tokens.
    func setDisabled(_ disabled: Bool, _ request: Request, _ context: WebContext) async throws -> Response {
        let (staff, _, member) = try await staffPost(CSRFForm.self, csrf: \.csrf, request, context)
        guard member.id != staff.id else {
            return renderStaffMember(
                member, staff, context, form: nil,
                flash: ["kind": "error", "text": pages.words(context)["not_yourself"]!], status: .conflict)
        }
        if let refused = try await update(member, UserUpdate(disabled: disabled), by: staff, context) {
            return refused
        }
        context.logger.info(
            disabled ? "account disabled" : "account enabled",
            metadata: ["login": "\(staff.login)", "account": "\(member.login)"])
        return Response.redirect(to: "/staff/\(member.login)?done=\(disabled ? "disabled" : "enabled")")
    }

    /// Makes a change to `member` that may take an administrator's rights away; returns the page that says why
    /// the store refused it, when it did because `member` is the last enabled administrator (which a page can
    /// only meet when two administrators demote each other at the same moment), and nil when it went through.
    private func update(
        _ member: UserAccount, _ change: UserUpdate, by staff: UserAccount, _ context: WebContext
    ) async throws -> Response? {
        do throws(StoreError) {
            _ = try await store.updateUser(login: member.login, change)
            return nil
        } catch {
            guard error.code == .conflict else { throw error }
            return renderStaffMember(
                member, staff, context, form: nil,
                flash: ["kind": "error", "text": error.summary[pages.language(context)]], status: .conflict)
        }
    }

    /// The flash after an account change went through, named by a code in the address, never by its text.
    static func doneFlash(_ request: Request, words: [String: String]) -> [String: String]? {
        guard let code = request.uri.queryParameters["done"], let text = words["done.\(code)"] else { return nil }
        return ["kind": "ok", "text": text]
    }
}
