import Foundation
import MurojaatCore
import Store
import Testing

/// Hashes already stored must still verify: a change in how a hash is computed would make every history written
/// before it look tampered with. The values below were written by the first implementation.
@Suite struct EventChainTests {
    static let registered = AppealEvent(
        at: Date(timeIntervalSince1970: 1_795_462_398.296), actor: "system:router", kind: .registered,
        why: "routed to CONTROL with 67% of the score",
        data: [
            "channel": "call",
            "deadline":
                "due 05.12.2025: received Thu 20.11.2025; standard: 15 days (ZRU-445, 28-modda) ends 05.12.2025",
            "due": "2025-12-05", "kind": "shikoyat", "origin": "call-cards.csv line 2", "policy": "standard",
            "registration_day": "2025-11-20", "source_key": "CC-0",
        ], status: .registered)
    static let assigned = AppealEvent(
        at: Date(timeIntervalSince1970: 1_795_462_398.296), actor: "system:router", kind: .assigned,
        why: "routing rules control.no-answer", data: ["department": "CONTROL"], status: .assigned)

    @Test func hashesAreTheOnesStoredBefore() {
        let first = EventChain.hash(previous: EventChain.genesis, appealID: 1, sequence: 1, event: Self.registered)
        #expect(first == "22134490e4867c8e7bf81cb66a0f9a83401f56406ceea555a1534055d5fe857b")
        let second = EventChain.hash(previous: first, appealID: 1, sequence: 2, event: Self.assigned)
        #expect(second == "80ab6a53682b4ac00afe4fe8a03a04d8957f6f58c8b312bb659c7e1afe4a9b0e")
    }

    @Test func aChangedEventBreaksTheChain() {
        let first = EventChain.hash(previous: EventChain.genesis, appealID: 1, sequence: 1, event: Self.registered)
        let second = EventChain.hash(previous: first, appealID: 1, sequence: 2, event: Self.assigned)
        var history = [
            StoredEvent(
                appealID: 1, sequence: 1, event: Self.registered, hash: first, previousHash: EventChain.genesis),
            StoredEvent(appealID: 1, sequence: 2, event: Self.assigned, hash: second, previousHash: first),
        ]
        #expect(EventChain.firstBrokenLink(in: history) == nil)
        history[1].event.data["department"] = "ABROAD"
        #expect(EventChain.firstBrokenLink(in: history) == 2)
    }
}
