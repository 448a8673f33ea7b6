import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One benchmark case's figures, printed as one JSON line.
struct Figures {
    var bench: String
    var name: String
    var unit: String
    /// Operations per second of each run; the median is the figure to report (this machine is shared and noisy).
    var runs: [Double]
    var extra: [String: String] = [:]

    var median: Double {
        let sorted = runs.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    func jsonLine() -> String {
        var object: [String: Any] = [
            "bench": bench, "case": name, "unit": unit, "per_second": median.rounded(),
            "runs": runs.count, "min_per_second": (runs.min() ?? 0).rounded(),
            "max_per_second": (runs.max() ?? 0).rounded(),
        ]
        for (key, value) in extra { object[key] = Int(value) ?? (Double(value) as Any?) ?? value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Seconds of processor time the process spent in `body` (the routing benchmark runs on one thread): on a shared
/// machine, what one core costs, whatever else ran beside it.
func processorSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = processCPUSeconds()
    try body()
    return processCPUSeconds() - start
}

/// Seconds taken by `body`, on the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The CPU time this process has used so far (user and system, all threads), in seconds. Beside the wall time on a
/// shared machine: when other work takes the cores, the wall time grows much more than this.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
