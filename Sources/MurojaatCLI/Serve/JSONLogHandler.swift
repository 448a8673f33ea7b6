import Foundation
import Logging

/// One JSON object per line on stderr, for a log collector (journald, Loki, ...): time (UTC, ISO 8601 with
/// milliseconds), level, label, message, the metadata as strings, and where it was logged. `log_format: text` in
/// murojaat.yaml (or MUROJAAT_LOG_FORMAT=text) keeps swift-log's plain lines for a person at a terminal.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var object: [String: String] = [
            "time": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": event.level.rawValue, "label": label, "message": "\(event.message)",
            "source": "\(event.file.split(separator: "/").last ?? ""):\(event.line)",
        ]
        for (key, value) in fields where object[key] == nil { object[key] = "\(value)" }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }
}
