import Foundation

/// The CSV dialect of every export: RFC 4180, UTF-8 with a byte order mark (without it Excel reads the file as the
/// local ANSI code page and garbles Cyrillic and o'/g'), CRLF line ends.
enum CSVText {
    /// One field, quoted only when it has to be.
    ///
    /// The test is on bytes, not `Character`s: `"\r\n"` is a single grapheme in Swift, equal to neither `"\r"` nor
    /// `"\n"`, so a field holding a Windows line break would otherwise go out unquoted and split the record.
    static func field(_ text: String) -> String {
        let needsQuotes = text.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// A whole file: the header, then one record per row.
    static func document(header: [String], rows: [[String]]) -> Data {
        var out = "\u{FEFF}" + record(header)
        for row in rows { out += record(row) }
        return Data(out.utf8)
    }

    private static func record(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }
}
