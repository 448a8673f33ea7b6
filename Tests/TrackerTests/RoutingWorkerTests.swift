import Foundation
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

/// Registration: what the router's decision becomes in the appeal's state, deadline and first events. The rules
/// are written here so each test shows what it relies on; deadlines and the calendar are the shipped ones.
@Suite struct RoutingWorkerTests {
    static let org = """
        director: {id: director, name: "Direktor"}
        deputies:
          - {id: kuranov, name: "M. Kuranov"}
        departments:
          - {code: ABROAD, name: "Xorijdagi fuqarolarga yordam", supervisor: kuranov}
          - {code: DISPUTES, name: "Nizolar", supervisor: kuranov}
          - {code: PLACEMENT, name: "Xorijga ishga yuborish", supervisor: kuranov}
        branches: []
        """
    static let routing = """
        rules:
          - id: abroad.wages
            weight: 3
            when: {any: ["ish haqi*", "зарплат*"]}
            then: {department: ABROAD, co_executors: [DISPUTES]}
          - id: placement.visa
            weight: 3
            when: {any: ["viza*"]}
            then: {department: PLACEMENT}
          - id: disputes.contract
            weight: 3
            when: {any: ["shartnoma*"]}
            then: {department: DISPUTES}
          - id: kind.complaint
            when: {any: ["shikoyat*"]}
            then: {kind: shikoyat}
          - id: urgent.detention
            when: {any: ["qamoq*"]}
            then: {urgent: true}
          - id: competence.pension
            weight: 3
            when: {any: ["pensiya*"]}
            then:
              out_of_competence: {forward_to: "Ijtimoiy fond"}
        """

    static func worker(store: any AppealStore) throws -> RoutingWorker {
        RoutingWorker(store: store, book: try book(), actor: "test:router")
    }

    static func book() throws -> RuleBook {
        let rules = TestFolders.rules
        func read(_ path: String) throws -> (String, String) {
            ("Rules/" + path, try String(contentsOf: rules.appendingPathComponent(path), encoding: .utf8))
        }
        return try RuleBook.compile(
            org: ("Rules/org.yaml", org), deadlines: try read("deadlines.yaml"),
            calendars: [try read("calendar/2025.yaml"), try read("calendar/2026.yaml")],
            settings: nil, routing: [("Rules/routing/test.yaml", routing)])
    }

    static func store() throws -> SQLiteStore {
        try SQLiteStore(path: try TestFolders.temporary().appendingPathComponent("t.sqlite").path)
    }

    static func item(
        _ text: String, received: String = "2025-03-18T10:00:00+05:00", intake: Intake = .appeal
    )
        -> InboxItem
    {
        InboxItem(
            id: 1,
            draft: AppealDraft(
                channel: .call, sourceKey: "c-1", receivedAt: instant(received), text: text,
                intake: intake), attempts: 0)
    }

    let now = instant("2025-03-18T10:05:00+05:00")

    @Test func aConfidentDecisionIsRegisteredAndAssignedWithTheStandardDeadline() throws {
        var worker = try Self.worker(store: try Self.store())
        let registration = worker.registration(
            for: Self.item("Rossiyada ish haqimni bermayapti, shikoyat qilaman"), now: now)
        #expect(registration.status == .assigned)
        #expect(registration.department == "ABROAD")
        #expect(registration.coExecutors == ["DISPUTES"])
        #expect(registration.kind == .shikoyat)
        #expect(registration.policy == "standard")
        // 15 calendar days counted from 19 March: 2 April 2025, a Wednesday.
        #expect(registration.due == LocalDate(year: 2025, month: 4, day: 2))
        #expect(registration.events.map(\.kind) == [.registered, .assigned])
        #expect(registration.events.last?.data["co_executors"] == "DISPUTES")
        #expect(registration.events.allSatisfy { $0.actor == "test:router" && $0.at == now })
        #expect(registration.events[0].why == "routed to ABROAD with 100% of the score")
        // Registration, the bulk path, keeps the English only (HistoryReadingTests read it in other languages).
        #expect(registration.events.allSatisfy { $0.data.keys.allSatisfy { !AppealEvent.isTranslation($0) } })
    }

    @Test func aTieGoesToTriageWithoutADepartmentButWithItsDeadline() throws {
        var worker = try Self.worker(store: try Self.store())
        let registration = worker.registration(for: Self.item("viza va shartnoma masalasi"), now: now)
        #expect(registration.status == .triage)
        #expect(registration.department == nil)
        #expect(registration.coExecutors.isEmpty)
        #expect(registration.events.map(\.kind) == [.sentToTriage])
        // The legal clock runs while an operator decides.
        #expect(registration.due == LocalDate(year: 2025, month: 4, day: 2))
        let candidates = registration.events[0].data["candidates"] ?? ""
        #expect(candidates.contains("PLACEMENT") && candidates.contains("DISPUTES"))
    }

