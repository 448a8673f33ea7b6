import Foundation
import MurojaatCore
import Testing

@testable import Ingest

@Suite struct CallCardMappingTests {
    /// Rows look their columns up in tables indexed by ordinal.
    @Test func eachColumnsOrdinalIsItsPlaceAmongAllColumns() {
        #expect(CallCardColumn.allCases.map(\.ordinal) == Array(CallCardColumn.allCases.indices))
    }

    @Test(arguments: [
        ("call_id", CallCardColumn.callID), ("CallID", .callID), ("Call ID", .callID), ("CALL-ID", .callID),
        ("ID звонка", .callID), ("qo'ng'iroq_id", .callID), ("qoʻngʻiroq id", .callID), ("Qo‘ng‘iroq_ID", .callID),
        ("started_at", .startedAt), ("Начало звонка", .startedAt), ("ФИО", .callerName), ("F.I.Sh.", .callerName),
        ("Telefon", .caller), ("summary", .summary), ("Murojaat mazmuni", .summary),
        ("callback_number", .callbackNumber),
    ])
    func theShippedMappingKnowsTheAliases(header: String, column: CallCardColumn) throws {
        #expect(try Fixture.shippedMapping().column(named: header) == column)
    }

    @Test(arguments: [
        ("appeal", Intake.appeal), ("Murojaat", .appeal), ("обращение", .appeal),
        ("consultation", .consultation), ("konsultatsiya", .consultation), ("Консультация", .consultation),
        ("callback", .callback), ("qayta qo'ng'iroq", .callback), ("QAYTA QOʻNGʻIROQ", .callback),
        ("перезвонить", .callback),
    ])
    func theShippedMappingKnowsTheOutcomes(value: String, intake: Intake) throws {
        #expect(try Fixture.shippedMapping().intake(named: value) == intake)
    }

    @Test func theStandardMappingKnowsOnlyTheDocumentedNames() {
        #expect(CallCardMapping.standard.column(named: "Started_At") == .startedAt)
        #expect(CallCardMapping.standard.column(named: "CallID") == .callID)  // folding alone makes these one
        #expect(CallCardMapping.standard.column(named: "ID звонка") == nil)
        #expect(CallCardMapping.standard.intake(named: "konsultatsiya") == nil)
        #expect(CallCardMapping.standard.column(named: "queue_wait") == nil)
    }

    @Test func slashDatesSayWhichNumberIsTheDay() throws {
        #expect(CallCardMapping.standard.slashDates == nil)
        #expect(try CallCardMapping(yaml: "slash_dates: day-first\n").slashDates == .dayFirst)
        #expect(try CallCardMapping(yaml: "slash_dates: month-first\n").slashDates == .monthFirst)
    }

    @Test func aSingleAliasNeedsNoBrackets() throws {
        let mapping = try CallCardMapping(yaml: "columns:\n  summary: matn\n")
        #expect(mapping.column(named: "Matn") == .summary)
    }

    @Test(arguments: [
        ("columns:\n  cal_id: [x]\n", "call-cards.yaml:2:3: unknown column \"cal_id\""),
        ("outcomes:\n  answered: [x]\n", "call-cards.yaml:2:3: unknown outcome \"answered\""),
        ("colums:\n  call_id: [x]\n", "call-cards.yaml:1:1: unknown key \"colums\""),
        ("columns:\n  call_id: [phone]\n  caller: [phone]\n", "call-cards.yaml:3:12: \"phone\" cannot be an alias"),
        ("columns:\n  line: [caller]\n", "call-cards.yaml:2:10: \"caller\" cannot be an alias of \"line\""),
        ("columns: [call_id]\n", "call-cards.yaml:1:10: the columns must map names"),
        ("columns:\n  call_id: {a: b}\n", "call-cards.yaml:2:12: the aliases of \"call_id\" must be a list"),
        ("columns:\n  call_id: [\"\"]\n", "an alias of \"call_id\" must be a non-empty name"),
        ("columns: [unclosed\n", "call-cards.yaml: not valid YAML"),
        (
            "slash_dates: dd/mm/yyyy\n",
            "call-cards.yaml:1:14: slash_dates must be day-first (20/11/2025) or month-first"
        ),
    ])
    func mistakesInTheFilePointAtTheirLine(yaml: String, message: String) {
        #expect {
            _ = try CallCardMapping(yaml: yaml)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func anUnreadableFileIsATypedError() {
        #expect(throws: MappingError.self) {
            _ = try CallCardMapping.load(from: URL(fileURLWithPath: "/nonexistent/call-cards.yaml"))
        }
    }
}
