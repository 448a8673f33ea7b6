import Foundation
public import Store

#if canImport(Glibc)
import Glibc
#endif

extension SQLiteStore: SingletonLocks {
    /// A file lock beside the database (`murojaat.sqlite-lock-<hash>`): SQLite is one machine's, and the kernel frees
    /// a dead process's locks, so a second `serve` started by mistake on the same data waits instead of sending
    /// every notice twice.
    public func holds(_ name: String) async -> Bool {
        fileLocks.holds(name, beside: path)
    }

    public func releaseAll() async {
        fileLocks.releaseAll()
    }
}

/// The lock files this process holds open.
final class FileLocks: @unchecked Sendable {
    private let lock = NSLock()
    private var held: [String: Int32] = [:]

    func holds(_ name: String, beside path: String) -> Bool {
        lock.withLock {
            if held[name] != nil { return true }
            let file = "\(path)-lock-\(EventChain.digest(Array(name.utf8)).prefix(16))"
            let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return false }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                return false
            }
            held[name] = descriptor
            return true
        }
    }

    func releaseAll() {
        lock.withLock {
            // Closing the descriptor frees its flock.
            for descriptor in held.values { close(descriptor) }
            held.removeAll()
        }
    }

    deinit { releaseAll() }
}
