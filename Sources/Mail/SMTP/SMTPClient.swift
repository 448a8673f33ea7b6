import CCurl
import Foundation

/// Where and how to hand outgoing mail to the Agency's mail server.
public struct SMTPSettings: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// Plain text: only for a relay on the same host or a test sink.
        case none
        /// `smtp://host:587`, upgraded with STARTTLS before anything else is said; a server that does not offer
        /// STARTTLS is refused (``MailError/Code/configuration``), so a stripped STARTTLS cannot downgrade it.
        case startTLS = "starttls"
        /// `smtps://host:465`, TLS from the first byte.
        case tls
    }

    /// `smtp://host:587` (with ``Security/startTLS`` or ``Security/none``) or `smtps://host:465` (with
    /// ``Security/tls``). A path is ignored: libcurl would send it as the EHLO name (see ``heloName``).
    public var url: String
    public var security: Security
    public var username: String?
    /// A secret: never part of ``description`` or of an error.
    public var password: String?
    /// A CA bundle to trust instead of the system's, for a server whose certificate the Agency signs itself.
    public var caFile: String?
    /// The MAIL FROM address, where bounces go; empty for the null sender `<>`.
    public var envelopeFrom: String
    /// How long to wait for the connection and for each reply; a transfer silent for this long is given up on.
    public var timeout: Duration
    /// The name given in EHLO; without one libcurl gives the machine's host name.
    public var heloName: String?

    public init(
        url: String, security: Security, username: String? = nil, password: String? = nil, caFile: String? = nil,
        envelopeFrom: String, timeout: Duration = .seconds(30), heloName: String? = nil
    ) {
        self.url = url
        self.security = security
        self.username = username
        self.password = password
        self.caFile = caFile
        self.envelopeFrom = envelopeFrom
        self.timeout = timeout
        self.heloName = heloName
    }

    /// For logs: the server, the protection and the user, never the password.
    public var description: String {
        "\(url) (\(security.rawValue)\(username.map { ", user \($0)" } ?? ""))"
    }
}

