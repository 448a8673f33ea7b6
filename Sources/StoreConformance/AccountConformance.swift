public import Foundation
import MurojaatCore
public import Store
import Testing

/// The suite every ``Store/AccountStore`` must pass, run by each store's test target against a fresh, empty store:
///
/// ```swift
/// @Test(arguments: StoreConformance.accountCases)
/// func accounts(_ check: StoreConformance.AccountCase) async throws { try await check.run(try makeStore()) }
/// ```
extension StoreConformance {
    public struct AccountCase: Sendable, CustomStringConvertible {
        public let name: String
        public let run: @Sendable (any AppealStore & AccountStore) async throws -> Void
        public var description: String { name }
    }

    public static let accountCases: [AccountCase] = [
        AccountCase(name: "accounts are added, read by login and id, and listed by login", run: addAndRead),
        AccountCase(name: "a login that exists already is a conflict", run: duplicateLogin),
        AccountCase(name: "an update changes what it names and nothing else", run: updates),
        AccountCase(name: "disabling an account or changing its password ends its sessions", run: disabling),
        AccountCase(name: "sessions end when they expire or are closed", run: sessionExpiry),
        AccountCase(name: "API tokens sign their account in until revoked", run: tokens),
        AccountCase(name: "failed sign-ins are counted per key within a window, and forgotten", run: failedSignIns),
        AccountCase(name: "the last enabled administrator is neither disabled nor demoted", run: lastAdministrator),
        AccountCase(
            name: "two administrators demoting each other at once leave one of them",
            run: administratorsDemotingEachOther),
    ]

    static func newUser(_ login: String, role: StaffRole = .executor, department: String? = "ABROAD") -> NewUser {
        NewUser(
            login: login, name: "Каримова Дилноза \"\(login)\"", role: role, department: department, language: "ru",
            passwordHash: "$2b$12$hash-of-\(login)")
    }

    static func addAndRead(_ store: any AppealStore & AccountStore) async throws {
        let zafar = try await store.addUser(newUser("zafar"), at: t0)
        let admin = try await store.addUser(newUser("admin", role: .admin, department: nil), at: t0 + 60)
        #expect(zafar.id != admin.id)
        #expect(zafar.login == "zafar" && zafar.role == .executor && zafar.department == "ABROAD")
        #expect(zafar.language == "ru" && !zafar.disabled && zafar.createdAt == t0)
        #expect(try await store.user(login: "zafar") == zafar)
        #expect(try await store.user(id: admin.id) == admin)
        #expect(try await store.user(login: "nobody") == nil)
        #expect(try await store.user(id: 999_999) == nil)
        // By login, in byte order, whatever the database's collation.
        _ = try await store.addUser(newUser("Bahrom"), at: t0)
        #expect(try await store.users().map(\.login) == ["Bahrom", "admin", "zafar"])
    }

