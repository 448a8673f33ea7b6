/// Writes JSON text straight into a string.
///
/// For the few records written once per appeal on the ingest path (a draft in the inbox, a routing decision),
/// where Foundation's `JSONEncoder` costs more than everything else the row needs. The output is plain JSON that
/// `JSONDecoder` reads back; anything off the hot path should use `Codable`.
public struct JSONWriter: Sendable {
    public private(set) var text = ""
    private var needsComma = false

    public init(capacity: Int = 256) { text.reserveCapacity(capacity) }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        text += "{"
        needsComma = false
        body(&self)
        text += "}"
        needsComma = true
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        text += "["
        needsComma = false
        body(&self)
        text += "]"
        needsComma = true
    }

    /// A key inside an object; the value follows.
    public mutating func key(_ name: String) {
        separate()
        Self.escape(name, into: &text)
        text += ":"
        needsComma = false
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { Self.escape(value, into: &text) } else { text += "null" }
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        text += value ? "true" : "false"
        needsComma = true
    }

    public mutating func number(_ value: Int64) {
        separate()
        text += String(value)
        needsComma = true
    }

    public mutating func number(_ value: Double) {
        separate()
        text += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        needsComma = true
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func strings(_ values: [String]) {
        array { writer in for value in values { writer.string(value) } }
    }

    @inline(__always) private mutating func separate() {
        if needsComma { text += "," }
    }

    public static func escape(_ value: String, into out: inout String) {
        out += "\""
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            out += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
