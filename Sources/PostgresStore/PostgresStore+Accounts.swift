public import Foundation
import PostgresNIO
public import Store

extension PostgresStore {
    static let userColumns = "id, login, name, role, department, language, password_hash, disabled, created_at"

    public func addUser(_ user: NewUser, at now: Date) async throws(StoreError) -> UserAccount {
        let created = Instant(now)
        // The unique login decides, also between two processes adding the same login at once.
        let ids = try await read(
            "add user \(user.login)",
            """
            INSERT INTO users (login, name, role, department, language, password_hash, created_at)
            VALUES (\(user.login), \(user.name), \(user.role.rawValue), \(user.department), \(user.language),
                \(user.passwordHash), \(created))
            ON CONFLICT (login) DO NOTHING RETURNING id
            """
        ) { try $0.value(0, as: Int64.self) }
        guard let id = ids.first else { throw StoreError.userExists(user.login) }
        return UserAccount(
            id: id, login: user.login, name: user.name, role: user.role, department: user.department,
            language: user.language, passwordHash: user.passwordHash, disabled: false, createdAt: created.date)
    }

    public func user(login: String) async throws(StoreError) -> UserAccount? {
        try await read(
            "read user \(login)", "SELECT \(unescaped: Self.userColumns) FROM users WHERE login = \(login)",
            { try Self.account($0) }
        ).first
    }

    public func user(id: Int64) async throws(StoreError) -> UserAccount? {
        try await read(
            "read user #\(id)", "SELECT \(unescaped: Self.userColumns) FROM users WHERE id = \(id)",
            { try Self.account($0) }
        ).first
    }

    public func users() async throws(StoreError) -> [UserAccount] {
        // Byte order, as SQLite sorts, whatever collation the database was created with.
        try await read(
            "list users", "SELECT \(unescaped: Self.userColumns) FROM users ORDER BY login COLLATE \"C\"",
            { try Self.account($0) })
    }

    public func updateUser(login: String, _ update: UserUpdate) async throws(StoreError) -> UserAccount {
        let logger = self.logger
        return try await transaction("update user \(login)") { connection in
            // A change that may demote an administrator locks every enabled administrator first (in one order, so
            // two such changes wait for each other rather than deadlock): a second one then sees the first's result
            // and is counted against it.
            let administrators =
                update.mayDemote
                ? try await connection.rows(
                    """
                    SELECT id FROM users WHERE role = \(StaffRole.admin.rawValue) AND NOT disabled ORDER BY id
                    FOR UPDATE
                    """, logger, { try $0.value(0, as: Int64.self) }) : []
            guard
                var account = try await connection.rows(
                    "SELECT \(unescaped: Self.userColumns) FROM users WHERE login = \(login) FOR UPDATE", logger,
                    { try Self.account($0) }
                ).first
            else { throw StoreError.noUser(login) }
            let wasAdministrator = account.isEnabledAdministrator
            if let hash = update.passwordHash { account.passwordHash = hash }
            if let disabled = update.disabled { account.disabled = disabled }
            if let language = update.language { account.language = language }
            if let name = update.name { account.name = name }
            if let post = update.post {
                account.role = post.role
                account.department = post.department
            }
            if wasAdministrator && !account.isEnabledAdministrator
                && !administrators.contains(where: { $0 != account.id })
            {
                throw StoreError.lastAdministrator(login)
            }
            try await connection.run(
                """
                UPDATE users SET password_hash = \(account.passwordHash), disabled = \(account.disabled),
                    language = \(account.language), name = \(account.name), role = \(account.role.rawValue),
                    department = \(account.department)
                WHERE id = \(account.id)
                """, logger)
            // A new password or a disabled account ends every session it had.
            if update.passwordHash != nil || update.disabled == true {
                try await connection.run("DELETE FROM sessions WHERE user_id = \(account.id)", logger)
            }
            return account
        }
    }

    public func openSession(_ session: StaffSession) async throws(StoreError) {
        let logger = self.logger
        try await transaction("open a session") { connection in
            // Expired sessions go as new ones come: the table holds the live ones and a day's worth of old ones.
            try await connection.run(
                "DELETE FROM sessions WHERE expires_at < \(Instant(session.createdAt))", logger)
            try await connection.run(
                """
                INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
                VALUES (\(session.tokenHash), \(session.userID), \(session.csrf), \(Instant(session.createdAt)),
                    \(Instant(session.expiresAt)))
                """, logger)
        }
    }

