import Foundation

/// Counts failed sign-ins per login and address; after too many in the window, further attempts are refused
/// until the oldest failure leaves the window. Kept in memory: a restart forgets, which only helps the user.
actor LoginThrottle {
    let attempts: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(attempts: Int, window: Duration) {
        self.attempts = attempts
        self.window = TimeInterval(window.components.seconds)
    }

    /// Seconds to wait before the next attempt, or nil when one is allowed now.
    func wait(login: String, peer: String, now: Date) -> Int? {
        let key = Self.key(login, peer)
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= attempts, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    func failed(login: String, peer: String, now: Date) {
        // Someone trying many logins must not grow this without bound: past a limit, the stale entries go.
        if failures.count >= 10_000 {
            failures = failures.compactMapValues { times in
                let recent = times.filter { now.timeIntervalSince($0) < window }
                return recent.isEmpty ? nil : recent
            }
        }
        failures[Self.key(login, peer), default: []].append(now)
    }

    func succeeded(login: String, peer: String) {
        failures[Self.key(login, peer)] = nil
    }

    static func key(_ login: String, _ peer: String) -> String { login.lowercased() + "\u{1F}" + peer }
}
