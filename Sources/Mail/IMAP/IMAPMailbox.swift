import CCurl
public import Foundation

/// Where and how to reach one mailbox.
public struct IMAPAccount: Sendable, Hashable {
    /// `imaps://mail.migration.uz/INBOX` or `imap://127.0.0.1:1143/INBOX`; the path names the mailbox.
    public var url: String
    public var user: String
    public var password: String
    /// On `imap://`, insist on STARTTLS before the password is sent.
    public var requireTLS: Bool
    /// A CA bundle for a server whose certificate is signed by the Agency's own authority.
    public var caFile: String?
    public var connectTimeout: Duration

    public init(
        url: String, user: String, password: String, requireTLS: Bool = false, caFile: String? = nil,
        connectTimeout: Duration = .seconds(15)
    ) {
        self.url = url
        self.user = user
        self.password = password
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.connectTimeout = connectTimeout
    }

    /// The mailbox name from the URL's path (`INBOX` when the path is empty).
    public var mailbox: String {
        guard let components = URLComponents(string: url), !components.path.isEmpty, components.path != "/" else {
            return "INBOX"
        }
        return String(components.path.dropFirst())
    }

    /// `scheme://host:port/` without the mailbox, for commands that name their mailbox themselves.
    public var serverURL: String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/"
        components.query = nil
        return components.string ?? url
    }

    /// The URL of the mailbox, path-encoded, so names with spaces work.
    var mailboxURL: String {
        let encoded = mailbox.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? mailbox
        return serverURL + encoded
    }

    /// For logs: the URL and user, never the password.
    public var description: String { "\(user) at \(url)" }
}

/// The counters a mailbox reports; a new ``uidValidity`` means every UID known before is void.
public struct MailboxStatus: Sendable, Hashable {
    public var uidValidity: UInt32
    public var uidNext: UInt32
    public var messages: Int
}

