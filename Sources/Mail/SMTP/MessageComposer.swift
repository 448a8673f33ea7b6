import CGMime
import Foundation

/// Turns an ``OutgoingMail`` into the bytes an SMTP server takes: RFC 5322 headers (RFC 2047 encoded words for
/// Uzbek and Russian text), MIME parts, CRLF line ends, no line over 998 octets.
///
/// GMime builds the MIME structure and writes Date, Message-ID and the parts; the headers that carry text
/// (addresses, Subject, the extra ones) are written by ``HeaderLines``, because GMime's own encoded words do not
/// survive GMime's own decoder (see there). A CR or LF in any of them becomes a space, so no header can be injected.
///
/// The structure is the one mail programs expect: `text/plain`; `multipart/alternative` (text, then HTML) when
/// there is HTML; `multipart/mixed` around that when there are files. Text is UTF-8, quoted-printable when it is
/// mostly Latin and base64 when it is mostly Cyrillic (quoted-printable would triple its size); files are base64
/// with an RFC 2231 file name.
///
/// The same mail always gives the same bytes (boundaries derive from the Message-ID), so a retried outbox row
/// sends exactly what the first try sent.
///
/// ```swift
/// let bytes = try MessageComposer.compose(mail)
/// try client.send(bytes, to: mail.recipients)
/// ```
///
/// Throws ``MailError/Code/rejected`` when the mail cannot be sent as it is: an address that is not a plain ASCII
/// address, a Message-ID that is not one, an extra header that the composer writes itself or whose name is invalid.
public enum MessageComposer {
    /// Headers the composer writes itself; an extra header with one of these names would contradict it.
    static let reservedHeaders: Set<String> = [
        "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-disposition", "return-path", "received",
    ]

    public static func compose(_ mail: OutgoingMail) throws(MailError) -> [UInt8] {
        precondition(GMimeLibrary.initialized)
        try validate(mail)
        guard let message = g_mime_message_new(0) else {
            throw MailError(.unreadable, "GMime could not make a message")
        }
        defer { cgmime_unref(message) }
        let object = cgmime_message_object(message)!  // a cast of a non-null pointer

        // libcurl adds neither Date nor Message-ID, and a message without them is scored as spam.
        if let utc = g_date_time_new_from_unix_utc(gint64(mail.date.timeIntervalSince1970.rounded(.down))) {
            defer { g_date_time_unref(utc) }
            // GMime writes the date's own offset into the header.
            let zone = g_time_zone_new_offset(gint32(mail.zone.secondsFromGMT(for: mail.date)))
            defer { g_time_zone_unref(zone) }
            if let local = g_date_time_to_timezone(utc, zone) {
                g_mime_message_set_date(message, local)  // formats it into the header; the GDateTime is not kept
                g_date_time_unref(local)
            }
        }
        g_mime_message_set_message_id(message, mail.messageID)
        g_mime_object_set_header(object, "MIME-Version", "1.0", nil)

        let seed = fnv1a(mail.messageID)
        var body = textPart(mail.text, subtype: "plain")
        if let html = mail.html {
            let alternative = multipart("alternative", boundary: "=_murojaat_alternative_\(seed)")
            g_mime_multipart_add(alternative, body)
            cgmime_unref(body)
            let htmlPart = textPart(html, subtype: "html")
            g_mime_multipart_add(alternative, htmlPart)
            cgmime_unref(htmlPart)
            body = cgmime_multipart_object(alternative)!  // a cast of a non-null pointer
        }
        if !mail.attachments.isEmpty {
            let mixed = multipart("mixed", boundary: "=_murojaat_mixed_\(seed)")
            g_mime_multipart_add(mixed, body)
            cgmime_unref(body)
            for attachment in mail.attachments {
                let part = attachmentPart(attachment)
                g_mime_multipart_add(mixed, part)
                cgmime_unref(part)
            }
            body = cgmime_multipart_object(mixed)!  // a cast of a non-null pointer
        }
        g_mime_message_set_mime_part(message, body)
        cgmime_unref(body)

        // The headers with text in them come first, written by HeaderLines; GMime writes the rest after them.
        let bytes = Array(HeaderLines.text(of: mail).utf8) + (try write(object))
        try checkLines(bytes)
        return bytes
    }

