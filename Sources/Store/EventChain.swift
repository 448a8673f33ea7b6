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
        func add(_ text: String) {
            hasher.update(data: Array(text.utf8))
            hasher.update(data: [0x1F])  // a unit separator, so adjacent fields cannot run into each other
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
        return hasher.finalize().map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
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
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
