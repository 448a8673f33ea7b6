public import Foundation
public import MurojaatCore

/// Turns a call-card export (FORMATS.md, 2a) into appeal drafts.
///
/// The reader is pure: bytes in, drafts and rejected rows out; storing them is ``CallCardImport``'s job. A file it
/// cannot read at all throws; a row it cannot read becomes a ``CallCardBatch/Reject`` with its raw bytes and the
/// reason, and the rows after it are read as usual.
///
/// ```swift
/// let reader = CallCardReader(mapping: try CallCardMapping.load(from: url), defaultZone: WorkingCalendar.tashkent)
/// let batch = try reader.read(Array(try Data(contentsOf: file)), sourceName: "calls-2025-11-20.csv")
/// ```
public struct CallCardReader: Sendable {
    public let mapping: CallCardMapping
    /// The zone of times written without an offset (the call centre's wall clock).
    public let defaultZone: TimeZone

    public init(mapping: CallCardMapping, defaultZone: TimeZone) {
        self.mapping = mapping
        self.defaultZone = defaultZone
    }

    /// Reads one export.
    ///
    /// - Parameter sourceName: the file's name, written into each draft's `origin` (`calls.csv line 12`).
    /// - Throws: ``CallCardFileError`` when the file is empty, has no header, or lacks a required column.
    public func read(_ bytes: [UInt8], sourceName: String) throws(CallCardFileError) -> CallCardBatch {
        var parts = try self.parts(bytes, sourceName: sourceName)
        var batch = parts.next(rows: .max) ?? CallCardBatch(encoding: parts.encoding, delimiter: parts.delimiter)
        while let part = parts.next(rows: .max) {
            batch.drafts += part.drafts
            batch.rejects += part.rejects
            batch.rows += part.rows
        }
        return batch
    }

    /// Reads one export a part at a time, so that storing one part can go on while the next is read. The header
    /// is read here; a call id seen in an earlier part is still a repeat in a later one.
    ///
    /// ```swift
    /// var parts = try reader.parts(bytes, sourceName: "calls-2025-11-20.csv")
    /// while let part = parts.next(rows: 5000) { try await store.enqueue(part.drafts, at: now) }
    /// ```
    /// - Throws: ``CallCardFileError`` when the file is empty, has no header, or lacks a required column.
    public func parts(_ bytes: [UInt8], sourceName: String) throws(CallCardFileError) -> Parts {
        let file = DelimitedFile(bytes)
        guard file.hasText else {
            throw CallCardFileError(
                .empty, Wording(uz: "fayl bo‘sh", ru: "файл пуст", en: "the file is empty"), source: sourceName)
        }
        var csv = file.reader
        guard let headerRecord = csv.next() else {
            throw CallCardFileError(
                .empty, Wording(uz: "faylda qatorlar yo‘q", ru: "в файле нет строк", en: "the file has no rows"),
                source: sourceName)
        }
        let header = try readHeader(headerRecord, encoding: file.fieldEncoding, sourceName: sourceName)
        return Parts(reader: self, file: file, csv: csv, header: header, sourceName: sourceName)
    }

    /// An export being read: ``next(rows:)`` gives the drafts and rejects of the next rows.
    public struct Parts: Sendable {
        let reader: CallCardReader
        let file: DelimitedFile
        var csv: CSVReader
        let header: Header
        let sourceName: String
        /// The line each call id was first read on.
        var seen: [String: Int] = [:]

        /// What the file is written in.
        public var encoding: TextEncoding { file.encoding }
        /// `,`, `;` or a tab.
        public var delimiter: Character { Character(Unicode.Scalar(csv.delimiter)) }

        /// The next `rows` rows (fewer at the end of the file), or nil when none is left.
        public mutating func next(rows: Int) -> CallCardBatch? {
            var batch = CallCardBatch(encoding: encoding, delimiter: delimiter)
            while batch.rows < rows, let record = csv.next() {
                batch.rows += 1
                switch reader.readRow(
                    record, header: header, encoding: file.fieldEncoding, sourceName: sourceName, seen: seen)
                {
                case .draft(let draft):
                    seen[draft.sourceKey] = record.line
                    batch.drafts.append(draft)
                case .reject(var reject):
                    reject.raw = file.raw(record)
                    batch.rejects.append(reject)
                }
            }
            return batch.rows == 0 ? nil : batch
        }
    }

    // MARK: header

    /// Where each documented column stands in the file, and the names of the other columns.
    struct Header: Sendable {
        var names: [String]
        var index: [CallCardColumn: Int]
        /// `index` as a table by ``CallCardColumn/ordinal``, -1 for a column the file lacks: every row looks up a
        /// dozen columns, and hashing each name per row showed in profiles.
        var positions: [Int]
        /// Columns not in the documented set, kept in each draft's extra fields under their own name.
        var unknown: [(index: Int, name: String)]
    }

