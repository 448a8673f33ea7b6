public import Foundation

/// What a person who signs in may do. Executors and heads work on their own department's appeals; control and
/// admin see all of them; operators triage what the rules were unsure of.
public enum StaffRole: String, Sendable, Hashable, CaseIterable, Codable {
    case `operator`
    case executor
    case head
    case control
    case admin

    /// Executors and heads belong to one department.
    public var needsDepartment: Bool { self == .executor || self == .head }
}

/// A person who signs in to the web UI, or a machine client's owner.
public struct UserAccount: Sendable, Hashable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: StaffRole
    /// The department code, for executors and heads.
    public var department: String?
    /// `uz`, `ru` or `en`: the language of the pages this person sees.
    public var language: String
    /// A bcrypt hash; never the password.
    public var passwordHash: String
    public var disabled: Bool
    public var createdAt: Date

    /// What the store keeps at least one of: an administrator who can sign in.
    public var isEnabledAdministrator: Bool { role == .admin && !disabled }

    public init(
        id: Int64, login: String, name: String, role: StaffRole, department: String?, language: String,
        passwordHash: String, disabled: Bool, createdAt: Date
    ) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.department = department
        self.language = language
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// How events name this person: `user:<login>`.
    public var actor: String { "user:\(login)" }
}

public struct NewUser: Sendable, Hashable {
    public var login: String
    public var name: String
    public var role: StaffRole
    public var department: String?
    public var language: String
    public var passwordHash: String

    public init(
        login: String, name: String, role: StaffRole, department: String? = nil, language: String = "uz",
        passwordHash: String
    ) {
        self.login = login
        self.name = name
        self.role = role
        self.department = department
        self.language = language
        self.passwordHash = passwordHash
    }
}

/// What may change on an account; nil leaves a field as it is.
public struct UserUpdate: Sendable, Hashable {
    /// Whether the update can take away an administrator's rights: the one kind of change that needs the other
    /// administrators counted (and, on a shared database, locked) first.
    public var mayDemote: Bool { disabled == true || (post.map { $0.role != .admin } ?? false) }

    public var passwordHash: String?
    public var disabled: Bool?
    public var language: String?
    public var name: String?
    /// A new role, with the department that goes with it (nil for roles without one): the two change together, so
    /// an executor moved to control does not keep a department that no longer means anything.
    public var post: StaffPost?

    public init(
        passwordHash: String? = nil, disabled: Bool? = nil, language: String? = nil, name: String? = nil,
        post: StaffPost? = nil
    ) {
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.language = language
        self.name = name
        self.post = post
    }
}

/// A role and the department that goes with it.
public struct StaffPost: Sendable, Hashable {
    public var role: StaffRole
    public var department: String?

    public init(role: StaffRole, department: String?) {
        self.role = role
        self.department = department
    }
}

/// A signed-in browser. Only the SHA-256 of the cookie's token is kept, so a copy of the database signs nobody in.
public struct StaffSession: Sendable, Hashable {
    public var tokenHash: String
    public var userID: Int64
    /// The token every form of this session carries.
    public var csrf: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userID: Int64, csrf: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrf = csrf
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// An API token of a machine client (the call-centre system), stored as the SHA-256 of its secret.
public struct APIToken: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var userID: Int64
    public var createdAt: Date
    public var revoked: Bool

    public init(id: Int64, name: String, userID: Int64, createdAt: Date, revoked: Bool) {
        self.id = id
        self.name = name
        self.userID = userID
        self.createdAt = createdAt
        self.revoked = revoked
    }
}

/// Accounts, sessions, API tokens and failed sign-ins: kept in the same database as the appeals, so several server
/// instances on one database share sign-ins and their limit.
public protocol AccountStore: Sendable {
    /// Throws `conflict` when the login exists.
    func addUser(_ user: NewUser, at now: Date) async throws(StoreError) -> UserAccount
    func user(login: String) async throws(StoreError) -> UserAccount?
    func user(id: Int64) async throws(StoreError) -> UserAccount?
    func users() async throws(StoreError) -> [UserAccount]
    /// Throws `notFound` for an unknown login, and ``StoreError/lastAdministrator(_:)`` for a change that would
    /// leave no enabled administrator (checked with the change, so two administrators demoting each other at once
    /// cannot both succeed). Disabling or a new password ends the account's sessions; a new role or name takes
    /// effect on the sessions' next request.
    func updateUser(login: String, _ update: UserUpdate) async throws(StoreError) -> UserAccount

    func openSession(_ session: StaffSession) async throws(StoreError)
    /// The session and its account, when the session has not expired and the account is not disabled.
    func session(tokenHash: String, now: Date) async throws(StoreError) -> (StaffSession, UserAccount)?
    func closeSession(tokenHash: String) async throws(StoreError)

    /// A failed sign-in under `key` (a digest of the login and the address, not the two themselves). Failures
    /// before `forgetBefore`, of every key, are deleted on the way, so the table holds one window's worth.
    func recordFailedSignIn(key: String, at: Date, forgetBefore: Date) async throws(StoreError)
    /// The failed sign-ins under `key` since `since`, oldest first.
    func failedSignIns(key: String, since: Date) async throws(StoreError) -> [Date]
    func clearFailedSignIns(key: String) async throws(StoreError)

    func addToken(name: String, tokenHash: String, userID: Int64, at now: Date) async throws(StoreError) -> APIToken
    /// The account a live token belongs to; nil for an unknown or revoked token, or a disabled account.
    func user(tokenHash: String) async throws(StoreError) -> UserAccount?
    func tokens() async throws(StoreError) -> [APIToken]
    func revokeToken(id: Int64) async throws(StoreError)
}
