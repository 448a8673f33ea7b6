public import Foundation
public import Mail
public import MurojaatCore
import Store

/// Limits on what an e-mail may bring; over a limit the file is described, not kept, and the appeal still goes in.
public struct EmailLimits: Sendable, Hashable {
    public var maxAttachmentBytes: Int
    public var maxAttachments: Int
    /// The raw message is kept as evidence up to this size.
    public var maxOriginalBytes: Int

    public init(
        maxAttachmentBytes: Int = 20 << 20, maxAttachments: Int = 20, maxOriginalBytes: Int = 40 << 20
    ) {
        self.maxAttachmentBytes = maxAttachmentBytes
        self.maxAttachments = maxAttachments
        self.maxOriginalBytes = maxOriginalBytes
    }
}

/// Turns a parsed e-mail into an appeal draft, or sets it aside with the reason (auto-replies, delivery reports,
/// mail loops). Pure: storing is ``EmailImport``'s job.
public struct EmailReader: Sendable {
    /// `email`, or `e-xat` for exports of the state e-mail system.
    public var channel: Channel
    /// The Agency's own addresses (lower case): mail from them, or carrying them in X-Loop, is a loop.
    public var ownAddresses: Set<String>
    public var limits: EmailLimits

    public init(
        channel: Channel = .email, ownAddresses: Set<String> = ["info@migration.uz"], limits: EmailLimits = .init()
    ) {
        self.channel = channel
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
        self.limits = limits
    }

    public enum Reading: Sendable {
        case appeal(AppealDraft)
        /// Not an appeal; kept in the quarantine with the reason (in the three languages), never registered.
        case setAside(reason: Wording, sourceKey: String)
    }

    /// - Parameters:
    ///   - origin: where the message was read (`INBOX UID 42`, a file path), for the history.
    ///   - arrived: when it was found, used when the message carries no usable date.
    ///   - asAppeal: take it as an appeal even if it looks like machine mail (an operator decided so).
    public func read(
        _ message: MailMessage, raw: [UInt8], origin: String, arrived: Date, asAppeal: Bool = false
    ) -> Reading {
        let sourceKey = Self.sourceKey(message, raw: raw)
        if !asAppeal, let reason = setAsideReason(message) { return .setAside(reason: reason, sourceKey: sourceKey) }

        let (body, quoted, forwardMarked) = Self.split(message.text)
        let signature = Signature.find(in: body)
        let text = Self.ownWords(message, body: body, quoted: quoted, forwardMarked: forwardMarked)
        let sender = message.from.first
        var extra: [String: String] = [:]
        if let inReplyTo = message.inReplyTo { extra["in_reply_to"] = inReplyTo }
        if !message.warnings.isEmpty { extra["mime_warnings"] = message.warnings.joined(separator: "; ") }
        if message.textSource == .html { extra["text_from"] = "html" }
        if text != message.text {
            extra["quoted_lines"] = String(quoted.split(separator: "\n", omittingEmptySubsequences: false).count)
        }
        let followUp =
            message.subject.flatMap(TrackingReference.find)
            ?? (quoted.isEmpty ? nil : TrackingReference.find(in: quoted))
        return .appeal(
            AppealDraft(
                channel: channel, sourceKey: sourceKey, receivedAt: Self.receivedAt(message, arrived: arrived),
                text: text, subject: message.subject.flatMap { $0.isEmpty ? nil : $0 },
                applicant: Applicant(
                    name: sender?.name ?? signature.name, phone: signature.phone,
                    email: (message.replyTo.first ?? sender)?.address.lowercased()),
                origin: origin, extra: extra, followUpOf: followUp, documents: documents(message, raw: raw)))
    }

    /// The Message-ID; without one, the SHA-256 of the raw message (FORMATS.md 1), over LF line ends: an IMAP
    /// server sends CRLF what an `.eml` export may keep as LF, and one message must get one key.
    public static func sourceKey(_ message: MailMessage, raw: [UInt8]) -> String {
        if let id = message.messageID { return id }
        var normalized: [UInt8] = []
        normalized.reserveCapacity(raw.count)
        for (index, byte) in raw.enumerated() where !(byte == 0x0D && index + 1 < raw.count && raw[index + 1] == 0x0A) {
            normalized.append(byte)
        }
        return "sha256:" + EventChain.digest(normalized)
    }

