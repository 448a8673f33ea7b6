import Foundation
import MurojaatCore
import Testing

@Suite struct TrackingNumberTests {
    @Test(arguments: [Int64(1), 2, 3, 42, 999, 1_000_000, 34_359_738_367])
    func roundTripsThroughItsSpelling(sequence: Int64) throws {
        let number = TrackingNumber(sequence: sequence)
        #expect(number.value.count == 9)
        #expect(number.value.dropFirst(4).first == "-")
        #expect(try TrackingNumber(parsing: number.value) == number)
        #expect(number.sequence == sequence)
    }

    @Test func consecutiveAppealsDoNotGetConsecutiveNumbers() {
        let first = TrackingNumber(sequence: 1000).value
        let second = TrackingNumber(sequence: 1001).value
        #expect(first.prefix(7) != second.prefix(7))
    }

    @Test func distinctSequencesGiveDistinctNumbers() {
        var seen = Set<String>()
        for sequence in Int64(1)...20_000 { seen.insert(TrackingNumber(sequence: sequence).value) }
        #expect(seen.count == 20_000)
    }

    @Test func dictationVariantsAreAccepted() throws {
        let number = TrackingNumber(sequence: 123_456)
        let spoken = number.value.lowercased().replacingOccurrences(of: "-", with: " ")
        #expect(try TrackingNumber(parsing: spoken) == number)
        let withLookalikes = number.value.replacingOccurrences(of: "0", with: "O").replacingOccurrences(
            of: "1", with: "I")
        #expect(try TrackingNumber(parsing: withLookalikes) == number)
    }

    @Test func everySingleMistypedSymbolIsRejected() throws {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for sequence in [Int64(7), 77_777, 9_999_999] {
            let symbols = Array(TrackingNumber(sequence: sequence).value.replacingOccurrences(of: "-", with: ""))
            for position in symbols.indices {
                for replacement in alphabet where replacement != symbols[position] {
                    var typed = symbols
                    typed[position] = replacement
                    #expect(throws: TrackingNumberError.self) { try TrackingNumber(parsing: String(typed)) }
                }
            }
        }
    }

    @Test func swappedNeighboursAreRejected() throws {
        // Luhn mod 32 misses only the swap of 0 and Z (their doubled sums are equal); every other swap is caught.
        for sequence in Int64(1)...300 {
            let symbols = Array(TrackingNumber(sequence: sequence).value.replacingOccurrences(of: "-", with: ""))
            for position in 0..<(symbols.count - 1) {
                let pair = Set([symbols[position], symbols[position + 1]])
                if pair.count == 1 || pair == ["0", "Z"] { continue }
                var typed = symbols
                typed.swapAt(position, position + 1)
                #expect(throws: TrackingNumberError.self) { try TrackingNumber(parsing: String(typed)) }
            }
        }
    }

    @Test(arguments: ["", "ABC", "K7P4-9QXM-1", "K7P4-9QX!"])
    func malformedInputIsRejected(text: String) {
        #expect(throws: TrackingNumberError.self) { try TrackingNumber(parsing: text) }
    }
}
