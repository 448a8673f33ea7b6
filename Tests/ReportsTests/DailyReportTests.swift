import Foundation
import MurojaatCore
import MurojaatTesting
import Reports
import Store
import Testing
import ZIPFoundation

/// The daily escalation report's three renderers, fed one hand-made report: the morning after Navro'z 2026, when
/// the period since the previous working day (Thursday 19 March) spans the holidays.
@Suite struct DailyReportTests {
    static let script = "<script>alert(1)</script>"

    static func report(overdue: Bool = true) -> DailyReport {
        typealias F = DailyReport.Figures
        let departments = [
            DailyReport.DepartmentRow(
                code: "CONTROL",
                names: [
                    "uz":
                        "Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi",
                    "ru": "Управление контроля исполнительской дисциплины",
                ],
                today: F(open: 12, dueSoon: 3, dueToday: 1, overdue: 2, extended: 1, answered: 5, answeredLate: 1),
                previous: F(open: 10, overdue: 3)),
            DailyReport.DepartmentRow(
                code: "ABROAD",
                names: [
                    "uz": "Xorijdagi fuqarolarimizga huquqiy va ijtimoiy yordam ko'rsatish bo'limi",
                    // A CRLF alone, with no comma or quote to force quoting: "\r\n" is one Character in Swift.
                    "ru": "Отдел правовой и социальной помощи\r\nгражданам за рубежом",
                ],
                today: F(open: 40, dueSoon: 7, dueToday: 4, overdue: 9, extended: 2, answered: 11, answeredLate: 3),
                previous: F(open: 37, overdue: 6)),
            // Names come from Rules/org.yaml, which administrators edit: markup, quotes and commas.
            DailyReport.DepartmentRow(
                code: "LEGAL",
                names: ["uz": "\(script) Yuridik bo'lim", "ru": "Юридический отдел, \"правовой\""],
                today: F(answered: 2), previous: F(open: 1, overdue: 1)),
            DailyReport.DepartmentRow(
                code: "", names: [:], today: F(open: 5, overdue: 1), previous: F(open: 8, overdue: 1)),
        ]
        let appeals = [
            DailyReport.OverdueAppeal(
                tracking: "MA-2026-000123", channel: .virtualReception,
                receivedAt: instant("2026-02-20T16:45:00+05:00"),
                due: LocalDate("2026-03-09")!, department: "ABROAD", workingDaysOverdue: 9,
                escalation: "deputy-director", escalationLevel: 2, urgent: true),
            DailyReport.OverdueAppeal(
                tracking: "MA-2026-000456", channel: .email, receivedAt: instant("2026-03-02T09:05:30+05:00"),
                due: LocalDate("2026-03-17")!, department: "", workingDaysOverdue: 3, escalation: nil,
                escalationLevel: 0, urgent: false),
            // 18:30 UTC is 23:30 in Tashkent: the renderers must not show the server's clock.
            DailyReport.OverdueAppeal(
                tracking: "MA-2026-000789", channel: .call, receivedAt: instant("2026-03-03T18:30:00Z"),
                due: LocalDate("2026-03-18")!, department: "CONTROL", workingDaysOverdue: 2,
                escalation: "head-<b>", escalationLevel: 1, urgent: false),
            DailyReport.OverdueAppeal(
                tracking: "MA-2026-000999", channel: .ijro, receivedAt: instant("2026-03-04T10:00:00+05:00"),
                due: LocalDate("2026-03-19")!, department: "GONE", workingDaysOverdue: 1, escalation: nil,
                escalationLevel: 1, urgent: false),
        ]
        let intake = [
            DailyReport.IntakeRow(channel: .email, count: 14, previous: 10),
            DailyReport.IntakeRow(channel: .call, count: 30, previous: 41),
            DailyReport.IntakeRow(channel: .virtualReception, count: 22, previous: 22),
            DailyReport.IntakeRow(channel: .ijro, count: 3, previous: 1),
            DailyReport.IntakeRow(channel: .eXat, count: 2, previous: 0),
            DailyReport.IntakeRow(channel: .webhook, count: 0, previous: 4),
        ]
        return DailyReport(
            date: LocalDate("2026-03-24")!, previousWorkingDay: LocalDate("2026-03-19")!,
            period: LocalDate("2026-03-19")!...LocalDate("2026-03-23")!,
            generatedAt: instant("2026-03-24T07:30:00+05:00"), departments: departments,
            overdue: overdue ? appeals : [], intake: intake,
            // "head-<b>" is not in the ladder (renamed since it fired): it is shown by its id.
            escalationSteps: [
                "deputy-director": Wording(
                    uz: "mas’ul direktor o‘rinbosari", ru: "курирующий заместитель директора",
                    en: "supervising deputy director")
            ])
    }

