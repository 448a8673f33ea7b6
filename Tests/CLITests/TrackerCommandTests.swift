import Foundation
import MurojaatTesting
import Testing

/// The tracker from the command line, as the demo and an administrator use it: a rehearsed morning two weeks after
/// the sample exports, the daily report in every format, and the e-mails as .eml files.
@Suite struct TrackerCommandTests {
    /// The department table's open and overdue counts from the workbook's first sheet, read with openpyxl.
    func workbookCounts(_ file: URL) throws -> [String: [Int]] {
        let script = """
            import json, sys, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
            header = [cell.value for cell in sheet[2]]
            rows = {}
            code = header.index("Bo'lim kodi")
            for row in sheet.iter_rows(min_row=3, values_only=True):
                if row[code] is None: continue
                rows[str(row[code])] = [row[header.index("Ijroda")], row[header.index("Muddati o'tgan")]]
            print(json.dumps({"header": header, "rows": rows}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (object["rows"] as? [String: [Int]]) ?? [:]
    }

    @Test func aRehearsedMorningEscalatesReportsAndWritesTheMail() throws {
        let data = try TestFolders.temporary("tracker-cli")
        let samples = TestFolders.repository.appendingPathComponent("deploy/samples")
        let evening = ["MUROJAAT_NOW": "2025-11-20T18:30:00+05:00"]
        #expect(
            try Murojaat.run(
                ["ingest", "calls", samples.appendingPathComponent("call-cards-2025-11-20.csv").path], dataDir: data,
                environment: evening
            ).status == 0)
        #expect(try Murojaat.run(["route"], dataDir: data, environment: evening).status == 0)
        let morning = ["MUROJAAT_NOW": "2025-12-05T09:00:00+05:00", "MUROJAAT_USER": "nazorat"]
        let sweep = try Murojaat.run(["sweep"], dataDir: data, environment: morning)
        #expect(sweep.status == 0 && sweep.stdout.contains("escalation steps fired"), "\(sweep.stderr)")
        #expect(!sweep.stdout.contains(" 0 escalation steps fired"))
        // Again the same morning: nothing more fires.
        #expect(try Murojaat.run(["sweep"], dataDir: data, environment: morning).stdout.hasPrefix("checked 0 appeals"))

        let xlsx = data.appendingPathComponent("report.xlsx")
        let csv = data.appendingPathComponent("report.csv")
        #expect(
            try Murojaat.run(
                ["report", "daily", "--format", "xlsx", "--out", xlsx.path], dataDir: data, environment: morning
            ).status == 0)
        #expect(
            try Murojaat.run(
                ["report", "daily", "--format", "csv", "--out", csv.path], dataDir: data, environment: morning
            ).status == 0)
        // The workbook and the CSV hold the same numbers, and they are not all zero.
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n").dropFirst()
        var fromCSV: [String: [Int]] = [:]
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // date, code, name (quoted when it has a comma) ... the counts are the last nine fields.
            let counts = fields.suffix(9).compactMap { Int($0) }
            fromCSV[fields[1]] = [counts[0], counts[4]]
        }
        let fromWorkbook = try workbookCounts(xlsx)
        #expect(!fromCSV.isEmpty)
        #expect(fromCSV.values.map { $0[1] }.reduce(0, +) > 0, "some appeals are overdue by 05.12")
        for (code, counts) in fromCSV where !code.isEmpty {
            #expect(fromWorkbook[code] == counts, "\(code): CSV \(counts), workbook \(fromWorkbook[code] ?? [])")
        }
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("report-overdue.csv").path))

        let html = try Murojaat.run(
            ["report", "daily", "--format", "html", "--send"], dataDir: data, environment: morning)
        #expect(html.status == 0 && html.stdout.contains("<html") && html.stderr.contains("in the outbox"))
        #expect(!html.stderr.contains("built from today's data") && !html.stdout.contains("built-later"))
        // Yesterday's report, built this morning, says that its deadlines and departments are today's.
        let yesterday = try Murojaat.run(
            ["report", "daily", "--date", "2025-12-04", "--format", "html"], dataDir: data, environment: morning)
        #expect(yesterday.status == 0 && yesterday.stdout.contains(#"<p id="built-later""#))
        #expect(yesterday.stderr.contains("note: the report for 04.12.2025 is built from today's data"))
        let again = try Murojaat.run(
            ["report", "daily", "--format", "html", "--send"], dataDir: data, environment: morning)
        #expect(again.stderr.contains("not written again"))
        // On the next working day, after its sweep moved the escalations on, the report of 05.12 is the one that
        // was sent that morning, not one built from Monday's data.
        let monday = ["MUROJAAT_NOW": "2025-12-08T09:00:00+05:00", "MUROJAAT_USER": "nazorat"]
        #expect(try Murojaat.run(["sweep"], dataDir: data, environment: monday).status == 0)
        let kept = try Murojaat.run(
            ["report", "daily", "--date", "2025-12-05", "--format", "html"], dataDir: data, environment: monday)
        #expect(kept.status == 0 && kept.stdout == html.stdout, "the report of 05.12 as it was sent")
        #expect(!kept.stderr.contains("built from today's data"), "\(kept.stderr)")

        let send = try Murojaat.run(["outbox", "send"], dataDir: data, environment: morning)
        #expect(send.status == 0, "\(send.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("outbox").path)
        let sent = try Murojaat.run(["outbox", "list", "--state", "sent"], dataDir: data).stdout
            .split(separator: "\n").count
        #expect(files.filter { $0.hasSuffix(".eml") }.count == sent && sent > 1)
        #expect(try Murojaat.run(["outbox", "list", "--state", "pending"], dataDir: data).stdout.contains("empty"))
    }

    @Test func aRefusedActionIsOneClearLine() throws {
        let data = try TestFolders.temporary("tracker-cli")
        let samples = TestFolders.repository.appendingPathComponent("deploy/samples")
        let evening = ["MUROJAAT_NOW": "2025-11-20T18:30:00+05:00", "MUROJAAT_USER": "op"]
        _ = try Murojaat.run(
            ["ingest", "calls", samples.appendingPathComponent("call-cards-2025-11-20.csv").path], dataDir: data,
            environment: evening)
        _ = try Murojaat.run(["route"], dataDir: data, environment: evening)
        let list = try Murojaat.run(["list", "--department", "ABROAD", "--limit", "1", "--json"], dataDir: data)
        let tracking = try #require(
            list.stdout.split(separator: "\"").drop { $0 != "tracking" }.dropFirst(2).first.map(String.init))
        let extend = ["extend", tracking, "--reason", "ekspertiza"]
        expectCleanFailure(
            try Murojaat.run(extend + ["--approved-by", "op"], dataDir: data, environment: evening),
            mentioning: "refused", "head")
        #expect(
            try Murojaat.run(extend + ["--approved-by", "abroad-head"], dataDir: data, environment: evening).status == 0
        )
        expectCleanFailure(
            try Murojaat.run(extend + ["--approved-by", "abroad-head"], dataDir: data, environment: evening),
            mentioning: "once")
        expectCleanFailure(
            try Murojaat.run(["answer", tracking, "--by", "x"], dataDir: data, environment: evening),
            mentioning: "answer's text is required")
        // A file that is not there is said in words, not in Foundation's.
        expectCleanFailure(
            try Murojaat.run(["answer", tracking, "--text-file", "/no/such/answer.txt"], dataDir: data),
            mentioning: "cannot read /no/such/answer.txt: no such file")
        expectCleanFailure(
            try Murojaat.run(["answer", tracking, "--text", "x", "--attach", "/no/such/scan.pdf"], dataDir: data),
            mentioning: "cannot read the attachment /no/such/scan.pdf: no such file")
        let show = try Murojaat.run(["show", tracking], dataDir: data)
        #expect(show.stdout.contains("extended") && show.stdout.contains("ekspertiza"))
    }
}
