import Foundation
import Mail
import MurojaatTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Outgoing mail against a real SMTP server (a throwaway aiosmtpd): what arrives is parsed back with the product's
/// own MIMEParser, so composing and sending are checked end to end, in Uzbek and Russian, with TLS, logins and the
/// server's refusals.
@Suite struct SMTPTests {
    static let date = Date(timeIntervalSince1970: 1_763_619_300)  // 2025-11-20 06:15:00 UTC

    static func mail(
        id: Int = 1, subject: String = "Murojaat qabul qilindi", text: String = "Hurmatli fuqaro!",
        to: [MailAddress] = [MailAddress(name: "Aziz Karimov", address: "aziz@example.uz")]
    ) -> OutgoingMail {
        OutgoingMail(
            from: MailAddress(name: "Migratsiya agentligi", address: "noreply@migration.uz"), to: to,
            subject: subject, text: text, messageID: "outbox-\(id).1a2b@murojaat.local", date: date,
            headers: ["Auto-Submitted": "auto-generated", "X-Murojaat-Tracking": "MA-2025-\(id)"])
    }

    static func client(
        _ sink: SMTPSink, security: SMTPSettings.Security? = nil, username: String? = nil, password: String? = nil,
        caFile: String? = nil, heloName: String? = nil
    ) throws(MailError) -> SMTPClient {
        let defaultSecurity: SMTPSettings.Security =
            switch sink.tls {
            case .none: .none
            case .startTLS: .startTLS
            case .implicitTLS: .tls
            }
        return try SMTPClient(
            settings: SMTPSettings(
                url: sink.url, security: security ?? defaultSecurity, username: username, password: password,
                caFile: caFile, envelopeFrom: "bounces@migration.uz", timeout: .seconds(10), heloName: heloName))
    }

    /// The MailError a call throws, or nil.
    static func mailError(_ body: () throws(MailError) -> Void) -> MailError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    /// The header block of raw message bytes, as lines.
    static func headerLines(_ raw: [UInt8]) -> [String] {
        let text = String(decoding: raw, as: UTF8.self)
        let block = text.components(separatedBy: "\r\n\r\n").first ?? ""
        return block.components(separatedBy: "\r\n")
    }

    // MARK: delivery and composition

    @Test func plainDeliveryKeepsEnvelopeHeadersAndDotLines() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        // A line of a single dot would end the DATA early unless libcurl stuffs it; aiosmtpd unstuffs it again.
        let text = "Hurmatli fuqaro!\n.\n..ikki nuqta\nMurojaatingiz qabul qilindi."
        try Self.client(sink, heloName: "murojaat.test").send(Self.mail(text: text))
        // The null sender, for mail that must not bounce back.
        try SMTPClient(settings: SMTPSettings(url: sink.url, security: .none, envelopeFrom: "")).send(Self.mail(id: 2))

