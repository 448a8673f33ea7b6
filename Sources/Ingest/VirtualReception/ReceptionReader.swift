public import Foundation
public import MurojaatCore

/// Turns a Virtual Reception export (FORMATS.md 3: XLSX, CSV, a JSON array or JSON Lines) into appeal drafts.
/// Pure: bytes in, drafts and rejected rows out. A file it cannot read at all throws; a bad row becomes a reject
/// with its raw bytes and the reason, and the rows after it are read as usual.
public struct ReceptionReader: Sendable {
    public let mapping: ReceptionMapping
    public let zone: TimeZone

    public init(mapping: ReceptionMapping, zone: TimeZone = WorkingCalendar.tashkent) {
        self.mapping = mapping
        self.zone = zone
    }

    public enum Format: String, Sendable {
        case xlsx, csv, json
    }

    public struct Batch: Sendable {
        public var drafts: [AppealDraft] = []
        public var rejects: [CallCardBatch.Reject] = []
        public var rows = 0
        public var format: Format
    }

    /// An export that cannot be read at all. Its bytes go to quarantine whole.
    public struct FileError: WordedError, Sendable, CustomStringConvertible {
        public var wording: Wording
        public init(_ wording: Wording) { self.wording = wording }
        public var description: String { wording.en }
    }

