import Foundation
import Mail
import MurojaatCore
import MurojaatTesting
import Rules
import Testing

@testable import Ingest

/// Sorting mail: what becomes an appeal, what is set aside and why, what is a reply to a known appeal, and what
/// is read from the signature.
@Suite struct EmailReaderTests {
    static let arrived = Date(timeIntervalSince1970: 1_763_640_000)  // 2025-11-20T12:00:00Z
    let reader = EmailReader()

    func message(
        from: String = "aziz@example.uz", subject: String = "Murojaat", text: String = "Yordam bering",
        headers: [(String, String)] = [], contentType: String = "text/plain"
    ) -> MailMessage {
        MailMessage(
            messageID: "m1@example.uz", subject: subject, from: [MailAddress(name: "Aziz Karimov", address: from)],
            headers: headers.map { (name: $0.0, value: $0.1) }, contentType: contentType, text: text,
            textSource: .plain)
    }

    /// The reason in English; ``words(_:)`` for every language.
    func reason(_ message: MailMessage) -> String? { words(message)?.en }

    func words(_ message: MailMessage) -> Wording? {
        if case .setAside(let reason, _) = reader.read(message, raw: [1, 2, 3], origin: "t", arrived: Self.arrived) {
            return reason
        }
        return nil
    }

    func draft(_ message: MailMessage) throws -> AppealDraft {
        guard case .appeal(let draft) = reader.read(message, raw: Array("raw".utf8), origin: "t", arrived: Self.arrived)
        else { throw ReaderTestError.setAside }
        return draft
    }

    enum ReaderTestError: Error { case setAside }

    @Test func anOrdinaryMessageIsAnAppeal() throws {
        let draft = try draft(message())
        #expect(draft.channel == .email)
        #expect(draft.sourceKey == "m1@example.uz")
        #expect(draft.applicant.email == "aziz@example.uz")
        #expect(draft.applicant.name == "Aziz Karimov")
        #expect(draft.followUpOf == nil)
        #expect(draft.documents.first?.role == .original)
        #expect(draft.documents.first?.content == Array("raw".utf8))
    }

    @Test(arguments: [
        ([("Auto-Submitted", "auto-replied")], "auto-reply (Auto-Submitted: auto-replied)"),
        ([("X-Autoreply", "yes")], "auto-reply (X-Autoreply: yes)"),
        ([("Precedence", "auto_reply")], "auto-reply (Precedence: auto_reply)"),
        ([("Precedence", "bulk")], "bulk mail (Precedence: bulk)"),
        ([("X-Loop", "info@migration.uz")], "mail loop: X-Loop info@migration.uz"),
    ])
    func headersThatMarkMachineMailSetItAside(headers: [(String, String)], expected: String) {
        #expect(reason(message(headers: headers)) == expected)
    }

    @Test func autoSubmittedNoIsAPersonWriting() {
        #expect(reason(message(headers: [("Auto-Submitted", "no")])) == nil)
    }

