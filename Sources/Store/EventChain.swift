import Crypto
import Foundation
public import MurojaatCore

/// The hash chain over an appeal's events: each event's hash covers the previous hash and the event's content, so
/// any later change to a stored event shows (`murojaat show` verifies it). Every store computes it the same way.
public enum EventChain {
    /// The previous hash of an appeal's first event.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(previous: String, appealID: Int64, sequence: Int, event: AppealEvent) -> String {
        // The fields, each followed by a unit separator so adjacent fields cannot run into each other, gathered in
        // one buffer and hashed in one call: this runs for every event written, on the ingest path, and feeding
        // SHA-256 field by field cost more than the hashing itself. The bytes hashed are the same either way.
        var message: [UInt8] = []
        message.reserveCapacity(160 + (event.why?.utf8.count ?? 0) + event.data.count * 48)
        func add(_ text: String) {
            message.append(contentsOf: text.utf8)
            message.append(0x1F)
        }
        add(previous)
        add(String(appealID))
        add(String(sequence))
        add(String(Int64((event.at.timeIntervalSince1970 * 1000).rounded())))
        add(event.actor)
        add(event.kind.rawValue)
        add(event.why ?? "")
        for (key, value) in event.data.sorted(by: { $0.key < $1.key }) {
            add(key)
            add(value)
        }
        add(event.status?.rawValue ?? "")
        return hex(SHA256.hash(data: message))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { out in
            var index = 0
            for byte in digest {
                out[index] = hexDigits[Int(byte >> 4)]
                out[index + 1] = hexDigits[Int(byte & 15)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

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
