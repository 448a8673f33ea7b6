public import Foundation
import ZIPFoundation

/// A Virtual Reception XLSX export of generated appeals, written as Excel writes one (shared strings, dates as
/// serial numbers, deflated parts): for the import benchmark and the crash test. Deterministic.
public enum ReceptionWorkbook {
    public struct Failure: Error {}

    static let sentences = [
        "Ish beruvchi uch oydan beri ish haqimni bermayapti va pasportimni olib qo'ygan.",
        "Koreyaga ishga borish uchun tanlov qachon bo'lishini bilmoqchiman.",
        "Xususiy agentlik mendan pul olib, ishga joylashtirmadi.",
        "Здравствуйте, мой брат находится в Санкт-Петербурге, его задержали на улице.",
        "Прошу помочь вернуть страховой взнос после возвращения на родину.",
        "Til kurslariga yozilmoqchiman, stipendiya beriladimi?",
        "Sug'urta pulini qaytarib olish tartibini tushuntirib bering.",
    ]

    /// Row `n` (from 0) has the reception number `PQ-2025-` and `n` in seven digits.
    public static func generate(rows: Int) throws -> Data {
        var generator = SplitMix64(seed: 100_000)
        var shared: [String] = [
            "Murojaat raqami", "Kelib tushgan sana", "F.I.Sh.", "Telefon", "Hudud", "Murojaat turi", "Mavzu",
            "Murojaat matni", "Ijro muddati",
        ]
        var index: [String: Int] = [:]
        for (position, text) in shared.enumerated() { index[text] = position }
        func string(_ text: String) -> String {
            if let known = index[text] { return "<c t=\"s\"><v>\(known)</v></c>" }
            index[text] = shared.count
            shared.append(text)
            return "<c t=\"s\"><v>\(shared.count - 1)</v></c>"
        }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        let regions = ["Farg'ona", "Andijon", "Namangan", "Samarqand", "Xorazm", "Toshkent shahri", "Qashqadaryo"]
        let kinds = ["ariza", "shikoyat", "taklif"]
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        sheet += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        sheet += "<row r=\"1\">" + (0..<9).map { "<c t=\"s\"><v>\($0)</v></c>" }.joined() + "</row>"
        for row in 0..<rows {
            let text = (0..<2).map { _ in sentences.randomElement(using: &generator)! }
                .joined(separator: " ")
            // Unique numbers and texts are shared strings too, as Excel writes them.
            sheet += "<row r=\"\(row + 2)\">"
            sheet += string("PQ-2025-\(String(format: "%07d", row))")
            sheet += "<c s=\"1\"><v>\(45_979 + Double(row % 500) / 97)</v></c>"
            sheet += string("Fuqaro \(row)")
            sheet += string(
                String(format: "+998 9%d %03d %02d %02d", row % 10, row / 10 % 1000, row % 100, row / 7 % 100))
            sheet += string(regions.randomElement(using: &generator)!)
            sheet += string(kinds.randomElement(using: &generator)!)
            sheet += string("Mavzu \(row % 40)")
            sheet += string(text + " (\(row))")
            sheet += row % 4 == 0 ? "<c><v>\(45_993 + row % 30)</v></c>" : ""
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let strings =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + shared.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>"
        let parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"
            ),
            (
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Murojaatlar\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Failure() }
        return data
    }
}
