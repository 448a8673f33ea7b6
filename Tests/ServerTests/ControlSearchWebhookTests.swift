import Foundation
import Hummingbird
import HummingbirdTesting
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Server
import Store
import Testing
import Tracker

@Suite struct ControlSearchWebhookTests {
    @Test func theDashboardShowsOverdueByDepartmentTodaysEscalationsAndTheReportInEveryFormat() async throws {
        let fixture = try await ServerFixture()
        _ = try await fixture.store.record(
            AppealEvent(
                at: ServerFixture.now.addingTimeInterval(-600), actor: "system:tracker", kind: .escalated,
                why: "Muddat bugun tugaydi", data: ["step": "control", "level": "3"]),
            on: fixture.abroad.id, expecting: nil)
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let page = try await control.get(client, "/control")
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains(#"<meter min="0""#) && html.contains("/queue?department=ABROAD"))
            #expect(html.contains(fixture.abroad.tracking.value) && html.contains("Muddat bugun tugaydi"))
            #expect(html.contains("<td>3 · nazorat boshqarmasi</td>"), "the step is named by whom it told")
            #expect(html.contains(#"id="report-xlsx" href="/reports/daily?date=2026-03-06&amp;format=xlsx""#))

            let xlsx = try await control.get(client, "/reports/daily?date=2026-03-06&format=xlsx")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentDisposition] == #"attachment; filename="murojaat-daily-2026-03-06.xlsx""#)
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])  // a ZIP: the workbook
            let csv = try await control.get(client, "/reports/daily?date=2026-03-05&format=csv")
            let rows = String(buffer: csv.body).split(whereSeparator: \.isNewline)
            #expect(csv.status == .ok && rows.count > 16)
            #expect(rows.contains { $0.hasPrefix("2026-03-05,ABROAD,") })
            let html2 = try await control.get(client, "/reports/daily?date=2026-03-06")
            #expect(html2.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html2.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(try await control.get(client, "/reports/daily?date=2026-13-45").status == .badRequest)
            #expect(try await control.get(client, "/reports/daily?format=pdf").status == .badRequest)

            let executor = try await Browser.signIn(client, "abroad-exec")
            #expect(try await executor.get(client, "/control").status == .forbidden)
            #expect(try await executor.get(client, "/reports/daily?format=csv").status == .forbidden)
        }
    }

    @Test func theRulesPageShowsTheDecisionAndTheMatchedWords() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let operatorBrowser = try await Browser.signIn(client, "operator1")
            let text = "Rossiyada ish beruvchi ish haqimni bermayapti"
            let response = try await operatorBrowser.post(
                client, "/rules", "text=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            let html = String(buffer: response.body)
            #expect(response.status == .ok)
            let decision = try #require(html.range(of: #"<section id="decision">"#)).upperBound
            let section = html[decision...]
            #expect(section.contains("ABROAD") && section.contains("<mark"))
            #expect(section.contains(text) == false)  // the text stays in the form, not in the verdict
            let forged = try await operatorBrowser.post(client, "/rules", "text=x", csrf: false)
            #expect(forged.status == .forbidden)
        }
    }

    @Test func searchFindsByWordsInEitherScriptPhoneAndNumberWithinWhatOneMaySee() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let latin = String(buffer: try await control.get(client, "/search?q=ish+haqimni").body)
            #expect(latin.contains(fixture.abroad.tracking.value) && !latin.contains(fixture.triage.tracking.value))
            let cyrillic = "иш ҳақимни".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let found = String(buffer: try await control.get(client, "/search?q=\(cyrillic)").body)
            #expect(found.contains(fixture.abroad.tracking.value))
            let nothing = String(buffer: try await control.get(client, "/search?q=litsenziya").body)
            #expect(!nothing.contains(fixture.abroad.tracking.value) && nothing.contains("Jami: 0"))
            let byNumber = try await control.get(client, "/search?q=\(fixture.abroad.tracking.value.lowercased())")
            #expect(byNumber.status == .seeOther)
            #expect(byNumber.headers[.location] == "/appeals/\(fixture.abroad.tracking.value)")

            let legal = try await Browser.signIn(client, "legal-exec")
            let hidden = String(buffer: try await legal.get(client, "/search?q=ish+haqimni").body)
            #expect(!hidden.contains(fixture.abroad.tracking.value))
            let number = try await legal.get(client, "/search?q=\(fixture.abroad.tracking.value)")
            #expect(number.status == .ok)  // no redirect to an appeal that is not theirs
        }
    }

    @Test func theAppealPageListsTheApplicantsOtherAppealsAndItsDocumentsAsDownloads() async throws {
        let fixture = try await ServerFixture()
        let html = Array("<html><script>alert(1)</script></html>".utf8)
        var first = AppealDraft(
            channel: .email, sourceKey: "same-1", receivedAt: ServerFixture.now.addingTimeInterval(-7200),
            text: "Rossiyada ish haqimni bermayapti, birinchi xat", kind: .shikoyat, intake: .appeal,
            applicant: Applicant(name: "Ali", phone: "+998901234500", email: nil, address: nil))
        first.documents = [
            Document(
                role: .attachment, name: "xat.html", contentType: "text/html", size: html.count,
                sha256: EventChain.digest(html), content: html)
        ]
        var second = first
        second.sourceKey = "same-2"
        second.text = "Ikkinchi marta yozyapman: ish haqi masalasi"
        second.documents = []
        _ = try await fixture.store.enqueue([first, second], at: ServerFixture.now)
        var worker = RoutingWorker(
            store: fixture.store, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get())
        _ = try await worker.drain(now: { ServerFixture.now })
        let all = try await fixture.store.appeals(AppealQuery(limit: 10))
        let one = try #require(all.first { $0.sourceKey == "same-1" })
        let two = try #require(all.first { $0.sourceKey == "same-2" })
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let page = String(buffer: try await control.get(client, "/appeals/\(one.tracking.value)").body)
            #expect(page.contains(#"href="/appeals/\#(two.tracking.value)""#))
            let link = "/appeals/\(one.tracking.value)/documents/\(EventChain.digest(html))"
            #expect(page.contains(link) && page.contains("xat.html"))
            let file = try await control.get(client, link)
            #expect(file.status == .ok && file.headers[.contentType] == "application/octet-stream")
            #expect(file.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(Array(file.body.readableBytesView) == html)
            let wrong = try await control.get(
                client, "/appeals/\(two.tracking.value)/documents/\(EventChain.digest(html))")
            #expect(wrong.status == .notFound)
        }
    }

    @Test func theWebhookTakesCallCardsOnceWithAnOperatorsTokenAndQuarantinesBadOnes() async throws {
        let fixture = try await ServerFixture()
        let operatorID = try #require(try await fixture.store.user(login: "operator1")?.id)
        let token = "callcentre-token-1"
        _ = try await fixture.store.addToken(
            name: "callcentre", tokenHash: Secrets.digest(token), userID: operatorID, at: ServerFixture.now)
        let executorID = try #require(try await fixture.store.user(login: "abroad-exec")?.id)
        _ = try await fixture.store.addToken(
            name: "x", tokenHash: Secrets.digest("exec-token"), userID: executorID, at: ServerFixture.now)
        let card = #"""
            {"call_id": "cc-77", "started_at": "2026-03-06 09:40:00", "caller": "90 123 45 67",
             "caller_name": "Oybek", "summary": "Rossiyada ish haqimni bermayapti, \"yordam\" bering,\nrahmat",
             "language": "uz", "line": 1282}
            """#
        try await fixture.application.test(.router) { client in
            func post(_ body: String, token: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await client.execute(
                    uri: "/api/v1/appeals", method: .post, headers: headers, body: ByteBuffer(string: body))
            }
            let first = try await post(card, token: token)
            #expect(first.status == .accepted, "\(String(buffer: first.body))")
            let again = try await post(card, token: token)
            #expect(again.status == .ok && String(buffer: again.body).contains(#""duplicates":1"#))
            let pending = try await fixture.store.claimInbox(limit: 10, now: ServerFixture.now, lease: .seconds(1))
            #expect(pending.count == 1)
            let draft = try #require(pending.first?.draft)
            #expect(draft.sourceKey.contains("cc-77") && draft.channel == .call)
            #expect(draft.text.contains("\"yordam\" bering,\nrahmat") && draft.applicant.phone == "+998901234567")

            let before = try await fixture.store.quarantined(QuarantineQuery()).count
            let missing = try await post(#"{"call_id": "cc-78"}"#, token: token)
            #expect(missing.status == .unprocessableContent)
            #expect(String(buffer: missing.body).contains("started_at"))
            let broken = try await post("{not json", token: token)
            #expect(broken.status == .badRequest)
            #expect(try await fixture.store.quarantined(QuarantineQuery()).count == before + 2)
            // Operators read the reason on the Uzbek quarantine page: it is worded, not the API's English.
            let newest = try #require(try await fixture.store.quarantined(QuarantineQuery(newestFirst: true)).first)
            #expect(newest.record.reason.uz.hasPrefix("So‘rov tanasi JSON emas"))
            #expect(newest.record.reason.en.hasPrefix("the body is not JSON"))

            #expect(try await post(card, token: nil).status == .unauthorized)
            #expect(try await post(card, token: "wrong").status == .unauthorized)
            #expect(try await post(card, token: "exec-token").status == .forbidden)
            let browser = try await Browser.signIn(client, "operator1")
            let withCookie = try await client.execute(
                uri: "/api/v1/appeals", method: .post,
                headers: [.cookie: browser.cookie, .contentType: "application/json"], body: ByteBuffer(string: card))
            #expect(withCookie.status == .forbidden)
        }
    }

    @Test func anOperatorAssignsSeveralTriageAppealsAtOnceAndTheOthersAreLeftAlone() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let operatorBrowser = try await Browser.signIn(client, "operator1")
            let triage = fixture.triage.tracking.value
            let abroad = fixture.abroad.tracking.value
            // The ABROAD appeal is past triage: the operator may not move it, and the rest still goes.
            let response = try await operatorBrowser.post(
                client, "/triage/assign", "department=LEGAL&pick[]=\(abroad)&pick[]=\(triage)")
            #expect(response.status == .seeOther && response.headers[.location] == "/triage?assigned=1")
            #expect(try await fixture.store.appeal(id: fixture.triage.id)?.department == "LEGAL")
            #expect(try await fixture.store.appeal(id: fixture.abroad.id)?.department == "ABROAD")
            let page = String(buffer: try await operatorBrowser.get(client, "/triage?assigned=1").body)
            #expect(page.contains("Biriktirildi: 1"))
        }
    }

    @Test func aPersonChoosesTheLanguageOfTheirPages() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "operator1")
            #expect(String(buffer: try await browser.get(client, "/queue").body).contains("Bo‘lim navbati"))
            let chosen = try await client.execute(
                uri: "/language", method: .post,
                headers: [
                    .cookie: browser.cookie, .contentType: "application/x-www-form-urlencoded",
                    .referer: "http://127.0.0.1:8080/queue?department=ABROAD",
                ], body: ByteBuffer(string: "csrf=\(browser.csrf)&language=ru"))
            #expect(chosen.status == .seeOther && chosen.headers[.location] == "/queue?department=ABROAD")
            let russian = String(buffer: try await browser.get(client, "/queue").body)
            #expect(russian.contains("Очередь подразделения") && russian.contains(#"<html lang="ru">"#))
            #expect(try await fixture.store.user(login: "operator1")?.language == "ru")
            #expect(try await browser.post(client, "/language", "language=de").status == .badRequest)
            #expect(try await browser.post(client, "/language", "language=en", csrf: false).status == .forbidden)
        }
    }

    @Test func metricsShowTheQueuesAndTheLiveStreamIsForOperators() async throws {
        let fixture = try await ServerFixture()
        let record = QuarantineRecord(
            channel: .call, source: "f.csv", position: "line 2", reason: Wording(verbatim: "bad"), raw: [1],
            at: ServerFixture.now)
        var resolved = record
        resolved.position = "line 3"
        resolved.raw = [2]
        #expect(try await fixture.store.quarantine([record, resolved]) == 2)
        let settled = try #require(try await fixture.store.quarantined(QuarantineQuery()).last)
        try await fixture.store.resolveQuarantine(id: settled.id)
        try await fixture.application.test(.router) { client in
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("murojaat_triage_appeals 1.0"))
            #expect(metrics.contains("murojaat_quarantine_open 1.0"), "\(metrics)")
            #expect(metrics.contains("murojaat_outbox_pending"))
            let executor = try await Browser.signIn(client, "abroad-exec")
            #expect(try await executor.get(client, "/events?topic=triage").status == .forbidden)
        }
    }
}
