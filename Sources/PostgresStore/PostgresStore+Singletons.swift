import Foundation
import Logging
import PostgresNIO
public import Store

extension PostgresStore: SingletonLocks {
    /// A session-level advisory lock on a connection of its own: PostgreSQL frees it when the session ends, so an
    /// instance that dies (or loses its connection) gives its singletons up, and another takes them at its next
    /// round.
    public func holds(_ name: String) async -> Bool {
        await singletons.holds(name)
    }

    /// Closes the locks' connection, which ends its session and so its locks. A connection that is never closed
    /// cannot be let go either: PostgresNIO asserts that a connection is closed before it is deinitialized, so
    /// `serve` on PostgreSQL crashed on every SIGTERM as the store was released.
    public func releaseAll() async {
        await singletons.close()
    }
}

/// The connection an instance holds its singleton locks on. Pool connections are shared and come and go, so a
/// session lock taken on one would be held by whichever query used it next.
actor SingletonConnection {
    let settings: PostgresStore.Settings
    let logger: Logger
    private var connection: PostgresConnection?
    private var opening: Task<PostgresConnection, any Error>?
    private var held: Set<String> = []

    init(settings: PostgresStore.Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func holds(_ name: String) async -> Bool {
        do {
            let connection = try await open()
            // Asked again while held, the lock is taken once more on the same session (they stack); that costs
            // nothing, and the session's end frees them all.
            let key = Self.key(name)
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger)
            var got = false
            for try await (value) in rows.decode(Bool.self) { got = value }
            if got { held.insert(name) } else { held.remove(name) }
            return got
        } catch {
            // The session, and every lock on it, may be gone: start again with a new one next time.
            if !held.isEmpty {
                logger.warning(
                    "lost the connection holding singleton locks; another instance may take them",
                    metadata: ["singletons": "\(held.sorted())", "error": "\(String(reflecting: error))"])
            }
            held.removeAll()
            try? await connection?.close()
            connection = nil
            return false
        }
    }

    func close() async {
        try? await connection?.close()
        connection = nil
        held.removeAll()
    }

    private func open() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        // The services ask at once when serve starts: the first opens the connection, the others wait for it
        // (an actor lets them in while the first awaits; each opening its own would leave all but one unclosed).
        if let opening { return try await opening.value }
        held.removeAll()
        let task = Task { [settings, logger] () async throws -> PostgresConnection in
            try await PostgresStore.connect(settings, logger: logger, id: 1)
        }
        opening = task
        defer { opening = nil }
        let opened = try await task.value
        connection = opened
        return opened
    }

    /// A stable 64-bit key for a name: the first 8 bytes of its SHA-256, the same in every instance and version.
    static func key(_ name: String) -> Int64 {
        let hex = EventChain.digest(Array("murojaat.singleton:\(name)".utf8)).prefix(16)
        return Int64(bitPattern: UInt64(hex, radix: 16) ?? 0)
    }
}
