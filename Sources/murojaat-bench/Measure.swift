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

/// CPU seconds this process has used so far, all threads (user and system).
func processCPUSeconds() -> Double {
    Double(clock()) / Double(CLOCKS_PER_SEC)
}
