import CGMime
public import Foundation
import MurojaatCore

/// Reads RFC 5322 / MIME messages with GMime 3 and returns plain Swift values.
///
/// It is lenient on purpose: a truncated multipart, a missing boundary, invalid base64 or raw 8-bit headers give
/// whatever text can be recovered, with ``MailMessage/warnings``, and never a crash. It throws only when the bytes
/// are not a message at all.
///
/// ```swift
/// let message = try MIMEParser().parse(Array(try Data(contentsOf: emlFile)))
/// print(message.subject ?? "", message.text)
/// ```
public struct MIMEParser: Sendable {
    /// Charsets tried for raw 8-bit header bytes, in order: what Uzbek and Russian mail programs use.
    public static let fallbackCharsets = ["utf-8", "windows-1251", "koi8-r"]

    public init() {
        precondition(GMimeLibrary.initialized)
    }

    public func parse(_ bytes: [UInt8]) throws(MailError) -> MailMessage {
        guard !bytes.isEmpty else {
            throw MailError(.unreadable, Wording(uz: "xat bo‘sh", ru: "письмо пустое", en: "the message is empty"))
        }
        let options = g_mime_parser_options_new()
        defer { g_mime_parser_options_free(options) }
        g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE)
        withCStrings(Self.fallbackCharsets) { g_mime_parser_options_set_fallback_charsets(options, $0) }

