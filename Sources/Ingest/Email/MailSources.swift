public import Foundation
import MurojaatCore

/// One message as read from a source, before parsing.
public struct RawMail: Sendable {
    public var bytes: [UInt8]
    /// Where it was read: a file path, `mbox FILE message 3`, `INBOX UID 42`.
    public var position: String
    /// When the source says it arrived (a file's modification time), used when the message carries no date.
    public var arrived: Date?

    public init(bytes: [UInt8], position: String, arrived: Date? = nil) {
        self.bytes = bytes
        self.position = position
        self.arrived = arrived
    }
}

/// Offline mail sources: `.eml` files, directories of them (how e-xat exports arrive), Maildirs and mbox files.
///
/// They are read, never changed: importing the same source again creates nothing new, because the inbox is
/// unique per Message-ID.
public enum MailSources {
    /// The messages of a Maildir (`new/` and `cur/`), in file-name order, which is delivery order.
    public static func maildir(_ directory: URL) throws(IngestError) -> [RawMail] {
        var files: [URL] = []
        for folder in ["new", "cur"] {
            files += try listFiles(directory.appendingPathComponent(folder), source: directory.path)
        }
        guard
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("cur").path)
                || FileManager.default.fileExists(atPath: directory.appendingPathComponent("new").path)
        else {
            let path = directory.path
            throw IngestError(
                .unreadable,
                Wording(
                    uz: "\(path) Maildir emas (unda new/ ham, cur/ ham yo‘q)",
                    ru: "\(path) — не Maildir (в нём нет ни new/, ни cur/)",
                    en: "\(path) is not a Maildir (it has no new/ or cur/)"),
                source: path)
        }
        return try files.sorted { $0.lastPathComponent < $1.lastPathComponent }.map { file throws(IngestError) in
            try read(file)
        }
    }

    /// Each argument: an `.eml` file, a Maildir, or a directory whose `.eml` files are read in name order.
    public static func files(_ paths: [String]) throws(IngestError) -> [RawMail] {
        var messages: [RawMail] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw IngestError(
                    .unreadable,
                    Wording(uz: "\(path) mavjud emas", ru: "\(path) не существует", en: "\(path) does not exist"),
                    source: path)
            }
            if !isDirectory.boolValue {
                messages.append(try read(url))
            } else if FileManager.default.fileExists(atPath: url.appendingPathComponent("cur").path) {
                messages += try maildir(url)
            } else {
                let emls = try listFiles(url, source: path).filter { $0.pathExtension.lowercased() == "eml" }
                for file in emls.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
                    messages.append(try read(file))
                }
            }
        }
        return messages
    }

    /// The messages of an mbox file (mboxo and mboxrd: `>From ` lines are unquoted once).
    public static func mbox(_ file: URL) throws(IngestError) -> [RawMail] {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: file))
        } catch {
            throw IngestError(.unreadable, .cannotRead(file.path), source: file.path, cause: error)
        }
        return mbox(bytes, name: file.path)
    }

    static func mbox(_ bytes: [UInt8], name: String) -> [RawMail] {
        var messages: [RawMail] = []
        var current: [UInt8] = []
        var started = false
        var number = 0
        var lineStart = 0
        func flush() {
            guard started else { return }
            number += 1
            // The blank line before the next "From " belongs to the mbox format, not to the message.
            while current.last == UInt8(ascii: "\n") || current.last == UInt8(ascii: "\r") { current.removeLast() }
            current.append(contentsOf: [13, 10])
            messages.append(RawMail(bytes: current, position: "\(name) message \(number)"))
            current = []
        }
        let fromLine = Array("From ".utf8)
        while lineStart < bytes.count {
            let end = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            let line = bytes[lineStart..<end]
            if line.starts(with: fromLine) {
                flush()
                started = true
            } else if started {
                var unquoted = line[...]
                var quotes = 0
                while unquoted.first == UInt8(ascii: ">") {
                    unquoted = unquoted.dropFirst()
                    quotes += 1
                }
                current.append(contentsOf: quotes > 0 && unquoted.starts(with: fromLine) ? line.dropFirst() : line)
            }
            lineStart = end
        }
        flush()
        return messages
    }

    static func read(_ file: URL) throws(IngestError) -> RawMail {
        do {
            let bytes = Array(try Data(contentsOf: file))
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
            return RawMail(bytes: bytes, position: file.path, arrived: modified)
        } catch {
            throw IngestError(.unreadable, .cannotRead(file.path), source: file.path, cause: error)
        }
    }

    static func listFiles(_ directory: URL, source: String) throws(IngestError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return [] }
        do {
            // Names, then a stat each: asking URL resource values for every file of a large Maildir showed in
            // the profile.
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { !$0.hasPrefix(".") }
                .map { directory.appendingPathComponent($0) }
                .filter { url in
                    var folder: ObjCBool = false
                    return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && !folder.boolValue
                }
        } catch {
            let path = directory.path
            throw IngestError(
                .unreadable,
                Wording(
                    uz: "\(path) ichidagi fayllarni ko‘rib bo‘lmadi", ru: "не удалось получить список файлов \(path)",
                    en: "cannot list \(path)"),
                source: source, cause: error)
        }
    }
}

extension Wording {
    /// `cannot read /var/mail/x.eml`.
    static func cannotRead(_ path: String) -> Wording {
        Wording(uz: "\(path) ni o‘qib bo‘lmadi", ru: "не удалось прочитать \(path)", en: "cannot read \(path)")
    }
}
