import Foundation
import MurojaatCore
import MurojaatTesting
import Rules
import SQLiteStore
import Store
import Testing
import Tracker

@Suite struct AppealActionsTests {
    let received = "2026-03-05T10:00:00+05:00"  // due 24.03.2026 under the standard 15 days

    func refusal<T>(
        _ code: ActionError.Code = .refused, _ body: () async throws(ActionError) -> T
    ) async -> String {
        do {
            _ = try await body()
            Issue.record("the action was allowed")
            return ""
        } catch {
            #expect(error.code == code, "\(error.message)")
            return error.message
        }
    }

    @Test func anExtensionIsOnceAtMostAMonthBeforeTheDeadlineOnAHeadsDecision() async throws {
        let fixture = try TrackerFixture()
        let appeal = try #require(
            try await fixture.route([
                TrackerFixture.draft("e1", received: received, email: "vali@example.uz")
            ]).first)
        let actions = fixture.actions
        let now = instant("2026-03-20T11:00:00+05:00")
        var message = await refusal { () async throws(ActionError) in
            try await actions.extend(appeal.id, reason: "tekshiruv", approvedBy: "aziza", by: "aziza", now: now)
        }
        #expect(message.contains("head's approval"))
        message = await refusal { () async throws(ActionError) in
            try await actions.extend(
                appeal.id, until: LocalDate("2026-04-27"), reason: "tekshiruv", approvedBy: "abroad-head", by: "a",
                now: now)
        }
        #expect(message.contains("the latest is 24.04.2026"))
        message = await refusal(.invalid) { () async throws(ActionError) in
            try await actions.extend(appeal.id, reason: " ", approvedBy: "abroad-head", by: "a", now: now)
        }
        #expect(message.contains("reason"))
        let extended = try await actions.extend(
            appeal.id, until: LocalDate("2026-04-10"), reason: "ekspert xulosasi so'raldi", approvedBy: "abroad-head",
            by: "aziza", now: now)
        #expect(extended.due == LocalDate("2026-04-10") && extended.control.extensions == 1)
        message = await refusal { () async throws(ActionError) in
            try await actions.extend(appeal.id, reason: "yana", approvedBy: "abroad-head", by: "a", now: now)
        }
        #expect(message.contains("once"))
        let event = try #require(try await fixture.store.history(of: appeal.id).last?.event)
        #expect(event.kind == .extended && event.actor == "aziza" && event.why == "ekspert xulosasi so'raldi")
        #expect(event.data["old_due"] == "2026-03-24" && event.data["approved_by"] == "abroad-head")
        let notice = try #require(
            try await fixture.store.outbox(state: nil, limit: 10).first { $0.notice.kind == "extension" })
        #expect(notice.notice.to == ["vali@example.uz"])
        #expect(notice.notice.text.contains("24.03.2026") && notice.notice.text.contains("10.04.2026"))
        #expect(notice.notice.text.contains("ABROAD boshlig'i"))
    }

    /// A duplicate is joined to the first appeal and closed (art. 3); the histories name each other; a mistaken
    /// join is undone by reopening; links leave both appeals as they are.
    @Test func aDuplicateIsJoinedToTheFirstAndClosedAndLinksChangeNothingElse() async throws {
        let fixture = try TrackerFixture()
        let appeals = try await fixture.route([
            TrackerFixture.draft("d1", received: received, email: "vali@example.uz"),
            TrackerFixture.draft("d2", received: received, email: "ali@example.uz"),
            TrackerFixture.draft("d3", received: received, email: "soli@example.uz"),
            TrackerFixture.draft("d4", received: received, email: "vali@example.uz"),
        ])
        try #require(appeals.count == 4)
        let (first, copy, other) = (appeals[0], appeals[1], appeals[2])
        let actions = fixture.actions
        let now = instant("2026-03-06T11:00:00+05:00")
        var message = await refusal(.invalid) { () async throws(ActionError) in
            try await actions.joinDuplicate(first.id, into: first.id, why: nil, by: "op", now: now)
        }
        #expect(message.contains("itself"))
        let joined = try await actions.joinDuplicate(copy.id, into: first.id, why: "nusxa", by: "op", now: now)
        #expect(joined.status == .closed && joined.tags.contains("duplicate") && joined.control.nextCheck == nil)
        let copyEvent = try #require(try await fixture.store.history(of: copy.id).last?.event)
        #expect(copyEvent.kind == .joinedAsDuplicate && copyEvent.data["into"] == first.tracking.value)
        #expect(copyEvent.actor == "op" && copyEvent.status == .closed && copyEvent.why == "nusxa")
        let firstEvent = try #require(try await fixture.store.history(of: first.id).last?.event)
        #expect(firstEvent.kind == .duplicateJoined && firstEvent.data["duplicate"] == copy.tracking.value)
        #expect(try await fixture.store.appeal(id: first.id)?.status == first.status, "the first goes on as it was")
        // Nothing joins to a copy, and a closed copy is not joined again.
        message = await refusal { () async throws(ActionError) in
            try await actions.joinDuplicate(other.id, into: copy.id, why: nil, by: "op", now: now)
        }
        #expect(message.contains("itself a duplicate"))
        message = await refusal { () async throws(ActionError) in
            try await actions.joinDuplicate(copy.id, into: other.id, why: nil, by: "op", now: now)
        }
        #expect(message.contains("closed"))
        let reopened = try await actions.reopen(copy.id, reason: "nusxa emas ekan", by: "control1", now: now)
        #expect(reopened.status == .inProgress && reopened.due != nil)

        let linked = try await actions.link(other.id, with: first.id, why: "takroriy", by: "op", now: now)
        #expect(linked.status == other.status)
        let otherEvent = try #require(try await fixture.store.history(of: other.id).last?.event)
        #expect(
            otherEvent.kind == .linked && otherEvent.data["with"] == first.tracking.value && otherEvent.status == nil)
        let back = try #require(try await fixture.store.history(of: first.id).last?.event)
        #expect(back.kind == .linked && back.data["with"] == other.tracking.value)

        // Joined during consideration, the copy's applicant hears nothing; after the answer, a notice says so.
        let outbox = { try await fixture.store.outbox(state: nil, limit: 100).filter { $0.notice.kind == "duplicate" } }
        #expect(try await outbox().isEmpty)
        _ = try await actions.answer(first.id, text: "Javob", close: true, by: "abroad1", now: now)
        _ = try await actions.joinDuplicate(appeals[3].id, into: first.id, why: nil, by: "op", now: now)
        let notice = try #require(try await outbox().first?.notice)
        #expect(notice.to == ["vali@example.uz"] && notice.appealID == appeals[3].id)
        #expect(notice.text.contains(first.tracking.value) && notice.text.contains("06.03.2026"))
    }

    @Test func noExtensionAfterTheDeadlinePassed() async throws {
        let fixture = try TrackerFixture()
        let appeal = try #require(try await fixture.route([TrackerFixture.draft("late", received: received)]).first)
        let message = await refusal { () async throws(ActionError) in
            try await fixture.actions.extend(
                appeal.id, reason: "kech", approvedBy: "abroad-head", by: "a", now: instant("2026-03-25T09:00:00+05:00")
            )
        }
        #expect(message.contains("passed on 24.03.2026"))
    }

    @Test func aMinorsAppealIsNotLeftWithoutConsideration() async throws {
        let fixture = try TrackerFixture()
        let actions = fixture.actions
        let appeals = try await fixture.route([
            TrackerFixture.draft("minor", received: received),
            TrackerFixture.draft(
                "named", received: received, name: "Aliyev Vali", address: "Andijon, Navoiy ko'chasi 5"),
            TrackerFixture.draft("anon", received: received, name: nil),
        ])
        let now = instant("2026-03-06T10:00:00+05:00")
        _ = try await actions.tag(appeals[0].id, add: ["minor"], remove: [], by: "op", why: "16 yosh", now: now)
        var message = await refusal { () async throws(ActionError) in
            try await actions.leaveWithoutConsideration(
                appeals[0].id, ground: .noAuthority, conclusion: "ishonchnoma yo'q", approvedBy: "abroad-head",
                by: "op", now: now)
        }
        #expect(message.contains("minor"))
        message = await refusal { () async throws(ActionError) in
            try await actions.leaveWithoutConsideration(
                appeals[1].id, ground: .anonymous, conclusion: "anonim", approvedBy: "abroad-head", by: "op", now: now)
        }
        #expect(message.contains("not anonymous"))
        message = await refusal { () async throws(ActionError) in
            try await actions.leaveWithoutConsideration(
                appeals[2].id, ground: .anonymous, conclusion: "F.I.Sh. yo'q", approvedBy: "nobody", by: "op", now: now)
        }
        #expect(message.contains("head's approval"))
        let left = try await actions.leaveWithoutConsideration(
            appeals[2].id, ground: .anonymous, conclusion: "F.I.Sh. va manzil ko'rsatilmagan",
            approvedBy: "abroad-head", by: "op", now: now)
        #expect(left.status == .leftWithoutConsideration && left.control.nextCheck == nil)
        #expect(left.control.closedAt == now)
        // Nothing further can be done with it.
        message = await refusal { () async throws(ActionError) in
            try await actions.answer(appeals[2].id, text: "javob", by: "op", now: now)
        }
        #expect(message.contains("no further action"))
    }

    @Test func forwardingRefusesTheAgencyAndTheBodyComplainedAbout() async throws {
        let fixture = try TrackerFixture()
        let actions = fixture.actions
        let complaint = try #require(
            try await fixture.route([
                TrackerFixture.draft(
                    "c", received: received,
                    text: "Toshkent shahar IIB xodimlari pasportimni qaytarmayapti, shikoyat qilaman, chora ko'ring",
                    email: "v@example.uz")
            ]).first)
        let now = instant("2026-03-12T10:00:00+05:00")
        var message = await refusal { () async throws(ActionError) in
            try await actions.forward(complaint.id, to: "Toshkent shahar IIB", reason: "vakolati", by: "op", now: now)
        }
        #expect(complaint.kind == .shikoyat)
        #expect(message.contains("25-modda"))
        message = await refusal { () async throws(ActionError) in
            try await actions.forward(
                complaint.id, to: "Migratsiya agentligi Andijon filiali", reason: "x", by: "op", now: now)
        }
        #expect(message.contains("the Agency itself"))
        let forwarded = try await actions.forward(
            complaint.id, to: "O'zbekiston Respublikasi Bosh prokuraturasi", reason: "IIB ustidan nazorat",
            by: "op", now: now)
        #expect(forwarded.status == .forwarded && forwarded.forwardTo == "O'zbekiston Respublikasi Bosh prokuraturasi")
        let event = try #require(try await fixture.store.history(of: complaint.id).last?.event)
        // Received 05.03; five days ended 10.03: the forward is made, and marked late.
        #expect(event.data["late"]?.contains("10.03.2026") == true)
        #expect(try await fixture.store.outbox(state: nil, limit: 10).contains { $0.notice.kind == "forwarded" })
    }

    @Test func answersInterimKeepTheClockFinalStopsItAndReopenRestartsIt() async throws {
        let fixture = try TrackerFixture()
        let actions = fixture.actions
        let appeal = try #require(
            try await fixture.route([TrackerFixture.draft("a", received: received, email: "v@example.uz")]).first)
        let pdf = Document(
            role: .answer, name: "javob.pdf", contentType: "application/pdf", size: 3,
            sha256: EventChain.digest([1, 2, 3]),
            content: [1, 2, 3])
        let interim = try await actions.answer(
            appeal.id, text: "Ko'rib chiqilmoqda", interim: true, by: "abroad.ijrochi",
            now: instant("2026-03-10T10:00:00+05:00"))
        #expect(interim.status == .assigned && interim.control.nextCheck != nil && interim.control.answeredAt == nil)
        let answered = try await actions.answer(
            appeal.id, text: "Ish haqingiz undirildi.", attachments: [pdf], close: true, by: "abroad.ijrochi",
            now: instant("2026-03-26T10:00:00+05:00"))
        #expect(answered.status == .closed && answered.control.nextCheck == nil)
        #expect(answered.control.answeredAt == instant("2026-03-26T10:00:00+05:00"))
        let history = try await fixture.store.history(of: appeal.id).map(\.event)
        #expect(history.suffix(2).map(\.kind) == [.answered, .closed])
        #expect(history.suffix(2).first?.data["late"]?.contains("2 working days") == true)
        let documents = try await fixture.store.documents(channel: .email, sourceKey: "a")
        #expect(documents.map(\.role) == [.answer] && documents.first?.name == "javob.pdf")
        let mail = try #require(try await fixture.store.outbox(state: nil, limit: 10).last)
        #expect(mail.notice.kind == "answer" && mail.notice.text.contains("Ish haqingiz undirildi."))
        // Answering again is refused; a justified complaint reopens with a fresh deadline.
        let message = await refusal { () async throws(ActionError) in
            try await actions.answer(appeal.id, text: "yana", by: "x", now: instant("2026-03-27T10:00:00+05:00"))
        }
        #expect(message.contains("closed"))
        let reopened = try await actions.reopen(
            appeal.id, reason: "javob barcha masalalarga berilmagan", by: "control",
            now: instant("2026-04-01T10:00:00+05:00"))
        #expect(reopened.status == .inProgress && reopened.due == LocalDate("2026-04-16"))
        #expect(reopened.control.answeredAt == nil && reopened.control.closedAt == nil)
        #expect(reopened.control.nextCheck == LocalDate("2026-04-13"))
    }

    @Test func needsStudyGivesAMonthAndAProposalGetsItsTenDayNotice() async throws {
        let fixture = try TrackerFixture()
        let actions = fixture.actions
        let appeals = try await fixture.route([
            TrackerFixture.draft("s", received: received),
            TrackerFixture.draft(
                "p1", received: received, text: "Taklif: xorijda ishlash uchun til kurslarini ko'paytirish kerak",
                kind: .taklif),
            TrackerFixture.draft(
                "p2", received: received, text: "Taklif: xorijda ishlash uchun til kurslarini ko'paytirish kerak",
                kind: .taklif, email: "p@example.uz"),
        ])
        let now = instant("2026-03-06T10:00:00+05:00")
        let studied = try await actions.markNeedsStudy(appeals[0].id, by: "h", why: "hujjatlar so'raldi", now: now)
        #expect(studied.due == LocalDate("2026-04-06") && studied.policy == "needs-study")
        let again = await refusal { () async throws(ActionError) in
            try await actions.markNeedsStudy(appeals[0].id, by: "h", why: "yana", now: now)
        }
        #expect(again.contains("already"))
        #expect(appeals[1].kind == .taklif && appeals[1].due == LocalDate("2026-04-06"))
        let proposal = try await actions.markNeedsStudy(appeals[1].id, by: "h", why: "o'rganish kerak", now: now)
        #expect(proposal.due == LocalDate("2026-04-06"))
        let tasks = try await fixture.store.openTasks(dueThrough: nil)
        #expect(tasks.map(\.appealID) == [appeals[1].id] && tasks.first?.due == LocalDate("2026-03-16"))
        // With an address the proposer is told at once, and no task is left.
        _ = try await actions.markNeedsStudy(appeals[2].id, by: "h", why: "o'rganish kerak", now: now)
        #expect(try await fixture.store.openTasks(dueThrough: nil).count == 1)
        #expect(
            try await fixture.store.outbox(state: nil, limit: 10).contains {
                $0.notice.kind == "proposal-study" && $0.notice.to == ["p@example.uz"]
            })
        let done = try await actions.completeTask(
            appeals[1].id, task: tasks[0].id, note: "xat yuborildi", by: "h", now: now)
        #expect(done.status == appeals[1].status)
        #expect(try await fixture.store.openTasks(dueThrough: nil).isEmpty)
    }

    @Test func assigningFromTriageRegistersAndAcknowledges() async throws {
        let fixture = try TrackerFixture()
        let appeal = try #require(
            try await fixture.route([
                TrackerFixture.draft("t", received: received, text: "Salom, bir savol bor edi", email: "t@example.uz")
            ]).first)
        #expect(appeal.status == .triage)
        let now = instant("2026-03-05T12:00:00+05:00")
        let message = await refusal(.notFound) { () async throws(ActionError) in
            try await fixture.actions.assign(appeal.id, main: "NOPE", by: "op", now: now)
        }
        #expect(message.contains("no department"))
        // Codes in any case name the chart's departments; "legal" twice is one department.
        let assigned = try await fixture.actions.assign(
            appeal.id, main: "legal", coExecutors: ["Press", "LEGAL"], by: "op", why: "huquqiy savol", now: now)
        #expect(assigned.status == .assigned && assigned.department == "LEGAL" && assigned.coExecutors == ["PRESS"])
        let history = try await fixture.store.history(of: appeal.id).map(\.event)
        #expect(history.suffix(2).map(\.kind) == [.registered, .assigned])
        #expect(history.last?.actor == "op" && history.last?.why == "huquqiy savol")
        let ack = try #require(try await fixture.store.outbox(state: nil, limit: 10).first)
        #expect(ack.notice.kind == "acknowledgement" && ack.notice.text.contains(appeal.tracking.value))
        #expect(ack.notice.text.contains("Yuridik bo'lim") && ack.notice.text.contains("24.03.2026"))
        // A stale second decision on the same version is a conflict, not a silent overwrite.
        let assignments = try await fixture.store.assignments(of: appeal.id).filter(\.active)
        #expect(assignments.map(\.department) == ["LEGAL", "PRESS"])
    }

    /// An urgent appeal is announced to its department and head at once, whether the rules routed it or an operator
    /// took it out of triage; once per department, and again when it moves to another.
    @Test func anUrgentAppealAlertsItsDepartmentAtOnce() async throws {
        let fixture = try TrackerFixture()
        let routed = try await fixture.route([
            TrackerFixture.draft(
                "death", received: received, text: "Akam Rossiyada vafot etdi, jasadini olib kelishga yordam bering"),
            TrackerFixture.draft("danger", received: received, text: "Salom, hayotimga xavf bor, yordam bering"),
            TrackerFixture.draft("wages", received: received),
        ])
        let death = try #require(routed.first { $0.sourceKey == "death" })
        let danger = try #require(routed.first { $0.sourceKey == "danger" })
        try #require(death.urgent && death.department == "ABROAD" && danger.urgent && danger.status == .triage)
        func alerts() async throws -> [Notice] {
            try await fixture.store.outbox(state: nil, limit: 100).map(\.notice).filter { $0.kind == "urgent" }
        }
        let abroad = try #require(fixture.book.org.department("ABROAD"))
        let first = try await alerts()
        // The routed one only: nobody to alert for the one in triage, and nothing for a routine appeal.
        #expect(first.map(\.appealID) == [death.id])
        let alert = try #require(first.first)
        #expect(Set(alert.to) == Set([abroad.email, abroad.head?.email].compactMap { $0 }))
        #expect(alert.subject == "[SHOSHILINCH] \(death.tracking.value): \(abroad.name("uz"))")
        #expect(alert.text.hasPrefix("Ijrochi bo‘lim, bo‘lim boshlig‘i, shoshilinch murojaat keldi"))

        let now = instant("2026-03-05T12:00:00+05:00")
        _ = try await fixture.actions.assign(danger.id, main: "LEGAL", by: "op", now: now)
        _ = try await fixture.actions.assign(danger.id, main: "LEGAL", coExecutors: ["PRESS"], by: "op", now: now)
        _ = try await fixture.actions.assign(danger.id, main: "DISPUTES", by: "op", now: now)
        let legal = try #require(fixture.book.org.department("LEGAL")?.email)
        let disputes = try #require(fixture.book.org.department("DISPUTES")?.email)
        let second = try await alerts().filter { $0.appealID == danger.id }
        #expect(second.count == 2, "out of triage to LEGAL, then to DISPUTES; not for a co-executor added")
        #expect(second.contains { $0.to.contains(legal) } && second.contains { $0.to.contains(disputes) })
    }

    @Test func routedAppealsAreAcknowledgedInTheApplicantsLanguage() async throws {
        let fixture = try TrackerFixture()
        let appeals = try await fixture.route([
            TrackerFixture.draft(
                "ru", received: received, text: "В России работодатель не платит мне зарплату, помогите пожалуйста",
                email: "ivan@example.ru"),
            TrackerFixture.draft("no-mail", received: received),
        ])
        #expect(appeals.allSatisfy { $0.status == .assigned })
        let outbox = try await fixture.store.outbox(state: nil, limit: 10)
        #expect(outbox.count == 1)
        #expect(outbox.first?.notice.subject == "Ваше обращение принято: \(appeals[0].tracking.value)")
    }
}
