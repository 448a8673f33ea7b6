import Logging
import ServiceLifecycle
import Store

/// Runs one step again and again at an interval until the service group shuts down, with backoff when the step
/// fails: a server that is down is tried again later, doubling the wait up to a limit, and each failure is one
/// clear log line. A step in progress finishes before shutdown; only the waits between steps are cut short.
struct PollingService: Service {
    enum Failure: Sendable {
        /// Worth trying again soon (a server down).
        case transient(String)
        /// A person must act (a refused password); tried again at the slow interval, logged as an error.
        case needsAttention(String)
    }

    let name: String
    /// Set for work one instance at a time must do: a round runs only while this instance holds the lock.
    var singleton: (any SingletonLocks)?
    let interval: Duration
    let maximumBackoff: Duration
    let logger: Logger
    /// One step; returns a line to log when it did something, nil when there was nothing to do.
    let step: @Sendable () async -> Result<String?, FailureBox>

    struct FailureBox: Error {
        var failure: Failure
    }

    init(
        name: String, singleton: (any SingletonLocks)? = nil, interval: Duration,
        maximumBackoff: Duration = .seconds(600), logger: Logger,
        step: @escaping @Sendable () async -> Result<String?, FailureBox>
    ) {
        self.name = name
        self.singleton = singleton
        self.interval = interval
        self.maximumBackoff = maximumBackoff
        self.logger = logger
        self.step = step
    }

    func run() async throws {
        var failures = 0
        var leading: Bool?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = interval
            if let singleton {
                let holds = await singleton.holds(name)
                if holds != leading {
                    logger.info(
                        holds ? "\(name): this instance runs it" : "\(name): another instance runs it; waiting")
                    leading = holds
                }
                if !holds {
                    try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
                    continue
                }
            }
            switch await step() {
            case .success(let line):
                if failures > 0 { logger.info("\(name): working again after \(failures) failed attempts") }
                failures = 0
                if let line { logger.info("\(name): \(line)") }
            case .failure(let box):
                failures += 1
                switch box.failure {
                case .transient(let why):
                    wait = min(interval * (1 << min(failures, 10)), maximumBackoff)
                    logger.warning("\(name): \(why); trying again in \(Self.words(wait))")
                case .needsAttention(let why):
                    wait = maximumBackoff
                    logger.error("\(name): \(why); this needs a person; trying again in \(Self.words(wait))")
                }
            }
            // The wait ends early on shutdown; the loop then stops.
            let pause = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    static func words(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        return seconds >= 60 && seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}
