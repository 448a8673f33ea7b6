public import Foundation
import MurojaatCore
import Yams

/// What counts as a missed call, and where the fields of a Master.csv line are: `Rules/adapters/cdr.yaml`.
public struct CDRSettings: Sendable, Hashable {
    /// Dialled numbers of the trust lines, digits only.
    public var trustLines: [String]
    /// Dispositions of calls nobody answered, upper case.
    public var missedDispositions: Set<String>
    public var shortCallSeconds: Int
    /// Field names in file order.
    public var columns: [String]

    /// The fields a missed-call decision needs.
    static let required = ["src", "dst", "start", "billsec", "disposition"]

    public init(
        trustLines: [String] = ["1282", "712023355", "712000061"],
        missedDispositions: Set<String> = ["NO ANSWER", "BUSY", "FAILED", "CONGESTION"], shortCallSeconds: Int = 10,
        columns: [String] = [
            "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start",
            "answer", "end", "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield",
        ]
    ) {
        self.trustLines = trustLines.map { $0.filter(\.isNumber) }
        self.missedDispositions = Set(missedDispositions.map { $0.uppercased() })
        self.shortCallSeconds = shortCallSeconds
        self.columns = columns
    }

    public static func load(from url: URL) throws(MappingError) -> CDRSettings {
        try CDRSettings(yaml: try AdapterFile.text(of: url), file: url.path)
    }

    public init(yaml: String, file: String = "cdr.yaml") throws(MappingError) {
        self.init()
        guard let top = try AdapterFile.topMapping(yaml, file: file) else { return }
        func strings(_ node: Node, _ key: String) throws(MappingError) -> [String] {
            guard let sequence = node.sequence else {
                throw MappingError(
                    file: file, at: node,
                    Wording(
                        uz: "\(key) ro‘yxat bo‘lishi kerak", ru: "\(key) должен быть списком",
                        en: "\(key) must be a list"))
            }
            var result: [String] = []
            for item in sequence {
                guard let text = item.string, !text.isEmpty else {
                    throw MappingError(
                        file: file, at: item,
                        Wording(
                            uz: "\(key): har bir element matn bo‘lishi kerak",
                            ru: "\(key): каждый элемент должен быть текстом", en: "\(key): each entry must be a text"))
                }
                result.append(text)
            }
            return result
        }
        for (key, value) in top {
            switch key.string {
            case "trust_lines":
                trustLines = try strings(value, "trust_lines").map { $0.filter(\.isNumber) }
                if trustLines.contains(where: \.isEmpty) {
                    throw MappingError(
                        file: file, at: value,
                        Wording(
                            uz: "trust_lines: har bir liniyada raqamlar bo‘lishi kerak",
                            ru: "trust_lines: в каждой линии должны быть цифры",
                            en: "trust_lines: each line must have digits"))
                }
            case "missed_dispositions":
                missedDispositions = Set(try strings(value, "missed_dispositions").map { $0.uppercased() })
            case "short_call_seconds":
                guard let seconds = value.int, seconds >= 0 else {
                    throw MappingError(
                        file: file, at: value,
                        Wording(
                            uz: "short_call_seconds butun soniyalar soni bo‘lishi kerak",
                            ru: "short_call_seconds должен быть целым числом секунд",
                            en: "short_call_seconds must be a whole number of seconds"))
                }
                shortCallSeconds = seconds
            case "columns":
                columns = try strings(value, "columns")
                for name in Self.required where !columns.contains(name) {
                    throw MappingError(
                        file: file, at: value,
                        Wording(
                            uz: "columns ichida \(name) bo‘lishi kerak", ru: "columns должен включать \(name)",
                            en: "columns must include \(name)"))
                }
            default:
                throw AdapterFile.unknownKey(
                    key, known: "trust_lines, missed_dispositions, short_call_seconds, columns", file: file)
            }
        }
    }

    /// Whether a dialled number is one of the trust lines.
    func isTrustLine(_ dialled: String) -> Bool {
        let digits = dialled.filter(\.isNumber)
        return !digits.isEmpty && trustLines.contains { digits.hasSuffix($0) }
    }
}