    private func readHeader(
        _ record: CSVRecord, encoding: TextEncoding, sourceName: String
    ) throws(CallCardFileError) -> Header {
        guard record.problem == nil else {
            throw CallCardFileError(
                .noHeader,
                Wording(
                    uz: "birinchi qator sarlavha emas: undagi qo‘shtirnoq yopilmagan",
                    ru: "первая строка не заголовок: кавычка в ней не закрыта",
                    en: "the first line is not a header: a quote in it is never closed"),
                source: sourceName)
        }
        var names: [String] = []
        for field in record.fields {
            guard let name = TextDecoding.decode(field[...], as: encoding) else {
                throw CallCardFileError(
                    .noHeader,
                    Wording(
                        uz: "birinchi qator sarlavha emas: u to‘g‘ri \(encoding) matni emas",
                        ru: "первая строка не заголовок: это не корректный текст \(encoding)",
                        en: "the first line is not a header: it is not valid \(encoding) text"),
                    source: sourceName)
            }
            names.append(Self.trimmed(name))
        }
        var index: [CallCardColumn: Int] = [:]
        var unknown: [(index: Int, name: String)] = []
        for (position, name) in names.enumerated() {
            guard let column = mapping.column(named: name) else {
                if !name.isEmpty { unknown.append((position, name)) }
                continue
            }
            if let earlier = index[column] {
                let (first, meaning) = (names[earlier], column.rawValue)
                throw CallCardFileError(
                    .duplicateColumn,
                    Wording(
                        uz: "\"\(first)\" va \"\(name)\" ustunlarining ikkalasi ham \(meaning) ni bildiradi; "
                            + "birini olib tashlang yoki Rules/adapters/call-cards.yaml da boshqa nomga bog‘lang",
                        ru: "столбцы \"\(first)\" и \"\(name)\" оба означают \(meaning); "
                            + "удалите один или сопоставьте его другому имени в Rules/adapters/call-cards.yaml",
                        en: "the columns \"\(first)\" and \"\(name)\" both mean \(meaning); "
                            + "remove one or map it to another name in Rules/adapters/call-cards.yaml"),
                    source: sourceName, column: column.rawValue, header: names)
            }
            index[column] = position
        }
        if index.isEmpty {
            let (count, seen) = (names.count, Self.list(names))
            throw CallCardFileError(
                .noHeader,
                Wording(
                    uz: "birinchi qator sarlavha emas: uning \(count) ta katagidan birortasi ham qo‘ng‘iroq kartasi "
                        + "ustunini nomlamaydi (kutilgan: call_id, started_at, ...; ko‘rilgan sarlavha: \(seen))",
                    ru: "первая строка не заголовок: ни одна из её ячеек (\(count)) не называет столбец карточки "
                        + "звонка (ожидаются call_id, started_at, ...; заголовок в файле: \(seen))",
                    en: "the first line is not a header: none of its \(count) cells names a call-card column "
                        + "(expected call_id, started_at, ...; header seen: \(seen))"),
                source: sourceName, header: names)
        }
        for column in CallCardColumn.required where index[column] == nil {
            let (required, seen) = (column.rawValue, Self.list(names))
            throw CallCardFileError(
                .missingColumn,
                Wording(
                    uz: "majburiy \"\(required)\" ustuni yo‘q (na shu nom bilan, na Rules/adapters/call-cards.yaml "
                        + "dagi biror muqobil nom bilan); ko‘rilgan sarlavha: \(seen)",
                    ru: "нет обязательного столбца \"\(required)\" (ни под этим именем, ни под псевдонимом из "
                        + "Rules/adapters/call-cards.yaml); заголовок в файле: \(seen)",
                    en: "the required column \"\(required)\" is missing (under that name or any alias in "
                        + "Rules/adapters/call-cards.yaml); header seen: \(seen)"),
                source: sourceName, column: column.rawValue, header: names)
        }
        var positions = [Int](repeating: -1, count: CallCardColumn.allCases.count)
        for (column, position) in index { positions[column.ordinal] = position }
        return Header(names: names, index: index, positions: positions, unknown: unknown)
    }

    // MARK: rows

    private enum RowResult {
        case draft(AppealDraft)
        case reject(CallCardBatch.Reject)
    }

