/// Work that must run on one instance at a time when several share a database: a mailbox's poller, the sweeper,
/// the outbox sender, the daily report. Each instance asks before every round; the one holding the lock runs it,
/// the others skip it. A dead instance's locks are freed by the database (PostgreSQL ends its session, the kernel
/// its file locks), so another takes over at its next round.
public protocol SingletonLocks: Sendable {
    /// True when this process holds the lock `name` now, taking it when free. False when another holds it, or
    /// when the lock cannot be checked (the database unreachable): running twice is worse than waiting a round.
    func holds(_ name: String) async -> Bool

    /// Gives up every lock this process holds, as `serve` stops: another instance takes the work at its next round
    /// instead of when this process's session ends, and nothing is left open behind the store.
    func releaseAll() async
}