    // MARK: checks

    private static func validate(_ mail: OutgoingMail) throws(MailError) {
        try checkAddress(mail.from.address, role: "the From address")
        if let replyTo = mail.replyTo { try checkAddress(replyTo.address, role: "the Reply-To address") }
        guard !mail.to.isEmpty || !mail.cc.isEmpty else { throw MailError(.rejected, "the message has no recipient") }
        for (index, address) in mail.to.enumerated() {
            try checkAddress(address.address, role: "To address \(index + 1)")
        }
        for (index, address) in mail.cc.enumerated() {
            try checkAddress(address.address, role: "Cc address \(index + 1)")
        }
        let id = mail.messageID
        guard id.utf8.count <= 250, id.utf8.filter({ $0 == UInt8(ascii: "@") }).count == 1,
            id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else {
            throw MailError(
                .rejected, "the Message-ID \"\(headerText(id))\" is not of the form left@right without angle brackets")
        }
        for (name, value) in mail.headers {
            guard !name.isEmpty, name.utf8.count <= 76,
                name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") })
            else { throw MailError(.rejected, "\"\(headerText(name))\" is not a valid header name") }
            guard !reservedHeaders.contains(name.lowercased()) else {
                throw MailError(.rejected, "the \(name) header is written by the composer and cannot be set as extra")
            }
            guard value.utf8.count <= 900 else {
                throw MailError(.rejected, "the \(name) header is longer than 900 bytes")
            }
        }
    }

