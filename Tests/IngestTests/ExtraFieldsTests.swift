import MurojaatCore
import Testing

@testable import Ingest

/// The fields an adapter keeps beside the documented ones, as `show` and the appeal page list them.
@Suite struct ExtraFieldsTests {
    @Test func namedFieldsComeFirstInTheReadersWordsAndACallsEndOnTheClock() {
        let extra = [
            "ended_at": "2025-11-20T09:42:53+05:00", "line": "1282", "Izoh": "qayta qo'ng'iroq",
            "operator": "op.ivanova",
        ]
        #expect(
            ExtraFields.listed(extra, in: .uz).map { "\($0.label): \($0.value)" } == [
                "terilgan liniya: 1282", "operator: op.ivanova", "qo‘ng‘iroq tugadi: 20.11.2025 09:42:53",
                "Izoh: qayta qo'ng'iroq",
            ])
        #expect(ExtraFields.listed(extra, in: .ru).map(\.label).prefix(1) == ["набранная линия"])
    }

    @Test(arguments: ["20/11/2025 09:42", "", "2025-11-20T09:42:53Z"])
    func aCallsEndThatIsNotAMomentIsShownAsWritten(_ value: String) {
        #expect(ExtraFields.listed(["ended_at": value], in: .en).first?.value == value)
    }
}
