import Foundation
import Store

/// Counts failed sign-ins per login and address; after too many in the window, further attempts are refused
/// until the oldest failure leaves the window.
///
/// The count is kept in the database, not in the process: every instance on one database sees the same count (with
/// three instances behind a load balancer, a limit kept by each would allow three times as many guesses), and a
/// restart does not start it afresh. The store keeps a SHA-256 of the login and the address rather than the two
/// themselves, and only for one window.
struct LoginThrottle: Sendable {
    let store: any AccountStore
    let attempts: Int
    let window: TimeInterval

    init(store: any AccountStore, attempts: Int, window: Duration) {
        self.store = store
        self.attempts = attempts
        self.window = TimeInterval(window.components.seconds)
    }

    /// Seconds to wait before the next attempt, or nil when one is allowed now.
    func wait(login: String, peer: String, now: Date) async throws -> Int? {
        let recent = try await store.failedSignIns(
            key: Self.key(login, peer), since: now.addingTimeInterval(-window).addingTimeInterval(0.001))
        guard recent.count >= attempts, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    func failed(login: String, peer: String, now: Date) async throws {
        try await store.recordFailedSignIn(
            key: Self.key(login, peer), at: now, forgetBefore: now.addingTimeInterval(-window))
    }

    func succeeded(login: String, peer: String) async throws {
        try await store.clearFailedSignIns(key: Self.key(login, peer))
    }

    static func key(_ login: String, _ peer: String) -> String {
        Secrets.digest(login.lowercased() + "\u{1F}" + peer)
    }
}