/// One IMAP mailbox through libcurl. One easy handle is kept, so the login and the SELECT happen once and every
/// later command reuses the connection.
///
/// Not thread-safe: use one instance from one task at a time (a poller owns its mailbox).
///
/// ```swift
/// let mailbox = try IMAPMailbox(account)
/// let status = try mailbox.status()
/// for uid in try mailbox.uids(after: 0) { let raw = try mailbox.fetch(uid: uid) ... }
/// try mailbox.store(uids, flags: "+FLAGS (\\Seen)")
/// ```
public final class IMAPMailbox {
    public let account: IMAPAccount
    private let handle: UnsafeMutableRawPointer
    /// UIDs per command that answers with a line per message (FETCH FLAGS, STORE, MOVE). libcurl 7.88 counts such
    /// lines as response headers, in a way that grows with the square of their number, and fails the command past
    /// 300 KB ("Too large response headers"): 200 lines already did (310 KB, seen with curl -w %{size_header}).
    static let uidsPerCommand = 100
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    public init(_ account: IMAPAccount) throws(MailError) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw MailError(.configuration, "libcurl could not be initialised")
        }
        guard account.url.hasPrefix("imap://") || account.url.hasPrefix("imaps://") else {
            curl_easy_cleanup(handle)
            throw MailError(.configuration, "an IMAP URL starts with imap:// or imaps://: \(account.url)")
        }
        self.account = account
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// UIDVALIDITY, UIDNEXT and the message count, from a STATUS command.
    public func status() throws(MailError) -> MailboxStatus {
        try refresh()
        let lines = try command(
            url: account.serverURL, "STATUS \(quoted(account.mailbox)) (UIDVALIDITY UIDNEXT MESSAGES)")
        guard let line = lines.first(where: { $0.hasPrefix("* STATUS") }),
            let validity = number(after: "UIDVALIDITY", in: line), let next = number(after: "UIDNEXT", in: line)
        else { throw MailError(.protocolError, "the server's STATUS answer has no UIDVALIDITY", cause: lines.first) }
        return MailboxStatus(
            uidValidity: UInt32(validity), uidNext: UInt32(next), messages: number(after: "MESSAGES", in: line) ?? 0)
    }

    /// Asks the server to look at the mailbox again: on a connection kept open, a message delivered since the
    /// last command is not seen until the server syncs, which NOOP makes it do.
    public func refresh() throws(MailError) {
        _ = try command(url: account.mailboxURL, "NOOP")
    }

    /// The UIDs above `uid`, ascending.
    public func uids(after uid: UInt32) throws(MailError) -> [UInt32] {
        try refresh()
        let lines = try command(url: account.mailboxURL, "UID SEARCH UID \(uid &+ 1):*")
        var found: [UInt32] = []
        for line in lines where line.hasPrefix("* SEARCH") {
            // `n:*` always includes the highest UID, even when it is below n: filter.
            found += line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) }
                .filter { $0 > uid }
        }
        return found.sorted()
    }

    /// The whole message. Fetching sets `\Seen` on the server (libcurl fetches BODY[]); a caller that could not
    /// commit the message clears it again with ``store(_:flags:)``.
    public func fetch(uid: UInt32) throws(MailError) -> [UInt8] {
        try perform(url: "\(account.mailboxURL);UID=\(uid)", request: nil)
    }

    /// `UID STORE` on a set of UIDs, e.g. `+FLAGS (\Seen)` or `-FLAGS (\Seen)`.
    public func store(_ uids: [UInt32], flags: String) throws(MailError) {
        for chunk in Self.chunks(uids) {
            _ = try command(url: account.mailboxURL, "UID STORE \(Self.set(chunk)) \(flags)")
        }
    }

    static func chunks(_ uids: [UInt32]) -> [[UInt32]] {
        let sorted = Array(Set(uids)).sorted()
        return stride(from: 0, to: sorted.count, by: uidsPerCommand).map {
            Array(sorted[$0..<min($0 + uidsPerCommand, sorted.count)])
        }
    }

    /// The flags of each message, for checks and tests.
    public func flags(_ uids: [UInt32]) throws(MailError) -> [UInt32: [String]] {
        guard !uids.isEmpty else { return [:] }
        var result: [UInt32: [String]] = [:]
        var lines: [String] = []
        for chunk in Self.chunks(uids) {
            lines += try command(url: account.mailboxURL, "UID FETCH \(Self.set(chunk)) (UID FLAGS)")
        }
        for line in lines {
            guard let uid = number(after: "UID", in: line), let open = line.range(of: "FLAGS ("),
                let close = line[open.upperBound...].firstIndex(of: ")")
            else { continue }
            result[UInt32(uid)] = line[open.upperBound..<close].split(separator: " ").map(String.init)
        }
        return result
    }

    /// Moves messages to another mailbox, creating it when it does not exist yet.
    public func move(_ uids: [UInt32], to folder: String) throws(MailError) {
        guard !uids.isEmpty else { return }
        do {
            _ = try command(url: account.serverURL, "CREATE \(quoted(folder))")
        } catch  where error.code == .protocolError {
            // Most likely it exists already; if not, the MOVE below says so.
        }
        for chunk in Self.chunks(uids) {
            _ = try command(url: account.mailboxURL, "UID MOVE \(Self.set(chunk)) \(quoted(folder))")
        }
    }

    // MARK: the transfer

    private func command(url: String, _ request: String) throws(MailError) -> [String] {
        let bytes = try perform(url: url, request: request)
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\r\n" || $0 == "\n" })
            .map(String.init)
    }

    private func perform(url: String, request: String?) throws(MailError) -> [UInt8] {
        let sink = Sink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        _ = ccurl_setopt_string(handle, CURLOPT_URL, url)
        _ = ccurl_setopt_string(handle, CURLOPT_USERNAME, account.user)
        _ = ccurl_setopt_string(handle, CURLOPT_PASSWORD, account.password)
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, Int(account.connectTimeout.components.seconds))
        // A stalled server is given up on after a minute of silence, whatever the message size.
        _ = ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        if account.requireTLS { _ = ccurl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let caFile = account.caFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let request {
            _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request)
        } else {
            _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil)
        }
        _ = ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            let total = size * count
            if let data {
                data.withMemoryRebound(to: UInt8.self, capacity: total) {
                    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: total))
                }
            }
            return total
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        errorBuffer[0] = 0
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            defer { _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil) }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else { throw error(code, request: request ?? "FETCH") }
        return sink.bytes
    }

    private func error(_ code: CURLcode, request: String) -> MailError {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let cause = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let word = request.split(separator: " ").prefix(2).joined(separator: " ")
        switch code {
        case CURLE_LOGIN_DENIED:
            return MailError(.authentication, "the IMAP server refused the login of \(account.user)", cause: cause)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR,
            CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR:
            return MailError(.unreachable, "the IMAP server at \(account.url) cannot be reached", cause: cause)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return MailError(
                .configuration, "the IMAP server's certificate is not trusted (set ca_file for a private authority)",
                cause: cause)
        case CURLE_USE_SSL_FAILED:
            return MailError(.configuration, "the IMAP server at \(account.url) does not offer STARTTLS", cause: cause)
        case CURLE_REMOTE_FILE_NOT_FOUND:
            return MailError(.notFound, "\(word): no such mailbox or message", cause: cause)
        default:
            return MailError(.protocolError, "IMAP \(word) failed", cause: cause)
        }
    }

    private func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func number(after word: String, in line: String) -> Int? {
        guard let range = line.range(of: word + " ") else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// `1:3,7,9:10`: consecutive UIDs as ranges, so one command covers a whole batch.
    static func set(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    private final class Sink {
        var bytes: [UInt8] = []
    }
}
