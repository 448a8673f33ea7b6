import Foundation
import MurojaatTesting
import Testing

/// The `murojaat` executable as a user runs it: arguments in, stdout, stderr and the exit code out.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
}

enum Murojaat {
    /// The executable built beside the test bundle (`swift build --build-tests` builds both).
    static let executable: URL = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("murojaat")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return TestFolders.repository.appendingPathComponent(".build/debug/murojaat")
    }()

    static func run(_ arguments: [String], dataDir: URL? = nil, environment extra: [String: String] = [:]) throws -> Run
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MUROJAAT_RULES_DIR"] = TestFolders.rules.path
        // The suites check messages in English whatever the machine's locale; LanguageCLITests checks the others.
        environment["MUROJAAT_LANG"] = "en"
        if let dataDir { environment["MUROJAAT_DATA_DIR"] = dataDir.path }
        process.environment = environment.merging(extra) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and stall the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// An error is one clear line on stderr and a non-zero exit code, never a stack trace.
func expectCleanFailure(_ run: Run, mentioning words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status != 0, sourceLocation: sourceLocation)
    let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: true)
    #expect(lines.count == 1, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
    for word in words {
        #expect(run.stderr.contains(word), "stderr: \(run.stderr)", sourceLocation: sourceLocation)
    }
}