    public func session(tokenHash: String, now: Date) async throws(StoreError) -> (StaffSession, UserAccount)? {
        let rows = try await read(
            "read a session",
            """
            SELECT u.id, u.login, u.name, u.role, u.department, u.language, u.password_hash, u.disabled, u.created_at,
                s.token_hash, s.csrf, s.created_at, s.expires_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(Instant(now)) AND NOT u.disabled
            """
        ) { row in
            let account = try Self.account(row)
            let session = StaffSession(
                tokenHash: try row.value(9), userID: account.id, csrf: try row.value(10),
                createdAt: try row.value(11, as: Instant.self).date, expiresAt: try row.value(12, as: Instant.self).date
            )
            return Pair(session: session, account: account)
        }
        return rows.first.map { ($0.session, $0.account) }
    }

    /// A session with its account, as a Sendable value out of a read.
    struct Pair: Sendable {
        var session: StaffSession
        var account: UserAccount
    }

    public func closeSession(tokenHash: String) async throws(StoreError) {
        _ = try await read("close a session", "DELETE FROM sessions WHERE token_hash = \(tokenHash)") { _ in () }
    }

    public func recordFailedSignIn(key: String, at: Date, forgetBefore: Date) async throws(StoreError) {
        let logger = self.logger
        try await transaction("record a failed sign-in") { connection in
            try await connection.run("DELETE FROM sign_in_failures WHERE at < \(Instant(forgetBefore))", logger)
            try await connection.run(
                "INSERT INTO sign_in_failures (key, at) VALUES (\(key), \(Instant(at)))", logger)
        }
    }

    public func failedSignIns(key: String, since: Date) async throws(StoreError) -> [Date] {
        try await read(
            "read failed sign-ins",
            "SELECT at FROM sign_in_failures WHERE key = \(key) AND at >= \(Instant(since)) ORDER BY at"
        ) { try $0.value(0, as: Instant.self).date }
    }

    public func clearFailedSignIns(key: String) async throws(StoreError) {
        let logger = self.logger
        try await transaction("clear failed sign-ins") { connection in
            try await connection.run("DELETE FROM sign_in_failures WHERE key = \(key)", logger)
        }
    }

    public func addToken(
        name: String, tokenHash: String, userID: Int64, at now: Date
    ) async throws(StoreError) -> APIToken {
        let created = Instant(now)
        let logger = self.logger
        return try await transaction("add API token \(name)") { connection in
            guard
                try await !connection.rows("SELECT 1 FROM users WHERE id = \(userID) FOR SHARE", logger, { _ in () })
                    .isEmpty
            else { throw StoreError.noUser(id: userID) }
            guard
                let id = try await connection.rows(
                    """
                    INSERT INTO api_tokens (name, token_hash, user_id, created_at)
                    VALUES (\(name), \(tokenHash), \(userID), \(created)) RETURNING id
                    """, logger, { try $0.value(0, as: Int64.self) }
                ).first
            else { throw StoreError(.failed, "could not add API token \(name)") }
            return APIToken(id: id, name: name, userID: userID, createdAt: created.date, revoked: false)
        }
    }

    public func user(tokenHash: String) async throws(StoreError) -> UserAccount? {
        try await read(
            "read an API token",
            """
            SELECT u.id, u.login, u.name, u.role, u.department, u.language, u.password_hash, u.disabled, u.created_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(tokenHash) AND NOT t.revoked AND NOT u.disabled
            """, { try Self.account($0) }
        ).first
    }

    public func tokens() async throws(StoreError) -> [APIToken] {
        try await read("list API tokens", "SELECT id, name, user_id, created_at, revoked FROM api_tokens ORDER BY id") {
            row in
            APIToken(
                id: try row.value(0), name: try row.value(1), userID: try row.value(2),
                createdAt: try row.value(3, as: Instant.self).date, revoked: try row.value(4))
        }
    }

    public func revokeToken(id: Int64) async throws(StoreError) {
        let changed = try await read(
            "revoke API token #\(id)", "UPDATE api_tokens SET revoked = true WHERE id = \(id) RETURNING id"
        ) { _ in () }
        guard changed.count == 1 else { throw StoreError.noToken(id: id) }
    }

    /// An account from a row whose first columns are ``userColumns``.
    static func account(_ row: PostgresRandomAccessRow) throws -> UserAccount {
        let login = try row.value(1, as: String.self)
        let roleName = try row.value(3, as: String.self)
        guard let role = StaffRole(rawValue: roleName) else {
            throw StoreError(.corrupt, "user \(login) has an unknown role \"\(roleName)\"")
        }
        return UserAccount(
            id: try row.value(0), login: login, name: try row.value(2), role: role, department: try row.value(4),
            language: try row.value(5), passwordHash: try row.value(6), disabled: try row.value(7),
            createdAt: try row.value(8, as: Instant.self).date)
    }
}
