import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starting the throwaway servers of the tests (Dovecot, aiosmtpd).
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a program with every signal unblocked and at its default action, without waiting for it. The test
    /// runner's threads block most signals and a child inherits that mask (Foundation's Process keeps it): Dovecot's
    /// master would never hear SIGCHLD, and a Python that ignored SIGTERM would outlive its stop. With `log`, stdin
    /// is /dev/null and stdout and stderr go to that file; `environment` replaces the runner's when given.
    static func spawn(
        _ executable: String, _ arguments: [String], log: String? = nil, environment: [String]? = nil
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let log {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = environment.map { $0.map { strdup($0) } + [nil] }
        defer { variables?.forEach { free($0) } }
        var pid = pid_t()
        let spawned: Int32
        if var variables {
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, &variables)
        } else {
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): error \(spawned)") }
        return pid
    }

    /// Waits for the child `pid` to end, through interrupted calls; returns its raw wait status.
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status
    }
}