/// Hands messages to an SMTP server through libcurl.
///
/// One libcurl handle is kept, so consecutive messages go over one connection (one TLS handshake, one login).
/// Every send sets all options afresh (`curl_easy_reset` keeps the connection), so nothing of one message (its
/// recipient list, its reader) can reach the next; a connection idle for more than a minute is not reused, because
/// servers drop idle clients (Postfix after 300 s) and a connection that died quietly would fail the next message.
///
/// Thread safety: `send` may be called from any thread or task; calls are serialized by a lock, and the handle
/// and the error buffer, the only mutable state, are touched only while it is held. Sends block the calling
/// thread for the length of the transfer: call from a task that may block, or a dedicated thread.
///
/// ```swift
/// let client = try SMTPClient(settings: SMTPSettings(
///     url: "smtp://mail.migration.uz:587", security: .startTLS, username: "murojaat", password: secret,
///     envelopeFrom: "noreply@migration.uz"))
/// try client.send(mail)  // composes, then sends to every To and Cc address
/// ```
///
/// Errors are ``MailError`` with ``MailError/isTransient`` true for what a later retry may fix (no connection, a
/// timeout; ``MailError/Code/deferred``: a 4xx reply) and false for what it will not: ``MailError/Code/rejected``
/// (a 5xx reply), ``MailError/Code/authentication`` and ``MailError/Code/configuration``.
public final class SMTPClient: @unchecked Sendable {
    public let settings: SMTPSettings
    /// `scheme://host:port/` plus the EHLO name as path, which is where libcurl takes it from.
    private let transferURL: String
    private let server: String
    private let lock = NSLock()
    private let handle: UnsafeMutableRawPointer
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Checks the settings; connects only on the first send.
    ///
    /// Throws ``MailError/Code/configuration`` for a URL that is not `smtp://` or `smtps://` with a host, a
    /// scheme that contradicts ``SMTPSettings/security``, or an envelope sender that is not an address.
    public init(settings: SMTPSettings) throws(MailError) {
        guard var components = URLComponents(string: settings.url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw MailError(.configuration, "the SMTP URL \(settings.url) is not of the form smtp://host:port")
        }
        switch (scheme, settings.security) {
        case ("smtp", .none), ("smtp", .startTLS), ("smtps", .tls): break
        case ("smtps", _):
            throw MailError(.configuration, "an smtps:// URL (\(settings.url)) needs security tls")
        case ("smtp", .tls):
            throw MailError(
                .configuration, "security tls needs an smtps:// URL (implicit TLS, usually port 465): \(settings.url)")
        default:
            throw MailError(.configuration, "an SMTP URL starts with smtp:// or smtps://: \(settings.url)")
        }
        if !settings.envelopeFrom.isEmpty {
            do {
                try MessageComposer.checkAddress(settings.envelopeFrom, role: "the envelope sender")
            } catch {
                throw MailError(.configuration, error.message)
            }
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        components.path = ""
        server = components.string ?? settings.url
        components.path = "/"
        if let helo = settings.heloName, !helo.isEmpty {
            guard helo.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
                throw MailError(.configuration, "the EHLO name \(helo) is not a host name")
            }
            components.path = "/" + helo
        }
        transferURL = components.string ?? settings.url
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw MailError(.configuration, "libcurl could not be initialised")
        }
        self.settings = settings
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Sends one composed message to these envelope recipients (who may differ from its To and Cc: a Bcc).
    ///
    /// A refused recipient refuses the whole message (libcurl stops at the first RCPT that fails unless
    /// CURLOPT_MAIL_RCPT_ALLOWFAILS is set, which would also hide which ones failed): send a notification to one
    /// applicant per message.
    ///
    /// Throws ``MailError`` with code ``MailError/Code/unreachable`` (no connection, DNS, timeout: retry later),
    /// ``MailError/Code/deferred`` (a 4xx reply: this message later, the next one may go now),
    /// ``MailError/Code/authentication`` (login refused or required), ``MailError/Code/configuration``
    /// (TLS, certificate, STARTTLS not offered), ``MailError/Code/rejected`` (a 5xx reply to the sender, the
    /// recipients or the message, or a recipient that is not an address: do not retry).
    public func send(_ message: [UInt8], to recipients: [String]) throws(MailError) {
        guard !recipients.isEmpty else { throw MailError(.rejected, "a message needs at least one recipient") }
        for (index, recipient) in recipients.enumerated() {
            try MessageComposer.checkAddress(recipient, role: "recipient \(index + 1)")
        }
        lock.lock()
        defer { lock.unlock() }
        try perform(message, recipients: recipients)
    }

    /// Composes the mail with ``MessageComposer`` and sends it to every To and Cc address.
    public func send(_ mail: OutgoingMail) throws(MailError) {
        let bytes = try MessageComposer.compose(mail)
        try send(bytes, to: mail.recipients)
    }

    // MARK: the transfer