    /// A plain ASCII addr-spec: the only kind every server on the way takes without SMTPUTF8, and the only kind
    /// that cannot smuggle a second recipient or a header into the envelope or the header block. The address
    /// itself is kept out of the error (it is an applicant's personal data); the role says which one it was.
    static func checkAddress(_ address: String, role: String) throws(MailError) {
        let bytes = Array(address.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1, bytes.count <= 254
        else { throw MailError(.rejected, "\(role) is not an e-mail address of the form name@domain") }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        let localSpecials = Array("!#$%&'*+/=?^_`{|}~.-".utf8)
        let localValid =
            local.count <= 64 && local.first != UInt8(ascii: ".") && local.last != UInt8(ascii: ".")
            && local.allSatisfy { isAlphanumeric($0) || localSpecials.contains($0) }
        let domainValid =
            domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
            && domain.first != UInt8(ascii: "-")
            && domain.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
        guard localValid, domainValid, !address.contains("..") else {
            throw MailError(
                .rejected,
                "\(role) is not a plain ASCII e-mail address: quoted, internationalized and malformed addresses"
                    + " are not sent")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Text for a header: every control character (CR and LF above all) becomes a space, so a subject or a name
    /// taken from an appeal can never end the header and start another one.
    static func headerText(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// No line over 998 octets (RFC 5322 2.1.1; aiosmtpd and Postfix refuse longer ones) and CRLF everywhere: the
    /// composer's own guarantee, checked on the bytes rather than assumed of GMime's folding.
    private static func checkLines(_ bytes: [UInt8]) throws(MailError) {
        var lineStart = 0
        var number = 1
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A {
                guard index > 0, bytes[index - 1] == 0x0D else {
                    throw MailError(.rejected, "GMime wrote a bare LF in line \(number) of the message")
                }
                if index - 1 - lineStart > 998 {
                    throw MailError(
                        .rejected, "line \(number) of the message is \(index - 1 - lineStart) octets long (at most 998)"
                    )
                }
                lineStart = index + 1
                number += 1
            } else if byte == 0x0D, index + 1 >= bytes.count || bytes[index + 1] != 0x0A {
                throw MailError(.rejected, "GMime wrote a bare CR in line \(number) of the message")
            }
        }
        if bytes.count - lineStart > 998 {
            throw MailError(.rejected, "the last line of the message is longer than 998 octets")
        }
    }

    // MARK: building with GMime

    /// A UTF-8 text part. The content is canonicalized first: quoted-printable is given LF line ends (GMime's
    /// encoder makes them hard line breaks, and the CRLF output format turns them into CRLF); base64 encodes bytes
    /// as they are, so it is given CRLF, the canonical form of text (RFC 2046 4.1.1).
    private static func textPart(_ text: String, subtype: String) -> UnsafeMutablePointer<GMimeObject> {
        var lines: [UInt8] = []
        lines.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            if byte == 0x0D {
                lines.append(0x0A)
            } else if byte != 0x0A || !previousCR {
                lines.append(byte)
            }
            previousCR = byte == 0x0D
        }
        let nonASCII = lines.count(where: { $0 >= 0x80 })
        let base64 = nonASCII * 3 > lines.count
        var content = lines
        if base64 {
            content = []
            content.reserveCapacity(lines.count + lines.count / 40)
            for byte in lines {
                if byte == 0x0A { content.append(0x0D) }
                content.append(byte)
            }
        }
        // Never 7bit, even for plain ASCII: quoted-printable turns every "=" into "=3D", so no line of a text part
        // can be mistaken for the "=_murojaat_..." boundaries.
        return leafPart(
            type: "text", subtype: subtype, parameters: [("charset", "utf-8")], content: content,
            encoding: base64 ? GMIME_CONTENT_ENCODING_BASE64 : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
    }

    private static func attachmentPart(_ attachment: OutgoingMail.Attachment) -> UnsafeMutablePointer<GMimeObject> {
        let (type, subtype, parameters) = mediaType(attachment.contentType)
        let object = leafPart(
            type: type, subtype: subtype, parameters: parameters, content: attachment.content,
            encoding: GMIME_CONTENT_ENCODING_BASE64)
        var name = headerText(attachment.name).trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "attachment" }
        g_mime_part_set_filename(cgmime_as_part(object), name)
        // GMime encodes a non-ASCII parameter in the charset it finds "best" (windows-1251 for Cyrillic): UTF-8 is
        // what every reader expects. The filename of Content-Disposition is RFC 2231 (the standard); the name of
        // Content-Type is RFC 2047 inside quotes, which is what older Outlook versions read.
        if let disposition = g_mime_object_get_content_disposition(object),
            let filename = g_mime_param_list_get_parameter(
                g_mime_content_disposition_get_parameters(disposition), "filename")
        {
            g_mime_param_set_charset(filename, "utf-8")
        }
        if let contentType = g_mime_object_get_content_type(object),
            let nameParameter = g_mime_param_list_get_parameter(
                g_mime_content_type_get_parameters(contentType), "name")
        {
            g_mime_param_set_charset(nameParameter, "utf-8")
            g_mime_param_set_encoding_method(nameParameter, GMIME_PARAM_ENCODING_METHOD_RFC2047)
        }
        return object
    }

    /// The attachment's declared type when it is a valid single-part type, else `application/octet-stream`: a
    /// `multipart/...` or `message/...` label on plain bytes would make readers look for parts that are not there.
    private static func mediaType(_ text: String) -> (String, String, [(String, String)]) {
        let fallback = ("application", "octet-stream", [(String, String)]())
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
            let parsed = g_mime_content_type_parse(nil, text)
        else { return fallback }
        defer { cgmime_unref(parsed) }
        guard let type = g_mime_content_type_get_media_type(parsed).map({ String(cString: $0).lowercased() }),
            let subtype = g_mime_content_type_get_media_subtype(parsed).map({ String(cString: $0).lowercased() }),
            !type.isEmpty, !subtype.isEmpty, type != "multipart", type != "message"
        else { return fallback }
        var parameters: [(String, String)] = []
        if let list = g_mime_content_type_get_parameters(parsed) {
            for index in 0..<g_mime_param_list_length(list) {
                guard let parameter = g_mime_param_list_get_parameter_at(list, index),
                    let name = g_mime_param_get_name(parameter), let value = g_mime_param_get_value(parameter)
                else { continue }
                let key = String(cString: name).lowercased()
                guard key != "name", key != "boundary" else { continue }
                parameters.append((key, String(cString: value)))
            }
        }
        return (type, subtype, parameters)
    }

    /// A new part holding `content`; the caller owns the returned reference.
    private static func leafPart(
        type: String, subtype: String, parameters: [(String, String)], content: [UInt8],
        encoding: GMimeContentEncoding
    ) -> UnsafeMutablePointer<GMimeObject> {
        guard let part = g_mime_part_new_with_type(type, subtype) else {
            preconditionFailure("GMime could not allocate a part")  // only on out-of-memory, where glib aborts first
        }
        let object = cgmime_part_object(part)!  // a cast of a non-null pointer
        for (name, value) in parameters { g_mime_object_set_content_type_parameter(object, name, value) }
        // The memory stream copies the bytes, so the array need not outlive the call.
        let stream = content.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { g_mime_stream_mem_new_with_buffer($0.baseAddress, $0.count) }
        }
        if let stream {
            if let wrapper = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT) {
                g_mime_part_set_content(part, wrapper)
                cgmime_unref(wrapper)
            }
            cgmime_unref(stream)
        }
        g_mime_part_set_content_encoding(part, encoding)
        return object
    }