    // MARK: HTML

    @Test func htmlEscapesConfigurationTextAndShowsEveryFigure() throws {
        let html = DailyReportHTML.render(Self.report())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"), "a department name must not become markup")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Yuridik bo'lim"))
        #expect(html.contains("1 · head-&lt;b&gt;"), "escalation step ids are escaped too")
        for external in ["<link", "<style", "src=", "http://", "https://", "url("] {
            #expect(!html.contains(external), "an e-mail body must be self-contained: found \(external)")
        }
        #expect(html.contains("24.03.2026"))
        #expect(html.contains("19.03–23.03.2026"), "the period since the previous working day spans the holidays")

        let rows = Self.tableRows(html)
        func row(_ first: String) throws -> [String] { try #require(rows.first { $0.first == first }, "\(first)") }
        // Department, open, ±open, due soon, due today, overdue, ±overdue, extended, answered, answered late.
        #expect(
            try row("Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi")
                == [
                    "Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi",
                    "12", "+2", "3", "1", "2", "−1", "1", "5", "1",
                ])
        #expect(
            try row("Xorijdagi fuqarolarimizga huquqiy va ijtimoiy yordam ko'rsatish bo'limi").dropFirst()
                == ["40", "+3", "7", "4", "9", "+3", "2", "11", "3"])
        #expect(
            try row("&lt;script&gt;alert(1)&lt;/script&gt; Yuridik bo'lim").dropFirst()
                == ["0", "−1", "0", "0", "0", "−1", "0", "2", "0"])
        #expect(try row("Saralashda").dropFirst() == ["5", "−3", "0", "0", "1", "0", "0", "0", "0"])
        #expect(try row("Jami").dropFirst() == ["57", "+1", "10", "5", "12", "+1", "3", "18", "4"])

        // The overdue list: Tashkent times, dotted dates, names for codes, the code when the org chart lost it.
        #expect(
            try row("MA-2026-000789")
                == [
                    "MA-2026-000789", "Call-markaz", "03.03.2026 23:30", "18.03.2026",
                    "Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi",
                    "2", "1 · head-&lt;b&gt;",
                ])
        #expect(
            try row("MA-2026-000123 Shoshilinch")[1...3] == ["Virtual qabulxona", "20.02.2026 16:45", "09.03.2026"])
        #expect(
            try row("MA-2026-000123 Shoshilinch")[6] == "2 · mas’ul direktor o‘rinbosari",
            "a fired step is named by whom it told")
        #expect(try row("MA-2026-000456")[4...6] == ["Saralashda", "3", "—"])
        #expect(try row("MA-2026-000999")[4] == "GONE")
        let listed = rows.compactMap { $0.first }.filter { $0.hasPrefix("MA-") }
        #expect(listed == ["MA-2026-000123 Shoshilinch", "MA-2026-000456", "MA-2026-000789", "MA-2026-000999"])

        #expect(try row("Call-markaz") == ["Call-markaz", "30", "41", "−11"])
        #expect(try row("Veb-xizmat") == ["Veb-xizmat", "0", "4", "−4"])
        #expect(try self.row("Jami", after: "Kanal", in: rows) == ["Jami", "71", "78", "−7"])
    }

    @Test func htmlHighlightsOverdueCellsOnly() throws {
        let html = DailyReportHTML.render(Self.report())
        let highlight = "background-color:#fde2e1"
        let abroad = try #require(Self.rawRow(html, containing: "Xorijdagi fuqarolarimizga"))
        let legal = try #require(Self.rawRow(html, containing: "Yuridik bo'lim"))
        #expect(abroad.contains("\(highlight);color:#a61b1b;font-weight:bold\">9</td>"))
        #expect(!legal.contains(highlight), "no appeal of LEGAL is overdue")
        // ABROAD: open +3 is neither good nor bad news, overdue +3 is bad news.
        #expect(abroad.contains("white-space:nowrap\">+3</td>"), "the change of open appeals stays neutral")
        #expect(abroad.contains("white-space:nowrap;color:#a61b1b\">+3</td>"), "more overdue is red")
        #expect(legal.contains("white-space:nowrap;color:#1b7a3d\">−1</td>"), "less overdue is green")
    }

    @Test func htmlWithoutOverdueAppealsSaysSoInRussian() {
        let html = DailyReportHTML.render(Self.report(overdue: false), language: "ru")
        #expect(html.contains("<html lang=\"ru\">"))
        #expect(html.contains("Просроченных обращений нет."))
        #expect(!html.contains("Номер обращения"), "no empty table for the overdue list")
        #expect(html.components(separatedBy: "<table").count == 3, "departments and intake only")
        for label in [
            "Ежедневный отчёт об исполнении обращений", "Подразделение", "На исполнении", "Итого", "На сортировке",
            "Виртуальная приёмная", "Управление контроля исполнительской дисциплины",
            "Юридический отдел, &quot;правовой&quot;",
        ] {
            #expect(html.contains(label), "\(label)")
        }
        for uzbek in ["Jami", "Saralashda", "Bo'lim", "Virtual qabulxona"] {
            #expect(!html.contains(uzbek), "\(uzbek) in the Russian report")
        }
    }

    @Test func aReportBuiltAfterItsDaySaysItsDeadlinesAndDepartmentsAreTodays() throws {
        #expect(!Self.report().builtAfterItsDay, "built at 07:30 on its own morning")
        #expect(!DailyReportHTML.render(Self.report()).contains("built-later"))
        var later = Self.report()
        // 23:59 in Tashkent is still the report's day; 00:01 the next is not.
        later.generatedAt = instant("2026-03-24T23:59:00+05:00")
        #expect(!later.builtAfterItsDay)
        later.generatedAt = instant("2026-03-24T19:01:00Z")
        #expect(later.builtAfterItsDay)
        #expect(DailyReportHTML.render(later).contains("o'sha kungi emas, hozirgi holatida"))
        #expect(DailyReportHTML.render(later, language: "ru").contains("в текущем состоянии, а не на ту дату"))
        let file = try TestFolders.temporary("daily-report").appendingPathComponent("later.xlsx")
        try DailyReportXLSX.write(later, to: file)
        #expect(try Self.openpyxl(file).sheets[0].value(1, 1).hasSuffix("hozirgi holatida ko'rsatilgan."))
    }

    /// A report is kept as JSON when it is sent (KeptReports): what comes back is the same report, to the
    /// millisecond and the last name.
    @Test func aReportReadsBackFromJSONAsItWas() throws {
        let report = Self.report()
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(DailyReport.self, from: json) == report)
        #expect(
            DailyReportHTML.render(try JSONDecoder().decode(DailyReport.self, from: json))
                == DailyReportHTML.render(report))
    }

    @Test func escalationStepsAreNamedInTheReportsLanguage() {
        let russian = DailyReportHTML.render(Self.report(), language: "ru")
        #expect(russian.contains(">2 · курирующий заместитель директора</td>"))
        #expect(!russian.contains("deputy-director"), "the step's id stays out of a report for people")
        #expect(russian.contains(">1 · head-&lt;b&gt;</td>"), "a step the ladder lost is shown by its id")
    }

    @Test func unknownLanguageFallsBackToUzbekAndEnglishExists() {
        #expect(DailyReportHTML.render(Self.report(), language: "de").contains("<html lang=\"uz\">"))
        let english = DailyReportHTML.render(Self.report(), language: "en")
        #expect(english.contains("In triage") && english.contains("Working days overdue"))
    }

    // MARK: CSV

    @Test func departmentsCSVRoundTripsWithCodesNamesAndPlainNumbers() throws {
        let data = DailyReportCSV.departments(Self.report(), language: "ru")
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte order mark for Excel")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        let records = try Self.parseCSV(text)
        #expect(records.count == 5)
        #expect(
            records[0] == [
                "Дата отчёта", "Код подразделения", "Подразделение", "На исполнении", "На исполнении, изменение",
                "Срок скоро", "Срок сегодня", "Просрочено", "Просрочено, изменение", "Срок продлён", "Дан ответ",
                "Ответ с опозданием",
            ])
        #expect(
            records[2] == [
                "2026-03-24", "ABROAD", "Отдел правовой и социальной помощи\r\nгражданам за рубежом", "40", "3", "7",
                "4",
                "9", "3", "2", "11", "3",
            ])
        // Commas and quotes inside a field, read back intact.
        #expect(
            records[3] == [
                "2026-03-24", "LEGAL", "Юридический отдел, \"правовой\"", "0", "-1", "0", "0", "0", "-1", "0",
                "2", "0",
            ])
        #expect(records[4][1...3] == ["", "На сортировке", "5"])
    }

    @Test func overdueAndIntakeCSVUseISODatesAndCodes() throws {
        let overdue = try Self.parseCSV(
            String(decoding: DailyReportCSV.overdue(Self.report()).dropFirst(3), as: UTF8.self))
        #expect(overdue.count == 5)
        #expect(overdue[0].first == "Hisobot sanasi" && overdue[0].contains("Bo'lim kodi"))
        #expect(
            overdue[3] == [
                "2026-03-24", "MA-2026-000789", "call", "Call-markaz", "2026-03-03T23:30:00+05:00", "2026-03-18",
                "CONTROL",
                "Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi", "2",
                "1", "head-<b>", "0",
            ])
        #expect(overdue[1][4] == "2026-02-20T16:45:00+05:00" && overdue[1].last == "1")
        #expect(overdue[2][6...7] == ["", "Saralashda"] && overdue[2][10] == "")
        // The uz name of LEGAL holds no comma, so no quotes; the CSV is for machines, markup stays as it is.
        let departments = String(decoding: DailyReportCSV.departments(Self.report()), as: UTF8.self)
        #expect(departments.contains("\r\n2026-03-24,LEGAL,\(Self.script) Yuridik bo'lim,0,-1,"))

        let intake = try Self.parseCSV(
            String(decoding: DailyReportCSV.intake(Self.report(), language: "en").dropFirst(3), as: UTF8.self))
        #expect(intake[0] == ["Report date", "Channel code", "Channel", "In period", "Previous period", "Change"])
        #expect(intake[2] == ["2026-03-24", "call", "Call centre", "30", "41", "-11"])
        #expect(intake.map { $0[1] }.dropFirst() == Channel.allCases.map(\.rawValue)[...])
    }

    // MARK: XLSX

    @Test func workbookOpensInOpenpyxlWithNumbersDatesPanesAndFilters() throws {
        let file = try TestFolders.temporary("daily-report").appendingPathComponent("hisobot.xlsx")
        try DailyReportXLSX.write(Self.report(), to: file)
        let book = try Self.openpyxl(file)
        #expect(book.sheets.map(\.name) == ["Bo'limlar", "Muddati o'tgan", "Kanallar"])

        let departments = book.sheets[0]
        #expect(departments.freeze == "B3", "below the header, right of the names")
        #expect(departments.filter == "A2:K6", "header and department rows, not the totals")
        #expect(departments.value(1, 1).hasPrefix("Murojaatlar ijrosi bo'yicha kunlik hisobot: 24.03.2026"))
        #expect(departments.value(1, 1).contains("19.03–23.03.2026"))
        #expect(departments.row(2).first == "s:Bo'lim")
        #expect(departments.headerBold == true && departments.headerFill == "FFD9E2EC")
        #expect(departments.headerBorder == "thin")
        #expect(
            departments.row(3)
                == ["s:Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi"]
                + ["s:CONTROL"] + ["12", "2", "3", "1", "2", "-1", "1", "5", "1"].map { "n:" + $0 })
        #expect(departments.row(5)[0] == "s:\(Self.script) Yuridik bo'lim")
        // The triage row has no code: an empty string becomes a blank cell, which openpyxl reads as None.
        let triage = ["5", "-3", "0", "0", "1", "0", "0", "0", "0"].map { "n:" + $0 }
        #expect(departments.row(6) == ["s:Saralashda", "e:"] + triage)
        let totals = ["57", "1", "10", "5", "12", "1", "3", "18", "4"].map { "n:" + $0 }
        #expect(departments.row(7) == ["s:Jami", "e:"] + totals, "the cached values of the SUM formulas")
        #expect(departments.formula(7, 3) == "=SUM(C3:C6)")
        #expect(departments.formula(7, 7) == "=SUM(G3:G6)")
        #expect(departments.format(3, 4) == "+0;-0;0", "the change columns show their sign")
        #expect(departments.fill(4, 7) == "FFFDE2E1", "9 overdue in ABROAD is highlighted")
        #expect(departments.fill(5, 7) != "FFFDE2E1", "0 overdue in LEGAL is not")
        #expect(departments.charts == 1)

        let overdue = book.sheets[1]
        #expect(overdue.freeze == "A3")
        #expect(overdue.filter == "A2:I6")
        #expect(
            overdue.row(5)
                == [
                    "s:MA-2026-000789", "s:Call-markaz", "d:2026-03-03T23:30:00", "d:2026-03-18T00:00:00",
                    "s:Tashkiliy va ijro intizomi nazorati, strategik rejalashtirish va KPI bilan ishlash boshqarmasi",
                    "n:2", "n:1", "s:head-<b>", "e:",
                ])
        #expect(overdue.format(5, 3) == "dd.mm.yyyy hh:mm" && overdue.format(5, 4) == "dd.mm.yyyy")
        #expect(overdue.row(3)[8] == "s:Ha" && overdue.row(4)[4] == "s:Saralashda" && overdue.row(6)[4] == "s:GONE")
        #expect(overdue.row(3)[7] == "s:mas’ul direktor o‘rinbosari", "a fired step is named by whom it told")

        let intake = book.sheets[2]
        #expect(intake.row(2) == ["s:Kanal", "s:Davr ichida", "s:Oldingi davr", "s:O'zgarish"])
        #expect(intake.row(4) == ["s:Call-markaz", "n:30", "n:41", "n:-11"])
        #expect(intake.row(9) == ["s:Jami", "n:71", "n:78", "n:-7"])
        #expect(intake.formula(9, 2) == "=SUM(B3:B8)")
    }

    @Test func workbookHasANativeBarChartOfOverdueByDepartment() throws {
        let file = try TestFolders.temporary("daily-report").appendingPathComponent("hisobot.xlsx")
        try DailyReportXLSX.write(Self.report(), to: file)
        let archive = try Archive(url: file, accessMode: .read)
        func part(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try #require(archive[path], "\(path) is missing")) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let chart = try part("xl/charts/chart1.xml")
        #expect(chart.contains("<c:barChart>") && chart.contains("<c:barDir val=\"bar\"/>"))
        // The apostrophe of Bo'limlar is doubled inside the quoted sheet name, as Excel requires.
        #expect(chart.contains("<c:f>'Bo''limlar'!$G$3:$G$6</c:f>"), "values: the overdue column")
        #expect(chart.contains("<c:f>'Bo''limlar'!$A$3:$A$6</c:f>"), "categories: the department names")
        #expect(chart.contains("Bo'limlar bo'yicha muddati o'tgan murojaatlar: 24.03.2026"))
        // libxlsxwriter swaps the axes of a bar chart: its y axis is the category axis, the one to reverse.
        let start = try #require(chart.range(of: "<c:catAx>"))
        let end = try #require(chart.range(of: "</c:catAx>"))
        #expect(
            chart[start.lowerBound..<end.upperBound].contains("<c:orientation val=\"maxMin\"/>"),
            "bars read top-down in the table's order")
        let relations = try part("xl/worksheets/_rels/sheet1.xml.rels")
        #expect(relations.contains("../drawings/drawing1.xml"), "the chart sits on the departments sheet")

        let russian = try TestFolders.temporary("daily-report").appendingPathComponent("отчёт.xlsx")
        try DailyReportXLSX.write(Self.report(), to: russian, language: "ru")
        let ruArchive = try Archive(url: russian, accessMode: .read)
        var ruChart = Data()
        _ = try ruArchive.extract(try #require(ruArchive["xl/charts/chart1.xml"])) { ruChart.append($0) }
        #expect(String(decoding: ruChart, as: UTF8.self).contains("<c:f>'Подразделения'!$G$3:$G$6</c:f>"))
    }

    @Test func russianWorkbookUsesRussianSheetsAndLabels() throws {
        let file = try TestFolders.temporary("daily-report").appendingPathComponent("report.xlsx")
        try DailyReportXLSX.write(Self.report(overdue: false), to: file, language: "ru")
        let book = try Self.openpyxl(file)
        #expect(book.sheets.map(\.name) == ["Подразделения", "Просроченные", "Каналы"])
        for sheet in book.sheets {
            #expect(sheet.name.count <= 31 && !sheet.name.contains(where: { "[]:*?/\\".contains($0) }))
        }
        #expect(book.sheets[0].row(6)[0] == "s:На сортировке")
        #expect(book.sheets[0].row(7)[0] == "s:Итого")
        #expect(book.sheets[1].row(3).first == "s:Просроченных обращений нет.")
        #expect(book.sheets[1].filter == "A2:I2")
        #expect(book.sheets[2].row(5)[0] == "s:Виртуальная приёмная")
    }

    @Test func dataReturnsTheWorkbookAndLeavesNoTemporaryFiles() throws {
        let temporary = FileManager.default.temporaryDirectory
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter {
                $0.hasPrefix("murojaat-report-")
            }
        }
        let before = try leftovers()
        let bytes = try DailyReportXLSX.data(Self.report(), language: "en")
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04], "a ZIP file")
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        #expect(archive["xl/charts/chart1.xml"] != nil)
        #expect(try leftovers() == before)
        // The document is the report's, not the moment of writing: the same report gives the same bytes.
        #expect(try DailyReportXLSX.data(Self.report(), language: "en") == bytes)
    }

    @Test func workbookThatCannotBeWrittenThrowsAndLeavesNothing() throws {
        let folder = try TestFolders.temporary("daily-report")
        let file = folder.appendingPathComponent("missing/folder/report.xlsx")
        #expect {
            try DailyReportXLSX.write(Self.report(), to: file)
        } throws: { error in
            guard let error = error as? DailyReportXLSX.WriteError else { return false }
            return error.code == .file && error.path == file.path
        }
        #expect(!FileManager.default.fileExists(atPath: file.path))

        // An empty report (a fresh installation) still makes a valid workbook, without a chart over no rows.
        let empty = DailyReport(
            date: LocalDate("2026-03-24")!, previousWorkingDay: LocalDate("2026-03-19")!,
            period: LocalDate("2026-03-23")!...LocalDate("2026-03-23")!, generatedAt: Date(timeIntervalSince1970: 0),
            departments: [], overdue: [], intake: [])
        let emptyFile = folder.appendingPathComponent("empty.xlsx")
        try DailyReportXLSX.write(empty, to: emptyFile)
        let book = try Self.openpyxl(emptyFile)
        #expect(book.sheets[0].charts == 0)
        #expect(book.sheets[0].row(3) == ["s:Jami", "e:"] + Array(repeating: "n:0", count: 9))
        #expect(DailyReportHTML.render(empty).contains("23.03.2026"), "a one-day period is one date")
    }
}