    private func readRow(
        _ record: CSVRecord, header: Header, encoding: TextEncoding, sourceName: String, seen: [String: Int]
    ) -> RowResult {
        func reject(_ reason: Wording, key: String? = nil) -> RowResult {
            .reject(CallCardBatch.Reject(line: record.line, raw: Array(record.raw), reason: reason, key: key))
        }
        if record.problem == .unterminatedQuote {
            return reject(
                Wording(
                    uz: "qo‘shtirnoqli maydon shu qatorda ochilgan va yopilmagan (ortiqcha \" belgisi?)",
                    ru: "поле в кавычках открывается в этой строке и не закрывается (лишний символ \"?)",
                    en: "a quoted field opens on this line and is never closed (a stray \" character?)"))
        }
        var fields = record.fields
        // A delimiter at the end of every line is a common export habit: empty cells past the header are ignored.
        while fields.count > header.names.count, fields.last?.allSatisfy(Self.isSpace) == true { fields.removeLast() }
        guard fields.count == header.names.count else {
            let (count, expected) = (fields.count, header.names.count)
            return reject(
                Wording(
                    uz: "qatorda \(count) ta maydon bor, sarlavhada esa \(expected) ta (ortiqcha ajratuvchi yoki "
                        + "qo‘shtirnoqdan tashqaridagi qator uzilishi?)",
                    ru: "в строке полей: \(count), а в заголовке: \(expected) (лишний разделитель или перенос строки "
                        + "вне кавычек?)",
                    en: "the row has \(count) field\(count == 1 ? "" : "s") but the header has "
                        + "\(expected) (a stray delimiter, or a line break outside quotes?)"))
        }
        var values: [String] = []
        values.reserveCapacity(fields.count)
        for (position, field) in fields.enumerated() {
            guard let text = TextDecoding.decode(field[...], as: encoding) else {
                let name = header.names[position]
                return reject(
                    Wording(
                        uz: "\"\(name)\" ustuni to‘g‘ri \(encoding) matni emas",
                        ru: "столбец \"\(name)\" — не корректный текст \(encoding)",
                        en: "the column \"\(name)\" is not valid \(encoding) text"))
            }
            values.append(Self.trimmed(text))
        }
        func value(_ column: CallCardColumn) -> String? {
            let position = header.positions[column.ordinal]
            guard position >= 0, !values[position].isEmpty else { return nil }
            return values[position]
        }

        guard let callID = value(.callID) else {
            return reject(Wording(uz: "call_id bo‘sh", ru: "call_id пуст", en: "call_id is empty"))
        }
        if let first = seen[callID] {
            return reject(
                Wording(
                    uz: "call_id \"\(callID)\" \(first)-qatorda allaqachon bor; ikkinchi karta olinmadi",
                    ru: "call_id \"\(callID)\" уже есть в строке \(first); вторая карточка не загружена",
                    en: "call_id \"\(callID)\" already appears on line \(first); the second card is not imported"),
                key: callID)
        }
        guard let started = value(.startedAt) else {
            return reject(
                Wording(uz: "started_at bo‘sh", ru: "started_at пуст", en: "started_at is empty"), key: callID)
        }
        guard let receivedAt = CallTime.parse(started, zone: defaultZone, slashDates: mapping.slashDates) else {
            if mapping.slashDates == nil,
                CallCardMapping.SlashDates.allCases.contains(where: {
                    CallTime.parse(started, zone: defaultZone, slashDates: $0) != nil
                })
            {
                return reject(
                    Wording(
                        uz: "started_at \"\(started)\" sanasida kun yoki oy birinchi ekani noma’lum: "
                            + "Rules/adapters/call-cards.yaml da slash_dates: day-first yoki month-first deb yozing",
                        ru: "started_at \"\(started)\": неизвестно, день или месяц в дате идёт первым: "
                            + "укажите slash_dates: day-first или month-first в Rules/adapters/call-cards.yaml",
                        en: "started_at \"\(started)\": whether the day or the month comes first is not known: "
                            + "set slash_dates: day-first or month-first in Rules/adapters/call-cards.yaml"),
                    key: callID)
            }
            return reject(
                Wording(
                    uz: "started_at \"\(started)\" sana va vaqt emas (kutilgan: YYYY-MM-DD HH:MM:SS, "
                        + "vaqt siljishi ko‘rsatilgan ISO 8601 yoki DD.MM.YYYY HH:MM[:SS])",
                    ru: "started_at \"\(started)\" — не дата и время (ожидается YYYY-MM-DD HH:MM:SS, "
                        + "ISO 8601 со смещением или DD.MM.YYYY HH:MM[:SS])",
                    en: "started_at \"\(started)\" is not a date and time (expected YYYY-MM-DD HH:MM:SS, "
                        + "ISO 8601 with an offset, or DD.MM.YYYY HH:MM[:SS])"), key: callID)
        }
        var intake = Intake.appeal
        if let outcome = value(.outcome) {
            guard let known = mapping.intake(named: outcome) else {
                return reject(
                    Wording(
                        uz: "outcome \"\(outcome)\" appeal, consultation yoki callback emas (Rules/adapters/"
                            + "call-cards.yaml dagi muqobil nomlaridan biri ham emas)",
                        ru: "outcome \"\(outcome)\" — не appeal, consultation или callback (и не их псевдоним из "
                            + "Rules/adapters/call-cards.yaml)",
                        en: "outcome \"\(outcome)\" is not appeal, consultation or callback "
                            + "(nor one of their aliases in Rules/adapters/call-cards.yaml)"), key: callID)
            }
            intake = known
        }

        var extra: [String: String] = [:]
        var applicant = Applicant(name: value(.callerName))
        if let caller = value(.caller) {
            // A number that does not read (a hidden caller id, a typo) is kept as written, never dropped.
            if let phone = PhoneNumber(caller) { applicant.phone = phone.e164 } else { extra["caller"] = caller }
        }
        if let callback = value(.callbackNumber) { extra["callback_number"] = PhoneNumber(callback)?.e164 ?? callback }
        if let ended = value(.endedAt) {
            extra["ended_at"] =
                CallTime.parse(ended, zone: defaultZone, slashDates: mapping.slashDates).map {
                    CallTime.format($0, zone: defaultZone)
                }
                ?? ended
        }
        for column in [CallCardColumn.line, .operator, .topic] { extra[column.rawValue] = value(column) }
        for (position, name) in header.unknown where !values[position].isEmpty { extra[name] = values[position] }

        // The topic is the subject: the router reads it with the text, and `show` prints it as a heading.
        let draft = AppealDraft(
            channel: .call, sourceKey: callID, receivedAt: receivedAt, text: value(.summary) ?? "",
            subject: value(.topic), intake: intake, applicant: applicant, region: value(.region),
            country: value(.country), language: value(.language), origin: "\(sourceName) line \(record.line)",
            extra: extra)
        return .draft(draft)
    }

