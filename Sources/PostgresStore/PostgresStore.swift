public import Foundation
public import Logging
import MurojaatCore
import PostgresNIO
public import Store

/// The scale-out store: one PostgreSQL database shared by several `murojaat` processes. Queue rows are claimed
/// with `FOR UPDATE SKIP LOCKED`, an appeal's events are chained under its row lock, and every batch call is one
/// transaction, so processes never hand out an item twice nor interleave two decisions on one appeal.
///
/// ```swift
/// let store = try await PostgresStore.open(url: "postgres://murojaat:secret@db:5432/murojaat")
/// let summary = try await store.enqueue(drafts, at: now)
/// await store.shutdown()
/// ```
/// Throws ``Store/StoreError`` with code `unavailable` when the server cannot be reached, refuses the credentials
/// or the schema cannot be migrated.
public final class PostgresStore: AppealStore, AccountStore {
    let client: PostgresClient
    let logger: Logger
    /// Where the client connects, for error messages (never the password).
    let endpoint: String
    let configuration: PostgresClient.Configuration
    /// The task running the client's connection pool, when ``open(url:logger:migrate:)`` started it.
    let runner: Task<Void, Never>?
    /// The connection holding this instance's singleton locks (``holds(_:)``).
    let singletons: SingletonConnection

    /// A store for `postgres://user:password@host:port/database` (or `postgresql://`, with `?sslmode=disable`,
    /// `prefer`, `require`, `verify-ca` or `verify-full`). Nothing connects until ``run()`` runs the connection
    /// pool: use it as a service (in a `ServiceGroup` or a task of its own) and call ``migrate()`` once it runs.
    /// ``open(url:logger:migrate:)`` does all of that.
    ///
    /// Throws `unavailable` for a URL that is not a PostgreSQL URL.
    public convenience init(url: String, logger: Logger = Logger(label: "murojaat.postgres")) throws(StoreError) {
        let settings = try Self.settings(url: url)
        self.init(settings: settings, logger: logger, runner: nil)
    }

    init(settings: Settings, logger: Logger, runner: Task<Void, Never>?, client: PostgresClient? = nil) {
        self.configuration = settings.client
        self.client = client ?? PostgresClient(configuration: settings.client, backgroundLogger: logger)
        self.endpoint = settings.endpoint
        self.logger = logger
        self.runner = runner
        self.singletons = SingletonConnection(settings: settings, logger: logger)
    }

    /// Opens a store ready to use: checks that the server answers and accepts the credentials, starts the
    /// connection pool in a task the store owns, and brings the schema up to date (unless `migrate` is false).
    /// End it with ``shutdown()``.
    ///
    /// ```swift
    /// let store = try await PostgresStore.open(url: "postgres://murojaat@127.0.0.1:5432/murojaat?sslmode=disable")
    /// ```
    /// Throws `unavailable` when the server cannot be reached, refuses the login, or the schema is newer than
    /// this version knows.
    public static func open(
        url: String, logger: Logger = Logger(label: "murojaat.postgres"), migrate: Bool = true
    ) async throws(StoreError) -> PostgresStore {
        let settings = try Self.settings(url: url)
        let configuration = settings.client
        let endpoint = settings.endpoint
        // One plain connection first: the pool retries a failing connect for a minute before a query fails, and
        // the error of a direct connect says at once what is wrong (refused, unknown database, bad password). The
        // migrations run over it too, before the pool has anything to do.
        try await probe(settings, logger: logger) { connection throws(StoreError) in
            if migrate { try await Self.migrate(connection, logger: logger, endpoint: endpoint) }
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        // Lets the pool's task start before the first query, which PostgresNIO would otherwise warn about (the
        // query would still wait for it).
        await Task.yield()
        return PostgresStore(settings: settings, logger: logger, runner: runner, client: client)
    }

    /// Runs the connection pool until the task is cancelled (or, as a `Service`, until graceful shutdown). Needed
    /// only for a store made with ``init(url:logger:)``; ``open(url:logger:migrate:)`` runs it itself.
    public func run() async {
        await client.run()
    }

    /// Closes the connections of a store made with ``open(url:logger:migrate:)``.
    public func shutdown() async {
        await singletons.close()
        guard let runner else { return }
        runner.cancel()
        await runner.value
    }

    static func probe(
        _ settings: Settings, logger: Logger,
        _ body: (PostgresConnection) async throws(StoreError) -> Void
    ) async throws(StoreError) {
        let opened = try await connect(settings, logger: logger)
        do {
            try await body(opened)
        } catch {
            try? await opened.close()
            throw error
        }
        try? await opened.close()
    }

    /// One connection outside the pool: the probe's, and the one holding this instance's singleton locks.
    static func connect(
        _ settings: Settings, logger: Logger, id: Int = 0
    ) async throws(StoreError)
        -> PostgresConnection
    {
        let client = settings.client
        var connection = PostgresConnection.Configuration(
            host: client.host ?? "127.0.0.1", port: client.port ?? 5432, username: client.username,
            password: client.password, database: client.database, tls: .disable)
        if let tls = settings.tls {
            do {
                let context = try NIOSSLContext(configuration: tls)
                connection.tls = settings.tlsRequired ? .require(context) : .prefer(context)
            } catch {
                throw StoreError(.unavailable, "cannot set up TLS for PostgreSQL at \(settings.endpoint)", cause: error)
            }
        }
        connection.options.connectTimeout = .seconds(10)
        do {
            return try await PostgresConnection.connect(configuration: connection, id: id, logger: logger)
        } catch {
            throw Self.failure(error, "connect to PostgreSQL at \(settings.endpoint)", endpoint: settings.endpoint)
        }
    }

    // MARK: configuration

    /// What a URL says: the client's configuration, the TLS choice again (the client keeps it to itself) for the
    /// probe's plain connection, and a printable endpoint (`user@host:port/database`, no password).
    struct Settings {
        var client: PostgresClient.Configuration
        var tls: TLSConfiguration?
        var tlsRequired: Bool
        var endpoint: String
    }

    static func settings(url: String) throws(StoreError) -> Settings {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(.unavailable, "not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.unavailable, "the PostgreSQL URL names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError(.unavailable, "the PostgreSQL URL names no user")
        }
        let port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        // IPv6 literals come bracketed from URLComponents; NIO wants them bare.
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var tls: TLSConfiguration? = .makeClientConfiguration()
        var tlsRequired = true
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        switch sslmode {
        case "disable": tls = nil
        case "allow", "prefer": tlsRequired = false
        // libpq's `require` encrypts without checking the certificate; `verify-ca` and `verify-full` check it.
        case "require": tls?.certificateVerification = .none
        case "verify-ca": tls?.certificateVerification = .noHostnameVerification
        case "verify-full": break
        default:
            throw StoreError(
                .unavailable,
                "unknown sslmode \"\(sslmode)\" in the PostgreSQL URL (disable, prefer, require, verify-ca, verify-full)"
            )
        }
        let clientTLS: PostgresClient.Configuration.TLS =
            if let tls { tlsRequired ? .require(tls) : .prefer(tls) } else { .disable }
        var configuration = PostgresClient.Configuration(
            host: bareHost, port: port, username: user, password: components.password, database: database,
            tls: clientTLS)
        configuration.options.connectTimeout = .seconds(10)
        return Settings(
            client: configuration, tls: tls, tlsRequired: tlsRequired, endpoint: "\(user)@\(host):\(port)/\(database)")
    }

    // MARK: running statements

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(
        _ what: String, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw Self.failure(error, what, endpoint: endpoint)
        }
    }

