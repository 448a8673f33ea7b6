import Foundation
import MurojaatCore
import PostgresNIO

/// A moment as whole milliseconds, stored as `timestamptz`. Both stores keep milliseconds (the event chain hashes
/// them), so a value reads back exactly as SQLiteStore reads it, whatever PostgreSQL's microseconds would allow.
struct Instant: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable, PostgresArrayDecodable,
    Hashable
{
    var millis: Int64

    init(millis: Int64) { self.millis = millis }
    init(_ date: Date) { millis = Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    var date: Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// Milliseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
    static let postgresEpoch: Int64 = 946_684_800_000

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }
    static var psqlArrayType: PostgresDataType { .timestamptzArray }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeInteger((millis - Self.postgresEpoch) * 1000)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, buffer.readableBytes == 8,
            let micros = buffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        // Rounded like the milliseconds SQLiteStore keeps; only a value written by hand has a fraction.
        let (quotient, remainder) = micros.quotientAndRemainder(dividingBy: 1000)
        millis = quotient + (remainder >= 500 ? 1 : remainder <= -500 ? -1 : 0) + Self.postgresEpoch
    }
}

/// A calendar day, stored as `date`.
struct Day: PostgresNonThrowingEncodable, PostgresDecodable, PostgresArrayEncodable, PostgresArrayDecodable {
    var day: LocalDate

    init(_ day: LocalDate) { self.day = day }

    /// Days from 1970-01-01 to 2000-01-01.
    static let postgresEpoch = 10_957

    static var psqlType: PostgresDataType { .date }
    static var psqlFormat: PostgresFormat { .binary }
    static var psqlArrayType: PostgresDataType { .dateArray }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeInteger(Int32(day.daysSinceEpoch - Self.postgresEpoch))
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .date, format == .binary, buffer.readableBytes == 4,
            let days = buffer.readInteger(as: Int32.self),
            // PostgreSQL's `infinity` dates are the extremes of int32: no calendar day.
            days != Int32.max, days != Int32.min
        else { throw PostgresDecodingError.Code.typeMismatch }
        day = LocalDate(daysSinceEpoch: Int(days) + Self.postgresEpoch)
    }
}

/// One column of a bulk insert: an array parameter for `unnest`, whose elements may be NULL (PostgresNIO's own
/// arrays cannot hold NULL).
struct Column<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>: PostgresNonThrowingEncodable {
    var values: [Element?]

    init(_ values: [Element?]) { self.values = values }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        // PostgreSQL's binary array: dimensions, a has-nulls flag, the element type, then length and lower bound of
        // the one dimension, then each element as its length (-1 for NULL) and bytes.
        buffer.writeInteger(Int32(values.isEmpty ? 0 : 1))
        buffer.writeInteger(Int32(values.contains { $0 == nil } ? 1 : 0))
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(Int32(1))
        for value in values {
            guard let value else {
                buffer.writeInteger(Int32(-1))
                continue
            }
            let start = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            value.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start - 4), at: start)
        }
    }
}

/// A bulk insert through `unnest`: one array parameter per column, so a batch of any size is one statement.
struct BulkInsert {
    var names: [String] = []
    var expressions: [String] = []
    var binds = PostgresBindings()

    /// Adds a column; `expression` is how the unnested value `$` becomes the column's value (a cast, a function).
    mutating func column<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>(
        _ name: String, _ values: [Element?], _ expression: String = "$"
    ) {
        binds.append(Column(values))
        names.append(name)
        expressions.append(expression.replacingOccurrences(of: "$", with: "c\(binds.count)"))
    }

    /// `INSERT INTO table (...) SELECT ... FROM unnest(...) WITH ORDINALITY ... ORDER BY n` and `suffix`: rows go in
    /// in the order given, so identity columns number them in that order.
    func query(into table: String, _ suffix: String = "") -> PostgresQuery {
        let parameters = (1...binds.count).map { "$\($0)" }.joined(separator: ", ")
        let aliases = (1...binds.count).map { "c\($0)" }.joined(separator: ", ")
        let sql = """
            INSERT INTO \(table) (\(names.joined(separator: ", ")))
            SELECT \(expressions.joined(separator: ", ")) FROM unnest(\(parameters)) WITH ORDINALITY AS t(\(aliases), n)
            ORDER BY n \(suffix)
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

/// Encodings of the few structured columns that are JSON (`jsonb`): flat string maps, keys sorted.
enum Codecs {
    static func json(_ map: [String: String]) -> String {
        if map.isEmpty { return "{}" }
        var writer = JSONWriter()
        writer.object { w in
            for key in map.keys.sorted() { w.field(text: key, map[key]) }
        }
        return writer.text
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    static func map(_ json: String?) throws -> [String: String] {
        guard let json, json != "{}" else { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Unreadable(description: "a JSON column is not an object")
        }
        var result: [String: String] = [:]
        for (key, value) in object { result[key] = value as? String ?? "\(value)" }
        return result
    }

    /// A notice's attachments as stored: name, content type and the SHA-256 of the content in `blobs`.
    static func attachmentListing(_ entries: [[String: String]]) -> String {
        var writer = JSONWriter()
        writer.array { w in
            for entry in entries {
                w.object { w in
                    for key in entry.keys.sorted() { w.field(text: key, entry[key]) }
                }
            }
        }
        return writer.text
    }

    static func attachmentEntries(_ json: String) throws -> [[String: String]] {
        guard let entries = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: String]] else {
            throw Unreadable(description: "an attachment listing is not an array of objects")
        }
        return entries
    }
}

extension PostgresRandomAccessRow {
    /// The value of a column, by position in the SELECT.
    func value<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        try self[index].decode(T.self)
    }
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
