import Foundation
import MurojaatCore

/// The rendered content of the queue pages (triage and department queues), kept while nothing it shows can have
/// changed: the store's change stamp is the same, the day (which the SLA colours depend on) is the same, and the
/// content is younger than ``lifetime``. The page's top (the signed-in person, their token) is rendered for each view.
///
/// Operators reload the same first pages all day while appeals arrive a few a minute; reading fifty appeals and
/// rendering them cost far more than the rest of a page. The lifetime bounds what the stamp cannot see: on
/// PostgreSQL the stamp's sequence moves before the writing transaction's commit is visible, so a page rendered in
/// between carries the new stamp and the old rows.
final class QueuePageCache: @unchecked Sendable {
    struct Key: Hashable {
        var page: String
        var department: String?
        var number: Int
        var language: String
        /// What the page offers depends on the role (a head's department list, an operator's forms).
        var role: String
        var day: LocalDate
    }

    /// Content as pieces to be joined by the reader's CSRF token: the one per-person value in it.
    struct Content: Sendable {
        var pieces: [String]

        func html(csrf: String) -> String { pieces.joined(separator: csrf) }
    }

    private struct Entry {
        var stamp: Int64
        var built: Date
        /// Being built, or built: views that come while it is built wait for it.
        var content: Task<Content, any Error>
    }

    /// Stands for the CSRF token while content is rendered. Random per process, so no text of an appeal can contain it.
    let csrfMarker = "csrf-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    let lifetime: TimeInterval
    let capacity: Int
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    init(lifetime: TimeInterval = 5, capacity: Int = 512) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The content for `key` as of `stamp`, built by `build` (rendered with ``csrfMarker`` for the token) when none
    /// is kept or what is kept is out of date. One view builds it; views asking meanwhile wait for that one instead
    /// of each reading and rendering the same page (they came in dozens whenever a page's lifetime ended).
    func content(
        _ key: Key, stamp: Int64, now: Date, build: @escaping @Sendable () async throws -> String
    ) async throws -> Content {
        let (task, fresh) = lock.withLock { () -> (Task<Content, any Error>, Bool) in
            if let kept = entries[key], kept.stamp == stamp, now.timeIntervalSince(kept.built) >= 0,
                now.timeIntervalSince(kept.built) < lifetime
            {
                return (kept.content, false)
            }
            let marker = csrfMarker
            let task = Task { Content(pieces: try await build().components(separatedBy: marker)) }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(stamp: stamp, built: now, content: task)
            return (task, true)
        }
        do {
            return try await task.value
        } catch {
            // A failed build is not kept: the next view tries again.
            if fresh { lock.withLock { _ = entries.removeValue(forKey: key) } }
            throw error
        }
    }
}
