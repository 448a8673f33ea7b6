import ArgumentParser
import Foundation
import MurojaatCore
import Reports
import Rules
import Store

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write exports for other systems.",
        subcommands: [ExportReceptionAnswers.self])
}

struct ExportReceptionAnswers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reception-answers",
        abstract: "The Virtual Reception's appeals with status, answer date, executor and a short answer.",
        discussion: """
            Lists every Reception appeal with anything recorded on or after --since, for upload to the \\
            Reception. XLSX (a workbook with a filter row) or CSV (UTF-8 with a BOM, so Excel shows Cyrillic).
            """)

    @OptionGroup var locations: Locations
    @Option(help: "The first day (YYYY-MM-DD or DD.MM.YYYY, Tashkent).") var since: String
    @Option(help: "xlsx or csv.") var format = "xlsx"
    @Option(help: "The file to write (default: reception-answers-SINCE.FORMAT in the current folder).")
    var output: String?

    func run() async throws {
        guard let day = LocalDate(since) ?? Self.dotted(since) else {
            throw CLIError(
                uz: "--since \(since) sana emas (YYYY-MM-DD yoki DD.MM.YYYY)",
                ru: "--since \(since) — не дата (YYYY-MM-DD или DD.MM.YYYY)",
                en: "--since \(since) is not a date (YYYY-MM-DD or DD.MM.YYYY)")
        }
        guard format == "xlsx" || format == "csv" else {
            throw CLIError(
                uz: "--format qiymati xlsx yoki csv bo‘ladi, \(format) emas",
                ru: "--format — xlsx или csv, а не \(format)",
                en: "--format is xlsx or csv, not \(format)")
        }
        let book = try locations.loadRules()
        let names = Dictionary(uniqueKeysWithValues: book.org.departments.map { ($0.code, $0.name("uz")) })
        let store = try await locations.openStore()
        let rows = try await storeCall { () async throws(StoreError) in
            try await ReceptionAnswers(store: store).rows(since: day, departmentNames: names)
        }
        let url = URL(fileURLWithPath: output ?? "reception-answers-\(day.iso).\(format)")
        do {
            if format == "csv" {
                try ReceptionAnswers.csv(rows).write(to: url)
            } else {
                try ReceptionAnswers.xlsx(rows, to: url)
            }
        } catch {
            throw CLIError(
                Wording(
                    uz: "\(url.path) ga yozib bo‘lmadi", ru: "Не удалось записать \(url.path)",
                    en: "cannot write \(url.path)"),
                cause: error)
        }
        Say.line(
            uz: "\(url.path): Virtual qabulxonaning \(day.dotted) dan beri \(rows.count) ta murojaati",
            ru: "\(url.path): обращений Виртуальной приёмной с \(day.dotted) — \(rows.count)",
            en: "\(url.path): \(rows.count) appeal(s) of the Virtual Reception since \(day.dotted)")
    }

    static func dotted(_ text: String) -> LocalDate? {
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return LocalDate(year: parts[2], month: parts[1], day: parts[0])
    }
}
