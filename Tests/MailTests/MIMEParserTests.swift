import Foundation
import Testing

@testable import Mail

/// Messages as they reach info@migration.uz, parsed with GMime: every charset, header encoding and MIME shape of
/// FORMATS.md section 1, and broken messages that must still give what can be recovered. Bytes that are not
/// UTF-8 are written as base64 here, so what the test feeds GMime is exact.
@Suite struct MIMEParserTests {
    static let russian = "Прошу помочь вернуть паспорт, работодатель в Москве его забрал."

    static func parse(_ parts: [[UInt8]]) throws -> MailMessage {
        try MIMEParser().parse(parts.flatMap { $0 })
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }
    static func base64(_ string: String) -> [UInt8] { Array(Data(base64Encoded: string)!) }

    @Test func windows1251QuotedPrintableWithAnEncodedSubject() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: <aziz@example.uz>\r
                Subject: =?windows-1251?B?z+Dx7+7w8iDn4OHw4Ovo?=\r
                Message-ID: <cp1251@example.uz>\r
                Content-Type: text/plain; charset=windows-1251\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                =CF=F0=EE=F8=F3 =EF=EE=EC=EE=F7=FC =E2=E5=F0=ED=F3=F2=FC =EF=E0=F1=EF=EE=F0=\r
                =F2, =F0=E0=E1=EE=F2=EE=E4=E0=F2=E5=EB=FC =E2 =CC=EE=F1=EA=E2=E5 =E5=E3=EE =\r
                =E7=E0=E1=F0=E0=EB.\r

