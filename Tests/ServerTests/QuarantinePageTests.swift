import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import MurojaatCore
import MurojaatTesting
import SQLiteStore
import Server
import Store
import Testing
import Tracker

/// The quarantine page on a real SQLite store: records set aside by the real adapters (an auto-reply through
/// EmailImport, a bad call-card row and an unreadable call-card file through CallCardImport), seen, downloaded and
/// retried by an operator as the CLI would.
@Suite struct QuarantinePageTests {
    /// An auto-reply whose subject is markup: what a page must never run.
    static let autoReply = Array(
        """
        From: Aziz Karimov <aziz@example.uz>\r
        Subject: <script>alert('q')</script> Avtomatik javob\r
        To: info@migration.uz\r
        Message-ID: <auto-1@example.uz>\r
        Date: Thu, 05 Mar 2026 10:15:00 +0500\r
        MIME-Version: 1.0\r
        Auto-Submitted: auto-replied\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Ta'tildaman, lekin Rossiyada ish beruvchi ish haqimni bermayapti, yordam bering.\r

        """.utf8)

    static let cards = Array(
        """
        call_id;started_at;summary;outcome
        W-1;2026-03-05 09:00:00;Pasport muddati tugadi, yordam bering;appeal
        this line is not a call card at all

        """.utf8)

    /// Headers only the shipped mapping knows: with the documented names alone the file cannot be read at all.
    static let unknownHeaders = Array(
        """
        qo'ng'iroq_id;boshlangan vaqti;mazmuni
        F-1;2026-03-05 09:30:00;Ishga taklifnoma haqida savol

        """.utf8)

    /// A fixture with one of each kind of record quarantined, and their ids.
    struct Quarantined {
        let fixture: ServerFixture
        let email: Int64
        let row: Int64
        let file: Int64

