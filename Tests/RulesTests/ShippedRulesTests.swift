import Foundation
import MurojaatCore
import Rules
import Testing

/// The rules that ship in `Rules/`: they load without a warning, cover the whole organisation, and route every
/// example they carry as the example says.
@Suite struct ShippedRulesTests {
    static let book = Result { try RuleBook.load(directory: RulesFolder.url) }

    @Test func loadWithoutWarnings() throws {
        let book = try Self.book.get()
        #expect(book.warnings.isEmpty, "\(book.warnings)")
        #expect(book.org.departments.count == 16)
        #expect(book.org.branches.count == 14)
    }

    @Test func everyDepartmentHasARuleThatRoutesToIt() throws {
        let book = try Self.book.get()
        let routed = Set(book.rules.compactMap(\.action.department))
        let missing = book.org.departments.map(\.code).filter { !routed.contains($0) }
        #expect(missing.isEmpty, "no rule routes to \(missing)")
        #expect(book.rules.contains { $0.action.forwardTo != nil }, "no rule for appeals outside the competence")
    }

    @Test func everyExampleRoutesAsItSays() throws {
        let results = try Self.book.get().checkExamples()
        #expect(results.count >= 50, "only \(results.count) examples")
        for result in results where !result.passed {
            Issue.record("\(result.location) \(result.rule): \"\(result.text)\": \(result.failures.map(\.en))")
        }
    }
}
