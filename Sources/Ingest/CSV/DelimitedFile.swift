/// A delimited export opened for reading, as Excel, 1C and call-centre systems write them: the encoding sniffed
/// (UTF-8 with or without a byte order mark, windows-1251, or UTF-16 with its mark, Excel's "Unicode Text"), the
/// delimiter sniffed from the header or taken from Excel's `sep=;` first line, and a ``CSVReader`` at the header.
///
/// The reader reads bytes: a UTF-16 file is turned into UTF-8 first, and ``raw(_:)`` finds a record's own bytes
/// in the file again, so a quarantined row keeps the bytes the file has.
struct DelimitedFile: Sendable {
    /// What the file is written in.
    let encoding: TextEncoding
    /// What the reader's fields are in: UTF-8 for a UTF-16 file, else the file's own.
    let fieldEncoding: TextEncoding
    /// At the header, with the delimiter.
    let reader: CSVReader
    private let file: [UInt8]
    private let lines: UTF16Lines?

    init(_ bytes: [UInt8]) {
        let (encoding, bom) = TextDecoding.sniff(bytes)
        self.encoding = encoding
        file = bytes
        var text = bytes
        var start = bom
        switch encoding {
        case .utf16LittleEndian, .utf16BigEndian:
            let converted = TextDecoding.utf8(fromUTF16: bytes[bom...], bigEndian: encoding == .utf16BigEndian)
            (text, lines, start) = (converted.bytes, converted.lines, 0)
            fieldEncoding = .utf8
        default:
            lines = nil
            fieldEncoding = encoding
        }
        if let hint = Self.separatorHint(text, from: start) {
            reader = CSVReader(bytes: text, delimiter: hint.delimiter, start: hint.next, line: 2)
        } else {
            reader = CSVReader(bytes: text, delimiter: CSVReader.sniffDelimiter(text, from: start), start: start)
        }
    }

    /// Whether the file holds anything but spaces and line breaks after its byte order mark and `sep=` line.
    var hasText: Bool {
        reader.bytes[reader.position...].contains { !(0x20 == $0 || 0x09 == $0 || 0x0A == $0 || 0x0D == $0) }
    }

    /// The record's bytes as they stand in the file.
    func raw(_ record: CSVRecord) -> [UInt8] {
        guard let lines else { return Array(record.raw) }
        return Array(file[lines.original(record.raw.startIndex..<record.raw.endIndex)])
    }

    /// Excel's first line `sep=;` (any one character after `sep=`), which names the delimiter and is not the
    /// header: the delimiter and where the header starts.
    static func separatorHint(_ bytes: [UInt8], from start: Int) -> (delimiter: UInt8, next: Int)? {
        let prefix: [UInt8] = Array("sep=".utf8)
        guard bytes.count >= start + prefix.count + 1,
            zip(bytes[start..<start + prefix.count], prefix).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        let delimiter = bytes[start + prefix.count]
        var next = start + prefix.count + 1
        // Only the hint on its line: `sep=;` then the line break (or the end of the file).
        guard delimiter != CSVReader.lf, delimiter != CSVReader.cr, delimiter != CSVReader.quote, delimiter < 0x80
        else { return nil }
        if next < bytes.count && bytes[next] == CSVReader.cr { next += 1 }
        if next < bytes.count && bytes[next] == CSVReader.lf { next += 1 }
        guard next == bytes.count || bytes[next - 1] == CSVReader.lf || bytes[next - 1] == CSVReader.cr else {
            return nil
        }
        return (delimiter, next)
    }
}
