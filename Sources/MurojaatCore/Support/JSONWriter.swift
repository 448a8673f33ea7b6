/// Writes JSON text straight into a byte buffer.
///
/// For the few records written once per appeal on the ingest path (a draft in the inbox, a routing decision),
/// where Foundation's `JSONEncoder` costs more than everything else the row needs. The output is plain JSON that
/// `JSONDecoder` reads back; anything off the hot path should use `Codable`. Bytes, not a `String`, are appended
/// to: appending to a string checks its encoding and capacity for every piece.
public struct JSONWriter: ~Copyable {
    // Written in one place and read once, so the writer cannot be copied and owns its bytes outright: no
    // uniqueness check per byte, as an array would make.
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private var needsComma = false

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The JSON written so far.
    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    private mutating func reserve(_ more: Int) {
        guard count &+ more > capacity else { return }
        var size = capacity * 2
        while size < count + more { size *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = size
    }

    @inline(__always) private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always) private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).initialize(from: from, count: bytes.count)
        count &+= bytes.count
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        container(UInt8(ascii: "{"), UInt8(ascii: "}"), body)
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        container(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    private mutating func container(_ open: UInt8, _ close: UInt8, _ body: (inout JSONWriter) -> Void) {
        separate()
        append(open)
        needsComma = false
        body(&self)
        append(close)
        needsComma = true
    }

    /// A key inside an object, written as it is (a literal needs no escaping); the value follows.
    public mutating func key(_ name: StaticString) {
        separate()
        append(UInt8(ascii: "\""))
        raw(name)
        append(UInt8(ascii: "\""))
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key from data (escaped); the value follows.
    public mutating func key(text name: String) {
        separate()
        escape(name)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { escape(value) } else { raw("null") }
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        raw(value ? "true" : "false")
        needsComma = true
    }

    public mutating func number(_ value: Int64) {
        separate()
        if value < 0 { append(UInt8(ascii: "-")) }
        // Digits are made right to left in a small buffer on the stack, then copied in order.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var first = 20
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(UnsafeBufferPointer(rebasing: digits[first..<20]))
        }
        needsComma = true
    }

    public mutating func number(_ value: Double) {
        if value == value.rounded() && abs(value) < 1e15 {
            number(Int64(value))
        } else {
            separate()
            var printed = "\(value)"
            printed.withUTF8 { append($0) }
            needsComma = true
        }
    }

    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    /// A field whose name comes from data.
    public mutating func field(text name: String, _ value: String?) {
        key(text: name)
        string(value)
    }

    public mutating func strings(_ values: [String]) {
        array { writer in for value in values { writer.string(value) } }
    }

    @inline(__always) private mutating func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    private mutating func raw(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func escape(_ value: String) {
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainFrom = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                append(UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22, 0x5C: append(byte)
                case 0x0A: append(UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    for escaped in [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]] {
                        append(escaped)
                    }
                }
            }
            append(UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        append(UInt8(ascii: "\""))
    }
}