@Suite struct DeadlineCommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var due: String
        var testDescription: String { arguments.joined(separator: " ") + " → " + due }
    }

    @Test(arguments: [
        // 15 days from the day after receipt.
        Case(arguments: ["--received", "2025-03-18T10:00:00+05:00", "--kind", "shikoyat"], due: "2025-04-02"),
        Case(arguments: ["--received", "2025-03-18T10:00:00+05:00", "--kind", "ariza"], due: "2025-04-02"),
        // A proposal's default policy is one month; so is needs-study.
        Case(arguments: ["--received", "2025-03-18T10:00:00+05:00", "--kind", "taklif"], due: "2025-04-18"),
        Case(
            arguments: ["--received", "2025-03-18T10:00:00+05:00", "--kind", "shikoyat", "--policy", "needs-study"],
            due: "2025-04-18"),
        // Received in the evening of 31 Dec in Tashkent, which is still 31 Dec; 15 days end on 15 Jan 2026.
        Case(arguments: ["--received", "2025-12-31T23:30:00+05:00", "--kind", "ariza"], due: "2026-01-15"),
        // The same moment written in UTC.
        Case(arguments: ["--received", "2025-12-31T18:30:00Z", "--kind", "ariza"], due: "2026-01-15"),
        // Callback: the next working day; after Thursday 20 March 2025 come Navro'z and a weekend.
        Case(
            arguments: ["--received", "2025-03-20T16:00:00+05:00", "--kind", "ariza", "--policy", "callback"],
            due: "2025-03-24"),
    ])
    func printsTheDueDate(_ check: Case) throws {
        let run = try Murojaat.run(["deadline"] + check.arguments + ["--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(run.json as? [String: Any])
        #expect(object["due"] as? String == check.due)
    }

    @Test func refusesWhatItCannotRead() throws {
        expectCleanFailure(
            try Murojaat.run(["deadline", "--received", "yesterday", "--kind", "ariza"]), mentioning: "yesterday")
        expectCleanFailure(
            try Murojaat.run(["deadline", "--received", "2025-03-18T10:00:00+05:00", "--kind", "arz"]),
            mentioning: "arz")
        expectCleanFailure(
            try Murojaat.run([
                "deadline", "--received", "2025-03-18T10:00:00+05:00", "--kind", "ariza", "--policy", "soon",
            ]), mentioning: "soon")
    }
}

@Suite struct ExplainCommandTests {
    @Test func printsTheDecisionWithItsExplanation() throws {
        let run = try Murojaat.run(["explain", "--json", "Akam Rossiyada qamoqqa olindi, yordam bering"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(run.json as? [String: Any])
        for key in ["department", "triage", "urgent", "out_of_competence", "forward_to", "kind", "policy", "rules"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        #expect(object["urgent"] as? Bool == true)
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(!rules.isEmpty)
        let words = rules.flatMap { ($0["words"] as? [[String: Any]]) ?? [] }
        #expect(words.contains { ($0["offset"] as? Int) != nil && ($0["keyword"] as? String) != nil })
    }

    @Test func aTextWithNothingToGoOnGoesToTriage() throws {
        let run = try Murojaat.run(["explain", "--json", "Assalomu alaykum"])
        let object = try #require(run.json as? [String: Any])
        #expect(object["triage"] as? Bool == true)
        #expect(object["department"] is NSNull)
    }

    @Test func anUnknownChannelIsAClearError() throws {
        expectCleanFailure(try Murojaat.run(["explain", "--channel", "pigeon", "matn"]), mentioning: "pigeon")
    }
}

@Suite struct RulesCommandTests {
    @Test func theShippedRulesPassLintAndTheirExamples() throws {
        let lint = try Murojaat.run(["rules", "lint"])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let test = try Murojaat.run(["rules", "test"])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
    }

    @Test func aBrokenRuleFileIsReportedWithItsPlace() throws {
        let rules = try TestFolders.temporary("rules")
        let fm = FileManager.default
        for item in try fm.contentsOfDirectory(atPath: TestFolders.rules.path) {
            try fm.copyItem(
                at: TestFolders.rules.appendingPathComponent(item), to: rules.appendingPathComponent(item))
        }
        try """
        rules:
          - id: broken.department
            when: {any: [viza]}
            then: {department: ABROD}
        """.write(to: rules.appendingPathComponent("routing/zz-broken.yaml"), atomically: true, encoding: .utf8)
        let lint = try Murojaat.run(["rules", "lint", "--rules", rules.path])
        #expect(lint.status != 0)
        #expect((lint.stdout + lint.stderr).contains("zz-broken.yaml:4"))
        #expect((lint.stdout + lint.stderr).contains("ABROD"))
    }
}

@Suite struct CallCardWorkflowTests {
    static let export = """
        call_id;started_at;caller;caller_name;region;summary;outcome;queue_position\r
        C-1;2025-11-20 09:15:00;+998 90 123-45-67;Aliyev Vali;Farg'ona;Rossiyada ish beruvchi 3 oydan beri ish haqimni bermayapti;appeal;4\r
        C-2;2025-11-20 09:40:00;90 765 43 21;;Toshkent shahri;Koreyaga ishga borish tartibini so'radi;consultation;1\r
        C-3;32.13.2025 25:61;;;;Bu qator buzilgan;appeal;2\r
        C-4;20.11.2025 10:05;998935550011;Karimova Nodira;Xorazm;Assalomu alaykum;appeal;3\r

        """

    /// `user add` and `user set` check an account as the staff page does: a role and its department change
    /// together, and what the org chart does not know is refused in one line.
    @Test func userSetChangesTheRoleWithItsDepartment() throws {
        let data = try TestFolders.temporary("users")
        let password = ["MUROJAAT_PASSWORD": "parol-12345"]
        let added = try Murojaat.run(
            ["user", "add", "zafar", "--name", "Zafar", "--role", "executor", "--department", "LEGAL"], dataDir: data,
            environment: password)
        #expect(added.status == 0, "\(added.stderr)")
        let headless = try Murojaat.run(
            ["user", "add", "vali", "--name", "Vali", "--role", "head"], dataDir: data, environment: password)
        expectCleanFailure(headless, mentioning: "head needs a department")
        let unknown = try Murojaat.run(
            ["user", "set", "zafar", "--role", "head", "--department", "NOPE"], dataDir: data)
        expectCleanFailure(unknown, mentioning: "no department \"NOPE\"")
        let alone = try Murojaat.run(["user", "set", "zafar", "--department", "ABROAD"], dataDir: data)
        expectCleanFailure(alone, mentioning: "--department goes with --role")
        let moved = try Murojaat.run(
            ["user", "set", "zafar", "--role", "head", "--department", "ABROAD", "--name", "Zafar Karimov"],
            dataDir: data)
        #expect(moved.status == 0 && moved.stdout.contains("zafar changed (head, ABROAD, uz)"), "\(moved.stderr)")
        let control = try Murojaat.run(["user", "set", "zafar", "--role", "control"], dataDir: data)
        #expect(control.status == 0, "\(control.stderr)")
        let listed = try Murojaat.run(["user", "list"], dataDir: data)
        #expect(listed.stdout == "zafar\tcontrol\t-\tuz\tactive\tZafar Karimov\n", "\(listed.stdout)")
    }

    /// The only administrator can be neither disabled nor demoted from the shell either; with a second one, it can.
    @Test func theLastAdministratorStays() throws {
        let data = try TestFolders.temporary("admins")
        let password = ["MUROJAAT_PASSWORD": "parol-12345"]
        let root = try Murojaat.run(
            ["user", "add", "root", "--name", "Root", "--role", "admin"], dataDir: data, environment: password)
        #expect(root.status == 0, "\(root.stderr)")
        for refused in [["user", "disable", "root"], ["user", "set", "root", "--role", "control"]] {
            expectCleanFailure(
                try Murojaat.run(refused, dataDir: data), mentioning: "\"root\" is the last enabled administrator")
        }
        let second = try Murojaat.run(
            ["user", "add", "second", "--name", "Second", "--role", "admin"], dataDir: data, environment: password)
        #expect(second.status == 0, "\(second.stderr)")
        let disabled = try Murojaat.run(["user", "disable", "root"], dataDir: data)
        #expect(disabled.status == 0, "\(disabled.stderr)")
        let listed = try Murojaat.run(["user", "list"], dataDir: data)
        #expect(listed.stdout.contains("root\tadmin\t-\tuz\tdisabled"), "\(listed.stdout)")
    }

    /// A binary file given as call cards: one clean error line, and the quarantine lists it without its control
    /// characters (NULs, a terminal escape).
    @Test func aBinaryFileIsRefusedAndListedOnCleanLines() throws {
        let data = try TestFolders.temporary("data")
        let file = data.appendingPathComponent("not-calls.csv")
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 0x1B] + Array("[2J".utf8)
        for index in 0..<400 { bytes += [UInt8(index % 7 == 0 ? 0x3B : 0x41 + index % 26), 0] }
        try Data(bytes + [0x0A, 0x31, 0x0A]).write(to: file)
        let ingest = try Murojaat.run(["ingest", "calls", file.path], dataDir: data)
        expectCleanFailure(ingest, mentioning: "not-calls.csv", "not a header")
        let clean = { (text: String) in
            !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }
        }
        #expect(clean(ingest.stderr) && ingest.stderr.count < 600, "\(ingest.stderr)")
        let listed = try Murojaat.run(["quarantine", "list"], dataDir: data)
        #expect(listed.status == 0 && listed.stdout.contains("not-calls.csv"), "\(listed.stdout)")
        #expect(clean(listed.stdout), "\(listed.stdout)")
    }

    /// A row set aside from a windows-1251 export keeps its bytes, and the quarantine shows them as the letters the
    /// file has, not as replacement characters.
    @Test func aQuarantinedWindows1251RowReadsInCyrillic() throws {
        let data = try TestFolders.temporary("data")
        let file = data.appendingPathComponent("kartalar-1251.csv")
        let row = "W-2;вчера;Зарплату не платят"
        // Windows-1251: А-я are C0-FF.
        let cp1251 = { (text: String) -> [UInt8] in
            text.unicodeScalars.map {
                $0.value >= 0x410 && $0.value <= 0x44F ? UInt8($0.value - 0x350) : UInt8($0.value)
            }
        }
        try Data(cp1251("call_id;started_at;summary\r\nW-1;2025-11-20 10:00:00;Паспорт отобрали\r\n\(row)\r\n"))
            .write(to: file)
        let ingest = try Murojaat.run(["ingest", "calls", file.path], dataDir: data)
        #expect(ingest.status == 0 && ingest.stdout.contains("1 quarantined"), "\(ingest.stdout)\(ingest.stderr)")
        let listed = try Murojaat.run(["quarantine", "list"], dataDir: data, environment: ["MUROJAAT_LANG": "uz"])
        #expect(listed.stdout.contains("xom ma’lumot: \(row)"), "\(listed.stdout)")
        let json = try #require(
            try Murojaat.run(["quarantine", "list", "--json"], dataDir: data).json as? [[String: Any]])
        #expect(json.map { $0["raw"] as? String } == [row])
    }

    /// A file whose every row has the same fault lists the first rows and counts the rest; the quarantine has all.
    @Test func aFileOfBadRowsListsTwentyAndCountsTheRest() throws {
        let data = try TestFolders.temporary("data")
        let file = data.appendingPathComponent("slashes.csv")
        let rows = (0..<35).map { "S-\($0),20/11/2025 10:\(String(format: "%02d", $0)),Maosh bermayapti" }
        try Data((["call_id,started_at,summary"] + rows).joined(separator: "\n").utf8).write(to: file)
        let ingest = try Murojaat.run(["ingest", "calls", file.path], dataDir: data)
        #expect(ingest.status == 0 && ingest.stdout.contains("35 quarantined"), "\(ingest.stdout)\(ingest.stderr)")
        let listed = ingest.stdout.split(separator: "\n").filter { $0.hasPrefix("  quarantine: line ") }
        #expect(listed.count == 20 && listed.last?.hasPrefix("  quarantine: line 21: ") == true, "\(ingest.stdout)")
        #expect(ingest.stdout.contains("  quarantine: 15 more rows; all of them: murojaat quarantine list"))
        let all = try Murojaat.run(["quarantine", "list", "--json"], dataDir: data)
        #expect((all.json as? [Any])?.count == 35)
    }

    /// Rules without an adapter's file: the error names the file once, with the reason.
    @Test func aMissingAdapterFileIsNamedOnce() throws {
        let rules = try TestFolders.temporary("rules-without-adapters")
        let data = try TestFolders.temporary("data")
        for (command, file) in [
            ("calls", "call-cards.yaml"), ("cdr", "cdr.yaml"), ("reception", "virtual-reception.yaml"),
        ] {
            let run = try Murojaat.run(["ingest", command, "--rules", rules.path, "x.csv"], dataDir: data)
            expectCleanFailure(run, mentioning: file, "no such file")
            #expect(run.stderr.components(separatedBy: file).count == 2, "\(run.stderr)")
        }
        // A folder where a file belongs, in words.
        let folder = try Murojaat.run(
            ["ingest", "calls", data.path], dataDir: data, environment: ["MUROJAAT_LANG": "uz"])
        expectCleanFailure(folder, mentioning: "bu fayl emas, papka")
    }

    @Test func importRouteListShowAndImportAgain() throws {
        let data = try TestFolders.temporary("data")
        let file = data.appendingPathComponent("calls.csv")
        try Data(Self.export.utf8).write(to: file)

        let ingest = try Murojaat.run(["ingest", "calls", file.path], dataDir: data)
        #expect(ingest.status == 0, "stderr: \(ingest.stderr)")
        #expect(ingest.stdout.contains("3 new"), "\(ingest.stdout)")
        #expect(ingest.stdout.contains("1 quarantined"), "\(ingest.stdout)")

        let route = try Murojaat.run(["route"], dataDir: data)
        #expect(route.status == 0, "stderr: \(route.stderr)")
        #expect(route.stdout.contains("routed 3"), "\(route.stdout)")

        let list = try Murojaat.run(["list", "--json"], dataDir: data)
        let appeals = try #require(list.json as? [[String: Any]])
        #expect(appeals.count == 3)
        for key in ["tracking", "channel", "source_key", "department", "kind", "status", "received_at", "due"] {
            #expect(appeals.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        let byKey = Dictionary(uniqueKeysWithValues: appeals.map { ($0["source_key"] as! String, $0) })
        #expect(byKey["C-2"]?["status"] as? String == "closed")
        #expect(byKey["C-1"]?["channel"] as? String == "call")
        // Received Thursday 20 Nov 2025: 15 days end on Friday 5 Dec.
        #expect(byKey["C-1"]?["due"] as? String == "2025-12-05")
        #expect(byKey["C-4"]?["status"] as? String == "triage")

        let triage = try Murojaat.run(["list", "--status", "triage", "--json"], dataDir: data)
        #expect((triage.json as? [[String: Any]])?.count == 1)

        let tracking = try #require(byKey["C-1"]?["tracking"] as? String)
        let show = try Murojaat.run(["show", tracking, "--json"], dataDir: data)
        #expect(show.status == 0, "stderr: \(show.stderr)")
        let shown = try #require(show.json as? [String: Any])
        #expect((shown["history"] as? [Any])?.isEmpty == false)
        #expect(shown["routing"] != nil)
        // The export's own column, kept on the appeal, is shown with it.
        #expect((shown["appeal"] as? [String: Any])?["extra"] as? [String: String] == ["queue_position": "4"])
        let shownText = try Murojaat.run(["show", tracking], dataDir: data, environment: ["MUROJAAT_LANG": "uz"])
        #expect(shownText.stdout.contains("manbadagi boshqa maydonlar:\n  queue_position: 4"), "\(shownText.stdout)")
        // Read over the phone in lower case and without the dash, the number is still found.
        let spoken = tracking.lowercased().replacingOccurrences(of: "-", with: "")
        #expect(try Murojaat.run(["show", spoken], dataDir: data).status == 0)
        // One character misheard: the check character rejects it rather than showing another appeal.
        var misheard = Array(tracking)
        misheard[1] = misheard[1] == "7" ? "8" : "7"
        expectCleanFailure(try Murojaat.run(["show", String(misheard)], dataDir: data))

        let quarantine = try Murojaat.run(["quarantine", "list", "--json"], dataDir: data)
        let kept = try #require(quarantine.json as? [[String: Any]])
        #expect(kept.count == 1)
        #expect((kept.first?["reason"] as? String)?.contains("32.13.2025") == true)

        let again = try Murojaat.run(["ingest", "calls", file.path], dataDir: data)
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 new"), "\(again.stdout)")
        #expect(try Murojaat.run(["route"], dataDir: data).stdout.contains("routed 0"))
        let after = try Murojaat.run(["quarantine", "list", "--json"], dataDir: data)
        #expect((after.json as? [Any])?.count == 1)
    }

    @Test func aFileThatCannotBeReadFailsWithItsName() throws {
        let data = try TestFolders.temporary("data")
        let empty = data.appendingPathComponent("empty.csv")
        try Data().write(to: empty)
        let run = try Murojaat.run(["ingest", "calls", empty.path], dataDir: data)
        #expect(run.status != 0)
        #expect(run.stderr.contains("empty.csv"))
        let missing = try Murojaat.run(
            ["ingest", "calls", data.appendingPathComponent("nope.csv").path], dataDir: data)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.csv"))
    }

    @Test func badOptionsAreClearErrors() throws {
        let data = try TestFolders.temporary("data")
        expectCleanFailure(try Murojaat.run(["list", "--status", "lost"], dataDir: data), mentioning: "lost")
        expectCleanFailure(try Murojaat.run(["list", "--due-before", "soon"], dataDir: data), mentioning: "soon")
    }
}

/// E-mail and missed calls through the command line, as an operator runs them.
@Suite struct MailAndCallsCommandTests {
    static let appeal = """
        From: Aziz Karimov <aziz@example.uz>\r
        To: info@migration.uz\r
        Subject: Ish haqi\r
        Message-ID: <cli-1@example.uz>\r
        Date: Thu, 20 Nov 2025 10:15:00 +0500\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Rossiyada ish beruvchi uch oydan beri ish haqimni bermayapti, pasportimni olib qo'ygan.\r
        \r
        Hurmat bilan, Karimov Aziz\r
        +998 90 123-45-67\r

        """
    static let outOfOffice = """
        From: Nodir <nodir@example.uz>\r
        To: info@migration.uz\r
        Subject: Avtomatik javob: ta'tildaman\r
        Message-ID: <cli-2@example.uz>\r
        Auto-Submitted: auto-replied\r
        \r
        Men 1-dekabrgacha ta'tildaman, Koreyaga ishga borish tanlovi haqida keyin yozaman.\r

        """

    @Test func emailGoesInOnceAndASetAsideMessageCanBeTakenInByHand() throws {
        let folder = try TestFolders.temporary("cli-mail")
        let mails = folder.appendingPathComponent("exat")
        try FileManager.default.createDirectory(at: mails, withIntermediateDirectories: true)
        try Data(Self.appeal.utf8).write(to: mails.appendingPathComponent("1.eml"))
        try Data(Self.outOfOffice.utf8).write(to: mails.appendingPathComponent("2.eml"))
        let data = folder.appendingPathComponent("data")

        let first = try Murojaat.run(["ingest", "email", "--channel", "e-xat", mails.path], dataDir: data)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("2 messages: 1 new"))
        #expect(first.stdout.contains("set aside: auto-reply (Auto-Submitted: auto-replied)"))
        let again = try Murojaat.run(["ingest", "email", "--channel", "e-xat", mails.path], dataDir: data)
        #expect(again.stdout.hasPrefix("2 messages: 0 new"))

        let quarantine = try Murojaat.run(["quarantine", "list", "--json"], dataDir: data)
        let entries = try #require(quarantine.json as? [[String: Any]])
        #expect(entries.count == 1)
        let id = try #require(entries.first?["id"] as? Int)
        expectCleanFailure(try Murojaat.run(["quarantine", "retry", "\(id)"], dataDir: data), mentioning: "still not")
        let retried = try Murojaat.run(["quarantine", "retry", "\(id)", "--as-appeal"], dataDir: data)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try Murojaat.run(["quarantine", "list"], dataDir: data).stdout.contains("quarantine is empty"))

        #expect(try Murojaat.run(["route"], dataDir: data).stdout.hasPrefix("routed 2"))
        let listed = try #require(try Murojaat.run(["list", "--json"], dataDir: data).json as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["channel"] as? String }) == ["e-xat"])
        let tracking = try #require(listed.first { $0["source_key"] as? String == "cli-1@example.uz" }?["tracking"])
        let shown = try Murojaat.run(["show", "\(tracking)", "--json"], dataDir: data)
        let object = try #require(shown.json as? [String: Any])
        let documents = try #require(object["documents"] as? [[String: Any]])
        #expect(documents.map { $0["role"] as? String } == ["original"])
        let appeal = try #require(object["appeal"] as? [String: Any])
        let applicant = try #require(appeal["applicant"] as? [String: Any])
        #expect(applicant["phone"] as? String == "+998901234567")
        #expect(applicant["email"] as? String == "aziz@example.uz")
    }

    @Test func imapPasswordsNeverComeFromTheCommandLine() throws {
        let data = try TestFolders.temporary("cli-imap")
        expectCleanFailure(
            try Murojaat.run(["ingest", "email", "--imap", "imap://info:secret@127.0.0.1:1/INBOX"], dataDir: data),
            mentioning: "MUROJAAT_IMAP_PASSWORD")
        expectCleanFailure(
            try Murojaat.run(["ingest", "email", "--imap", "imap://info@127.0.0.1:1/INBOX"], dataDir: data),
            mentioning: "no IMAP password")
    }

    @Test func missedCallsBecomeCallbackTasks() throws {
        let folder = try TestFolders.temporary("cli-cdr")
        let cdr = folder.appendingPathComponent("Master.csv")
        try Data(
            """
            "","998901234567","1282","from-trunk","","SIP/t-1","","Queue","cc","2025-11-20 10:15:00","","2025-11-20 10:16:00",60,0,"NO ANSWER","DOCUMENTATION","1.1",""
            "","998901234567","1282","from-trunk","","SIP/t-2","","Queue","cc","2025-11-20 10:20:00","","2025-11-20 10:21:00",60,0,"BUSY","DOCUMENTATION","1.2",""
            garbage

            """.utf8
        ).write(to: cdr)
        let data = folder.appendingPathComponent("data")
        let run = try Murojaat.run(["ingest", "cdr", cdr.path], dataDir: data)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("3 records, 1 new callback tasks, 0 already known, 1 quarantined"))
        _ = try Murojaat.run(["route"], dataDir: data)
        let listed = try #require(try Murojaat.run(["list", "--json"], dataDir: data).json as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["due"] as? String == "2025-11-21")
        #expect(listed.first?["source_key"] as? String == "missed:+998901234567:2025-11-20")
    }
}