    /// When the Agency's server took the message in (the topmost Received header), else the Date header, else when
    /// it was found. A date in the future by more than a day is a sender's wrong clock and is not believed.
    static func receivedAt(_ message: MailMessage, arrived: Date) -> Date {
        let latest = arrived.addingTimeInterval(86_400)
        for candidate in [message.receivedAt, message.date] {
            if let candidate, candidate <= latest, candidate.timeIntervalSince1970 > 946_684_800 { return candidate }
        }
        return arrived
    }

    /// Why a message is not an appeal (machine mail, a loop), or nil when it may be one. The headers and
    /// addresses quoted are the message's own.
    func setAsideReason(_ message: MailMessage) -> Wording? {
        let from = message.from.first?.address.lowercased() ?? ""
        if let own = ownAddresses.first(where: { from == $0 }) {
            return Wording(
                uz: "pochta halqasi: Agentlikning o‘z manzili \(own) dan yuborilgan",
                ru: "почтовая петля: отправлено с собственного адреса Агентства \(own)",
                en: "mail loop: sent from the Agency's own address \(own)")
        }
        if let loop = message.header("X-Loop"), ownAddresses.contains(where: { loop.lowercased().contains($0) }) {
            return Wording(
                uz: "pochta halqasi: X-Loop \(loop)", ru: "почтовая петля: X-Loop \(loop)",
                en: "mail loop: X-Loop \(loop)")
        }
        let hops = message.headers("Received").count
        if hops > 30 {
            return Wording(
                uz: "pochta halqasi: \(hops) ta Received sarlavhasi",
                ru: "почтовая петля: заголовков Received — \(hops)",
                en: "mail loop: \(hops) Received headers")
        }
        if message.contentType == "multipart/report" {
            let type = "(multipart/report; report-type=\(message.reportType ?? "unknown"))"
            return Wording(
                uz: "yetkazish hisoboti \(type)", ru: "отчёт о доставке \(type)", en: "delivery report \(type)")
        }
        let local = from.split(separator: "@").first.map(String.init) ?? ""
        let subject = (message.subject ?? "").lowercased()
        if local == "mailer-daemon" || local == "postmaster",
            Self.bounceSubjects.contains(where: { subject.contains($0) })
        {
            let original = message.subject ?? ""
            return Wording(
                uz: "\(from) dan yetkazish hisoboti: \(original)", ru: "отчёт о доставке от \(from): \(original)",
                en: "delivery report from \(from): \(original)")
        }
        if let auto = message.header("Auto-Submitted"), auto.lowercased().trimmingCharacters(in: .whitespaces) != "no" {
            return Self.autoReply("(Auto-Submitted: \(auto))")
        }
        for name in ["X-Autoreply", "X-Autorespond", "X-Auto-Response"] {
            if let value = message.header(name) { return Self.autoReply("(\(name): \(value))") }
        }
        if let precedence = message.header("Precedence")?.lowercased().trimmingCharacters(in: .whitespaces) {
            if precedence == "auto_reply" { return Self.autoReply("(Precedence: auto_reply)") }
            if precedence == "bulk" || precedence == "junk" || precedence == "list" {
                return Wording(
                    uz: "ommaviy xat (Precedence: \(precedence))", ru: "массовая рассылка (Precedence: \(precedence))",
                    en: "bulk mail (Precedence: \(precedence))")
            }
        }
        if let prefix = Self.autoReplySubjects.first(where: { subject.hasPrefix($0) }) {
            return Wording(
                uz: "avtomatik javob (mavzu \"\(prefix)\" bilan boshlanadi)",
                ru: "автоответ (тема начинается с \"\(prefix)\")",
                en: "auto-reply (subject starts with \"\(prefix)\")")
        }
        return nil
    }

    /// `auto-reply (Auto-Submitted: auto-replied)`: `header` quotes what gave it away.
    static func autoReply(_ header: String) -> Wording {
        Wording(uz: "avtomatik javob \(header)", ru: "автоответ \(header)", en: "auto-reply \(header)")
    }

