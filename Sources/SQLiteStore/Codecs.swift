import Foundation
import MurojaatCore

/// Encodings of the few structured columns. Flat string maps are written by hand because they sit on the ingest
/// hot path, where Foundation's JSON coders cost more than the rest of a row.
enum Codecs {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func json(_ map: [String: String]) -> String {
        if map.isEmpty { return "{}" }
        var writer = JSONWriter()
        writer.object { w in
            for (key, value) in map.sorted(by: { $0.key < $1.key }) { w.field(text: key, value) }
        }
        return writer.text
    }

    static func map(_ json: String?) -> [String: String] {
        guard let json, json != "{}", let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object { result[key] = value as? String ?? "\(value)" }
        return result
    }

    static func list(_ items: [String]) -> String { items.joined(separator: ",") }
    static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }

    /// A draft as one flat JSON object: how the first schema kept drafts in the inbox row. Nothing writes it
    /// any more; ``draft(fromJSON:)`` still reads rows enqueued then, and tests write such rows with this.
    static func draftJSON(_ draft: AppealDraft) -> String {
        var writer = JSONWriter(capacity: 256 + draft.text.utf8.count)
        writer.object { w in
            w.field("channel", draft.channel.rawValue)
            w.field("source_key", draft.sourceKey)
            w.key("received_at")
            w.number(millis(draft.receivedAt))
            w.field("text", draft.text)
            w.field("subject", draft.subject)
            w.field("kind", draft.kind?.rawValue)
            w.field("intake", draft.intake.rawValue)
            w.field("name", draft.applicant.name)
            w.field("phone", draft.applicant.phone)
            w.field("email", draft.applicant.email)
            w.field("address", draft.applicant.address)
            w.field("region", draft.region)
            w.field("country", draft.country)
            w.field("language", draft.language)
            w.field("binding_deadline", draft.bindingDeadline?.iso)
            w.field("oral_answer", draft.oralAnswer)
            w.field("origin", draft.origin)
            w.key("extra")
            w.object { w in
                for key in draft.extra.keys.sorted() { w.field(text: key, draft.extra[key]) }
            }
        }
        return writer.text
    }

    /// Extra fields for the inbox as netstrings (`3:key,5:value,` for each pair, keys sorted): any bytes, no
    /// escaping, and read back by counting. The inbox is the store's own; appeals keep extra fields as JSON.
    static func pairs(_ map: [String: String]) -> String? {
        if map.isEmpty { return nil }
        var out: [UInt8] = []
        func add(_ part: String) {
            out.append(contentsOf: String(part.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: part.utf8)
            out.append(UInt8(ascii: ","))
        }
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            add(key)
            add(value)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func map(pairs text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var parts: [String] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            var length = 0
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit), length < 1 << 40 else {
                    throw UnreadableDraft(description: "extra fields: a length is not a number")
                }
                length = length * 10 + digit
                index += 1
            }
            let start = index + 1
            guard start + length < bytes.count, bytes[start + length] == UInt8(ascii: ",") else {
                throw UnreadableDraft(description: "extra fields: a value runs past the end")
            }
            parts.append(String(decoding: bytes[start..<(start + length)], as: UTF8.self))
            index = start + length + 1
        }
        guard parts.count % 2 == 0 else { throw UnreadableDraft(description: "extra fields: a key has no value") }
        var map: [String: String] = [:]
        for pair in stride(from: 0, to: parts.count, by: 2) { map[parts[pair]] = parts[pair + 1] }
        return map
    }

    struct UnreadableDraft: Error, CustomStringConvertible {
        var description: String
    }

    static func draft(fromJSON json: String) throws -> AppealDraft {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw UnreadableDraft(description: "not a JSON object")
        }
        func text(_ key: String) -> String? { object[key] as? String }
        guard let channelName = text("channel"), let channel = Channel(rawValue: channelName),
            let sourceKey = text("source_key"), let received = object["received_at"] as? NSNumber,
            let body = text("text"), let intake = text("intake").flatMap(Intake.init(rawValue:))
        else { throw UnreadableDraft(description: "a required field is missing") }
        var extra: [String: String] = [:]
        for (key, value) in (object["extra"] as? [String: Any]) ?? [:] { extra[key] = value as? String ?? "\(value)" }
        return AppealDraft(
            channel: channel, sourceKey: sourceKey, receivedAt: date(received.int64Value), text: body,
            subject: text("subject"), kind: text("kind").flatMap(Kind.init(rawValue:)), intake: intake,
            applicant: Applicant(
                name: text("name"), phone: text("phone"), email: text("email"), address: text("address")),
            region: text("region"), country: text("country"), language: text("language"),
            bindingDeadline: text("binding_deadline").flatMap { LocalDate($0) }, oralAnswer: text("oral_answer"),
            origin: text("origin"), extra: extra)
    }
}