// MARK: - Helpers

extension DailyReportTests {
    /// The text of every `<td>`/`<th>` of every `<tr>`, tags inside cells removed, entities left as they are.
    static func tableRows(_ html: String) -> [[String]] {
        html.components(separatedBy: "<tr>").dropFirst().map { chunk in
            let row = chunk.components(separatedBy: "</tr>")[0].replacingOccurrences(of: "</th>", with: "</td>")
            return row.components(separatedBy: "</td>").dropLast().map { cell in
                guard let open = cell.range(of: ">") else { return cell }
                return stripTags(String(cell[open.upperBound...]))
            }
        }
    }

    static func stripTags(_ text: String) -> String {
        var out = ""
        var inTag = false
        for character in text {
            if character == "<" {
                inTag = true
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                out.append(character)
            }
        }
        return out
    }

    static func rawRow(_ html: String, containing text: String) -> String? {
        html.components(separatedBy: "<tr>").first { $0.contains(text) }?.components(separatedBy: "</tr>").first
    }

    /// The row starting with `first` that comes after the row starting with `marker` (two tables have "Jami").
    func row(_ first: String, after marker: String, in rows: [[String]]) throws -> [String] {
        let start = try #require(rows.firstIndex { $0.first == marker })
        return try #require(rows[start...].first { $0.first == first })
    }