    /// The format from the name, else from the content: a ZIP is XLSX, `[` or `{` is JSON, anything else CSV.
    public static func format(of bytes: [UInt8], name: String) -> Format {
        let lower = name.lowercased()
        if lower.hasSuffix(".xlsx") { return .xlsx }
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .json }
        if lower.hasSuffix(".csv") { return .csv }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        let first = bytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }
            .first
        return first == UInt8(ascii: "[") || first == UInt8(ascii: "{") ? .json : .csv
    }

    /// A row before mapping: its line (or row) in the file, the cells by header, and its raw bytes.
    struct Row {
        var line: Int
        var values: [(header: String, value: String)]
        var raw: [UInt8]
    }

    public func read(_ bytes: [UInt8], sourceName: String) throws(FileError) -> Batch {
        let format = Self.format(of: bytes, name: sourceName)
        let rows: [Row]
        var serialOffset = 0
        switch format {
        case .xlsx:
            let sheet = try xlsxRows(bytes)
            rows = sheet.rows
            serialOffset = sheet.date1904 ? 1462 : 0
        case .csv: rows = try csvRows(bytes)
        case .json: rows = try jsonRows(bytes)
        }
        var batch = Batch(format: format)
        if let first = rows.first {
            let present = Set(first.values.compactMap { mapping.field(named: $0.header) })
            let missing = ReceptionField.required.filter { !present.contains($0) }
            if format != .json, !missing.isEmpty {
                let columns = missing.map { "\($0.rawValue) (\"\($0.uzbekName)\")" }.joined(separator: ", ")
                throw FileError(
                    Wording(
                        uz: "ustun yo‘q: \(columns)", ru: "нет столбца для \(columns)", en: "no column for \(columns)"))
            }
        }
        for row in rows {
            batch.rows += 1
            switch draft(from: row, sourceName: sourceName, format: format, serialOffset: serialOffset) {
            case .draft(let draft): batch.drafts.append(draft)
            case .reject(let reject): batch.rejects.append(reject)
            }
        }
        return batch
    }

    enum Outcome {
        case draft(AppealDraft)
        case reject(CallCardBatch.Reject)
    }

    /// `serialOffset`: days to add to a serial date (1462 for a workbook that counts from 1904).
    func draft(from row: Row, sourceName: String, format: Format, serialOffset: Int = 0) -> Outcome {
        var known: [ReceptionField: String] = [:]
        var extra: [String: String] = [:]
        for (header, value) in row.values {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if let field = mapping.field(named: header) {
                if !trimmed.isEmpty { known[field] = trimmed }
            } else if !trimmed.isEmpty, !header.isEmpty {
                extra[header] = trimmed
            }
        }
        func reject(_ reason: Wording) -> Outcome {
            .reject(CallCardBatch.Reject(line: row.line, raw: row.raw, reason: reason, key: known[.number]))
        }
        guard let number = known[.number] else {
            return reject(
                Wording(
                    uz: "murojaatning qabulxonadagi raqami bo‘sh", ru: "номер обращения в приёмной пуст",
                    en: "the reception number is empty"))
        }
        guard let receivedText = known[.receivedAt] else {
            return reject(
                Wording(
                    uz: "kelib tushgan sana bo‘sh", ru: "дата поступления пуста", en: "the date received is empty"))
        }
        guard let received = ReceptionDates.moment(receivedText, zone: zone, serialOffset: serialOffset) else {
            return reject(
                Wording(
                    uz: "kelib tushgan sana \"\(receivedText)\" sana emas",
                    ru: "дата поступления \"\(receivedText)\" — не дата",
                    en: "the date received \"\(receivedText)\" is not a date"))
        }
        guard let text = known[.text] else {
            return reject(
                Wording(uz: "murojaat matni bo‘sh", ru: "текст обращения пуст", en: "the appeal's text is empty"))
        }
        var kind: Kind?
        if let kindText = known[.kind] {
            guard let mapped = mapping.kind(named: kindText) else {
                return reject(
                    Wording(
                        uz: "\"\(kindText)\" turi ariza, taklif yoki shikoyat emas (uni sxema fayliga qo‘shing)",
                        ru: "вид \"\(kindText)\" — не ariza, taklif или shikoyat (добавьте его в файл схемы)",
                        en: "the kind \"\(kindText)\" is not ariza, taklif or shikoyat (add it to the mapping file)"))
            }
            kind = mapped
        }
        var deadline: LocalDate?
        if let deadlineText = known[.deadline] {
            guard let date = ReceptionDates.day(deadlineText, zone: zone, serialOffset: serialOffset) else {
                return reject(
                    Wording(
                        uz: "ijro muddati \"\(deadlineText)\" sana emas",
                        ru: "срок исполнения \"\(deadlineText)\" — не дата",
                        en: "the deadline \"\(deadlineText)\" is not a date"))
            }
            deadline = date
        }
        if let district = known[.district] { extra["district"] = district }
        if let attachments = known[.attachments] { extra["attachments"] = attachments }
        let unit = format == .xlsx ? "row" : "line"
        return .draft(
            AppealDraft(
                channel: .virtualReception, sourceKey: number, receivedAt: received, text: text,
                subject: known[.topic], kind: kind,
                applicant: Applicant(
                    name: known[.fullName], phone: known[.phone].flatMap { PhoneNumber($0)?.e164 ?? $0 },
                    email: known[.email]?.lowercased(), address: known[.address]),
                region: known[.region], bindingDeadline: deadline, origin: "\(sourceName) \(unit) \(row.line)",
                extra: extra))
    }

    func xlsxRows(_ bytes: [UInt8]) throws(FileError) -> (rows: [Row], date1904: Bool) {
        let sheet: [(line: Int, cells: [String])]
        let date1904: Bool
        do {
            (sheet, date1904) = try XLSXReader.read(bytes)
        } catch {
            throw FileError(Wording(describing: error))
        }
        guard let header = sheet.first else {
            throw FileError(Wording(uz: "varaq bo‘sh", ru: "лист пуст", en: "the sheet is empty"))
        }
        let rows: [Row] = sheet.dropFirst().compactMap { entry in
            guard entry.cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
            // A sheet row has no bytes of its own: its cells, tab-separated, stand for it in the quarantine.
            let values = header.cells.enumerated().map { index, name in
                (name, index < entry.cells.count ? entry.cells[index] : "")
            }
            return Row(line: entry.line, values: values, raw: Array(entry.cells.joined(separator: "\t").utf8))
        }
        return (rows, date1904)
    }

    func csvRows(_ bytes: [UInt8]) throws(FileError) -> [Row] {
        let file = DelimitedFile(bytes)
        let encoding = file.fieldEncoding
        var csv = file.reader
        guard let header = csv.next() else {
            throw FileError(Wording(uz: "fayl bo‘sh", ru: "файл пуст", en: "the file is empty"))
        }
        func decode(_ field: [UInt8]) -> String {
            TextDecoding.decode(field[...], as: encoding) ?? String(decoding: field, as: UTF8.self)
        }
        let names = header.fields.map(decode)
        var rows: [Row] = []
        while let record = csv.next() {
            if record.problem != nil {
                rows.append(Row(line: record.line, values: [], raw: file.raw(record)))
                continue
            }
            let values = names.enumerated().map { index, name in
                (name, index < record.fields.count ? decode(record.fields[index]) : "")
            }
            rows.append(Row(line: record.line, values: values, raw: file.raw(record)))
        }
        return rows
    }

    func jsonRows(_ bytes: [UInt8]) throws(FileError) -> [Row] {
        let data = Data(bytes)
        if let array = try? JSONSerialization.jsonObject(with: data) as? [Any] {
            return array.enumerated().map { index, item in
                let raw = (try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])).map(Array.init)
                return Row(line: index + 1, values: Self.pairs(item), raw: raw ?? [])
            }
        }
        // JSON Lines: one object per line; a line that is not an object becomes a reject of its own.
        var rows: [Row] = []
        var line = 0
        for slice in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            let trimmed = slice.drop { $0 == 0x20 || $0 == 0x09 }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(slice))
            rows.append(Row(line: line, values: object.map(Self.pairs) ?? [], raw: Array(slice)))
        }
        if rows.isEmpty {
            throw FileError(
                Wording(uz: "faylda yozuvlar yo‘q", ru: "в файле нет записей", en: "the file has no records"))
        }
        if rows.allSatisfy({ $0.values.isEmpty }) {
            throw FileError(
                Wording(
                    uz: "JSON emas: birorta qator ham JSON obyekti emas",
                    ru: "не JSON: ни одна строка не является объектом JSON",
                    en: "not JSON: no line is a JSON object"))
        }
        return rows
    }

    static func pairs(_ item: Any) -> [(header: String, value: String)] {
        guard let object = item as? [String: Any] else { return [] }
        return object.keys.sorted().map { key in
            let value = object[key]
            let text: String
            switch value {
            case let string as String: text = string
            case let number as NSNumber: text = number.stringValue
            case let list as [Any]: text = list.map { "\($0)" }.joined(separator: ";")
            case nil, is NSNull: text = ""
            default: text = "\(value!)"
            }
            return (key, text)
        }
    }
}