    /// Runs one statement outside an explicit transaction and decodes its rows.
    func read<T: Sendable>(
        _ what: String, _ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T
    ) async throws(StoreError) -> [T] {
        do {
            var result: [T] = []
            for try await row in try await client.query(query, logger: logger) {
                result.append(try decode(row.makeRandomAccess()))
            }
            return result
        } catch {
            throw Self.failure(error, what, endpoint: endpoint)
        }
    }

    /// Maps what PostgresNIO throws to a ``StoreError`` in the store's words. PSQLError's own description hides
    /// everything (it may reach a user); the cause keeps the SQLSTATE and the server's message, never its detail,
    /// which can quote row values.
    static func failure(_ error: any Error, _ what: String, endpoint: String) -> StoreError {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error
        }
        if let error = error as? StoreError { return error }
        if error is PostgresDecodingError || error is Codecs.Unreadable {
            return StoreError(.corrupt, "could not \(what): a stored value cannot be read back", cause: error)
        }
        guard let psql = error as? PSQLError else {
            return StoreError(.failed, "could not \(what)", cause: error)
        }
        let cause = DatabaseCause(psql)
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            switch state {
            case "23505":
                return StoreError(.conflict, "could not \(what): it exists already", cause: cause)
            case "28P01", "28000":
                return StoreError(.unavailable, "PostgreSQL at \(endpoint) refused the login", cause: cause)
            case "3D000":
                return StoreError(.unavailable, "PostgreSQL at \(endpoint) has no such database", cause: cause)
            case "57P01", "57P02", "57P03", "53300":
                return StoreError(.unavailable, "PostgreSQL at \(endpoint) is not accepting work", cause: cause)
            case "40001", "40P01":
                return StoreError(.conflict, "could not \(what): another process changed the same rows", cause: cause)
            default:
                return StoreError(.failed, "could not \(what)", cause: cause)
            }
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .sslUnsupported,
            .failedToAddSSLHandler, .uncleanShutdown:
            return StoreError(.unavailable, "cannot reach PostgreSQL at \(endpoint)", cause: cause)
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return StoreError(.unavailable, "PostgreSQL at \(endpoint) refused the login", cause: cause)
        default:
            return StoreError(.failed, "could not \(what)", cause: cause)
        }
    }

    /// The readable part of a PSQLError.
    struct DatabaseCause: Error, CustomStringConvertible {
        var description: String

        init(_ error: PSQLError) {
            if let info = error.serverInfo {
                description = "SQLSTATE \(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
            } else if let underlying = error.underlying {
                description = "\(error.code): \(underlying)"
            } else {
                description = "\(error.code)"
            }
        }
    }
}

extension PostgresConnection {
    /// Runs a statement and decodes every row.
    func rows<T>(
        _ query: PostgresQuery, _ logger: Logger, _ decode: (PostgresRandomAccessRow) throws -> T
    ) async throws -> [T] {
        var result: [T] = []
        for try await row in try await self.query(query, logger: logger) {
            result.append(try decode(row.makeRandomAccess()))
        }
        return result
    }

    /// Runs a statement whose rows do not matter.
    func run(_ query: PostgresQuery, _ logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