    /// The text without leading and trailing white space (Unicode's, so no-break spaces too). Most fields have
    /// none, and Foundation's `trimmingCharacters` copies every one of them through NSString: this was half the
    /// reading time of a large export.
    static func trimmed(_ text: String) -> String {
        // Most fields start and end with an ASCII letter or digit: nothing to look up for them.
        let utf8 = text.utf8
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return text }
        if firstByte > 0x20, firstByte < 0x80, lastByte > 0x20, lastByte < 0x80 { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return String(scalars[start..<end])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The header as a message quotes it: at most eight names of at most 40 characters, control characters as
    /// spaces. A file that is no export at all (a binary, a workbook) has kilobytes of "header".
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map { "\"" + $0.oneLine(limit: 40) + "\"" }
        return (shown + (names.count > 8 ? ["… (+\(names.count - 8))"] : [])).joined(separator: ", ")
    }
}

/// What reading one call-card export gave.
public struct CallCardBatch: Sendable {
    /// A row that could not be read, with its raw bytes (kept in quarantine) and why.
    public struct Reject: Sendable, Hashable {
        /// 1-based line of the file where the row starts.
        public var line: Int
        public var raw: [UInt8]
        /// A sentence naming the column and the bad value, in the three languages.
        public var reason: Wording
        /// The row's call id, when it could be read.
        public var key: String?

        public init(line: Int, raw: [UInt8], reason: Wording, key: String? = nil) {
            self.line = line
            self.raw = raw
            self.reason = reason
            self.key = key
        }
    }

    public var drafts: [AppealDraft] = []
    public var rejects: [Reject] = []
    /// Data rows read (drafts plus rejects; the header and blank lines are not rows).
    public var rows = 0
    public var encoding: TextEncoding
    /// `,`, `;` or a tab.
    public var delimiter: Character

    public init(encoding: TextEncoding, delimiter: Character) {
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// A call-card file that cannot be read at all. Its bytes go to quarantine whole.
public struct CallCardFileError: WordedError, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// No bytes, or only spaces and blank lines.
        public static let empty = Code(rawValue: "empty")
        /// The first line names no known column, or cannot be read.
        public static let noHeader = Code(rawValue: "no_header")
        /// A required column (`call_id`, `started_at`) is absent.
        public static let missingColumn = Code(rawValue: "missing_column")
        /// Two columns map to the same documented column.
        public static let duplicateColumn = Code(rawValue: "duplicate_column")
    }

    public var code: Code
    /// What is wrong with the file, without its name.
    public var problem: Wording
    /// The file's name.
    public var source: String
    /// The documented column concerned, if one is.
    public var column: String?
    /// The header as read, when there was one.
    public var header: [String]

    public init(_ code: Code, _ problem: Wording, source: String, column: String? = nil, header: [String] = []) {
        self.code = code
        self.problem = problem
        self.source = source
        self.column = column
        self.header = header
    }

    /// The English problem, for logs.
    public var message: String { problem.en }
    /// `calls.csv: the file is empty`, in each language.
    public var wording: Wording { Wording { "\(source): " + problem[$0] } }
    public var description: String { wording.en }
}