                """)
        ])
        #expect(message.subject == "Паспорт забрали")
        #expect(message.text == Self.russian)
        #expect(message.textSource == .plain)
        #expect(message.messageID == "cp1251@example.uz")
        #expect(message.warnings.isEmpty)
    }

    @Test func koi8rBase64WithAQEncodedName() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: =?koi8-r?Q?=E9=D7=C1=CE=CF=D7=C1_=ED=C1=D2=C9=D1?= <maria@example.ru>\r
                Subject: Pasport\r
                Content-Type: text/plain; charset="koi8-r"\r
                Content-Transfer-Encoding: base64\r
                \r
                8NLP29Ug0M/Nz97YINfF0s7V1Ngg0MHT0M/S1Cwg0sHCz9TPxMHUxczYINcg7c/Ty9fFIMXHzyDawcLSwcwu\r

                """)
        ])
        #expect(message.from == [MailAddress(name: "Иванова Мария", address: "maria@example.ru")])
        #expect(message.text == Self.russian)
    }

    @Test func iso88595EightBit() throws {
        let message = try Self.parse([
            Self.text("From: <a@example.ru>\r\nContent-Type: text/plain; charset=iso-8859-5\r\n"),
            Self.text("Content-Transfer-Encoding: 8bit\r\n\r\n"),
            Self.base64("v+De6OMg397c3ufsINLV4N3j4uwg39Dh397g4iwg4NDR3uLe1NDi1dvsINIgvN7h2tLVINXT3iDX0NHg0Nsu"),
            Self.text("\r\n"),
        ])
        #expect(message.text == Self.russian)
    }

    @Test func windows1251LabelledLatin1IsReadAsRussian() throws {
        let message = try Self.parse([
            Self.text("From: <a@example.ru>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"),
            Self.text("Content-Transfer-Encoding: base64\r\n\r\n"),
            Self.text("z/Du+PMg7+7s7vf8IOLl8O3z8vwg7+Dx7+7w8iwg8ODh7vLu5ODy5ev8IOIgzO7x6uLlIOXj7iDn4OHw4Osu\r\n"),
        ])
        #expect(message.text == Self.russian)
        #expect(message.warnings.count == 1)
    }

    @Test func rawEightBitHeadersInUTF8AndWindows1251() throws {
        let utf8 = try Self.parse([
            Self.text("From: Ғайрат Ўроқов <gayrat@example.uz>\r\nSubject: Иш ҳақи тўланмади\r\n\r\nMatn\r\n")
        ])
        #expect(utf8.subject == "Иш ҳақи тўланмади")
        #expect(utf8.from.first?.name == "Ғайрат Ўроқов")
        let cp1251 = try Self.parse([
            Self.text("From: <a@example.ru>\r\nSubject: "), Self.base64("0uXs4Dog7+Dx7+7w8g=="),
            Self.text("\r\n\r\nMatn\r\n"),
        ])
        #expect(cp1251.subject == "Тема: паспорт")
    }

    @Test func adjacentEncodedWordsJoinWithoutSpaces() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: =?utf-8?B?0JDQt9C40Lc=?= =?utf-8?Q?_Karimov?= <aziz@example.uz>\r
                Subject: =?utf-8?Q?Ish_haqi_?= =?utf-8?B?dG/igJhsYW5tYWRp?=\r
                \r
                Matn\r

                """)
        ])
        #expect(message.from.first?.name == "Азиз Karimov")
        #expect(message.subject == "Ish haqi to‘lanmadi")
    }

    @Test func htmlOnlyMailBecomesPlainText() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: <a@example.uz>\r
                Content-Type: text/html; charset=utf-8\r
                \r
                <html><head><style>p{color:red}</style><script>track()</script></head>\r
                <body><p>Assalomu alaykum,</p><p>pasportimni <b>qaytarib</b> bering&nbsp;&amp; yordam bering.</p></body></html>\r

                """)
        ])
        #expect(message.textSource == .html)
        #expect(message.text == "Assalomu alaykum,\n\npasportimni qaytarib bering & yordam bering.")
    }

    @Test func thePlainVersionOfAnAlternativeIsTheText() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: <a@example.uz>\r
                Content-Type: multipart/alternative; boundary="alt"\r
                \r
                --alt\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                PLAIN versiya\r
                --alt\r
                Content-Type: text/html; charset=utf-8\r
                \r
                <p>HTML versiya</p>\r
                --alt--\r

                """)
        ])
        #expect(message.text == "PLAIN versiya")
        #expect(message.attachments.isEmpty)
    }

    @Test func attachmentsKeepTheirRFC2231Names() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: <a@example.uz>\r
                Content-Type: multipart/mixed; boundary="mix"\r
                \r
                --mix\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                Hujjatlar ilova qilindi.\r
                --mix\r
                Content-Type: image/jpeg\r
                Content-Disposition: attachment; filename*=utf-8''%D0%BF%D0%B0%D1%81%D0%BF%D0%BE%D1%80%D1%82.jpg\r
                Content-Transfer-Encoding: base64\r
                \r
                /9j/4AAQ\r
                --mix\r
                Content-Type: application/pdf\r
                Content-Disposition: attachment;\r
                 filename*0*=utf-8''mehnat%20shartno;\r
                 filename*1*=ma%20Qo%27qon.pdf\r
                Content-Transfer-Encoding: base64\r
                \r
                JVBERi0xLjQ=\r
                --mix--\r

                """)
        ])
        #expect(message.text == "Hujjatlar ilova qilindi.")
        #expect(message.attachments.map(\.name) == ["паспорт.jpg", "mehnat shartnoma Qo'qon.pdf"])
        #expect(message.attachments.map(\.contentType) == ["image/jpeg", "application/pdf"])
        #expect(message.attachments[0].content == [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10])
        #expect(message.attachments[1].content == Array("%PDF-1.4".utf8))
    }

    @Test func aForwardedMessageIsKeptWholeAsAFile() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: <a@example.uz>\r
                Content-Type: multipart/mixed; boundary="fw"\r
                \r
                --fw\r
                Content-Type: text/plain\r
                \r
                Akamning xatini yuboryapman.\r
                --fw\r
                Content-Type: message/rfc822\r
                \r
                From: <aka@example.uz>\r
                Subject: Yordam\r
                \r
                Meni ushlab turishibdi.\r
                --fw--\r

                """)
        ])
        #expect(message.text == "Akamning xatini yuboryapman.")
        #expect(message.attachments.count == 1)
        #expect(message.attachments[0].name == "Yordam.eml")
        #expect(String(decoding: message.attachments[0].content, as: UTF8.self).contains("Meni ushlab turishibdi."))
    }

    @Test func aDeliveryReportIsRecognisable() throws {
        let message = try Self.parse([
            Self.text(
                """
                From: MAILER-DAEMON@mx.example.uz\r
                Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r
                \r
                --r\r
                Content-Type: text/plain\r
                \r
                Delivery failed.\r
                --r\r
                Content-Type: message/delivery-status\r
                \r
                Action: failed\r
                --r--\r

                """)
        ])
        #expect(message.contentType == "multipart/report")
        #expect(message.reportType == "delivery-status")
    }

    @Test func brokenMessagesGiveWhatCanBeRecovered() throws {
        let truncated = try Self.parse([
            Self.text(
                """
                From: <a@example.uz>\r
                Content-Type: multipart/mixed; boundary="cut"\r
                \r
                --cut\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                Matn saqlanib qoladi.\r
                --cut\r
                Content-Type: application/pdf; name="a.pdf"\r
                Content-Transfer-Encoding: base64\r
                \r
                JVBERi0xLjQKJeLj
                """)
        ])
        #expect(truncated.text == "Matn saqlanib qoladi.")
        #expect(truncated.attachments.count == 1)

        let noBoundary = try Self.parse([
            Self.text("From: <a@example.uz>\r\nContent-Type: multipart/mixed\r\n\r\nChegara yo'q, matn bor.\r\n")
        ])
        #expect(noBoundary.text == "Chegara yo'q, matn bor.")
        #expect(noBoundary.warnings.first?.contains("taken as plain text") == true)

        let badBase64 = try Self.parse([
            Self.text(
                "From: <a@example.uz>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + "U2Fs!!!b20g*ZG*l\r\n")
        ])
        #expect(badBase64.text.hasPrefix("Salom"))

        #expect(throws: MailError.self) { try MIMEParser().parse([]) }
    }

    @Test func aThirtyMegabyteAttachmentIsDecodedWhole() throws {
        let size = 30 << 20
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let encoded = Data(bytes).base64EncodedString(options: .lineLength76Characters)
        let message = try Self.parse([
            Self.text(
                "From: <a@example.uz>\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\n"
                    + "Content-Type: text/plain\r\n\r\nVideo ilova qilindi.\r\n--big\r\nContent-Type: video/mp4\r\n"
                    + "Content-Disposition: attachment; filename=\"dalil.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            ),
            Array(encoded.utf8), Self.text("\r\n--big--\r\n"),
        ])
        #expect(message.attachments.count == 1)
        #expect(message.attachments[0].content.count == size)
        #expect(message.attachments[0].content == bytes)
    }
}
