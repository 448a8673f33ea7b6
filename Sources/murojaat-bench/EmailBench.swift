import Foundation
import Ingest
import MurojaatTesting
import Rules
import SQLiteStore
import Tracker

/// E-mail end to end: a Maildir of generated appeal mails (a third of them windows-1251 quoted-printable, a third
/// with a PDF attached) read, parsed, sorted, enqueued, routed and registered in a new SQLite database. The figure
/// is mails per second for the whole way.
struct EmailBench {
    var rulesDirectory: URL
    var mails: Int
    var runs: Int

    func run() async throws -> Figures {
        let book = try RuleBook.load(directory: rulesDirectory)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-bench-mail-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let maildir = folder.appendingPathComponent("Maildir")
        let bytes = try Self.writeMaildir(at: maildir, mails: mails)

        var perSecond: [Double] = []
        var importSeconds: [Double] = []
        var routeSeconds: [Double] = []
        for run in 0..<runs {
            let store = try SQLiteStore(path: folder.appendingPathComponent("run-\(run).sqlite").path)
            let importer = EmailImport(store: store)
            var worker = RoutingWorker(store: store, book: book)
            let now = Date()
            var added = 0
            let read = try await seconds {
                let messages = try MailSources.maildir(maildir)
                var start = 0
                while start < messages.count {
                    let batch = Array(messages[start..<min(start + 500, messages.count)])
                    added += try await importer.importMessages(batch, source: "maildir", now: now).added
                    start += batch.count
                }
            }
            var registered = 0
            let routed = try await seconds {
                registered = try await worker.drain(now: { now }).total
            }
            guard added == mails, registered == mails else {
                throw BenchError("expected \(mails) mails, enqueued \(added) and registered \(registered)")
            }
            importSeconds.append(read)
            routeSeconds.append(routed)
            perSecond.append(Double(mails) / (read + routed))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Figures(
            bench: "ingest", name: "email-maildir-sqlite", unit: "mails", runs: perSecond,
            extra: [
                "mails": "\(mails)", "maildir_bytes": "\(bytes)",
                "import_seconds_median": String(format: "%.3f", median(importSeconds)),
                "route_register_seconds_median": String(format: "%.3f", median(routeSeconds)),
            ])
    }

    static let russian = [
        "Здравствуйте, мой брат находится в Санкт-Петербурге, его задержали на улице.",
        "Прошу помочь вернуть страховой взнос после возвращения на родину.",
        "Работодатель в Москве три месяца не платит зарплату и забрал паспорт.",
        "Хочу узнать, когда будет отбор на работу в Корею и какие нужны документы.",
        "Частное агентство взяло деньги и не отправило на работу.",
    ]

    /// Writes the Maildir; returns its size in bytes.
    static func writeMaildir(at maildir: URL, mails: Int) throws -> Int {
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var generator = SplitMix64(seed: 20_000)
        let pdf = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).base64EncodedString(
            options: .lineLength76Characters)
        var total = 0
        for index in 0..<mails {
            let kind = index % 3
            var message = "Return-Path: <sender\(index)@example.uz>\r\n"
            message +=
                "Received: from mx.example.uz by mail.migration.uz; Thu, 20 Nov 2025 10:\(10 + index % 50):00 +0500\r\n"
            message += "From: Fuqaro \(index) <sender\(index)@example.uz>\r\nTo: info@migration.uz\r\n"
            message += "Message-ID: <bench-\(index)@example.uz>\r\nDate: Thu, 20 Nov 2025 10:00:00 +0500\r\n"
            message += "MIME-Version: 1.0\r\n"
            if kind == 0 {
                let body =
                    (0..<3).map { _ in russian.randomElement(using: &generator)! }.joined(separator: " ")
                    + "\r\n\r\nС уважением, тел. 8 (90) \(100 + index % 900) 12 34"
                message +=
                    "Subject: =?windows-1251?B?\(Data((body.prefix(30)).data(using: .windowsCP1251)!).base64EncodedString())?=\r\n"
                message +=
                    "Content-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                message += quotedPrintable(Array(body.data(using: .windowsCP1251)!))
            } else {
                let body =
                    (0..<3).map { _ in RoutingBench.sentences.randomElement(using: &generator)! }
                    .joined(separator: " ")
                    + "\r\n\r\nHurmat bilan, Fuqaro \(index)\r\n+998 90 \(100 + index % 900) 45 67"
                message += "Subject: Murojaat \(index)\r\n"
                if kind == 1 {
                    message +=
                        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\(body)"
                } else {
                    message += "Content-Type: multipart/mixed; boundary=\"b\(index)\"\r\n\r\n--b\(index)\r\n"
                    message += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                    message += "\(body)\r\n--b\(index)\r\nContent-Type: application/pdf; name=\"ariza.pdf\"\r\n"
                    message += "Content-Disposition: attachment; filename=\"ariza.pdf\"\r\n"
                    message += "Content-Transfer-Encoding: base64\r\n\r\n\(pdf)\r\n--b\(index)--"
                }
            }
            message += "\r\n"
            let data = Data(message.utf8)
            total += data.count
            try data.write(to: maildir.appendingPathComponent("new/\(1_763_600_000 + index).\(index).bench"))
        }
        return total
    }

    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var column = 0
        for byte in bytes {
            let literal = byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=") || byte == 32
            let width = literal ? 1 : 3
            if column + width > 75 {
                out += Array("=\r\n".utf8)
                column = 0
            }
            if literal {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
            column += width
        }
        return String(decoding: out, as: UTF8.self)
    }
}