/// `murojaat serve` refuses a configuration it cannot use, in one line that points at the place.
@Suite struct ServeConfigurationTests {
    static func serve(config: String) throws -> Run {
        let folder = try TestFolders.temporary("serve-config")
        let file = folder.appendingPathComponent("murojaat.yaml")
        try Data(config.utf8).write(to: file)
        return try Murojaat.run(["serve", "--config", file.path], dataDir: folder.appendingPathComponent("data"))
    }

    @Test func anUnknownKeyIsNamedWithItsLine() throws {
        expectCleanFailure(
            try Self.serve(config: "route_interval: 10s\nroute_intervall: 5s\n"),
            mentioning: "murojaat.yaml:2", "unknown key \"route_intervall\"")
    }

    /// Another program holds the web address: serve stops with one line naming it, in the run's language.
    @Test func aTakenWebAddressStopsServeOnOneLine() throws {
        let holder = try LoopbackSocket(listening: true)
        let port = holder.port
        let folder = try TestFolders.temporary("serve-port")
        let run = try withExtendedLifetime(holder) {
            try Murojaat.run(
                ["serve"], dataDir: folder.appendingPathComponent("data"),
                environment: ["MUROJAAT_HTTP_PORT": String(port), "MUROJAAT_LANG": "uz"])
        }
        // Serve logs on stderr; its last line is the one that says why it stopped.
        let last = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(run.status != 0 && !run.stderr.contains("Error:"), "\(run.stderr)")
        #expect(last.hasPrefix("Xato: murojaat serve to‘xtadi (127.0.0.1:\(port))"), "\(last)")
        #expect(last.contains("Address already in use"), "\(last)")
    }