    static func duplicateLogin(_ store: any AppealStore & AccountStore) async throws {
        let first = try await store.addUser(newUser("operator", role: .operator, department: nil), at: t0)
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.addUser(newUser("operator"), at: t0 + 1)
        }
        #expect(error?.code == .conflict)
        #expect(try await store.users() == [first])
    }

    static func updates(_ store: any AppealStore & AccountStore) async throws {
        let added = try await store.addUser(newUser("head", role: .head), at: t0)
        let english = try await store.updateUser(login: "head", UserUpdate(language: "en"))
        var expected = added
        expected.language = "en"
        #expect(english == expected)
        let rehashed = try await store.updateUser(login: "head", UserUpdate(passwordHash: "$2b$12$new"))
        expected.passwordHash = "$2b$12$new"
        #expect(rehashed == expected)
        #expect(try await store.user(login: "head") == expected)
        // A new name and post: the role and department change together, and a live session sees them at once.
        try await store.openSession(session("h", of: added))
        let moved = try await store.updateUser(
            login: "head", UserUpdate(name: "Zafar Karimov", post: StaffPost(role: .control, department: nil)))
        expected.name = "Zafar Karimov"
        expected.role = .control
        expected.department = nil
        #expect(moved == expected)
        #expect(try await store.user(login: "head") == expected)
        #expect(try await store.session(tokenHash: "sha256-h", now: t0 + 60)?.1 == expected)
        let executor = try await store.updateUser(
            login: "head", UserUpdate(post: StaffPost(role: .executor, department: "LEGAL")))
        #expect(executor.role == .executor && executor.department == "LEGAL" && executor.name == "Zafar Karimov")
        #expect(try await store.user(login: "head") == executor)
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.updateUser(login: "ghost", UserUpdate(disabled: true))
        }
        #expect(error?.code == .notFound)
    }

    static let demotion = UserUpdate(post: StaffPost(role: .control, department: nil))

    static func lastAdministrator(_ store: any AppealStore & AccountStore) async throws {
        let root = try await store.addUser(newUser("root", role: .admin, department: nil), at: t0)
        for refused in [UserUpdate(disabled: true), demotion, UserUpdate(disabled: true, name: "Root")] {
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.updateUser(login: "root", refused)
            }
            #expect(error?.code == .conflict)
            #expect(error?.summary.en.contains("last enabled administrator") == true)
        }
        #expect(try await store.user(login: "root") == root)
        // What does not take the rights away goes through.
        let renamed = try await store.updateUser(
            login: "root",
            UserUpdate(passwordHash: "$2b$12$other", name: "Root", post: StaffPost(role: .admin, department: nil)))
        #expect(renamed.name == "Root" && renamed.role == .admin)
        // With a second administrator, the first can go; then the second is the last.
        _ = try await store.addUser(newUser("second", role: .admin, department: nil), at: t0)
        #expect(try await store.updateUser(login: "root", demotion).role == .control)
        await #expect(throws: StoreError.self) { _ = try await store.updateUser(login: "second", demotion) }
        // A disabled administrator does not count.
        _ = try await store.addUser(newUser("third", role: .admin, department: nil), at: t0)
        _ = try await store.updateUser(login: "third", UserUpdate(disabled: true))
        await #expect(throws: StoreError.self) {
            _ = try await store.updateUser(login: "second", UserUpdate(disabled: true))
        }
        _ = try await store.updateUser(login: "third", UserUpdate(disabled: false))
        #expect(try await store.updateUser(login: "second", UserUpdate(disabled: true)).disabled)
        #expect(try await store.users().filter(\.isEnabledAdministrator).map(\.login) == ["third"])
    }

    static func administratorsDemotingEachOther(_ store: any AppealStore & AccountStore) async throws {
        _ = try await store.addUser(newUser("one", role: .admin, department: nil), at: t0)
        _ = try await store.addUser(newUser("two", role: .admin, department: nil), at: t0)
        @Sendable func demoted(_ login: String) async -> Bool {
            do {
                _ = try await store.updateUser(login: login, demotion)
                return true
            } catch {
                return false
            }
        }
        for _ in 0..<10 {
            async let one = demoted("one")
            async let two = demoted("two")
            let (first, second) = await (one, two)
            #expect(first != second)
            let administrators = try await store.users().filter(\.isEnabledAdministrator)
            #expect(administrators.count == 1)
            // Both administrators again for the next round.
            for login in ["one", "two"] {
                _ = try await store.updateUser(login: login, UserUpdate(post: StaffPost(role: .admin, department: nil)))
            }
        }
    }

    static func failedSignIns(_ store: any AppealStore & AccountStore) async throws {
        #expect(try await store.failedSignIns(key: "a", since: t0).isEmpty)
        for seconds in [30.0, 10, 20] {
            try await store.recordFailedSignIn(key: "a", at: t0 + seconds, forgetBefore: t0)
        }
        try await store.recordFailedSignIn(key: "b", at: t0 + 15, forgetBefore: t0)
        #expect(try await store.failedSignIns(key: "a", since: t0) == [t0 + 10, t0 + 20, t0 + 30])
        #expect(try await store.failedSignIns(key: "a", since: t0 + 20) == [t0 + 20, t0 + 30], "from `since` on")
        #expect(try await store.failedSignIns(key: "b", since: t0) == [t0 + 15])
        try await store.clearFailedSignIns(key: "a")
        #expect(try await store.failedSignIns(key: "a", since: t0).isEmpty)
        #expect(try await store.failedSignIns(key: "b", since: t0) == [t0 + 15], "another key is untouched")
        // A new failure forgets the old ones of every key.
        try await store.recordFailedSignIn(key: "c", at: t0 + 400, forgetBefore: t0 + 100)
        #expect(try await store.failedSignIns(key: "b", since: t0).isEmpty)
        #expect(try await store.failedSignIns(key: "c", since: t0) == [t0 + 400])
    }

    static func session(_ token: String, of user: UserAccount, from: Date = t0, hours: Double = 8) -> StaffSession {
        StaffSession(
            tokenHash: "sha256-\(token)", userID: user.id, csrf: "csrf-\(token)", createdAt: from,
            expiresAt: from + hours * 3600)
    }

    static func disabling(_ store: any AppealStore & AccountStore) async throws {
        let user = try await store.addUser(newUser("executor"), at: t0)
        let other = try await store.addUser(newUser("colleague"), at: t0)
        try await store.openSession(session("a", of: user))
        try await store.openSession(session("b", of: user))
        try await store.openSession(session("c", of: other))
        let live = try #require(try await store.session(tokenHash: "sha256-a", now: t0 + 60))
        #expect(live.0 == session("a", of: user) && live.1 == user)
        _ = try await store.addToken(name: "crm", tokenHash: "token-x", userID: user.id, at: t0)

        let disabled = try await store.updateUser(login: "executor", UserUpdate(disabled: true))
        #expect(disabled.disabled)
        #expect(try await store.session(tokenHash: "sha256-a", now: t0 + 60) == nil)
        #expect(try await store.user(tokenHash: "token-x") == nil)
        // Enabled again: the token works again, the sessions stay ended (a new sign-in is needed).
        _ = try await store.updateUser(login: "executor", UserUpdate(disabled: false))
        #expect(try await store.session(tokenHash: "sha256-b", now: t0 + 60) == nil)
        #expect(try await store.user(tokenHash: "token-x")?.id == user.id)
        // Another account's session is untouched.
        #expect(try await store.session(tokenHash: "sha256-c", now: t0 + 60)?.1.id == other.id)

        // A new password ends the sessions signed in with the old one.
        try await store.openSession(session("d", of: user, from: t0 + 120))
        #expect(try await store.session(tokenHash: "sha256-d", now: t0 + 180) != nil)
        _ = try await store.updateUser(login: "executor", UserUpdate(passwordHash: "$2b$12$changed"))
        #expect(try await store.session(tokenHash: "sha256-d", now: t0 + 180) == nil)
        // Changing the language alone ends nothing.
        try await store.openSession(session("e", of: user, from: t0 + 240))
        _ = try await store.updateUser(login: "executor", UserUpdate(language: "uz"))
        #expect(try await store.session(tokenHash: "sha256-e", now: t0 + 300)?.1.language == "uz")
    }

    static func sessionExpiry(_ store: any AppealStore & AccountStore) async throws {
        let user = try await store.addUser(newUser("control", role: .control, department: nil), at: t0)
        let opened = session("s", of: user, hours: 1)
        try await store.openSession(opened)
        #expect(try await store.session(tokenHash: "sha256-s", now: t0)?.0 == opened)
        #expect(try await store.session(tokenHash: "sha256-s", now: t0 + 3599)?.0 == opened)
        // Expired at its expiry moment, not a millisecond later.
        #expect(try await store.session(tokenHash: "sha256-s", now: t0 + 3600) == nil)
        #expect(try await store.session(tokenHash: "sha256-unknown", now: t0) == nil)
        // A session opened after another expired clears it away; the new one works.
        try await store.openSession(session("t", of: user, from: t0 + 7200))
        #expect(try await store.session(tokenHash: "sha256-s", now: t0) == nil)
        #expect(try await store.session(tokenHash: "sha256-t", now: t0 + 7200)?.1 == user)
        try await store.closeSession(tokenHash: "sha256-t")
        #expect(try await store.session(tokenHash: "sha256-t", now: t0 + 7200) == nil)
        // Closing an unknown or closed session is no error.
        try await store.closeSession(tokenHash: "sha256-t")
    }

    static func tokens(_ store: any AppealStore & AccountStore) async throws {
        let owner = try await store.addUser(newUser("callcentre", role: .operator, department: nil), at: t0)
        let missing = await #expect(throws: StoreError.self) {
            _ = try await store.addToken(name: "orphan", tokenHash: "token-0", userID: 999_999, at: t0)
        }
        #expect(missing?.code == .notFound)
        let first = try await store.addToken(name: "asterisk", tokenHash: "token-1", userID: owner.id, at: t0)
        let second = try await store.addToken(name: "crm", tokenHash: "token-2", userID: owner.id, at: t0 + 60)
        #expect(first == APIToken(id: first.id, name: "asterisk", userID: owner.id, createdAt: t0, revoked: false))
        #expect(try await store.user(tokenHash: "token-1") == owner)
        #expect(try await store.user(tokenHash: "token-unknown") == nil)
        #expect(try await store.tokens() == [first, second])
        try await store.revokeToken(id: first.id)
        #expect(try await store.user(tokenHash: "token-1") == nil)
        #expect(try await store.user(tokenHash: "token-2") == owner)
        var revoked = first
        revoked.revoked = true
        #expect(try await store.tokens() == [revoked, second])
        let unknown = await #expect(throws: StoreError.self) { try await store.revokeToken(id: 999_999) }
        #expect(unknown?.code == .notFound)
    }
}