        let received = try sink.messages()
        try #require(received.count == 2)
        #expect(received[1].envelopeFrom == "")
        #expect(received[0].envelopeFrom == "bounces@migration.uz")
        #expect(received[0].recipients == ["aziz@example.uz"])
        #expect(received[0].heloName == "murojaat.test")
        #expect(received[0].tls == false)
        let message = try MIMEParser().parse(received[0].raw)
        #expect(message.subject == "Murojaat qabul qilindi")
        #expect(message.text == text)
        #expect(message.messageID == "outbox-1.1a2b@murojaat.local")
        #expect(message.date == Self.date)
        // Written in the Agency's time: 06:15 UTC is 11:15 in Tashkent.
        #expect(message.header("Date") == "Thu, 20 Nov 2025 11:15:00 +0500")
        #expect(message.from == [MailAddress(name: "Migratsiya agentligi", address: "noreply@migration.uz")])
        #expect(message.header("Auto-Submitted") == "auto-generated")
        #expect(message.header("X-Murojaat-Tracking") == "MA-2025-1")
        #expect(message.header("MIME-Version") == "1.0")
        #expect(message.contentType == "text/plain")
    }

    @Test func uzbekAndRussianSubjectNamesAndBodyRoundTrip() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let subject =
            "Murojaatingiz roʻyxatga olindi — Ваше обращение № MA-2025-000042 зарегистрировано, срок ответа 15 дней"
        let text = """
            Hurmatli Gʻulomova Oʻgʻiloy!
            Murojaatingiz qabul qilindi va Xalqaro migratsiya boʻlimiga yuborildi.

            Уважаемая Гульнора Ёкубовна! Ваше обращение зарегистрировано, ответ будет дан в течение 15 дней.
            """
        var mail = Self.mail(
            subject: subject, text: text,
            to: [MailAddress(name: "Gʻulomova Oʻgʻiloy", address: "oghiloy@example.uz")])
        mail.from = MailAddress(name: "Агентство миграции — Toshkent", address: "noreply@migration.uz")
        mail.cc = [MailAddress(name: "Иванова Мария", address: "maria@example.ru")]
        mail.replyTo = MailAddress(name: "Call-markaz 1180", address: "info@migration.uz")
        mail.headers["X-Murojaat-Tracking"] = "MA-2025-000042 Тошкент"
        try Self.client(sink).send(mail)

        let received = try sink.messages()
        try #require(received.count == 1)
        #expect(received[0].recipients == ["oghiloy@example.uz", "maria@example.ru"])
        // RFC 2047: the header block itself is ASCII.
        let headers = Self.headerLines(received[0].raw)
        #expect(headers.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } })
        #expect(headers.contains { $0.contains("=?UTF-8?") || $0.contains("=?utf-8?") })
        #expect(received[0].raw.allSatisfy { $0 < 0x80 })
        let message = try MIMEParser().parse(received[0].raw)
        #expect(message.subject == subject)
        #expect(message.from == [MailAddress(name: "Агентство миграции — Toshkent", address: "noreply@migration.uz")])
        #expect(message.to == [MailAddress(name: "Gʻulomova Oʻgʻiloy", address: "oghiloy@example.uz")])
        #expect(message.replyTo == [MailAddress(name: "Call-markaz 1180", address: "info@migration.uz")])
        #expect(message.header("Cc")?.contains("Иванова Мария") == true)
        #expect(message.header("X-Murojaat-Tracking") == "MA-2025-000042 Тошкент")
        #expect(message.text == text)
        #expect(message.warnings.isEmpty)
    }

    @Test func htmlIsTheSecondAlternative() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        var mail = Self.mail(text: "Muddat: 2025-12-05")
        mail.html = "<p>Muddat: <b>2025-12-05</b> — срок</p>"
        try Self.client(sink).send(mail)

        let raw = try #require(try sink.messages().first).raw
        let message = try MIMEParser().parse(raw)
        #expect(message.contentType == "multipart/alternative")
        #expect(message.text == "Muddat: 2025-12-05")
        #expect(message.textSource == .plain)
        #expect(message.attachments.isEmpty)
        let body = String(decoding: raw, as: UTF8.self)
        let plain = try #require(body.range(of: "Content-Type: text/plain; charset=utf-8"))
        let html = try #require(body.range(of: "Content-Type: text/html; charset=utf-8"))
        #expect(plain.lowerBound < html.lowerBound)
        // Without the plain part the parser falls back to the HTML one: it must be readable too.
        let htmlOnly = String(body[html.lowerBound...])
        #expect(htmlOnly.contains("Content-Transfer-Encoding: quoted-printable"))
    }

    @Test func binaryAttachmentWithACyrillicNameArrivesByteForByte() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        var generator = SplitMix64(seed: 42)
        var workbook: [UInt8] = [0x50, 0x4B, 0x03, 0x04]  // a ZIP header, then every byte value, CR and LF included
        workbook += (0..<200_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        workbook += Array(0...255) + [0x0D, 0x0A, 0x2E, 0x0D, 0x0A]
        let name = "Kunlik hisobot — ежедневный отчёт 2025-11-20.xlsx"
        let csv = Array("Raqam;Holat\r\nMA-2025-1;yangi\r\n".utf8)
        var mail = Self.mail(text: "Kunlik hisobot ilova qilindi.")
        mail.html = "<p>Kunlik hisobot ilova qilindi.</p>"
        mail.attachments = [
            .init(
                name: name, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                content: workbook),
            .init(name: "appeals.csv", contentType: "text/csv; charset=utf-8", content: csv),
        ]
        try Self.client(sink).send(mail)

        let raw = try #require(try sink.messages().first).raw
        let message = try MIMEParser().parse(raw)
        #expect(message.contentType == "multipart/mixed")
        #expect(message.text == "Kunlik hisobot ilova qilindi.")
        try #require(message.attachments.count == 2)
        #expect(message.attachments[0].name == name)
        #expect(
            message.attachments[0].contentType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(message.attachments[0].content == workbook)
        #expect(message.attachments[1].name == "appeals.csv")
        #expect(message.attachments[1].content == csv)
        // RFC 2231 in UTF-8 for the file name (GMime would pick windows-1251 if left to itself).
        #expect(String(decoding: raw, as: UTF8.self).contains("filename*0*=UTF-8''Kunlik%20hisobot%20%E2%80%94"))
    }

    @Test func composedLinesAreCRLFAndAtMost998OctetsAndRetriesGiveTheSameBytes() throws {
        var mail = Self.mail(
            subject: String(repeating: "Оʻzbekiston Respublikasi Migratsiya agentligi ", count: 30),
            text: String(repeating: "x", count: 5000) + "\n" + String(repeating: "ж", count: 3000))
        mail.headers["X-Murojaat-Note"] = String(repeating: "uzun-sarlavha ", count: 60)
        let bytes = try MessageComposer.compose(mail)
        var line = 0
        var longest = 0
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                #expect(index > 0 && bytes[index - 1] == 0x0D)
                longest = max(longest, line - 1)
                line = 0
            } else {
                line += 1
            }
        }
        #expect(longest <= 998)
        #expect(longest > 0)
        #expect(try MessageComposer.compose(mail) == bytes)
        let message = try MIMEParser().parse(bytes)
        #expect(message.subject == mail.subject.trimmingCharacters(in: .whitespaces))
        #expect(message.text == mail.text)
    }

    @Test func namesThatCannotBeCutIntoWholeBase64WordsStillRoundTrip() throws {
        // After one ASCII letter, 3-byte characters never end on a multiple of 3 bytes: these go as Q words.
        let dashes = "a" + String(repeating: "—", count: 25) + " Ёж"
        let long = String(repeating: "Oʻzbekiston Respublikasi Ichki ishlar vazirligi ", count: 3)
        var mail = Self.mail(to: [MailAddress(name: dashes, address: "a@example.uz")])
        mail.from = MailAddress(name: long, address: "noreply@migration.uz")
        let bytes = try MessageComposer.compose(mail)
        let message = try MIMEParser().parse(bytes)
        #expect(message.to.first?.name == dashes)
        #expect(message.from.first?.name == long.trimmingCharacters(in: .whitespaces))
        #expect(Self.headerLines(bytes).allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func latinTextIsQuotedPrintableAndCyrillicTextIsBase64() throws {
        let latin = String(
            decoding: try MessageComposer.compose(Self.mail(text: "Hurmatli fuqaro! Muddat: 5 kun.")), as: UTF8.self)
        #expect(latin.contains("Content-Transfer-Encoding: quoted-printable"))
        let cyrillic = try MessageComposer.compose(Self.mail(text: "Уважаемый гражданин!\nСрок ответа: 15 дней."))
        #expect(String(decoding: cyrillic, as: UTF8.self).contains("Content-Transfer-Encoding: base64"))
        #expect(try MIMEParser().parse(cyrillic).text == "Уважаемый гражданин!\nСрок ответа: 15 дней.")
    }

    @Test func anAddressSurvivesJSON() throws {
        let address = MailAddress(name: "Иванова Мария", address: "maria@example.ru")
        let data = try JSONEncoder().encode([address, MailAddress(address: "info@migration.uz")])
        #expect(
            try JSONDecoder().decode([MailAddress].self, from: data) == [
                address, MailAddress(address: "info@migration.uz"),
            ])
    }

    @Test func settingsThatContradictThemselvesAreRefused() {
        func code(_ url: String, _ security: SMTPSettings.Security, from: String = "a@example.uz") -> MailError.Code? {
            Self.mailError { () throws(MailError) in
                _ = try SMTPClient(settings: SMTPSettings(url: url, security: security, envelopeFrom: from))
            }?.code
        }
        #expect(code("smtps://mail.migration.uz:465", .startTLS) == .configuration)
        #expect(code("smtp://mail.migration.uz:587", .tls) == .configuration)
        #expect(code("imap://mail.migration.uz", .none) == .configuration)
        #expect(code("mail.migration.uz", .none) == .configuration)
        #expect(code("smtp://mail.migration.uz:587", .startTLS, from: "not an address") == .configuration)
        #expect(code("smtp://mail.migration.uz:587", .startTLS, from: "") == nil)
        #expect(code("smtps://mail.migration.uz:465", .tls) == nil)
    }

    // MARK: TLS and logins

    @Test func startTLSWithTheSinkCertificate() throws {
        let sink = try SMTPSink.start(tls: .startTLS)
        defer { sink.stop() }
        try Self.client(sink, caFile: sink.certificate.path).send(Self.mail())
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.tls == true)

        // Not trusted without the CA file: a configuration problem, not a reason to retry.
        let untrusted = Self.mailError { () throws(MailError) in try Self.client(sink).send(Self.mail(id: 2)) }
        #expect(untrusted?.code == .configuration)
        #expect(untrusted?.isTransient == false)
        // A client that does not speak TLS is refused by a server that requires it.
        let plain = Self.mailError { () throws(MailError) in
            try Self.client(sink, security: SMTPSettings.Security.none).send(Self.mail(id: 3))
        }
        #expect(plain?.code == .configuration)
        #expect(try sink.messages().count == 1)
    }

    @Test func startTLSIsRequiredOfTheServer() throws {
        let sink = try SMTPSink.start()  // offers no STARTTLS
        defer { sink.stop() }
        let error = Self.mailError { () throws(MailError) in
            try Self.client(sink, security: .startTLS).send(Self.mail())
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("STARTTLS") == true)
        #expect(try sink.messages().isEmpty)
    }

    @Test func implicitTLS() throws {
        let sink = try SMTPSink.start(tls: .implicitTLS)
        defer { sink.stop() }
        #expect(sink.url.hasPrefix("smtps://"))
        try Self.client(sink, caFile: sink.certificate.path).send(Self.mail())
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.tls == true)
    }

    @Test func loginWithTheRightPasswordDeliversAndAWrongOneDoesNot() throws {
        let sink = try SMTPSink.start(tls: .startTLS, users: ["murojaat": "maxfiy-parol"])
        defer { sink.stop() }
        let ca = sink.certificate.path
        try Self.client(sink, username: "murojaat", password: "maxfiy-parol", caFile: ca).send(Self.mail())
        let received = try sink.messages()
        try #require(received.count == 1)
        #expect(received[0].user == "murojaat")

        let wrong = Self.mailError { () throws(MailError) in
            try Self.client(sink, username: "murojaat", password: "notogri", caFile: ca).send(Self.mail(id: 2))
        }
        #expect(wrong?.code == .authentication)
        #expect(wrong?.isTransient == false)
        #expect(wrong?.description.contains("notogri") == false)
        let anonymous = Self.mailError { () throws(MailError) in
            try Self.client(sink, caFile: ca).send(Self.mail(id: 3))
        }
        #expect(anonymous?.code == .authentication)
        #expect(try sink.messages().count == 1)
    }

    // MARK: failures

    @Test func aServerThatIsNotListeningIsUnreachable() throws {
        let sink = try SMTPSink.start()
        let client = try Self.client(sink)
        sink.stop()
        let error = Self.mailError { () throws(MailError) in try client.send(Self.mail()) }
        #expect(error?.code == .unreachable)
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("127.0.0.1:\(sink.port)") == true)
    }

    @Test func aServerThatNeverGreetsTimesOut() throws {
        // A socket that listens but never accepts: the kernel completes the handshake, nobody says 220.
        let listener = try LoopbackSocket(listening: true)
        let port = listener.port
        let client = try SMTPClient(
            settings: SMTPSettings(
                url: "smtp://127.0.0.1:\(port)", security: .none, envelopeFrom: "bounces@migration.uz",
                timeout: .seconds(1)))
        let started = Date()
        // The socket must outlive the attempt (ARC may close it after its last use otherwise).
        let error = withExtendedLifetime(listener) {
            Self.mailError { () throws(MailError) in try client.send(Self.mail()) }
        }
        #expect(error?.code == .unreachable)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test(arguments: [SMTPSink.Stage.mail, .rcpt, .data])
    func a451IsTransientAndTheNextTryOnTheSameClientDelivers(stage: SMTPSink.Stage) throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let client = try Self.client(sink)
        try sink.failNext(1, code: 451, at: stage)
        let error = Self.mailError { () throws(MailError) in try client.send(Self.mail()) }
        #expect(error?.code == .deferred)
        #expect(error?.isTransient == true)
        #expect(error?.description.contains("451") == true)
        #expect(try sink.messages().isEmpty)

        try client.send(Self.mail())
        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first.map { try? MIMEParser().parse($0.raw).messageID } == "outbox-1.1a2b@murojaat.local")
    }

    @Test func a550IsRejectedForGoodAndNamesNoAddress() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let client = try Self.client(sink)
        let two = [
            MailAddress(address: "first@example.uz"), MailAddress(name: "Ikkinchi", address: "second@example.uz"),
        ]
        try sink.failNext(1, code: 550, at: .rcpt)
        let recipient = Self.mailError { () throws(MailError) in try client.send(Self.mail(to: two)) }
        #expect(recipient?.code == .rejected)
        #expect(recipient?.isTransient == false)
        #expect(recipient?.message.contains("recipient 1 of 2") == true)
        #expect(recipient?.description.contains("@example.uz") == false)

        try sink.failNext(1, code: 554, at: .data)
        let data = Self.mailError { () throws(MailError) in try client.send(Self.mail()) }
        #expect(data?.code == .rejected)
        #expect(data?.message.contains("DATA") == true)
        #expect(try sink.messages().isEmpty)

        try client.send(Self.mail(to: two))
        #expect(try sink.messages().map(\.recipients) == [["first@example.uz", "second@example.uz"]])
    }

    @Test func severalMessagesGoOverOneConnection() throws {
        let sink = try SMTPSink.start(tls: .startTLS, users: ["murojaat": "maxfiy"])
        defer { sink.stop() }
        let client = try Self.client(
            sink, username: "murojaat", password: "maxfiy", caFile: sink.certificate.path)
        for id in 1...5 { try client.send(Self.mail(id: id, subject: "Eslatma \(id)")) }
        let received = try sink.messages()
        try #require(received.count == 5)
        #expect(Set(received.map(\.connection)).count == 1)
        let subjects = try received.map { try MIMEParser().parse($0.raw).subject }
        #expect(subjects == (1...5).map { "Eslatma \($0)" })
    }

    @Test func concurrentSendsOnOneClientAreSerialized() async throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let client = try Self.client(sink)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 1...8 { group.addTask { try client.send(Self.mail(id: id)) } }
            try await group.waitForAll()
        }
        let ids = try sink.messages().map { try MIMEParser().parse($0.raw).messageID ?? "" }
        #expect(Set(ids) == Set((1...8).map { "outbox-\($0).1a2b@murojaat.local" }))
    }

    // MARK: injection

    @Test func aLineBreakInTheSubjectOrANameCreatesNoHeader() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        var mail = Self.mail(subject: "Salom\r\nBcc: evil@example.com\r\nX-Injected: yes")
        mail.to = [MailAddress(name: "Aziz\r\nX-Injected: name", address: "aziz@example.uz")]
        mail.headers["X-Murojaat-Tracking"] = "MA-1\nX-Injected: header"
        try Self.client(sink).send(mail)

        let raw = try #require(try sink.messages().first).raw
        let lines = Self.headerLines(raw)
        #expect(!lines.contains { $0.lowercased().hasPrefix("bcc:") || $0.lowercased().hasPrefix("x-injected:") })
        let message = try MIMEParser().parse(raw)
        #expect(message.header("X-Injected") == nil)
        #expect(message.header("Bcc") == nil)
        #expect(message.headers("Subject").count == 1)
        #expect(message.subject?.hasPrefix("Salom") == true)
        #expect(message.to.map(\.address) == ["aziz@example.uz"])
        #expect(try sink.messages().first?.recipients == ["aziz@example.uz"])
    }

    @Test func addressesAndHeaderNamesThatCouldInjectAreRefusedBeforeSending() throws {
        let sink = try SMTPSink.start()
        defer { sink.stop() }
        let client = try Self.client(sink)
        let badRecipient = Self.mailError { () throws(MailError) in
            try client.send(Self.mail(to: [MailAddress(address: "a@example.uz>\r\nRCPT TO:<b@example.uz")]))
        }
        #expect(badRecipient?.code == .rejected)
        #expect(badRecipient?.isTransient == false)
        var badHeader = Self.mail()
        badHeader.headers["X-Ok\r\nBcc"] = "evil@example.com"
        #expect(Self.mailError { () throws(MailError) in try client.send(badHeader) }?.code == .rejected)
        var reserved = Self.mail()
        reserved.headers["bcc"] = "evil@example.com"
        #expect(Self.mailError { () throws(MailError) in try client.send(reserved) }?.code == .rejected)
        let envelope = Self.mailError { () throws(MailError) in
            try client.send(Array("Subject: x\r\n\r\nx\r\n".utf8), to: ["b@example.uz\r\nDATA"])
        }
        #expect(envelope?.code == .rejected)
        #expect(try sink.messages().isEmpty)
    }

    // MARK: the sink itself

    @Test func theSinkStartsAndStopsRepeatedlyAndLeavesNoProcess() throws {
        for mode in [SMTPSink.TLSMode.none, .startTLS, .implicitTLS, .none, .none] {
            let sink = try SMTPSink.start(tls: mode)
            #expect(kill(sink.processID, 0) == 0)
            sink.stop()
            sink.stop()  // a second stop is harmless
            // Reaped, not a zombie: the pid is gone.
            #expect(kill(sink.processID, 0) == -1 && errno == ESRCH)
            let error = Self.mailError { () throws(MailError) in
                try SMTPClient(
                    settings: SMTPSettings(
                        url: "smtp://127.0.0.1:\(sink.port)", security: .none, envelopeFrom: "a@example.uz",
                        timeout: .seconds(2))
                ).send(Self.mail())
            }
            #expect(error?.code == .unreachable)
        }
    }
}
