import Foundation
import Ingest
import Mail
import MurojaatCore
import MurojaatTesting
import Testing

/// Every message of the e-mail fixture set (Tests/MailTests/Fixtures, written by its generate.py and described in
/// its manifest.json) parsed with GMime and sorted by the reader: headers, text, files, class, signature.
@Suite struct MailFixtureTests {
    struct Expected: Decodable, Sendable, CustomStringConvertible {
        struct File: Decodable, Sendable {
            var name: String
            var content_type: String
            var size: Int
        }
        var file: String
        var message_id: String?
        var from_address: String?
        var from_name: String?
        var reply_to: String?
        var subject: String?
        var text_contains: [String]?
        var text_excludes: [String]?
        var attachments: [File]?
        var `class`: String
        var follow_up_tracking: String?
        var signature_phone: String?
        var signature_name: String?
        var broken: Bool?
        var description: String { file }
    }

    static let folder = TestFolders.repository.appendingPathComponent("Tests/MailTests/Fixtures")
    static let manifest: [Expected] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
            let entries = try? JSONDecoder().decode([Expected].self, from: data)
        else { return [] }
        return entries
    }()

    @Test func theManifestDescribesEveryFixture() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".eml")
        }
        #expect(!Self.manifest.isEmpty)
        #expect(Set(files) == Set(Self.manifest.map(\.file)))
    }

    @Test(arguments: manifest)
    func fixture(_ expected: Expected) throws {
        let raw = Array(try Data(contentsOf: Self.folder.appendingPathComponent(expected.file)))
        let message = try MIMEParser().parse(raw)
        if expected.broken != true {
            #expect(message.messageID == expected.message_id)
            if let subject = expected.subject { #expect(message.subject == subject) }
            if let address = expected.from_address { #expect(message.from.first?.address == address) }
            if let name = expected.from_name { #expect(message.from.first?.name == name) }
            if let replyTo = expected.reply_to { #expect(message.replyTo.first?.address == replyTo) }
        }
        for part in expected.text_contains ?? [] {
            #expect(message.text.contains(part), "text: \(message.text.prefix(300))")
        }
        for part in expected.text_excludes ?? [] { #expect(!message.text.contains(part)) }
        if let files = expected.attachments {
            #expect(message.attachments.map(\.name) == files.map(\.name))
            #expect(message.attachments.map(\.contentType) == files.map(\.content_type))
            #expect(message.attachments.map(\.content.count) == files.map(\.size))
        }

        let reading = EmailReader().read(message, raw: raw, origin: expected.file, arrived: Date())
        switch (reading, expected.class) {
        case (.appeal(let draft), "appeal"):
            #expect(draft.followUpOf == nil)
            if let phone = expected.signature_phone { #expect(draft.applicant.phone == phone) }
            if let name = expected.signature_name, expected.from_name == nil {
                #expect(draft.applicant.name == name)
            }
        case (.appeal(let draft), "follow-up"):
            #expect(draft.followUpOf?.value == expected.follow_up_tracking)
        case (.setAside(let reason, _), "auto-reply"):
            #expect(reason.en.hasPrefix("auto-reply"))
        case (.setAside(let reason, _), "delivery-report"):
            #expect(reason.en.hasPrefix("delivery report"))
        case (.setAside(let reason, _), "loop"):
            #expect(reason.en.hasPrefix("mail loop"))
        default:
            Issue.record("\(expected.file): expected \(expected.class), got \(reading)")
        }
    }
}

/// Damaged mail: random bytes broken in every fixture, each copy parsed and sorted. It must give a message or a
/// clear error, never a crash.
@Suite struct DamagedMailTests {
    @Test func everyDamagedCopyIsReadOrRefusedCleanly() throws {
        var generator = SplitMix64(seed: 11)
        let parser = MIMEParser()
        var read = 0
        for expected in MailFixtureTests.manifest {
            let original = Array(try Data(contentsOf: MailFixtureTests.folder.appendingPathComponent(expected.file)))
            for round in 0..<40 {
                var damaged = original
                for _ in 0..<(1 + round % 5) {
                    let position = Int(generator.next() % UInt64(damaged.count))
                    damaged[position] = UInt8(truncatingIfNeeded: generator.next())
                }
                if round % 8 == 0 { damaged = Array(damaged.prefix(Int(generator.next() % UInt64(damaged.count)))) }
                guard let message = try? parser.parse(damaged) else { continue }
                _ = EmailReader().read(message, raw: damaged, origin: "damaged", arrived: Date())
                read += 1
            }
        }
        #expect(read > 0)
    }
}