/// The dates Reception exports write: `DD.MM.YYYY [HH:MM[:SS]]`, ISO 8601 with or without time and offset, and
/// Excel serial numbers (days since 1899-12-30, the fraction the time of day), all in Tashkent time unless an
/// offset says otherwise.
enum ReceptionDates {
    static func moment(_ text: String, zone: TimeZone, serialOffset: Int = 0) -> Date? {
        if let parsed = CallTime.parse(text, zone: zone) { return parsed }
        if let serial = Double(text), serial > 20_000, serial < 80_000 {
            return fromSerial(serial + Double(serialOffset), zone: zone)
        }
        if let date = day(text, zone: zone) { return date.start(in: zone) }
        return nil
    }

    static func day(_ text: String, zone: TimeZone, serialOffset: Int = 0) -> LocalDate? {
        if let serial = Double(text), serial > 20_000, serial < 80_000 {
            return LocalDate(fromSerial(serial + Double(serialOffset), zone: zone), in: zone)
        }
        if let date = LocalDate(text) { return date }
        let parts = text.split(separator: ".")
        if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2].prefix(4)),
            parts[2].count == 4 || parts[2].dropFirst(4).first == " "
        {
            return LocalDate(year: y, month: m, day: d)
        }
        if let moment = CallTime.parse(text, zone: zone) { return LocalDate(moment, in: zone) }
        return nil
    }

    /// Excel's day 0 is 1899-12-30 (the 1900 leap-year bug is absorbed by starting there).
    static func fromSerial(_ serial: Double, zone: TimeZone) -> Date {
        let days = Int(serial.rounded(.down))
        let seconds = ((serial - Double(days)) * 86_400).rounded()
        let date = LocalDate(daysSinceEpoch: days - 25_569)
        return date.start(in: zone).addingTimeInterval(seconds)
    }
}
