public import Foundation
import GRDB
public import Store

extension SQLiteStore: AccountStore {
    public func addUser(_ user: NewUser, at now: Date) async throws(StoreError) -> UserAccount {
        try await write("add user \(user.login)") { db in
            if try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE login = ?", arguments: [user.login]) != nil {
                throw StoreError.userExists(user.login)
            }
            try db.execute(
                sql: """
                    INSERT INTO users (login, name, role, department, language, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.login, user.name, user.role.rawValue, user.department, user.language, user.passwordHash,
                    Codecs.millis(now),
                ])
            return UserAccount(
                id: db.lastInsertedRowID, login: user.login, name: user.name, role: user.role,
                department: user.department, language: user.language, passwordHash: user.passwordHash,
                disabled: false, createdAt: Date(timeIntervalSince1970: Double(Codecs.millis(now)) / 1000))
        }
    }

    public func user(login: String) async throws(StoreError) -> UserAccount? {
        try await read("read user \(login)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE login = ?", arguments: [login]).map(Self.account)
        }
    }

    public func user(id: Int64) async throws(StoreError) -> UserAccount? {
        try await read("read user #\(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        try await read("list users") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY login").map(Self.account)
        }
    }

    public func updateUser(login: String, _ update: UserUpdate) async throws(StoreError) -> UserAccount {
        try await write("update user \(login)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE login = ?", arguments: [login])
            else { throw StoreError.noUser(login) }
            var account = try Self.account(row)
            let wasAdministrator = account.isEnabledAdministrator
            if let hash = update.passwordHash { account.passwordHash = hash }
            if let disabled = update.disabled { account.disabled = disabled }
            if let language = update.language { account.language = language }
            if let name = update.name { account.name = name }
            if let post = update.post {
                account.role = post.role
                account.department = post.department
            }
            if wasAdministrator && !account.isEnabledAdministrator {
                // The one writer runs updates one at a time, so the count cannot change before this one commits.
                let others = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0 AND id != ?",
                    arguments: [StaffRole.admin.rawValue, account.id])
                if others == 0 { throw StoreError.lastAdministrator(login) }
            }
            try db.execute(
                sql: """
                    UPDATE users SET password_hash = ?, disabled = ?, language = ?, name = ?, role = ?, department = ?
                    WHERE id = ?
                    """,
                arguments: [
                    account.passwordHash, account.disabled, account.language, account.name, account.role.rawValue,
                    account.department, account.id,
                ])
            // A new password or a disabled account ends every session it had.
            if update.passwordHash != nil || update.disabled == true {
                try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [account.id])
            }
            return account
        }
    }

    public func openSession(_ session: StaffSession) async throws(StoreError) {
        try await write("open a session") { db in
            // Expired sessions go as new ones come: the table holds the live ones and a day's worth of old ones.
            try db.execute(
                sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [Codecs.millis(session.createdAt)])
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    session.tokenHash, session.userID, session.csrf, Codecs.millis(session.createdAt),
                    Codecs.millis(session.expiresAt),
                ])
        }
    }

    public func session(tokenHash: String, now: Date) async throws(StoreError) -> (StaffSession, UserAccount)? {
        try await read("read a session") { db in
            // Every page view asks this: a statement kept by the connection, not prepared (and authorized) anew.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT s.token_hash, s.csrf, s.created_at AS session_created, s.expires_at, u.*
                    FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0
                    """)
            guard let row = try Row.fetchOne(statement, arguments: [tokenHash, Codecs.millis(now)]) else { return nil }
            let account = try Self.account(row)
            let session = StaffSession(
                tokenHash: row["token_hash"], userID: account.id, csrf: row["csrf"],
                createdAt: Codecs.date(row["session_created"]), expiresAt: Codecs.date(row["expires_at"]))
            return (session, account)
        }
    }

    public func closeSession(tokenHash: String) async throws(StoreError) {
        try await write("close a session") { db in
            try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func recordFailedSignIn(key: String, at: Date, forgetBefore: Date) async throws(StoreError) {
        try await write("record a failed sign-in") { db in
            try db.execute(
                sql: "DELETE FROM sign_in_failures WHERE at < ?", arguments: [Codecs.millis(forgetBefore)])
            try db.execute(
                sql: "INSERT INTO sign_in_failures (key, at) VALUES (?, ?)", arguments: [key, Codecs.millis(at)])
        }
    }

    public func failedSignIns(key: String, since: Date) async throws(StoreError) -> [Date] {
        try await read("read failed sign-ins") { db in
            try Int64.fetchAll(
                db, sql: "SELECT at FROM sign_in_failures WHERE key = ? AND at >= ? ORDER BY at",
                arguments: [key, Codecs.millis(since)]
            ).map(Codecs.date)
        }
    }

    public func clearFailedSignIns(key: String) async throws(StoreError) {
        try await write("clear failed sign-ins") { db in
            try db.execute(sql: "DELETE FROM sign_in_failures WHERE key = ?", arguments: [key])
        }
    }

    public func addToken(
        name: String, tokenHash: String, userID: Int64, at now: Date
    ) async throws(StoreError) -> APIToken {
        try await write("add API token \(name)") { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [userID]) != nil else {
                throw StoreError.noUser(id: userID)
            }
            try db.execute(
                sql: "INSERT INTO api_tokens (name, token_hash, user_id, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, tokenHash, userID, Codecs.millis(now)])
            return APIToken(
                id: db.lastInsertedRowID, name: name, userID: userID, createdAt: Codecs.date(Codecs.millis(now)),
                revoked: false)
        }
    }

    public func user(tokenHash: String) async throws(StoreError) -> UserAccount? {
        try await read("read an API token") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.token_hash = ? AND t.revoked = 0 AND u.disabled = 0
                    """, arguments: [tokenHash]
            ).map(Self.account)
        }
    }

    public func tokens() async throws(StoreError) -> [APIToken] {
        try await read("list API tokens") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, user_id, created_at, revoked FROM api_tokens ORDER BY id")
                .map {
                    APIToken(
                        id: $0["id"], name: $0["name"], userID: $0["user_id"], createdAt: Codecs.date($0["created_at"]),
                        revoked: $0["revoked"])
                }
        }
    }

    public func revokeToken(id: Int64) async throws(StoreError) {
        try await write("revoke API token #\(id)") { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked = 1 WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw StoreError.noToken(id: id) }
        }
    }

    static func account(_ row: Row) throws -> UserAccount {
        let roleName: String = row["role"]
        guard let role = StaffRole(rawValue: roleName) else {
            throw StoreError(.corrupt, "user \(row["login"] as String) has an unknown role \"\(roleName)\"")
        }
        return UserAccount(
            id: row["id"], login: row["login"], name: row["name"], role: role, department: row["department"],
            language: row["language"], passwordHash: row["password_hash"], disabled: row["disabled"],
            createdAt: Codecs.date(row["created_at"]))
    }
}