        let stream = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { g_mime_stream_mem_new_with_buffer($0.baseAddress, $0.count) }
        }
        guard let stream else { throw MailError(.unreadable, "GMime could not take the bytes") }
        defer { cgmime_unref(stream) }
        guard let parser = g_mime_parser_new_with_stream(stream) else {
            throw MailError(.unreadable, "GMime could not start a parser")
        }
        defer { cgmime_unref(parser) }
        guard let message = g_mime_parser_construct_message(parser, options) else {
            throw MailError(
                .unreadable,
                Wording(
                    uz: "bu elektron xat emas: sarlavhalar qismini o‘qib bo‘lmadi",
                    ru: "это не электронное письмо: не удалось прочитать заголовки",
                    en: "not an e-mail message: no header block could be read"))
        }
        defer { cgmime_unref(message) }
        return read(message, raw: bytes)
    }

    private func read(_ message: UnsafeMutablePointer<GMimeMessage>, raw: [UInt8]) -> MailMessage {
        var result = MailMessage()
        let object = cgmime_message_object(message)
        if let list = g_mime_object_get_header_list(object) {
            for index in 0..<g_mime_header_list_get_count(list) {
                guard let header = g_mime_header_list_get_header_at(list, index),
                    let name = g_mime_header_get_name(header)
                else { continue }
                let value = g_mime_header_get_value(header).map { String(cString: $0) } ?? ""
                result.headers.append((String(cString: name), value))
            }
        }
        result.messageID = g_mime_message_get_message_id(message).map { String(cString: $0) }
            .flatMap { $0.isEmpty ? nil : $0 }
        result.subject = g_mime_message_get_subject(message).map { String(cString: $0) }
        if let list = g_mime_object_get_header_list(object),
            let header = g_mime_header_list_get_header(list, "Subject"),
            let raw = g_mime_header_get_raw_value(header).map({ String(cString: $0) }), raw.contains("=?")
        {
            result.subject = EncodedWords.decode(raw)
        }
        result.from = addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_FROM))
        result.replyTo = addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_REPLY_TO))
        result.to = addresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO))
        if let date = g_mime_message_get_date(message) { result.date = Self.date(date) }
        if let received = result.header("Received"), let semicolon = received.lastIndex(of: ";") {
            result.receivedAt = Self.parseDate(String(received[received.index(after: semicolon)...]))
        }
        if let inReplyTo = result.header("In-Reply-To"), let decoded = g_mime_utils_decode_message_id(inReplyTo) {
            result.inReplyTo = String(cString: decoded)
            g_free(decoded)
        }

        var body = Body()
        if let root = g_mime_message_get_mime_part(message) {
            let (type, subtype) = mediaType(root)
            result.contentType = "\(type)/\(subtype)"
            if type == "multipart", subtype == "report" {
                result.reportType = g_mime_object_get_content_type_parameter(root, "report-type")
                    .map { String(cString: $0).lowercased() }
            }
            walk(root, into: &body)
        }
        if body.plain.isEmpty && body.html.isEmpty && body.attachments.isEmpty, let rest = Self.bodyBytes(raw),
            rest.contains(where: { $0 > 0x20 })
        {
            // The MIME structure gave nothing (a multipart without a boundary): the body is read as plain text
            // rather than lost.
            let decoded = Charsets.decode(rest, declared: nil)
            body.plain.append(decoded.text)
            body.warnings.append(
                "the MIME structure of \(result.contentType) could not be read; the body is taken as plain text")
        }
        if !body.plain.isEmpty {
            result.text = Self.tidy(body.plain.joined(separator: "\n\n"))
            result.textSource = .plain
        } else if !body.html.isEmpty {
            result.text = Self.tidy(body.html.map(HTMLText.plainText).joined(separator: "\n\n"))
            result.textSource = .html
        }
        if result.text.isEmpty { result.textSource = .none }
        result.attachments = body.attachments
        result.warnings = body.warnings
        return result
    }

    /// What the walk over the parts collects.
    private struct Body {
        var plain: [String] = []
        var html: [String] = []
        var attachments: [MailAttachment] = []
        var warnings: [String] = []
    }

    private func walk(_ object: UnsafeMutablePointer<GMimeObject>, into body: inout Body) {
        let (type, subtype) = mediaType(object)
        if cgmime_is_multipart(object) != 0 {
            let multipart = cgmime_as_multipart(object)
            let count = g_mime_multipart_get_count(multipart)
            var children: [UnsafeMutablePointer<GMimeObject>] = []
            for index in 0..<max(0, count) {
                if let child = g_mime_multipart_get_part(multipart, index) { children.append(child) }
            }
            if subtype == "alternative" {
                // One of the versions is the message; the plain one is what the sender typed.
                let choice =
                    children.first { isBodyText($0, subtype: "plain") && !decodedText($0).text.isEmpty }
                    ?? children.first { isBodyText($0, subtype: "html") }
                    ?? children.first { cgmime_is_multipart($0) != 0 }
                if let choice { walk(choice, into: &body) }
                return
            }
            for child in children { walk(child, into: &body) }
            return
        }
        if cgmime_is_message_part(object) != 0 {
            // A forwarded or bounced message: kept whole, as a file.
            let part = cgmime_as_message_part(object)
            guard let inner = g_mime_message_part_get_message(part) else { return }
            let bytes = serialize(cgmime_message_object(inner))
            let subject = g_mime_message_get_subject(inner).map { String(cString: $0) }
            body.attachments.append(
                MailAttachment(
                    name: (subject.map { $0.isEmpty ? "message" : $0 } ?? "message") + ".eml",
                    contentType: "\(type)/\(subtype)", content: bytes))
            return
        }
        guard cgmime_is_part(object) != 0 else { return }
        if isBodyText(object, subtype: "plain") || isBodyText(object, subtype: "html") {
            let decoded = decodedText(object)
            if let warning = decoded.warning { body.warnings.append("\(type)/\(subtype) part: \(warning)") }
            if subtype == "html" { body.html.append(decoded.text) } else { body.plain.append(decoded.text) }
            return
        }
        let part = cgmime_as_part(object)
        let name = g_mime_part_get_filename(part).map { String(cString: $0) }
        let disposition = g_mime_object_get_disposition(object).map { String(cString: $0).lowercased() }
        body.attachments.append(
            MailAttachment(
                name: name, contentType: "\(type)/\(subtype)", content: content(of: object),
                inline: disposition == "inline"))
    }

    /// A text part that is the message itself, not a text file attached to it.
    private func isBodyText(_ object: UnsafeMutablePointer<GMimeObject>, subtype wanted: String) -> Bool {
        guard cgmime_is_part(object) != 0 else { return false }
        let (type, subtype) = mediaType(object)
        guard type == "text", subtype == wanted else { return false }
        if g_mime_part_get_filename(cgmime_as_part(object)) != nil { return false }
        let disposition = g_mime_object_get_disposition(object).map { String(cString: $0).lowercased() }
        return disposition != "attachment"
    }

    private func decodedText(_ object: UnsafeMutablePointer<GMimeObject>) -> Charsets.Decoded {
        let charset = g_mime_object_get_content_type_parameter(object, "charset").map { String(cString: $0) }
        return Charsets.decode(content(of: object), declared: charset)
    }

    /// The part's bytes with the transfer encoding (base64, quoted-printable) undone.
    private func content(of object: UnsafeMutablePointer<GMimeObject>) -> [UInt8] {
        guard let wrapper = g_mime_part_get_content(cgmime_as_part(object)), let memory = g_mime_stream_mem_new()
        else { return [] }
        defer { cgmime_unref(memory) }
        _ = g_mime_data_wrapper_write_to_stream(wrapper, memory)
        return bytes(of: memory)
    }

    private func serialize(_ object: UnsafeMutablePointer<GMimeObject>) -> [UInt8] {
        guard let memory = g_mime_stream_mem_new() else { return [] }
        defer { cgmime_unref(memory) }
        _ = g_mime_object_write_to_stream(object, nil, memory)
        return bytes(of: memory)
    }

    private func bytes(of memory: UnsafeMutablePointer<GMimeStream>) -> [UInt8] {
        guard let array = g_mime_stream_mem_get_byte_array(cgmime_as_stream_mem(memory)), let data = array.pointee.data
        else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
    }

    private func mediaType(_ object: UnsafeMutablePointer<GMimeObject>) -> (String, String) {
        guard let contentType = g_mime_object_get_content_type(object) else { return ("text", "plain") }
        let type = g_mime_content_type_get_media_type(contentType).map { String(cString: $0).lowercased() }
        let subtype = g_mime_content_type_get_media_subtype(contentType).map { String(cString: $0).lowercased() }
        return (type ?? "application", subtype ?? "octet-stream")
    }

    private func addresses(_ list: UnsafeMutablePointer<InternetAddressList>?) -> [MailAddress] {
        guard let list else { return [] }
        var result: [MailAddress] = []
        for index in 0..<internet_address_list_length(list) {
            guard let address = internet_address_list_get_address(list, index) else { continue }
            if cgmime_is_mailbox(address) != 0 {
                guard let addr = internet_address_mailbox_get_addr(cgmime_as_mailbox(address)) else { continue }
                let name = internet_address_get_name(address).map { String(cString: $0) }
                result.append(
                    MailAddress(
                        name: name.flatMap { $0.trimmingCharacters(in: CharacterSet.whitespaces).isEmpty ? nil : $0 },
                        address: String(cString: addr)))
            } else if cgmime_is_group(address) != 0 {
                result += addresses(internet_address_group_get_members(cgmime_as_group(address)))
            }
        }
        return result
    }

    static func date(_ value: OpaquePointer) -> Date {
        Date(timeIntervalSince1970: TimeInterval(g_date_time_to_unix(value)))
    }

    /// An RFC 5322 date (`Thu, 20 Nov 2025 10:15:00 +0500`), as GMime reads them, including the sloppy ones.
    public static func parseDate(_ text: String) -> Date? {
        precondition(GMimeLibrary.initialized)
        guard let parsed = g_mime_utils_header_decode_date(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        defer { g_date_time_unref(parsed) }
        return date(parsed)
    }

    /// The bytes after the header block (the first empty line), if there are any.
    static func bodyBytes(_ raw: [UInt8]) -> [UInt8]? {
        var index = 0
        while index < raw.count {
            guard let end = raw[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let line = raw[index..<end]
            index = end + 1
            if line.isEmpty || line == [UInt8(ascii: "\r")] { return Array(raw[index...]) }
        }
        return nil
    }

    /// LF line ends, no trailing blanks on lines, no blank lines at either end. On UTF-8 bytes: in Swift "\r\n" is
    /// one Character, and Foundation's replacing is slow on the ingest path.
    static func tidy(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pending = 0  // spaces and tabs seen since the last visible byte, written only if more text follows
        var pendingBytes: [UInt8] = []
        var previousCR = false
        for byte in text.utf8 {
            switch byte {
            case 0x0D:
                pendingBytes.removeAll(keepingCapacity: true)
                pending = 0
                out.append(0x0A)
                previousCR = true
                continue
            case 0x0A:
                pendingBytes.removeAll(keepingCapacity: true)
                pending = 0
                if !previousCR { out.append(0x0A) }
            case 0x20, 0x09:
                pendingBytes.append(byte)
                pending += 1
            default:
                if pending > 0 {
                    out.append(contentsOf: pendingBytes)
                    pendingBytes.removeAll(keepingCapacity: true)
                    pending = 0
                }
                out.append(byte)
            }
            previousCR = false
        }
        // Blank lines and white space at either end go.
        var start = 0
        var end = out.count
        while start < end, out[start] == 0x0A || out[start] == 0x20 || out[start] == 0x09 { start += 1 }
        while end > start, out[end - 1] == 0x0A || out[end - 1] == 0x20 || out[end - 1] == 0x09 { end -= 1 }
        return String(decoding: out[start..<end], as: UTF8.self)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings, valid only during the call.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    pointers.append(nil)
    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}
