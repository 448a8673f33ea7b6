import Crypto
import Foundation
public import MurojaatCore

/// The hash chain over an appeal's events: each event's hash covers the previous hash and the event's content, so
/// any later change to a stored event shows (`murojaat show` verifies it). Every store computes it the same way.
public enum EventChain {
    /// The previous hash of an appeal's first event.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(previous: String, appealID: Int64, sequence: Int, event: AppealEvent) -> String {
        var hasher = SHA256()
        let separator: [UInt8] = [0x1F]  // a unit separator, so adjacent fields cannot run into each other
        func add(_ text: String) {
            // Hashes the string's own UTF-8 storage: this runs for every event written, on the ingest path.
            var text = text
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            hasher.update(data: separator)
        }
        add(previous)
        add(String(appealID))
        add(String(sequence))
        add(String(Int64((event.at.timeIntervalSince1970 * 1000).rounded())))
        add(event.actor)
        add(event.kind.rawValue)
        add(event.why ?? "")
        for key in event.data.keys.sorted() {
            add(key)
            add(event.data[key] ?? "")
        }
        add(event.status?.rawValue ?? "")
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks a whole history; returns the sequence number of the first event that does not match, or nil.
    public static func firstBrokenLink(in history: [StoredEvent]) -> Int? {
        var previous = genesis
        for stored in history {
            let expected = hash(
                previous: previous, appealID: stored.appealID, sequence: stored.sequence,
                event: stored.event)
            if stored.previousHash != previous || stored.hash != expected { return stored.sequence }
            previous = stored.hash
        }
        return nil
    }

    /// SHA-256 of raw bytes, hex: the content address of quarantined records and attachments.
    public static func digest(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }
}