    @Test func aMailboxWithoutAPasswordIsRefused() throws {
        func mailbox(_ password: String) -> String {
            "mailboxes:\n  - url: imaps://mail.migration.uz/INBOX\n    user: info@migration.uz\n    \(password)\n"
        }
        expectCleanFailure(
            try Self.serve(config: mailbox("password_env: MUROJAAT_TEST_NO_SUCH_VARIABLE")), mentioning: "no password")
        expectCleanFailure(
            try Self.serve(config: mailbox("password_file: /no/such/imap.password")),
            mentioning: "cannot read the password file /no/such/imap.password: no such file")
        expectCleanFailure(try Self.serve(config: "route_interval: soon\n"), mentioning: "is not a duration")
    }

    /// A host name would never equal a peer's address, so a proxy named by one would silently be no proxy.
    @Test func trustedProxiesAreAddresses() throws {
        expectCleanFailure(
            try Self.serve(config: "http:\n  trusted_proxies: [proxy.migration.uz]\n"),
            mentioning: "murojaat.yaml:2", "http.trusted_proxies is a list of IP addresses")
        expectCleanFailure(
            try Self.serve(config: "http:\n  trusted_proxies: 127.0.0.1\n"),
            mentioning: "http.trusted_proxies is a list of IP addresses")
        expectCleanFailure(
            try Self.serve(config: "http:\n  trusted_proxies: [10.0.0]\n"),
            mentioning: "http.trusted_proxies is a list of IP addresses")
    }
}