        init() async throws {
            fixture = try await ServerFixture()
            let store = fixture.store
            let mail = RawMail(bytes: QuarantinePageTests.autoReply, position: "UID 7")
            let report = try await EmailImport(store: store).importMessages(
                [mail], source: "imaps://mail.migration.uz/INBOX", now: ServerFixture.now)
            try #require(report.setAside == 1)
            let shipped = try CallCardMapping.load(
                from: TestFolders.rules.appendingPathComponent("adapters/call-cards.yaml"))
            let cards = try await CallCardImport(store: store, mapping: shipped).importBytes(
                QuarantinePageTests.cards, sourceName: "cards.csv", now: ServerFixture.now.addingTimeInterval(60))
            try #require(cards.added == 1 && cards.quarantined == 1)
            await #expect(throws: IngestError.self) {
                _ = try await CallCardImport(store: store, mapping: .standard).importBytes(
                    QuarantinePageTests.unknownHeaders, sourceName: "other.csv",
                    now: ServerFixture.now.addingTimeInterval(120))
            }
            let entries = try await store.quarantined(QuarantineQuery())
            email = try #require(entries.first { $0.record.channel == .email }?.id)
            row = try #require(entries.first { $0.record.position == "line 3" }?.id)
            file = try #require(entries.first { $0.record.position == "whole file" }?.id)
        }
    }

    @Test func theOperatorSeesTheOpenRecordsNewestFirstWithUzbekReasonsAndEscapedBytes() async throws {
        let quarantined = try await Quarantined()
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let response = try await operator1.get(client, "/quarantine")
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("<h1>Karantin <small>Ochiq: 3</small></h1>"))
            #expect(html.contains("chetga olindi: avtomatik javob (Auto-Submitted: auto-replied)"))
            #expect(html.contains("qatorda 1 ta maydon bor"))
            #expect(html.contains("imaps://mail.migration.uz/INBOX") && html.contains("UID 7"))
            #expect(html.contains("Elektron pochta") && html.contains("Ishonch telefoni"))
            // The raw bytes are a preview, escaped: the subject's markup is text on the page.
            #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert"))
            #expect(html.contains("this line is not a call card at all"))
            // Positions in the reader's words: "line 3" of the file, the whole file.
            #expect(html.contains("<td>3-qator</td>") && html.contains("<td>butun fayl</td>"), "\(html)")
            #expect(!html.contains("line 3") && !html.contains("whole file"))
            // Newest first: the file (set aside last), the row, then the e-mail.
            let positions = [quarantined.file, quarantined.row, quarantined.email].map {
                html.range(of: "href=\"/quarantine/\($0)\"")?.lowerBound
            }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            // The header links to the page for those who may see it.
            #expect(html.contains(#"<a href="/quarantine">Karantin</a>"#))
        }
    }

    @Test func aLongQuarantineIsPagedNewestFirstByRecordNumber() async throws {
        let fixture = try await ServerFixture()
        let records = (1...205).map { n in
            QuarantineRecord(
                channel: .call, source: "bulk.csv", position: "line \(n)", reason: Wording(verbatim: "bad"),
                raw: Array("row \(n);".utf8) + [UInt8](repeating: 0x41, count: 4000), at: ServerFixture.now)
        }
        #expect(try await fixture.store.quarantine(records) == 205)
        try await fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let first = String(buffer: try await operator1.get(client, "/quarantine").body)
            #expect(first.contains("Ochiq: 205"))
            #expect(first.contains("<td>205-qator</td>") && first.contains("<td>6-qator</td>"))
            #expect(!first.contains("<td>5-qator</td>") && !first.contains("rel=\"prev\""))
            let next = try #require(first.firstMatch(of: #/href="(/quarantine\?before=\d+)" rel="next"/#)?.output.1)
            let second = String(buffer: try await operator1.get(client, String(next)).body)
            #expect(second.contains("<td>5-qator</td>") && second.contains("<td>1-qator</td>"))
            #expect(!second.contains("<td>6-qator</td>") && !second.contains("rel=\"next\""))
            #expect(second.contains("rel=\"prev\""))
        }
    }

    @Test func anEmptyQuarantineSaysSo() async throws {
        let fixture = try await ServerFixture()
        try await fixture.application.test(.router) { client in
            let control = try await Browser.signIn(client, "control1")
            let html = String(buffer: try await control.get(client, "/quarantine").body)
            #expect(html.contains("Karantin bo‘sh: chetga olingan yozuv yo‘q.") && html.contains("Ochiq: 0"))
        }
    }

    @Test func departmentsMayNotSeeTheQuarantine() async throws {
        let quarantined = try await Quarantined()
        try await quarantined.fixture.application.test(.router) { client in
            for login in ["abroad-exec", "abroad-head"] {
                let browser = try await Browser.signIn(client, login)
                let id = quarantined.email
                for uri in ["/quarantine", "/quarantine/\(id)", "/quarantine/\(id)/raw"] {
                    #expect(try await browser.get(client, uri).status == .forbidden, "\(login) \(uri)")
                }
                #expect(try await browser.post(client, "/quarantine/\(id)/retry", "asAppeal=1").status == .forbidden)
                let queue = String(buffer: try await browser.get(client, "/queue").body)
                #expect(!queue.contains("href=\"/quarantine\""))
            }
            #expect(try await quarantined.fixture.store.quarantineEntry(id: quarantined.email)?.resolved == false)
        }
    }

    @Test func theRawDownloadIsTheExactBytesAndTheRecordPageShowsThemEscaped() async throws {
        let quarantined = try await Quarantined()
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let id = quarantined.email
            let download = try await operator1.get(client, "/quarantine/\(id)/raw")
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == Self.autoReply)
            #expect(download.headers[.contentType] == "application/octet-stream")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"quarantine-\(id).eml\"")
            #expect(download.headers[.init("X-Content-Type-Options")!] == "nosniff")

            let page = String(buffer: try await operator1.get(client, "/quarantine/\(id)").body)
            #expect(page.contains("<pre class=\"text raw\">From: Aziz Karimov &lt;aziz@example.uz&gt;"))
            #expect(!page.contains("<script>alert") && page.contains("&lt;script&gt;alert"))
            #expect(page.contains("auto-1@example.uz") && page.contains("href=\"/quarantine/\(id)/raw\""))
            #expect(page.contains("action=\"/quarantine/\(id)/retry\"") && page.contains("name=\"asAppeal\""))
            #expect(Browser.csrf(in: page) == operator1.csrf)
            #expect(try await operator1.get(client, "/quarantine/999999").status == .notFound)
        }
    }

    /// Rows of a windows-1251 export and of Excel's UTF-16 "Unicode Text" keep their file's bytes: the list and the
    /// record page show their letters, the download the bytes.
    @Test func rowsOfWindows1251AndUTF16ExportsAreShownInTheirLetters() async throws {
        let fixture = try await ServerFixture()
        let row = "W-2;вчера;Зарплату не платят"
        let windows1251 = row.unicodeScalars.map {
            $0.value >= 0x410 && $0.value <= 0x44F ? UInt8($0.value - 0x350) : UInt8($0.value)
        }
        let utf16 = row.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        _ = try await fixture.store.quarantine(
            [("kartalar.csv", windows1251), ("kartalar.txt", utf16)].map { source, raw in
                QuarantineRecord(
                    channel: .call, source: source, position: "line 3", reason: Wording(verbatim: "bad date"),
                    raw: raw, at: ServerFixture.now)
            })
        let ids = try await fixture.store.quarantined(QuarantineQuery()).map(\.id)
        try await fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let list = String(buffer: try await operator1.get(client, "/quarantine").body)
            #expect(list.components(separatedBy: row).count == 3, "\(list)")
            for id in ids {
                let page = String(buffer: try await operator1.get(client, "/quarantine/\(id)").body)
                #expect(page.contains("<pre class=\"text raw\">\(row)</pre>"), "\(page)")
            }
            let download = try await operator1.get(client, "/quarantine/\(try #require(ids.last))/raw")
            #expect([windows1251, utf16].contains(Array(download.body.readableBytesView)))
        }
    }

    @Test func aLongRecordIsShownCutAndDownloadedWhole() async throws {
        let fixture = try await ServerFixture()
        let raw = Array(repeating: UInt8(ascii: "x"), count: 70_000)
        _ = try await fixture.store.quarantine([
            QuarantineRecord(
                channel: .virtualReception, source: "big.json", position: "row 2", reason: Wording(verbatim: "too big"),
                raw: raw, at: ServerFixture.now)
        ])
        let id = try #require(try await fixture.store.quarantined(QuarantineQuery()).first?.id)
        try await fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let page = String(buffer: try await operator1.get(client, "/quarantine/\(id)").body)
            #expect(page.contains("Faqat birinchi 64 KB ko‘rsatilgan"))
            let start = try #require(page.range(of: "<pre class=\"text raw\">")?.upperBound)
            let end = try #require(page[start...].range(of: "</pre>")?.lowerBound)
            #expect(page[start..<end].utf8.count == 65_536)
            let download = try await operator1.get(client, "/quarantine/\(id)/raw")
            #expect(download.body.readableBytes == 70_000)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"quarantine-\(id).json\"")
        }
    }

    @Test func anAutoReplyTakenAsAnAppealGoesIntoTheInboxAndLeavesTheList() async throws {
        let quarantined = try await Quarantined()
        let store = quarantined.fixture.store
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let uri = "/quarantine/\(quarantined.email)/retry"
            // Without the session's token nothing happens.
            #expect(try await operator1.post(client, uri, "asAppeal=1", csrf: false).status == .forbidden)
            #expect(try await store.quarantineEntry(id: quarantined.email)?.resolved == false)
            // Without the box it is read as before: still an auto-reply, and the page says so in Uzbek.
            let still = try await operator1.post(client, uri, "")
            #expect(still.status == .conflict)
            let refusal = String(buffer: still.body)
            #expect(refusal.contains("Rad etildi: #\(quarantined.email) hali ham murojaat emas"))
            #expect(refusal.contains("avtomatik javob"))
            let pendingBefore = try await store.counts().inboxPending

            let retried = try await operator1.post(client, uri, "asAppeal=1")
            #expect(retried.status == .seeOther)
            let location = try #require(retried.headers[.location])
            #expect(location == "/quarantine?retried=\(quarantined.email)&outcome=inbox")
            #expect(try await store.counts().inboxPending == pendingBefore + 1)
            #expect(try await store.quarantineEntry(id: quarantined.email)?.resolved == true)

            let list = String(buffer: try await operator1.get(client, location).body)
            #expect(list.contains("#\(quarantined.email) kiruvchilarga tushdi"))
            #expect(!list.contains("href=\"/quarantine/\(quarantined.email)\"") && list.contains("Ochiq: 2"))
            let all = String(buffer: try await operator1.get(client, "/quarantine?all=1").body)
            #expect(all.contains("href=\"/quarantine/\(quarantined.email)\"") && all.contains("Hal qilingan"))

            // A second retry is refused: it went in already.
            let again = try await operator1.post(client, uri, "asAppeal=1")
            #expect(again.status == .conflict)
            #expect(String(buffer: again.body).contains("allaqachon hal qilingan"))
        }
        // The routing worker that `serve` runs takes it from the inbox.
        var worker = RoutingWorker(
            store: store, book: try ServerFixture.book.get(), tracker: try ServerFixture.tracker.get())
        _ = try await worker.drain(now: { ServerFixture.now })
        let appeals = try await store.appeals(AppealQuery(limit: 20))
        let appeal = try #require(appeals.first { $0.sourceKey == "auto-1@example.uz" })
        #expect(appeal.channel == .email)
    }

    @Test func aSingleRowIsRefusedWithTheWayToFixIt() async throws {
        let quarantined = try await Quarantined()
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let page = String(buffer: try await operator1.get(client, "/quarantine/\(quarantined.row)").body)
            #expect(page.contains("Bu cards.csv faylining bitta qatori"))
            #expect(!page.contains("action=\"/quarantine/\(quarantined.row)/retry\""))
            let refused = try await operator1.post(client, "/quarantine/\(quarantined.row)/retry", "")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("faylni tuzatib, qayta import qiling"))
            #expect(try await quarantined.fixture.store.quarantineEntry(id: quarantined.row)?.resolved == false)
        }
    }

    @Test func aWholeFileIsImportedAgainWithTheServersMapping() async throws {
        let quarantined = try await Quarantined()
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let uri = "/quarantine/\(quarantined.file)/retry"
            let page = String(buffer: try await operator1.get(client, "/quarantine/\(quarantined.file)").body)
            #expect(page.contains("action=\"\(uri)\"") && !page.contains("name=\"asAppeal\""))
            let retried = try await operator1.post(client, uri, "")
            #expect(retried.status == .seeOther)
            let location = try #require(retried.headers[.location])
            let list = String(buffer: try await operator1.get(client, location).body)
            #expect(list.contains("#\(quarantined.file): 1 ta qator, 1 ta yangi, 0 tasi karantinga"), "\(location)")
        }
        #expect(try await quarantined.fixture.store.quarantineEntry(id: quarantined.file)?.resolved == true)
    }

    /// A Virtual Reception export that could not be read is offered for retry with the server's mapping, and a
    /// retry that still cannot read it says so and leaves the record open.
    @Test func aWholeReceptionExportIsOfferedForRetry() async throws {
        let fixture = try await ServerFixture()
        let mapping = try ReceptionMapping.load(
            from: TestFolders.rules.appendingPathComponent("adapters/virtual-reception.yaml"))
        await #expect(throws: IngestError.self) {
            _ = try await ReceptionImport(store: fixture.store, mapping: mapping).importBytes(
                Array("Raqam;Sana;Matn\nPQ-1;20.11.2025;Salom\n".utf8), sourceName: "export.csv", now: ServerFixture.now
            )
        }
        let id = try #require(try await fixture.store.quarantined(QuarantineQuery()).first?.id)
        try await fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let page = String(buffer: try await operator1.get(client, "/quarantine/\(id)").body)
            #expect(page.contains("action=\"/quarantine/\(id)/retry\""))
            #expect(page.contains("Rules/adapters dagi joriy moslama bilan"))
            let refused = try await operator1.post(client, "/quarantine/\(id)/retry", "")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("#\(id) hali ham o‘qilmaydi"))
            #expect(try await fixture.store.quarantineEntry(id: id)?.resolved == false)
        }
    }

    @Test func aServerWithoutTheMappingSaysToRetryAFileFromTheCommandLine() async throws {
        let quarantined = try await Quarantined()
        let server = try WebServer(
            store: quarantined.fixture.store, book: try ServerFixture.book.get(),
            tracker: try ServerFixture.tracker.get(), settings: WebSettings(), now: { ServerFixture.now })
        try await Application(router: server.router()).test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let page = String(buffer: try await operator1.get(client, "/quarantine/\(quarantined.file)").body)
            #expect(page.contains("murojaat quarantine retry \(quarantined.file)"))
            #expect(!page.contains("action=\"/quarantine/\(quarantined.file)/retry\""))
            let refused = try await operator1.post(client, "/quarantine/\(quarantined.file)/retry", "")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("call-cards.yaml moslamasi bu yerda yuklanmagan"))
        }
    }

    @Test func theFlashSpeaksTheReadersLanguage() async throws {
        let quarantined = try await Quarantined()
        _ = try await quarantined.fixture.store.updateUser(login: "operator1", UserUpdate(language: "ru"))
        try await quarantined.fixture.application.test(.router) { client in
            let operator1 = try await Browser.signIn(client, "operator1")
            let retried = try await operator1.post(client, "/quarantine/\(quarantined.email)/retry", "asAppeal=1")
            let location = try #require(retried.headers[.location])
            let list = String(buffer: try await operator1.get(client, location).body)
            #expect(list.contains("#\(quarantined.email) попала во входящие"))
            #expect(list.contains("<h1>Карантин") && list.contains("строка 3"))
            // A link cannot make the page say anything but an outcome: unknown codes show nothing.
            let forged = String(buffer: try await operator1.get(client, "/quarantine?retried=1&outcome=hacked").body)
            #expect(!forged.contains("class=\"flash"))
        }
    }
}