    static let bounceSubjects = [
        "undeliver", "delivery status", "delivery failure", "failure notice", "returned mail", "mail delivery",
        "не доставлено", "недоставлен",
    ]
    static let autoReplySubjects = [
        "out of office", "auto:", "automatic reply", "autoreply", "auto-reply", "avtomatik javob", "автоответ",
        "автоматический ответ", "автоматик жавоб",
    ]

    func documents(_ message: MailMessage, raw: [UInt8]) -> [Document] {
        var documents: [Document] = []
        let keepOriginal = raw.count <= limits.maxOriginalBytes
        documents.append(
            Document(
                role: .original, name: "message.eml", contentType: "message/rfc822", size: raw.count,
                sha256: EventChain.digest(raw), content: keepOriginal ? raw : nil,
                note: keepOriginal ? nil : "the message is over the \(Self.megabytes(limits.maxOriginalBytes)) limit"))
        for (index, attachment) in message.attachments.enumerated() {
            var note: String?
            if index >= limits.maxAttachments {
                note = "more than \(limits.maxAttachments) attachments: not kept"
            } else if attachment.content.count > limits.maxAttachmentBytes {
                note = "over the \(Self.megabytes(limits.maxAttachmentBytes)) limit for one file: not kept"
            }
            documents.append(
                Document(
                    role: .attachment, name: attachment.name, contentType: attachment.contentType,
                    size: attachment.content.count, sha256: EventChain.digest(attachment.content),
                    content: note == nil ? attachment.content : nil, note: note))
        }
        return documents
    }

    static func megabytes(_ bytes: Int) -> String { "\(bytes >> 20) MB" }

    /// The part the sender wrote, the quoted part of a reply (lines after an attribution line such as
    /// "... wrote:", or starting with `>`), and whether a line marks a forwarded message.
    static func split(_ text: String) -> (body: String, quoted: String, forwarded: Bool) {
        var body: [Substring] = []
        var quoted: [Substring] = []
        var inQuote = false
        var forwarded = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let lower = trimmed.lowercased()
            if !forwarded { forwarded = forwardMarkers.contains { lower.contains($0) } }
            if !inQuote,
                quoteStarts.contains(where: { lower.hasSuffix($0) || lower.hasPrefix("-----") && lower.contains($0) })
            {
                inQuote = true
            }
            if inQuote || trimmed.hasPrefix(">") { quoted.append(line) } else { body.append(line) }
        }
        return (body.joined(separator: "\n"), quoted.joined(separator: "\n"), forwarded)
    }

    /// The appeal's text: what the sender wrote in a reply, without the earlier messages it quotes. A reply quotes
    /// the Agency's own answer, whose words ("pora", "vakansiya", "filial") the rules would read as the appeal's.
    /// The quoted part stays in the original message, kept with the appeal. All of a forwarded message is the
    /// appeal (an employer's letter passed on), and so is all of a reply with nothing of its own.
    static func ownWords(_ message: MailMessage, body: String, quoted: String, forwardMarked: Bool) -> String {
        let subject = (message.subject ?? "").lowercased()
        let forwarded = forwardMarked || forwardSubjects.contains { subject.hasPrefix($0) }
        let own = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if quoted.isEmpty || forwarded || own.isEmpty { return message.text }
        return own
    }

    static let forwardSubjects = ["fwd:", "fw:", "пересл:", "переслано:"]
    static let forwardMarkers = ["forwarded message", "пересылаемое сообщение", "переадресованное сообщение"]

    static let quoteStarts = [
        "wrote:", "yozdi:", "написал:", "написала:", "написал(а):", "ёзди:", "original message", "исходное сообщение",
        "пересылаемое сообщение", "forwarded message",
    ]
}