    @Test func aConsultationIsRegisteredAnsweredAndClosedAtOnce() throws {
        var worker = try Self.worker(store: try Self.store())
        var item = Self.item("Viza olish tartibi haqida so'radi", intake: .consultation)
        item.draft.oralAnswer = "Tartib tushuntirildi"
        let registration = worker.registration(for: item, now: now)
        #expect(registration.status == .closed)
        #expect(registration.events.map(\.kind) == [.registered, .answered, .closed])
        #expect(registration.events[1].why == "Tartib tushuntirildi")
        #expect(registration.events[1].data["form"] == "oral")
    }

    @Test func outsideTheCompetenceWaitsToBeForwardedWithinFiveDays() throws {
        var worker = try Self.worker(store: try Self.store())
        let registration = worker.registration(for: Self.item("Pensiyam hisoblanmadi"), now: now)
        #expect(registration.status == .registered)
        #expect(registration.department == nil)
        #expect(registration.forwardTo == "Ijtimoiy fond")
        #expect(registration.policy == "forward")
        // 5 days from 19 March end on Sunday 23 March: the next working day.
        #expect(registration.due == LocalDate(year: 2025, month: 3, day: 24))
        #expect(registration.events.first?.data["forward_to"] == "Ijtimoiy fond")
    }

    @Test func aCallbackIsDueTheNextWorkingDay() throws {
        var worker = try Self.worker(store: try Self.store())
        // Thursday 20 March 2025: Friday is Navro'z, then the weekend.
        let registration = worker.registration(
            for: Self.item("Viza haqida qayta qo'ng'iroq", received: "2025-03-20T16:00:00+05:00", intake: .callback),
            now: now)
        #expect(registration.policy == "callback")
        #expect(registration.due == LocalDate(year: 2025, month: 3, day: 24))
    }

    @Test func aDeadlineSetByTheSourceBindsOverThePolicy() throws {
        var worker = try Self.worker(store: try Self.store())
        var item = Self.item("Rossiyada ish haqimni bermayapti")
        item.draft.bindingDeadline = LocalDate(year: 2025, month: 3, day: 28)
        let registration = worker.registration(for: item, now: now)
        #expect(registration.due == LocalDate(year: 2025, month: 3, day: 28))
        #expect(registration.events[0].data["deadline"]?.contains("binding") == true)
    }

    @Test func urgencyIsKeptOnTheAppealAndInTheEvent() throws {
        var worker = try Self.worker(store: try Self.store())
        let registration = worker.registration(for: Self.item("Akam qamoqqa olindi, ish haqi ham yo'q"), now: now)
        #expect(registration.urgent)
        #expect(registration.events[0].data["urgent"] == "true")
    }

    @Test func drainingRegistersEverythingOnceAndAgainDoesNothing() async throws {
        let store = try Self.store()
        let texts = ["Rossiyada ish haqimni bermayapti", "viza va shartnoma", "Pensiyam hisoblanmadi", "Salom"]
        let drafts = texts.enumerated().map { index, text in
            AppealDraft(channel: .call, sourceKey: "c-\(index)", receivedAt: now, text: text)
        }
        _ = try await store.enqueue(drafts, at: now)
        var worker = try Self.worker(store: store)
        let first = try await worker.drain(batchSize: 3, now: { now })
        #expect(first.routed == 1 && first.triage == 2 && first.outOfCompetence == 1)
        let second = try await worker.drain(now: { now })
        #expect(second.total == 0)
        let appeals = try await store.appeals(AppealQuery(limit: 10))
        #expect(appeals.count == 4)
        #expect(Set(appeals.map(\.sourceKey)) == ["c-0", "c-1", "c-2", "c-3"])
        for appeal in appeals {
            let history = try await store.history(of: appeal.id)
            #expect(!history.isEmpty)
            #expect(EventChain.firstBrokenLink(in: history) == nil)
        }
    }

