import Foundation
import Hummingbird
import HummingbirdTesting
import MurojaatCore
import SQLiteStore
import Server
import Store
import Testing

/// The accounts in the web UI: the administrator's staff pages and everyone's own password.
@Suite struct AccountPagesTests {
    static let newPassword = "yangi-parol-2026"

    @Test func anAdministratorAddsAnAccountThatCanSignIn() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let admin = try await Browser.signIn(client, "admin1")
            let list = try await admin.get(client, "/staff")
            let html = String(buffer: list.body)
            #expect(list.status == .ok && html.contains(#"href="/staff/operator1""#) && html.contains("Ijrochi"))
            #expect(html.contains(#"<a href="/staff">Xodimlar</a>"#), "the menu has the page for an administrator")
            let added = try await admin.post(
                client, "/staff",
                "login=dilnoza.k&name=Karimova+Dilnoza&role=executor&department=LEGAL&language=ru"
                    + "&password=\(Self.newPassword)")
            #expect(added.status == .seeOther && added.headers[.location] == "/staff?done=added")
            let account = try #require(try await fixture.store.user(login: "dilnoza.k"))
            #expect(account.name == "Karimova Dilnoza" && account.role == .executor && account.department == "LEGAL")
            #expect(account.language == "ru" && !account.disabled)
            let flash = String(buffer: try await admin.get(client, "/staff?done=added").body)
            #expect(flash.contains("Xodim qo‘shildi"))
            let newcomer = try await Browser.signIn(client, "dilnoza.k", password: Self.newPassword)
            let queue = String(buffer: try await newcomer.get(client, "/queue").body)
            #expect(queue.contains(#"<html lang="ru">"#) && !queue.contains(#"href="/staff""#))
        }
    }

    @Test(arguments: [
        ("login=ali&name=Ali&role=executor&language=uz&password=parol-12345", "bo‘lim kerak", 400),
        ("login=ali&name=Ali&role=executor&department=NOPE&language=uz&password=parol-12345", "&quot;NOPE&quot;", 400),
        ("login=ali&name=Ali&role=control&department=LEGAL&language=uz&password=parol-12345", "faqat ijrochilar", 400),
        ("login=Ali+Valiyev&name=Ali&role=operator&language=uz&password=parol-12345", "2–64 belgi", 400),
        ("login=ali&name=Ali&role=operator&language=uz&password=short", "kamida 8", 400),
        ("login=ali&name=Ali&role=boss&language=uz&password=parol-12345", "Noma’lum rol", 400),
        ("login=operator1&name=Ali&role=operator&language=uz&password=parol-12345", "Bunday login bor", 409),
    ])
    func addingRefusesWhatTheCLIRefuses(form: String, refusal: String, status: Int) async throws {
        let fixture = try await ServerFixture()
        let before = try await fixture.store.users()
        try await fixture.application.test(.router) { client in
            let admin = try await Browser.signIn(client, "admin1")
            let response = try await admin.post(client, "/staff", form)
            let html = String(buffer: response.body)
            #expect(response.status.code == status)
            #expect(html.contains(#"class="flash error""#) && html.contains(refusal), "\(html)")
            #expect(html.contains(#"name="name" required maxlength="200" value="Ali""#), "what was typed is kept")
            #expect(!html.contains("parol-12345"), "but never the password")
        }
        #expect(try await fixture.store.users() == before)
    }

    /// Two administrators demoting each other at the same moment: one change goes through, the other is refused
    /// (by the store, with its reason, or by the page once the first has taken the rights away), never an error
    /// page, and one administrator is left. Ten rounds, as the requests meet differently from run to run.
    @Test func twoAdministratorsDemotingEachOtherLeaveOne() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let first = try await Browser.signIn(client, "admin1")
            let added = try await first.post(
                client, "/staff", "login=admin2&name=Admin2&role=admin&language=uz&password=\(Self.newPassword)")
            #expect(added.status == .seeOther)
            let second = try await Browser.signIn(client, "admin2", password: Self.newPassword)
            for _ in 0..<10 {
                async let one = first.post(client, "/staff/admin2", "name=Admin2&role=control")
                async let two = second.post(client, "/staff/admin1", "name=Admin1&role=control")
                let responses = try await [one, two]
                let statuses = responses.map(\.status)
                #expect(statuses.filter { $0 == .seeOther }.count == 1, "\(statuses)")
                #expect(statuses.allSatisfy { [.seeOther, .conflict, .forbidden].contains($0) }, "\(statuses)")
                for response in responses where response.status == .conflict {
                    #expect(String(buffer: response.body).contains("oxirgi faol administrator"))
                }
                let administrators = try await fixture.store.users().filter { $0.role == .admin }
                #expect(administrators.count == 1)
                for login in ["admin1", "admin2"] {
                    _ = try await fixture.store.updateUser(
                        login: login, UserUpdate(post: StaffPost(role: .admin, department: nil)))
                }
            }
        }
    }

    @Test func onlyAnAdministratorManagesStaff() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            #expect(try await control.get(client, "/staff").status == .forbidden)
            #expect(try await control.get(client, "/staff/operator1").status == .forbidden)
            let added = try await control.post(
                client, "/staff", "login=mine&name=Mine&role=admin&language=uz&password=parol-12345")
            #expect(added.status == .forbidden)
            let promoted = try await control.post(client, "/staff/control1", "name=control1&role=admin")
            #expect(promoted.status == .forbidden)
            let queue = String(buffer: try await control.get(client, "/queue").body)
            #expect(!queue.contains(#"href="/staff""#) && queue.contains(#"href="/account""#))
            let admin = try await Browser.signIn(client, "admin1")
            let forged = try await admin.post(
                client, "/staff", "login=mine&name=Mine&role=admin&language=uz&password=parol-12345", csrf: false)
            #expect(forged.status == .forbidden)
        }
        #expect(try await fixture.store.user(login: "mine") == nil)
        #expect(try await fixture.store.user(login: "control1")?.role == .control)
    }

    @Test func aNewRoleAndDepartmentApplyToTheLiveSession() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let operatorBrowser = try await Browser.signIn(client, "operator1")
            #expect(try await operatorBrowser.get(client, "/triage").status == .ok)
            let admin = try await Browser.signIn(client, "admin1")
            let form = String(buffer: try await admin.get(client, "/staff/operator1").body)
            #expect(form.contains(#"<option value="operator" selected>Operator</option>"#))
            let moved = try await admin.post(
                client, "/staff/operator1", "name=Olim+Rasulov&role=head&department=ABROAD&language=en")
            #expect(moved.status == .seeOther && moved.headers[.location] == "/staff/operator1?done=saved")
            let account = try #require(try await fixture.store.user(login: "operator1"))
            #expect(account.role == .head && account.department == "ABROAD" && account.name == "Olim Rasulov")
            #expect(account.language == "en")
            // Still signed in, now as the head of ABROAD: no triage, the department's queue.
            #expect(try await operatorBrowser.get(client, "/triage").status == .forbidden)
            let queue = String(buffer: try await operatorBrowser.get(client, "/queue").body)
            #expect(
                queue.contains("Olim Rasulov · Head of department")
                    && queue.contains(fixture.abroad.tracking.description))
            let refused = try await admin.post(client, "/staff/operator1", "name=Olim&role=head&language=uz")
            #expect(refused.status == .badRequest)
            #expect(try await fixture.store.user(login: "operator1") == account, "a head without a department")
        }
    }

    @Test func disablingEndsTheSessionsAndNobodyLocksThemselvesOut() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let executor = try await Browser.signIn(client, "legal-exec")
            let admin = try await Browser.signIn(client, "admin1")
            let disabled = try await admin.post(client, "/staff/legal-exec/disable", "")
            #expect(disabled.status == .seeOther && disabled.headers[.location] == "/staff/legal-exec?done=disabled")
            #expect(try await executor.get(client, "/queue").status == .seeOther, "its session ended")
            let page = String(buffer: try await admin.get(client, "/staff/legal-exec?done=disabled").body)
            #expect(page.contains("Hisob bloklandi") && page.contains(#"action="/staff/legal-exec/enable""#))
            let enabled = try await admin.post(client, "/staff/legal-exec/enable", "")
            #expect(enabled.status == .seeOther)
            #expect(try await fixture.store.user(login: "legal-exec")?.disabled == false)

            let own = String(buffer: try await admin.get(client, "/staff/admin1").body)
            #expect(!own.contains(#"action="/staff/admin1/disable""#) && !own.contains(#"name="role""#))
            let selfDisable = try await admin.post(client, "/staff/admin1/disable", "")
            #expect(selfDisable.status == .conflict && String(buffer: selfDisable.body).contains("O‘z hisobingizni"))
            let selfDemote = try await admin.post(client, "/staff/admin1", "name=admin1&role=operator")
            #expect(selfDemote.status == .conflict)
            #expect(try await admin.get(client, "/staff").status == .ok, "still an enabled administrator")
            let renamed = try await admin.post(client, "/staff/admin1", "name=Bosh+administrator&language=ru")
            #expect(renamed.status == .seeOther)
            let account = try #require(try await fixture.store.user(login: "admin1"))
            #expect(account.role == .admin && !account.disabled && account.name == "Bosh administrator")
            #expect(try await admin.get(client, "/staff/nobody").status == .notFound)
        }
    }

    @Test func everyoneChangesTheirOwnPassword() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let here = try await Browser.signIn(client, "abroad-exec")
            let elsewhere = try await Browser.signIn(client, "abroad-exec")
            let page = String(buffer: try await here.get(client, "/account").body)
            #expect(page.contains("abroad-exec") && page.contains("ABROAD ·") && page.contains(#"id="own-password""#))

            func change(_ current: String, _ new: String, _ again: String) async throws -> TestResponse {
                try await here.post(client, "/account/password", "current=\(current)&password=\(new)&again=\(again)")
            }
            let wrong = try await change("not-my-password", Self.newPassword, Self.newPassword)
            #expect(wrong.status == .forbidden && String(buffer: wrong.body).contains("Joriy parol noto‘g‘ri"))
            let differ = try await change(ServerFixture.password, Self.newPassword, "yangi-parol-2025")
            #expect(differ.status == .badRequest && String(buffer: differ.body).contains("bir xil kiritilmadi"))
            let short = try await change(ServerFixture.password, "qisqa", "qisqa")
            #expect(short.status == .badRequest && String(buffer: short.body).contains("kamida 8"))
            #expect(try await elsewhere.get(client, "/queue").status == .ok, "refusals change nothing")

            let changed = try await change(ServerFixture.password, Self.newPassword, Self.newPassword)
            #expect(changed.status == .seeOther && changed.headers[.location] == "/account?done=password")
            let cookie = try #require(changed.headers[.setCookie]).split(separator: ";")[0]
            let renewed = Browser(cookie: String(cookie), csrf: "")
            let done = String(buffer: try await renewed.get(client, "/account?done=password").body)
            #expect(done.contains("Parol o‘zgartirildi"), "this browser goes on with a new session")
            #expect(try await here.get(client, "/queue").status == .seeOther, "the old session ended")
            #expect(try await elsewhere.get(client, "/queue").status == .seeOther, "and the other browser's")
            _ = try await Browser.signIn(client, "abroad-exec", password: Self.newPassword)
            let old = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "login=abroad-exec&password=\(ServerFixture.password)"))
            #expect(old.status == .unauthorized)
        }
    }

    @Test func wrongCurrentPasswordsCountAgainstTheSignInLimit() async throws {
        let fixture = try await ServerFixture(settings: WebSettings(loginAttempts: 2))
        try await fixture.application.test(.router) { client in
            let browser = try await Browser.signIn(client, "abroad-head")
            for _ in 0..<2 {
                let wrong = try await browser.post(
                    client, "/account/password", "current=guess&password=\(Self.newPassword)&again=\(Self.newPassword)")
                #expect(wrong.status == .forbidden)
            }
            let right = try await browser.post(
                client, "/account/password",
                "current=\(ServerFixture.password)&password=\(Self.newPassword)&again=\(Self.newPassword)")
            #expect(right.status == .tooManyRequests && right.headers[.retryAfter] != nil)
            let signIn = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "login=abroad-head&password=\(ServerFixture.password)"))
            #expect(signIn.status == .tooManyRequests, "the same count as the sign-in form")
        }
    }

    @Test func anAdministratorSetsANewPasswordAndTheSessionsEnd() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let executor = try await Browser.signIn(client, "legal-exec")
            let admin = try await Browser.signIn(client, "admin1")
            let short = try await admin.post(client, "/staff/legal-exec/password", "password=short")
            #expect(short.status == .badRequest)
            #expect(try await executor.get(client, "/queue").status == .ok)
            let set = try await admin.post(client, "/staff/legal-exec/password", "password=\(Self.newPassword)")
            #expect(set.status == .seeOther && set.headers[.location] == "/staff/legal-exec?done=reset")
            #expect(try await executor.get(client, "/queue").status == .seeOther)
            _ = try await Browser.signIn(client, "legal-exec", password: Self.newPassword)
            #expect(try await admin.get(client, "/staff").status == .ok, "the administrator's session is untouched")
        }
    }
}