/// A tracking number quoted in a subject or a reply, in its printed form (`XMGV-DRF5`); only a number whose check
/// character is right counts.
enum TrackingReference {
    static func find(in text: String) -> TrackingNumber? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 9 else { return nil }
        var start = 0
        while start + 9 <= bytes.count {
            if bytes[start + 4] == UInt8(ascii: "-"), isBoundary(bytes, before: start),
                isBoundary(bytes, at: start + 9),
                bytes[start..<(start + 4)].allSatisfy(isSymbol), bytes[(start + 5)..<(start + 9)].allSatisfy(isSymbol),
                let number = try? TrackingNumber(parsing: String(decoding: bytes[start..<(start + 9)], as: UTF8.self))
            {
                return number
            }
            start += 1
        }
        return nil
    }

    static func isSymbol(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isBoundary(_ bytes: [UInt8], before index: Int) -> Bool { index == 0 || !isSymbol(bytes[index - 1]) }
    static func isBoundary(_ bytes: [UInt8], at index: Int) -> Bool { index >= bytes.count || !isSymbol(bytes[index]) }
}

/// The name and phone number a sender signs with, from the last lines of what they wrote.
enum Signature {
    struct Found {
        var name: String?
        var phone: String?
    }

    /// "Hurmat bilan," and its Cyrillic and Russian equivalents, lower case.
    static let closings = [
        "hurmat bilan", "hurmat ila", "ҳурмат билан", "хурмат билан", "с уважением", "уважением", "with respect",
        "regards", "best regards",
    ]

    static func find(in body: String) -> Found {
        // A signature is in the last lines: only the end of a long text is split into lines.
        let end = body.utf8.count > 2000 ? String(decoding: body.utf8.suffix(2000), as: UTF8.self) : body
        let lines = end.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let tail = Array(lines.suffix(6))
        var found = Found()
        var phoneLine: String?
        for line in tail.reversed() {
            if let phone = phone(in: line) {
                found.phone = phone
                phoneLine = line
                break
            }
        }
        for (index, line) in tail.enumerated() {
            let lower = line.lowercased()
            guard let closing = closings.first(where: { lower.hasPrefix($0) }) else { continue }
            let rest = String(line.dropFirst(closing.count))
            if let name = name(in: rest) {
                found.name = name
            } else if index + 1 < tail.count, let name = name(in: tail[index + 1]) {
                found.name = name
            }
            break
        }
        // "Saidov Bobur, 90 765 43 21" with no closing words: a name of capitalised words before the number.
        if found.name == nil, let line = phoneLine, let name = name(in: line) {
            let words = name.split(separator: " ")
            if (2...4).contains(words.count), words.allSatisfy({ $0.first?.isUppercase == true }) { found.name = name }
        }
        return found
    }

    /// The first phone number in a line: a run of digits, spaces, dashes, dots and parentheses that reads as one.
    static func phone(in line: String) -> String? {
        var runs: [String] = []
        var current = ""
        for scalar in line.unicodeScalars {
            if ("0"..."9").contains(scalar) || "+()-. ".unicodeScalars.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else {
                runs.append(current)
                current = ""
            }
        }
        runs.append(current)
        for run in runs {
            let trimmed = run.trimmingCharacters(in: CharacterSet(charactersIn: " .-"))
            guard trimmed.filter(\.isNumber).count >= 9 else { continue }
            if let number = PhoneNumber(trimmed) { return number.e164 }
        }
        return nil
    }

    /// A person's name: two to five words of letters, after the punctuation and any phone part is cut off.
    static func name(in text: String) -> String? {
        var text = Substring(text)
        while let first = text.first, first == "," || first == ":" || first == " " || first == "-" {
            text.removeFirst()
        }
        // "Karimov Aziz, tel. +998..." : the name ends where the contact part begins.
        if let cut = text.firstIndex(where: { $0 == "," || $0 == ";" || $0.isNumber || $0 == "+" }) {
            text = text[..<cut]
        }
        let words = text.split(separator: " ").filter { !$0.isEmpty }
        guard (1...5).contains(words.count),
            words.allSatisfy({
                $0.allSatisfy { $0.isLetter || $0 == "." || $0 == "'" || $0 == "‘" || $0 == "ʻ" || $0 == "-" }
            }),
            !words.contains(where: { ["tel", "tel.", "тел", "тел."].contains($0.lowercased()) })
        else { return nil }
        return words.joined(separator: " ")
    }
}