    /// The appeals `texts` become, registered by the test rules on `now`, with their histories.
    func registered(_ drafts: [AppealDraft]) async throws -> (DeadlineBook, [(Appeal, [AppealEvent])]) {
        let store = try Self.store()
        _ = try await store.enqueue(drafts, at: now)
        let book = try Self.book()
        var worker = RoutingWorker(store: store, book: book, actor: "test:router")
        _ = try await worker.drain(now: { now })
        var found: [(Appeal, [AppealEvent])] = []
        for appeal in try await store.appeals(AppealQuery(limit: 10)).sorted(by: { $0.sourceKey < $1.sourceKey }) {
            found.append((appeal, try await store.history(of: appeal.id).map(\.event)))
        }
        return (book.deadlines, found)
    }

    @Test func aRegistrationsHistoryReadsInEachLanguageFromWhatTheAppealKeeps() async throws {
        var consultation = AppealDraft(
            channel: .call, sourceKey: "c-2", receivedAt: instant("2025-03-18T10:00:00+05:00"), text: "Viza haqida",
            intake: .consultation)
        consultation.oralAnswer = "Tartib tushuntirildi"
        let drafts = [
            AppealDraft(
                channel: .call, sourceKey: "c-0", receivedAt: instant("2025-03-18T10:00:00+05:00"),
                text: "Rossiyada ish haqimni bermayapti"),
            AppealDraft(
                channel: .call, sourceKey: "c-1", receivedAt: instant("2025-03-18T10:00:00+05:00"),
                text: "viza va shartnoma"),
            consultation,
        ]
        let (deadlines, appeals) = try await registered(drafts)
        let (routed, routedHistory) = appeals[0]
        let reading = HistoryReading(
            appeal: routed, explanation: RoutingExplanation(json: routed.routing), deadlines: deadlines)
        let registeredEvent = try #require(routedHistory.first { $0.kind == .registered })
        #expect(reading.why(registeredEvent, in: .en) == "routed to ABROAD with 100% of the score")
        #expect(reading.why(registeredEvent, in: .uz) == "ABROAD bo‘limiga yo‘naltirildi (ballning 100%)")
        #expect(reading.why(registeredEvent, in: .ru) == "Направлено в ABROAD (100% баллов)")
        #expect(reading.deadline(registeredEvent, in: .uz)?.hasPrefix("muddat 02.04.2025: qabul qilindi: ") == true)
        #expect(reading.deadline(registeredEvent, in: .ru)?.hasPrefix("срок 02.04.2025: поступило: ") == true)
        let assigned = try #require(routedHistory.first { $0.kind == .assigned })
        #expect(reading.why(assigned, in: .uz) == "yo‘naltirish qoidalari: abroad.wages")

        let (tie, tieHistory) = appeals[1]
        let triage = try #require(tieHistory.first { $0.kind == .sentToTriage })
        #expect(
            HistoryReading(appeal: tie, explanation: RoutingExplanation(json: tie.routing), deadlines: deadlines).why(
                triage, in: .uz)?.contains("teng ball") == true)

        let (oral, oralHistory) = appeals[2]
        let oralReading = HistoryReading(
            appeal: oral, explanation: RoutingExplanation(json: oral.routing), deadlines: nil)
        #expect(
            oralHistory.map { oralReading.why($0, in: .ru) } == [
                "устное обращение, ответ дан во время звонка", "Tartib tushuntirildi", "ответ дан на месте",
            ])
        // Without the rules the deadline reads as it was written.
        #expect(oralReading.deadline(oralHistory[0], in: .uz)?.hasPrefix("due ") == true)
    }

    @Test func aTranslationIsShownOnlyWhenItsEnglishIsWhatWasStored() async throws {
        let drafts = [
            AppealDraft(
                channel: .call, sourceKey: "c-0", receivedAt: instant("2025-03-18T10:00:00+05:00"),
                text: "Rossiyada ish haqimni bermayapti")
        ]
        var (deadlines, appeals) = try await registered(drafts)
        let (appeal, history) = appeals[0]
        let registeredEvent = try #require(history.first { $0.kind == .registered })
        // The calendar changed since: 21.03.2025 is no longer a holiday, so the deadline said again differs from the
        // one written; the history keeps what was written.
        deadlines.calendar.holidays[LocalDate("2025-03-21")!] = nil
        let changed = HistoryReading(
            appeal: appeal, explanation: RoutingExplanation(json: appeal.routing), deadlines: deadlines)
        #expect(changed.deadline(registeredEvent, in: .uz) == registeredEvent.data["deadline"])
        // An event edited by hand (or written by a person) is not dressed in words it does not say.
        var edited = registeredEvent
        edited.why = "routed to ABROAD by hand"
        #expect(changed.why(edited, in: .uz) == "routed to ABROAD by hand")
    }
}
