import Foundation
import Hummingbird
import HummingbirdTesting
import MurojaatCore
import SQLiteStore
import Server
import Store
import Testing

/// Every role against every page and action, on an appeal of ABROAD and on one in triage: the status each gets is
/// written out here, so a change of who may do what shows as a failing line.
@Suite struct AuthorizationMatrixTests {
    enum Target { case abroad, triage }

    struct Case: CustomStringConvertible, Sendable {
        var method: String
        var path: String
        var target: Target?
        var form: String
        /// login → expected status
        var expected: [String: Int]
        var description: String { "\(method) \(path)" }
    }

    // 200 ok, 303 redirect after an action, 403 forbidden, 404 not the person's department. An action the role may
    // take can still be refused by the law (409) or lack a field (400): those count as "allowed past access".
    static let cases: [Case] = [
        Case(
            method: "GET", path: "/triage", target: nil, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/queue", target: nil, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 200, "abroad-head": 200, "legal-exec": 200, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/queue?department=LEGAL", target: nil, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 200, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/control", target: nil, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/reports/daily?date=2026-03-05&format=csv", target: nil, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/quarantine", target: nil, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "POST", path: "/rules", target: nil, form: "text=pasport",
            expected: [
                "operator1": 200, "abroad-exec": 200, "abroad-head": 200, "legal-exec": 200, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/search?q={}", target: .abroad, form: "",
            expected: [
                "operator1": 303, "abroad-exec": 303, "abroad-head": 303, "legal-exec": 200, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "GET", path: "/appeals/{}", target: .abroad, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 200, "abroad-head": 200, "legal-exec": 404, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/api/v1/appeals/{}", target: .abroad, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 200, "abroad-head": 200, "legal-exec": 404, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/assign", target: .abroad, form: "department=LEGAL",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 303, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/assign", target: .triage, form: "department=LEGAL",
            expected: [
                "operator1": 303, "abroad-exec": 404, "abroad-head": 404, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/start", target: .abroad, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 303, "abroad-head": 303, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/answer", target: .abroad, form: "text=javob",
            expected: [
                "operator1": 403, "abroad-exec": 303, "abroad-head": 303, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/extend", target: .abroad, form: "reason=tekshiruv",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 303, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/close", target: .abroad, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 409, "abroad-head": 409, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "GET", path: "/account", target: nil, form: "",
            expected: [
                "operator1": 200, "abroad-exec": 200, "abroad-head": 200, "legal-exec": 200, "control1": 200,
                "admin1": 200,
            ]),
        Case(
            method: "GET", path: "/staff", target: nil, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 403,
                "admin1": 200,
            ]),
        Case(
            method: "POST", path: "/staff/legal-exec", target: nil, form: "name=Promoted&role=admin",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 403,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/staff/operator1/password", target: nil, form: "password=taken-over-1",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 403,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/staff/control1/disable", target: nil, form: "",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 403,
                "admin1": 303,
            ]),
    ]

    // The other actions of the law, and the triage queue's bulk assignment.
    static let moreCases: [Case] = [
        Case(
            method: "POST", path: "/appeals/{}/needs-study", target: .abroad, form: "reason=ekspertiza",
            expected: [
                "operator1": 403, "abroad-exec": 303, "abroad-head": 303, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/forward", target: .abroad, form: "body=IIV&reason=vakolati",
            expected: [
                "operator1": 403, "abroad-exec": 303, "abroad-head": 303, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/forward", target: .triage, form: "body=IIV&reason=vakolati",
            expected: [
                "operator1": 303, "abroad-exec": 404, "abroad-head": 404, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/anonymous", target: .triage, form: "",
            expected: [
                "operator1": 303, "abroad-exec": 404, "abroad-head": 404, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        // Joining the vague triage appeal to the ABROAD one as its duplicate, and linking the two.
        Case(
            method: "POST", path: "/appeals/{}/join", target: .triage, form: "other={abroad}",
            expected: [
                "operator1": 303, "abroad-exec": 404, "abroad-head": 404, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        // A head may link the department's appeals, but only with one the head can see (the triage one is not).
        Case(
            method: "POST", path: "/appeals/{}/link", target: .abroad, form: "other={triage}",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 400, "legal-exec": 404, "control1": 303,
                "admin1": 303,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/leave", target: .abroad, form: "ground=anonymous&reason=xulosa",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 303, "legal-exec": 404, "control1": 403,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/appeals/{}/reopen", target: .abroad, form: "reason=asosli",
            expected: [
                "operator1": 403, "abroad-exec": 403, "abroad-head": 409, "legal-exec": 404, "control1": 409,
                "admin1": 403,
            ]),
        Case(
            method: "POST", path: "/triage/assign", target: .triage, form: "department=LEGAL&pick[]={}",
            expected: [
                "operator1": 303, "abroad-exec": 403, "abroad-head": 403, "legal-exec": 403, "control1": 303,
                "admin1": 303,
            ]),
    ]

    @Test(arguments: moreCases) func eachRoleMayTakeTheLawsOtherActionsAsAllowed(_ entry: Case) async throws {
        try await eachRoleGetsWhatItMay(entry)
    }

    @Test(arguments: cases) func eachRoleGetsWhatItMay(_ entry: Case) async throws {
        for (login, expected) in entry.expected.sorted(by: { $0.key < $1.key }) {
            // A fresh installation per role: an action one role takes must not change what the next one meets.
            let fixture = try await ServerFixture()
            try await fixture.application.test(.router) { client in
                let browser = try await Browser.signIn(client, login)
                let tracking =
                    switch entry.target {
                    case .abroad: fixture.abroad.tracking.value
                    case .triage: fixture.triage.tracking.value
                    case nil: ""
                    }
                let uri = entry.path.replacingOccurrences(of: "{}", with: tracking)
                let form = entry.form.replacingOccurrences(of: "{}", with: tracking)
                    .replacingOccurrences(of: "{abroad}", with: fixture.abroad.tracking.value)
                    .replacingOccurrences(of: "{triage}", with: fixture.triage.tracking.value)
                let response =
                    entry.method == "GET"
                    ? try await browser.get(client, uri) : try await browser.post(client, uri, form)
                #expect(Int(response.status.code) == expected, "\(login): \(entry.method) \(uri)")
            }
        }
    }

    @Test func anonymousCallersAreSentToSignInOrRefused() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            for path in [
                "/triage", "/queue", "/appeals/\(fixture.abroad.tracking.value)", "/control", "/rules", "/search?q=x",
                "/reports/daily", "/events", "/account", "/staff", "/staff/admin1",
            ] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .seeOther && response.headers[.location]?.hasPrefix("/login") == true)
            }
            let post = try await client.execute(
                uri: "/appeals/\(fixture.abroad.tracking.value)/start", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf=x"))
            #expect(post.status == .seeOther || post.status == .forbidden)
            #expect(try await fixture.store.appeal(id: fixture.abroad.id)?.status == fixture.abroad.status)
            #expect(try await client.execute(uri: "/api/v1/appeals", method: .get).status == .unauthorized)
        }
    }
}
