import Foundation
import MurojaatCore
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The first worksheet of an XLSX workbook as rows of cell texts. XLSX is a ZIP of XML parts: ZIPFoundation opens
/// it and Foundation's XMLParser streams the parts, so a 100,000-row export is never held as a tree.
///
/// Shared strings (rich-text runs joined), inline strings, numbers, booleans and formula results are read as the
/// text Excel shows for a general cell; dates stay serial numbers (days since 1899-12-30), which the caller turns
/// into dates where the column means one. Empty cells may be missing from a row; their places are empty strings.
struct XLSXReader {
    struct Problem: WordedError, CustomStringConvertible {
        var wording: Wording
        init(_ wording: Wording) { self.wording = wording }
        init(uz: String, ru: String, en: String) { wording = Wording(uz: uz, ru: ru, en: en) }
        var description: String { wording.en }
    }

    /// Rows of the first sheet, in order; each row's cells by column (A = 0), gaps filled with "".
    static func rows(_ bytes: [UInt8]) throws(Problem) -> [(line: Int, cells: [String])] {
        try read(bytes).rows
    }

    /// The rows, and whether the workbook counts dates from 1904 (old Excel for Mac): its serial numbers are then
    /// 1462 days short of the usual ones.
    static func read(_ bytes: [UInt8]) throws(Problem) -> (rows: [(line: Int, cells: [String])], date1904: Bool) {
        // Read from a file, not from memory: ZIPFoundation 0.9.20's in-memory archive traps on a damaged ZIP
        // ("Range requires lowerBound <= upperBound" in MemoryFile.readData), where its file reader throws.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("murojaat-xlsx-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let archive: Archive
        do {
            try Data(bytes).write(to: file)
            archive = try Archive(url: file, accessMode: .read)
            // The archive reads through the file it opened, never by its name again: with the name gone at once, an
            // import killed while it reads leaves no copy of the workbook behind.
            try? FileManager.default.removeItem(at: file)
        } catch {
            throw Problem(
                uz: "XLSX ishchi kitobi emas (ZIP arxivi emas)", ru: "не книга XLSX (не архив ZIP)",
                en: "not an XLSX workbook (not a ZIP archive)")
        }
        func part(_ path: String) throws(Problem) -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
            } catch {
                throw Problem(
                    uz: "ishchi kitobning \(path) qismini ochib bo‘lmadi: \(error)",
                    ru: "часть книги \(path) не распаковывается: \(error)",
                    en: "the workbook's part \(path) cannot be unpacked: \(error)")
            }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw Problem(
                uz: "XLSX ishchi kitobi emas (xl/workbook.xml yo‘q)", ru: "не книга XLSX (нет xl/workbook.xml)",
                en: "not an XLSX workbook (no xl/workbook.xml)")
        }
        let sheetPath = try firstSheetPath(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels"))
        guard let sheet = try part(sheetPath) else {
            throw Problem(
                uz: "birinchi varaq \(sheetPath) yo‘q", ru: "первого листа \(sheetPath) нет",
                en: "the first sheet \(sheetPath) is missing")
        }
        let shared = try part("xl/sharedStrings.xml").map(sharedStrings) ?? []
        let reader = SheetReader(shared: shared)
        // A stream, not the whole part at once: given more than 10 MB in one piece, libxml2 stops with an error.
        let parser = XMLParser(stream: InputStream(data: sheet))
        parser.delegate = reader
        guard parser.parse() else {
            let cause = parser.parserError.map { "\($0)" } ?? "?"
            throw Problem(
                uz: "varaq o‘qiladigan XML emas: \(cause)", ru: "лист — не читаемый XML: \(cause)",
                en: "the sheet is not readable XML: \(cause)")
        }
        if let problem = reader.problem { throw Problem(problem) }
        let properties = AttributeCollector(element: "workbookPr")
        let workbookParser = XMLParser(data: workbook)
        workbookParser.delegate = properties
        _ = workbookParser.parse()
        let flag = properties.found.first?["date1904"]?.lowercased()
        return (reader.rows, flag == "1" || flag == "true")
    }

    /// `xl/worksheets/sheet1.xml` or wherever the workbook's first sheet really is.
    static func firstSheetPath(workbook: Data, relations: Data?) throws(Problem) -> String {
        let sheets = AttributeCollector(element: "sheet")
        let parser = XMLParser(data: workbook)
        parser.delegate = sheets
        parser.shouldProcessNamespaces = false
        _ = parser.parse()
        guard let first = sheets.found.first else {
            throw Problem(uz: "ishchi kitobda varaq yo‘q", ru: "в книге нет листов", en: "the workbook has no sheet")
        }
        let id = first["r:id"] ?? first.first { $0.key.hasSuffix(":id") }?.value
        guard let id, let relations else { return "xl/worksheets/sheet1.xml" }
        let links = AttributeCollector(element: "Relationship")
        let relationParser = XMLParser(data: relations)
        relationParser.delegate = links
        _ = relationParser.parse()
        guard let target = links.found.first(where: { $0["Id"] == id })?["Target"] else {
            return "xl/worksheets/sheet1.xml"
        }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    static func sharedStrings(_ data: Data) throws(Problem) -> [String] {
        let reader = SharedStringsReader()
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = reader
        guard parser.parse() else {
            let cause = parser.parserError.map { "\($0)" } ?? "?"
            throw Problem(
                uz: "ishchi kitobning umumiy satrlari o‘qiladigan XML emas: \(cause)",
                ru: "общие строки книги — не читаемый XML: \(cause)",
                en: "the workbook's shared strings are not readable XML: \(cause)")
        }
        return reader.strings
    }

    /// `B` → 1, `AA` → 26: the column of a cell reference such as `AA12`.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference.utf8 {
            guard byte >= 0x41 && byte <= 0x5A else { break }
            column = column * 26 + Int(byte - 0x40)
            letters += 1
        }
        return letters == 0 ? nil : column - 1
    }
}

private final class AttributeCollector: NSObject, XMLParserDelegate {
    let element: String
    var found: [[String: String]] = []
    init(element: String) { self.element = element }
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == element || name.hasSuffix(":" + element) { found.append(attributes) }
    }
}

private final class SharedStringsReader: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var inPhonetic = false
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true  // phonetic hints are not part of the text
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}

private final class SheetReader: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [(line: Int, cells: [String])] = []
    var problem: Wording?
    private var row: [String] = []
    private var rowNumber = 0
    private var cellColumn = 0
    private var cellType = ""
    private var value = ""
    private var collecting = false

    init(shared: [String]) { self.shared = shared }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "row":
            row = []
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.column(of:)) ?? row.count
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { value += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t":
            collecting = false
        case "c":
            var text = value
            switch cellType {
            case "s":
                guard let index = Int(value), index >= 0, index < shared.count else {
                    problem = Wording.located(
                        rowNumber,
                        Wording(
                            uz: "katak mavjud bo‘lmagan \(value)-umumiy satrga ishora qiladi",
                            ru: "ячейка ссылается на общую строку \(value), которой нет",
                            en: "a cell points at shared string \(value), which does not exist"),
                        row: true)
                    parser.abortParsing()
                    return
                }
                text = shared[index]
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            default: break
            }
            while row.count < cellColumn { row.append("") }
            if row.count == cellColumn { row.append(text) } else if cellColumn < row.count { row[cellColumn] = text }
        case "row":
            rows.append((rowNumber, row))
        default: break
        }
    }
}
