import Foundation
import MurojaatCore
import MurojaatTesting
import Rules
import Testing

@Suite struct TrackerRulesTests {
    /// A copy of the shipped rules with one file replaced (or removed, with nil).
    func rules(_ changes: [String: String?]) throws -> URL {
        let folder = try TestFolders.temporary("rules").appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: TestFolders.rules, to: folder)
        for (path, text) in changes {
            let url = folder.appendingPathComponent(path)
            if let text { try Data(text.utf8).write(to: url) } else { try FileManager.default.removeItem(at: url) }
        }
        return folder
    }

    func problems(_ changes: [String: String?]) throws -> [String] {
        let folder = try rules(changes)
        let book = try RuleBook.load(directory: folder)
        do {
            _ = try TrackerRules.load(directory: folder, org: book.org)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func theShippedLadderAndNoticesLoad() throws {
        let book = try RuleBook.load(directory: TestFolders.rules)
        let tracker = try TrackerRules.load(directory: TestFolders.rules, org: book.org)
        #expect(tracker.ladder.steps.map(\.id) == ["department", "head", "control", "deputy", "director"])
        #expect(tracker.ladder.steps.map(\.offset) == [-3, -1, 0, 1, 5])
        #expect(tracker.ladder.toldByStep["deputy"]?.uz == "mas’ul direktor o‘rinbosari")
        #expect(tracker.ladder.toldByStep["director"]?[.ru] == "директор")
        #expect(tracker.ladder.urgentNotify == [.department, .head])
        #expect(tracker.ladder.reportMinute == 9 * 60 && tracker.ladder.reportTo == [.control, .deputies])
        for (name, template) in tracker.notices { #expect(template.texts["ru"] != nil, "\(name) has no Russian text") }
        let text = tracker.notice("acknowledgement").render("ru", ["tracking": "K7P4-9QXM", "due": "24.03.2026"])
        #expect(text.subject == "Ваше обращение принято: K7P4-9QXM" && text.body.contains("24.03.2026"))
    }

    @Test func mistakesAreReportedWithTheirFileAndLine() throws {
        let unknown = try problems([
            "notices/answer.yaml": "uz:\n  subject: \"Javob {{trackng}}\"\n  text: \"{{answer}}\"\n"
        ])
        #expect(
            unknown.count == 1 && unknown[0].contains("answer.yaml:2") && unknown[0].contains("{{trackng}}"),
            "\(unknown)")
        let missing = try problems(["notices/reopened.yaml": nil])
        #expect(missing.contains { $0.contains("reopened") && $0.contains("missing") })
        let ladder = try String(
            contentsOf: TestFolders.rules.appendingPathComponent("escalation.yaml"), encoding: .utf8)
        let disordered = try problems([
            "escalation.yaml": ladder.replacingOccurrences(of: "before_due: 1", with: "before_due: 5")
        ])
        #expect(disordered.contains { $0.contains("must fall due after step department") })
        let control = try problems([
            "escalation.yaml": ladder.replacingOccurrences(
                of: "control_department: CONTROL", with: "control_department: KONTROL")
        ])
        #expect(control.contains { $0.contains("KONTROL") && $0.contains("escalation.yaml:") })
        let audience = try problems([
            "escalation.yaml": ladder.replacingOccurrences(of: "notify: [director]", with: "notify: [minister]")
        ])
        #expect(audience.contains { $0.contains("unknown audience \"minister\"") })
        let urgent = try problems([
            "escalation.yaml": ladder.replacingOccurrences(
                of: "urgent_notify: [department, head]", with: "urgent_notify: []")
        ])
        #expect(urgent.contains { $0.contains("urgent_notify names nobody") }, "\(urgent)")
        #expect(try problems(["notices/urgent.yaml": nil]).contains { $0.contains("the notice \"urgent\" is missing") })
    }

    /// A step's summary is one text for everyone, or words per language with Uzbek required.
    @Test func aStepSummaryIsOneTextOrWordsPerLanguage() throws {
        let ladder = try String(
            contentsOf: TestFolders.rules.appendingPathComponent("escalation.yaml"), encoding: .utf8)
        let shipped = try TrackerRules.load(
            directory: TestFolders.rules, org: try RuleBook.load(directory: TestFolders.rules).org)
        let head = try #require(shipped.ladder.step("head"))
        #expect(head.summary.ru == "До срока 1 рабочий день: начальнику отдела")
        #expect(head.summary.en == "1 working day to the deadline: to the head of department")

        let folder = try rules([
            "escalation.yaml": ladder.replacingOccurrences(
                of: """
                    summary:
                          uz: "Muddat bugun tugaydi: nazorat boshqarmasiga"
                          ru: "Срок истекает сегодня: управлению контроля"
                          en: "The deadline is today: to the control department"
                    """, with: "summary: \"Bugun\"")
        ])
        let oneText = try TrackerRules.load(directory: folder, org: try RuleBook.load(directory: folder).org)
        #expect(oneText.ladder.step("control")?.summary == Wording(verbatim: "Bugun"))

        let noUzbek = try problems([
            "escalation.yaml": ladder.replacingOccurrences(
                of: "uz: \"Muddat bugun tugaydi: nazorat boshqarmasiga\"", with: "kk: \"Bugun\"")
        ])
        #expect(noUzbek.contains { $0.contains("kk") && $0.contains("escalation.yaml:") }, "\(noUzbek)")
    }

    @Test func placeholdersAreFilledAndUnknownOnesStayVisible() {
        let template = NoticeTemplate(
            name: "t", texts: ["uz": .init(subject: "{{ tracking }}: {{x}}", body: "{{due}} {{open")])
        let text = template.render("en", ["tracking": "A", "due": "1"])
        #expect(text.subject == "A: {{x}}" && text.body == "1 {{open")
    }
}
