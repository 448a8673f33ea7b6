/// One record of a CSV file, still in bytes: the encoding is the caller's business, and the raw bytes are what a
/// quarantined row must keep.
struct CSVRecord: Sendable, Hashable {
    /// 1-based line of the file where the record starts (a quoted field with line breaks spans several).
    var line: Int
    /// The fields, quotes removed and doubled quotes undone. Empty when ``problem`` is set.
    var fields: [[UInt8]]
    /// The record as it stood in the file, without its line break.
    var raw: ArraySlice<UInt8>
    var problem: CSVProblem?
}

enum CSVProblem: Sendable, Hashable {
    /// A field opens a quote that the file never closes.
    case unterminatedQuote
}

/// Reads RFC 4180 CSV as written by Excel, 1C and call-centre systems: any of `,` `;` tab as the delimiter, CRLF,
/// LF or a lone CR between records, quoted fields with doubled quotes and line breaks inside.
///
/// Where the RFC says nothing it reads the way Python's `csv` module does, so that a person can predict the
/// result: a quote inside an unquoted field is a character (`5" disk`), and text after a closing quote is kept
/// (`"Aka" Tashkent` is `Aka Tashkent`). Lines that are empty or only delimiters and spaces are skipped.
///
/// A quote that is never closed would swallow the rest of the file into one field. Instead the record's first
/// line is given back with ``CSVProblem/unterminatedQuote`` and reading resumes on the next line, so one stray
/// quote costs one row. (Each such restart rescans to the end of the file; a file full of stray quotes is slow
/// but still read.)
struct CSVReader: Sendable {
    let bytes: [UInt8]
    let delimiter: UInt8
    private(set) var position: Int
    /// Line number of the byte at ``position``.
    private(set) var line = 1

    /// Reads `bytes` from `start`, which is on line `line` of the file.
    init(bytes: [UInt8], delimiter: UInt8, start: Int = 0, line: Int = 1) {
        self.bytes = bytes
        self.delimiter = delimiter
        position = min(max(start, 0), bytes.count)
        self.line = line
    }

    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// The delimiter of the file: whichever of `;` `,` tab occurs most outside quotes in the first line (the
    /// header). Ties go to `;`, then `,`: a header has no reason to contain a semicolon unless it separates
    /// columns. A header of one column gives `,`.
    static func sniffDelimiter(_ bytes: [UInt8], from start: Int = 0) -> UInt8 {
        var semicolons = 0
        var commas = 0
        var tabs = 0
        var quoted = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                quoted.toggle()
            } else if !quoted {
                if byte == lf || byte == cr { break }
                if byte == 0x3B {
                    semicolons += 1
                } else if byte == 0x2C {
                    commas += 1
                } else if byte == 0x09 {
                    tabs += 1
                }
            }
            index += 1
        }
        if semicolons > 0 && semicolons >= commas && semicolons >= tabs { return 0x3B }
        if tabs > commas { return 0x09 }
        return 0x2C
    }

    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    /// The next record that is not blank, or nil at the end of the file.
    mutating func next() -> CSVRecord? {
        while position < bytes.count {
            let record = readRecord()
            if !CSVReader.isBlank(record) { return record }
        }
        return nil
    }

    /// Reads one record from ``position``, blank or not, and moves past it.
    private mutating func readRecord() -> CSVRecord {
        let start = position
        let startLine = line
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        var index = start
        let count = bytes.count
        var recordEnd = count
        var next = count
        var linesInside = 0
        scan: while index < count {
            let byte = bytes[index]
            if state == .quoted {
                if byte == CSVReader.quote {
                    if index + 1 < count && bytes[index + 1] == CSVReader.quote {
                        field.append(byte)
                        index += 2
                    } else {
                        state = .afterQuote
                        index += 1
                    }
                    continue
                }
                if byte == CSVReader.lf
                    || (byte == CSVReader.cr && (index + 1 == count || bytes[index + 1] != CSVReader.lf))
                {
                    linesInside += 1
                }
                field.append(byte)
                index += 1
                continue
            }
            switch byte {
            case delimiter:
                fields.append(field)
                field = []
                state = .fieldStart
                index += 1
            case CSVReader.lf, CSVReader.cr:
                recordEnd = index
                next =
                    byte == CSVReader.cr && index + 1 < count && bytes[index + 1] == CSVReader.lf
                    ? index + 2 : index + 1
                break scan
            case CSVReader.quote where state == .fieldStart:
                state = .quoted
                index += 1
            default:
                field.append(byte)
                if state == .fieldStart { state = .unquoted }
                index += 1
            }
        }
        if state == .quoted {
            // The quote runs to the end of the file: give back the record's first line alone and go on after it.
            var lineEnd = start
            while lineEnd < count && bytes[lineEnd] != CSVReader.lf && bytes[lineEnd] != CSVReader.cr { lineEnd += 1 }
            position = lineEnd
            if position < count {
                position +=
                    bytes[position] == CSVReader.cr && position + 1 < count && bytes[position + 1] == CSVReader.lf
                    ? 2 : 1
            }
            line = startLine + 1
            return CSVRecord(line: startLine, fields: [], raw: bytes[start..<lineEnd], problem: .unterminatedQuote)
        }
        fields.append(field)
        position = next
        line = startLine + linesInside + (recordEnd < count ? 1 : 0)
        return CSVRecord(line: startLine, fields: fields, raw: bytes[start..<recordEnd], problem: nil)
    }

    /// A line with nothing on it but delimiters and spaces: export tools pad files with them.
    private static func isBlank(_ record: CSVRecord) -> Bool {
        guard record.problem == nil else { return false }
        return record.raw.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x3B || $0 == 0x2C }
    }
}