    @Test func deliveryReportsAndOwnMailAreSetAside() {
        #expect(
            reason(message(contentType: "multipart/report"))?.hasPrefix("delivery report (multipart/report") == true)
        #expect(
            reason(message(from: "MAILER-DAEMON@mx.uz", subject: "Undelivered Mail Returned to Sender"))?
                .hasPrefix("delivery report from mailer-daemon@mx.uz") == true)
        #expect(
            reason(message(from: "Info@Migration.uz"))
                == "mail loop: sent from the Agency's own address info@migration.uz")
        let hops = (0..<31).map { ("Received", "from hop\($0)") }
        #expect(reason(message(headers: hops)) == "mail loop: 31 Received headers")
        #expect(
            words(message(from: "Info@Migration.uz"))
                == Wording(
                    uz: "pochta halqasi: Agentlikning o‘z manzili info@migration.uz dan yuborilgan",
                    ru: "почтовая петля: отправлено с собственного адреса Агентства info@migration.uz",
                    en: "mail loop: sent from the Agency's own address info@migration.uz"))
    }

    @Test(arguments: ["Out of Office: ta'tildaman", "Avtomatik javob: ta'tilda", "Автоответ: в отпуске"])
    func autoReplySubjectsAreSetAside(subject: String) {
        #expect(reason(message(subject: subject))?.hasPrefix("auto-reply (subject starts with") == true)
    }

    @Test func aTrackingNumberInTheSubjectMakesAFollowUp() throws {
        let draft = try draft(message(subject: "Re: Murojaatingiz XMGV-DRF5 ro'yxatga olindi"))
        #expect(draft.followUpOf?.value == "XMGV-DRF5")
    }

    @Test func aTrackingNumberInQuotedTextMakesAFollowUpButNotInTheNewText() throws {
        let quoted = try draft(
            message(text: "Javob hali yo'q.\n\n> Kuzatuv raqami: 453h-7drg\n> Muddat: 05.12.2025"))
        #expect(quoted.followUpOf?.value == "453H-7DRG")
        let mentioned = try draft(message(text: "Oldingi murojaatim 453H-7DRG ga javob bermadingiz."))
        #expect(mentioned.followUpOf == nil)
        let attributed = try draft(
            message(text: "Yana yozyapman.\n\n20.11.2025, info@migration.uz wrote:\nRaqam: 453H-7DRG"))
        #expect(attributed.followUpOf?.value == "453H-7DRG")
    }

    /// A reply quoting the Agency's answer: the appeal is what the sender wrote. The answer's words (a bribe, the
    /// vacancies, the branch) once outweighed the taken passport and sent the reply to triage.
    @Test func aReplyIsTheSendersOwnWordsWithoutTheQuotedAnswer() throws {
        let text = """
            Rahmat, lekin ish beruvchi hali ham pasportimni qaytarmayapti.

            --
            Hurmat bilan, Aziz
            Tel: +998901234567

            On Wed, 19 Nov 2025, info@migration.uz wrote:
            > Hurmatli fuqaro! Murojaatingiz ko'rib chiqildi. Vakansiyalar haqida saytga kiring.
            > Pora berish jinoyat. Bizning filialimizga murojaat qiling.
            """
        let reply = try draft(message(subject: "Re: Murojaatingiz", text: text))
        #expect(
            reply.text == "Rahmat, lekin ish beruvchi hali ham pasportimni qaytarmayapti.\n\n--\nHurmat bilan, Aziz\n"
                + "Tel: +998901234567")
        #expect(reply.extra["quoted_lines"] == "3")
        #expect(reply.applicant.phone == "+998901234567")
        var router = Router(book: try RuleBook.load(directory: TestFolders.rules))
        let decision = router.route(RoutingInput(reply))
        #expect(decision.department == "ABROAD" && !decision.triage, "\(decision.explanation.reason)")
    }

    /// A forwarded letter is the appeal, and a reply with nothing of its own keeps what it quotes.
    @Test func forwardsAndBareRepliesKeepTheirWholeText() throws {
        let forward =
            "Mana, ish beruvchining xati:\n\n---------- Forwarded message ---------\n> Maoshingiz to'lanmaydi."
        #expect(try draft(message(subject: "Xat", text: forward)).text == forward)
        let fwd = "Ko'ring.\n\nOn Mon, boss@firma.ru wrote:\n> Pasportingizni qaytarmayman."
        let forwarded = try draft(message(subject: "Fwd: ish haqi", text: fwd))
        #expect(forwarded.text == fwd && forwarded.extra["quoted_lines"] == nil)
        let bare = "\n\nOn Wed, info@migration.uz wrote:\n> Murojaatingiz ko'rib chiqildi."
        #expect(try draft(message(subject: "Re: Murojaat", text: bare)).text == bare)
        let plain = try draft(message(text: "Ish haqimni bermayapti."))
        #expect(plain.text == "Ish haqimni bermayapti." && plain.extra["quoted_lines"] == nil)
    }

    @Test func aNumberWithAWrongCheckCharacterIsNotAFollowUp() throws {
        #expect(try draft(message(subject: "Re: XMGV-DRF6")).followUpOf == nil)
        #expect(try draft(message(subject: "Re: AXMGV-DRF5")).followUpOf == nil)
    }

    @Test(
        arguments: [
            ("Ish haqi to'lanmadi.\n\nHurmat bilan, Karimov Aziz\n+998 90 123-45-67", "Karimov Aziz", "+998901234567"),
            ("Помогите.\n\nС уважением,\nИванова Мария, тел. 8 (90) 555 12 34", "Иванова Мария", "+998905551234"),
            ("Yordam bering.\nTel: 90 555 12 34", nil, "+998905551234"),
            ("Rahmat.\nSaidov Bobur, 90 765 43 21", "Saidov Bobur", "+998907654321"),
            ("Telefonim 90 765 43 21 edi", nil, "+998907654321"),
            ("Pasportim olib qo'yildi, 2025 yil 3 oktyabrdan beri.", nil, nil),
        ] as [(String, String?, String?)])
    func theSignatureGivesNameAndPhone(text: String, name: String?, phone: String?) {
        let found = Signature.find(in: text)
        #expect(found.name == name)
        #expect(found.phone == phone)
    }

    @Test func theDisplayNameWinsOverTheSignatureAndReplyToOverFrom() throws {
        var mail = message(text: "Matn.\n\nHurmat bilan, Boshqa Odam\n+998 90 123 45 67")
        mail.replyTo = [MailAddress(address: "Applicant@Example.UZ")]
        let draft = try draft(mail)
        #expect(draft.applicant.name == "Aziz Karimov")
        #expect(draft.applicant.email == "applicant@example.uz")
        #expect(draft.applicant.phone == "+998901234567")
    }

    @Test func theReceivedHeaderDateWinsAndAFutureDateIsNotBelieved() throws {
        var mail = message()
        mail.receivedAt = Date(timeIntervalSince1970: 1_763_600_000)
        mail.date = Date(timeIntervalSince1970: 1_763_500_000)
        #expect(try draft(mail).receivedAt == mail.receivedAt)
        mail.receivedAt = nil
        #expect(try draft(mail).receivedAt == mail.date)
        mail.date = Self.arrived.addingTimeInterval(3 * 86_400)
        #expect(try draft(mail).receivedAt == Self.arrived)
    }

    @Test func aMessageWithoutMessageIDIsKeyedByItsHash() throws {
        var mail = message()
        mail.messageID = nil
        let draft = try draft(mail)
        let crlf = EmailReader.sourceKey(mail, raw: Array("a\r\nb\r\n".utf8))
        #expect(crlf == EmailReader.sourceKey(mail, raw: Array("a\nb\n".utf8)), "CRLF and LF copies are one message")
        // printf raw | sha256sum
        #expect(draft.sourceKey == "sha256:d7439bee24773bcbfa2d0a97947ee36227b10d1022b1a55847e928965bb6bfde")
    }

    @Test func attachmentsOverALimitAreDescribedNotKept() throws {
        let reader = EmailReader(limits: EmailLimits(maxAttachmentBytes: 10, maxAttachments: 2))
        var mail = message()
        mail.attachments = [
            MailAttachment(name: "small.pdf", contentType: "application/pdf", content: Array(repeating: 1, count: 10)),
            MailAttachment(name: "big.jpg", contentType: "image/jpeg", content: Array(repeating: 2, count: 11)),
            MailAttachment(name: "third.txt", contentType: "text/plain", content: [3]),
        ]
        guard case .appeal(let draft) = reader.read(mail, raw: [0], origin: "t", arrived: Self.arrived) else {
            Issue.record("set aside")
            return
        }
        let files = draft.documents.filter { $0.role == .attachment }
        #expect(files.map(\.name) == ["small.pdf", "big.jpg", "third.txt"])
        #expect(files.map(\.stored) == [true, false, false])
        #expect(files[1].size == 11)
        #expect(files[1].content == nil)
        #expect(files[1].note?.contains("limit") == true)
        #expect(files[2].note == "more than 2 attachments: not kept")
    }
}