    /// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF.
    static func parseCSV(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                try #require(field.isEmpty, "a quote in the middle of an unquoted field")
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                record.append(String(decoding: field, as: UTF8.self))
                field = []
            } else if byte == 0x0D {
                try #require(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "a bare CR outside quotes")
                record.append(String(decoding: field, as: UTF8.self))
                records.append(record)
                (record, field) = ([], [])
                index += 1
            } else {
                try #require(byte != 0x0A, "a bare LF outside quotes")
                field.append(byte)
            }
            index += 1
        }
        try #require(!quoted && record.isEmpty && field.isEmpty, "the file must end with a complete record")
        return records
    }

    /// What openpyxl sees in a workbook: each cell as `type:value` (`s` text, `n` number, `d` date, `e` empty).
    struct Book: Decodable {
        struct Sheet: Decodable {
            let name: String
            let freeze: String?
            let filter: String?
            let rows: [[String]]
            let formats: [[String]]
            let formulas: [[String]]
            let fills: [[String]]
            let headerBold: Bool?
            let headerFill: String?
            let headerBorder: String?
            let charts: Int

            /// Row and column are 1-based, as Excel shows them.
            func row(_ number: Int) -> [String] { number <= rows.count ? rows[number - 1] : [] }
            func value(_ row: Int, _ column: Int) -> String { String(self.row(row)[column - 1].dropFirst(2)) }
            func format(_ row: Int, _ column: Int) -> String { formats[row - 1][column - 1] }
            func formula(_ row: Int, _ column: Int) -> String { formulas[row - 1][column - 1] }
            func fill(_ row: Int, _ column: Int) -> String { fills[row - 1][column - 1] }
        }
        let sheets: [Sheet]
    }

    static let openpyxlScript = """
        import json, sys, openpyxl
        path = sys.argv[1]
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        def show(cell):
            v = cell.value
            if v is None:
                return "e:"
            if cell.is_date:
                return "d:" + v.isoformat()
            if isinstance(v, bool):
                return "b:" + str(v)
            if isinstance(v, (int, float)):
                return "n:" + (str(int(v)) if float(v).is_integer() else repr(v))
            return "s:" + str(v)
        sheets = []
        for ws in values.worksheets:
            fs = formulas[ws.title]
            rows = list(ws.iter_rows())
            header = ws.cell(row=2, column=1)
            sheets.append({
                "name": ws.title,
                "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref,
                "rows": [[show(c) for c in r] for r in rows],
                "formats": [[c.number_format for c in r] for r in rows],
                "formulas": [[str(fs.cell(row=c.row, column=c.column).value) for c in r] for r in rows],
                "fills": [[str(c.fill.fgColor.rgb) if c.fill and c.fill.fill_type else "" for c in r] for r in rows],
                "headerBold": header.font.b,
                "headerFill": str(header.fill.fgColor.rgb),
                "headerBorder": header.border.left.style,
                "charts": len(getattr(fs, "_charts", [])),
            })
        print(json.dumps({"sheets": sheets}, ensure_ascii=False))
        """

    /// Debian's openpyxl, under Debian's Python (the `python3` on PATH is a pyenv build without it).
    static func openpyxl(_ file: URL) throws -> Book {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", openpyxlScript, file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: a full pipe would block the script and the wait forever.
        let json = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openpyxl: \(String(decoding: message, as: UTF8.self))")
        return try JSONDecoder().decode(Book.self, from: json)
    }
}