    static let verbs: Set<String> = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT",
    ]

    /// What one transfer reads from and learns: the message for the read callback, and from the debug callback the
    /// commands sent (the verb only: an AUTH line carries the password) and the server's last reply line.
    private final class Transfer {
        let message: [UInt8]
        var offset = 0
        var lastCommand: String?
        var recipientsSent = 0
        /// The last reply of 400 or more, with the command it answered and how many RCPTs had gone out: after a
        /// refusal libcurl still says QUIT, so the last command is not the refused one.
        var refusal: (reply: String, command: String?, recipientsSent: Int)?

        init(message: [UInt8]) { self.message = message }
    }

    private func perform(_ message: [UInt8], recipients: [String]) throws(MailError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients {
            // Checked addresses cannot carry "<", ">" or spaces; the brackets keep libcurl from guessing.
            guard let appended = curl_slist_append(list, "<\(recipient)>") else {
                curl_slist_free_all(list)
                throw MailError(.configuration, "libcurl could not allocate the recipient list")
            }
            list = appended
        }
        defer { curl_slist_free_all(list) }
        let transfer = Transfer(message: message)
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }

        // A reset forgets every option of the previous message (the freed recipient list, the released reader) but
        // keeps the open connection, so the next message reuses it.
        curl_easy_reset(handle)
        _ = ccurl_setopt_string(handle, CURLOPT_URL, transferURL)
        if let username = settings.username { _ = ccurl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = settings.password { _ = ccurl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        if settings.security == .startTLS {
            _ = ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        if let caFile = settings.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        let milliseconds = max(
            1,
            Int(settings.timeout.components.seconds) * 1000
                + Int(settings.timeout.components.attoseconds / 1_000_000_000_000_000))
        let seconds = max(1, (milliseconds + 999) / 1000)
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        // Each reply (greeting, EHLO, MAIL, the final one after DATA) must come within the timeout ...
        _ = ccurl_setopt_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, seconds)
        // ... and the upload may not stall for longer, whatever the size of the attachments.
        _ = ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, seconds)
        _ = ccurl_setopt_long(handle, CURLOPT_MAXAGE_CONN, 60)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        let from = settings.envelopeFrom.isEmpty ? "<>" : "<\(settings.envelopeFrom)>"
        _ = ccurl_setopt_string(handle, CURLOPT_MAIL_FROM, from)
        _ = ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, list)
        _ = ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        // The size goes out as MAIL FROM's SIZE= where the server announces SIZE, so an oversized report is
        // refused before its bytes are sent.
        _ = ccurl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
        _ = ccurl_setopt_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let length = min(size * count, transfer.message.count - transfer.offset)
            guard length > 0 else { return 0 }
            transfer.message.withUnsafeBufferPointer { source in
                // length > 0, so the message is not empty and has a base address.
                UnsafeMutableRawPointer(buffer).copyMemory(
                    from: source.baseAddress! + transfer.offset, byteCount: length)
            }
            transfer.offset += length
            return length
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, context.toOpaque())
        // libcurl dot-stuffs the upload itself (a line "." in the body goes out as ".."), and ends it with
        // CRLF.CRLF, adding the CRLF when the message lacks a last one: the bytes go as composed.
        _ = ccurl_setopt_long(handle, CURLOPT_VERBOSE, 1)
        _ = ccurl_setopt_debug_callback(handle, CURLOPT_DEBUGFUNCTION) { _, type, data, size, context in
            guard let data, let context, type == CURLINFO_HEADER_IN || type == CURLINFO_HEADER_OUT else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let line = data.withMemoryRebound(to: UInt8.self, capacity: size) {
                String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
            }.trimmingCharacters(in: .whitespacesAndNewlines)
            if type == CURLINFO_HEADER_IN {
                // A refused EHLO is not a failure: libcurl falls back to HELO.
                if let code = Int(line.prefix(3)), code >= 400, transfer.lastCommand != "EHLO" {
                    transfer.refusal = (line, transfer.lastCommand, transfer.recipientsSent)
                }
            } else {
                // AUTH LOGIN sends the user name and the password as lines of their own: anything that is not a
                // command verb is part of the login and is recorded as AUTH, never as itself.
                let verb = String(line.prefix { $0 != " " && $0 != ":" }).uppercased()
                transfer.lastCommand = SMTPClient.verbs.contains(verb) ? verb : "AUTH"
                if verb == "RCPT" { transfer.recipientsSent += 1 }
            }
            return 0
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context.toOpaque())

        errorBuffer[0] = 0
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            return curl_easy_perform(handle)
        }
        // Nothing may point at memory freed when this returns: the buffer, the list, the transfer.
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        _ = ccurl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)
        _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, nil)
        _ = ccurl_setopt_pointer(handle, CURLOPT_DEBUGDATA, nil)
        guard code != CURLE_OK else { return }
        throw error(code, transfer: transfer, recipients: recipients.count)
    }

    /// Sorts a failure by what should happen next. libcurl reports every refusal of MAIL, RCPT or DATA as
    /// CURLE_SEND_ERROR (the same code as a broken socket) and a refused final reply as CURLE_WEIRD_SERVER_REPLY,
    /// so the server's reply code (CURLINFO_RESPONSE_CODE) decides between "later" (4xx) and "never" (5xx).
    private func error(_ code: CURLcode, transfer: Transfer, recipients: Int) -> MailError {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var cause = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        var reply = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        var command = transfer.lastCommand ?? ""
        var recipient = transfer.recipientsSent
        if let refusal = transfer.refusal, let first = Int(refusal.reply.prefix(3)) {
            reply = first
            command = refusal.command ?? ""
            recipient = refusal.recipientsSent
            cause = Self.redacted(refusal.reply)
        }
        let step: String
        switch command {
        case "MAIL": step = "the sender (MAIL FROM)"
        case "RCPT" where recipients > 1: step = "recipient \(recipient) of \(recipients) (RCPT TO)"
        case "RCPT": step = "the recipient (RCPT TO)"
        case "DATA": step = "the message (DATA)"
        case "": step = "the connection (greeting)"
        default: step = command
        }
        switch code {
        case CURLE_LOGIN_DENIED:
            return MailError(
                .authentication,
                "the SMTP server \(server) refused the login of \(settings.username ?? "(no user)")", cause: cause)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING:
            return MailError(.unreachable, "the SMTP server \(server) cannot be reached", cause: cause)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return MailError(
                .configuration,
                "the certificate of the SMTP server \(server) is not trusted (set the CA file for a private authority)",
                cause: cause)
        case CURLE_USE_SSL_FAILED:
            return MailError(
                .configuration, "the SMTP server \(server) does not offer STARTTLS, which security starttls requires",
                cause: cause)
        case CURLE_SSL_CONNECT_ERROR:
            return MailError(
                .configuration,
                "the TLS handshake with the SMTP server \(server) failed (is security tls pointed at a plain or STARTTLS port?)",
                cause: cause)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return MailError(.configuration, "the SMTP URL \(settings.url) cannot be used", cause: cause)
        default:
            break
        }
        switch reply {
        case 530 where cause.uppercased().contains("STARTTLS"):
            // RFC 3207's "530 Must issue a STARTTLS command first" shares its code with "authentication required".
            return MailError(
                .configuration, "the SMTP server \(server) requires STARTTLS: set security starttls", cause: cause)
        case 500..<600 where command.isEmpty:
            return MailError(
                .configuration, "the SMTP server \(server) refuses connections from this host", cause: cause)
        case 530, 534, 535, 538:
            return MailError(
                .authentication, "the SMTP server \(server) wants a login that it did not get or accept", cause: cause)
        case 400..<500:
            return MailError(
                .deferred, "the SMTP server \(server) deferred \(step) for now: try again later", cause: cause)
        case 500..<600:
            return MailError(.rejected, "the SMTP server \(server) refused \(step) for good", cause: cause)
        case _ where code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR:
            return MailError(
                .unreachable, "the connection to the SMTP server \(server) broke off during \(step)", cause: cause)
        default:
            return MailError(.protocolError, "the SMTP server \(server) answered \(step) unexpectedly", cause: cause)
        }
    }

    /// The reply without e-mail addresses: servers quote the recipient ("550 5.1.1 <a@b.uz>: User unknown"), and
    /// an applicant's address does not belong in a log line.
    static func redacted(_ reply: String) -> String {
        reply.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.contains("@") ? "<address>" : String($0) }
            .joined(separator: " ")
    }
}