    private static func multipart(_ subtype: String, boundary: String) -> UnsafeMutablePointer<GMimeMultipart> {
        guard let multipart = g_mime_multipart_new_with_subtype(subtype) else {
            preconditionFailure("GMime could not allocate a multipart")  // only on out-of-memory
        }
        g_mime_multipart_set_boundary(multipart, boundary)
        return multipart
    }

    private static func write(_ object: UnsafeMutablePointer<GMimeObject>) throws(MailError) -> [UInt8] {
        guard let options = g_mime_format_options_new(), let stream = g_mime_stream_mem_new() else {
            throw MailError(.unreadable, "GMime could not allocate a stream")
        }
        defer {
            g_mime_format_options_free(options)
            cgmime_unref(stream)
        }
        // SMTP wants CRLF; GMime writes LF unless told (headers, and content through its newline filter).
        g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS)
        guard g_mime_object_write_to_stream(object, options, stream) >= 0,
            let array = g_mime_stream_mem_get_byte_array(cgmime_as_stream_mem(stream)), let data = array.pointee.data
        else { throw MailError(.unreadable, "GMime could not write the message") }
        var bytes = Array(UnsafeBufferPointer(start: data, count: Int(array.pointee.len)))
        if !bytes.isEmpty, bytes.suffix(2) != [0x0D, 0x0A] { bytes += [0x0D, 0x0A] }
        return bytes
    }

    /// A 64-bit FNV-1a hash of the Message-ID, in hex: boundaries that differ per message and repeat per retry.
    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// The From, Reply-To, To, Cc, Subject and extra header lines, written here rather than by GMime.
///
/// GMime 3.2 cuts non-ASCII text into base64 encoded words wherever it likes, padding included, and GMime's own
/// decoder joins adjacent words of one charset and encoding before decoding them: a padded word in the middle
/// loses the text after it ("Агентство миграции — Toshkent" came back without the dash from MIMEParser, which
/// reads names through GMime). The words written here carry a multiple of 3 bytes each, so joined they are still
/// valid base64; only the last may be padded. Where no such cut exists within a word (a run of 3-byte
/// characters after an odd start), the piece goes as Q words, which have no padding to spoil.
///
/// Everything is folded to lines of at most 78 characters where possible; no token is longer than 75.
enum HeaderLines {
    static func text(of mail: OutgoingMail) -> String {
        var lines = fold("From", addressList([mail.from]))
        if let replyTo = mail.replyTo { lines += fold("Reply-To", addressList([replyTo])) }
        if !mail.to.isEmpty { lines += fold("To", addressList(mail.to)) }
        if !mail.cc.isEmpty { lines += fold("Cc", addressList(mail.cc)) }
        lines += fold("Subject", unstructured(mail.subject))
        for (name, value) in mail.headers.sorted(by: { $0.key < $1.key }) {
            lines += fold(name, unstructured(value))
        }
        return lines
    }

    /// `Name: token token` with CRLF SP between tokens wherever the line would pass 78 characters. Unfolding
    /// turns CRLF SP back into the one space that separated the tokens.
    static func fold(_ name: String, _ tokens: [String]) -> String {
        var out = name + ":"
        var length = out.utf8.count
        for (index, token) in tokens.enumerated() {
            if index > 0 && length + 1 + token.utf8.count > 78 {
                out += "\r\n "
                length = 1
            } else {
                out += " "
                length += 1
            }
            out += token
            length += token.utf8.count
        }
        return out + "\r\n"
    }

    static func addressList(_ addresses: [MailAddress]) -> [String] {
        var tokens: [String] = []
        for (index, address) in addresses.enumerated() {
            var mailbox = phrase(address.name ?? "")
            mailbox.append(mailbox.isEmpty ? address.address : "<\(address.address)>")
            if index < addresses.count - 1 { mailbox[mailbox.count - 1] += "," }
            tokens += mailbox
        }
        return tokens
    }

    /// A display name: a quoted string when it is short ASCII, else encoded words.
    static func phrase(_ name: String) -> [String] {
        let text = MessageComposer.headerText(name).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return [] }
        if text.utf8.count <= 60, isPlain(text) {
            return [
                "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            ]
        }
        return encodedWords(text)
    }

    /// Subject or an extra header: ASCII words as they are, anything else as encoded words.
    static func unstructured(_ value: String) -> [String] {
        let text = MessageComposer.headerText(value)
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if isPlain(text), words.allSatisfy({ $0.utf8.count <= 70 }) { return words }
        return encodedWords(text)
    }

    /// Printable ASCII that a reader would not take for an encoded word.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
    }

    static func encodedWords(_ text: String) -> [String] {
        let limit = 45  // bytes: 60 base64 characters, 72 with "=?UTF-8?B?" and "?="
        var words: [String] = []
        var pending: [[UInt8]] = []  // the characters of the next word, as UTF-8
        var size = 0
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            while size + bytes.count > limit {
                // The longest prefix of whole characters that is a multiple of 3 bytes.
                var cut = 0
                var running = 0
                for (index, character) in pending.enumerated() {
                    running += character.count
                    if running % 3 == 0 { cut = index + 1 }
                }
                if cut > 0 {
                    words.append(bWord(pending[..<cut].flatMap { $0 }))
                    pending.removeFirst(cut)
                } else {
                    words += qWords(pending)
                    pending.removeAll()
                }
                size = pending.reduce(0) { $0 + $1.count }
            }
            pending.append(bytes)
            size += bytes.count
        }
        if !pending.isEmpty { words.append(bWord(pending.flatMap { $0 })) }
        return words
    }

    private static func bWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Q words of whole characters, at most 75 characters each: letters and digits as they are, a space as "_",
    /// every other byte as =XX.
    private static func qWords(_ characters: [[UInt8]]) -> [String] {
        var words: [String] = []
        var current = ""
        for character in characters {
            var encoded = ""
            for byte in character {
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: encoded.append(Character(Unicode.Scalar(byte)))
                case 0x20: encoded.append("_")
                default: encoded += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            }
            if current.utf8.count + encoded.utf8.count > 63 {
                words.append("=?UTF-8?Q?" + current + "?=")
                current = ""
            }
            current += encoded
        }
        if !current.isEmpty { words.append("=?UTF-8?Q?" + current + "?=") }
        return words
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
