public import Foundation
public import MurojaatCore
public import Store

/// Reads a quarantined record again, after a mapping or the software changed or after an operator decided that
/// machine-looking mail is an appeal: the one retry `murojaat quarantine retry` and the web UI share, so both take
/// the same records and refuse the same ones in the same words.
///
/// ```swift
/// let retry = QuarantineRetry(store: store, callCards: mapping)
/// let outcome = try await retry.retry(7, asAppeal: true, now: Date())
/// print(outcome.wording(record: 7).en)  // "#7 went into the inbox"
/// ```
///
/// A record that goes in is marked resolved and kept, with its bytes, for the record. Throws ``IngestError``:
/// `noSuchRecord`, `resolvedAlready`, `stillSetAside` (the mail is still not an appeal), `oneRow` (a row cannot be
/// read without its file), `badFile` (the file still cannot be read), `badMapping`, `store`, or the e-mail
/// import's own errors.
///
/// Files are read again with the adapter mappings as they are now, which is usually why a file that could not be
/// read can be now: an administrator added the export's new column name to `Rules/adapters/`.
public struct QuarantineRetry: Sendable {
    /// How a record can be read again, decided by where it came from.
    public enum Kind: Sendable, Hashable {
        /// One message (e-mail, e-xat): parsed and sorted again, optionally taken as an appeal whatever it looks
        /// like.
        case email
        /// A call-card export that could not be read at all: the whole file is imported again.
        case callCardFile
        /// A Virtual Reception export that could not be read at all: the whole file is imported again.
        case receptionFile
        /// One row of a file: it cannot be read without the file around it (its header, its neighbours), so the
        /// file must be corrected and imported again.
        case oneRow
    }

    /// What a retry that went in did.
    public enum Outcome: Sendable, Hashable {
        /// The message went into the inbox; the routing worker registers it from there.
        case enqueued
        /// The message was in the inbox already (it came in again by another way meanwhile).
        case alreadyKnown
        /// The whole file was imported again: its rows, the new ones, and the rows set aside again.
        case fileImported(rows: Int, added: Int, quarantined: Int)

        /// The outcome as a person reads it, naming the record: `#7 went into the inbox`.
        public func wording(record id: Int64) -> Wording {
            switch self {
            case .enqueued:
                Wording(
                    uz: "#\(id) kiruvchilarga tushdi", ru: "#\(id) попала во входящие",
                    en: "#\(id) went into the inbox")
            case .alreadyKnown:
                Wording(uz: "#\(id) allaqachon bor edi", ru: "#\(id) уже была загружена", en: "#\(id) was in already")
            case .fileImported(let rows, let added, let quarantined):
                Wording(
                    uz: "#\(id): \(rows) ta qator, \(added) ta yangi, \(quarantined) tasi karantinga",
                    ru: "#\(id): строк \(rows), новых \(added), в карантин \(quarantined)",
                    en: "#\(id): \(rows) rows, \(added) new, \(quarantined) quarantined")
            }
        }
    }

    let store: any AppealStore
    /// Asked for only when a file is retried, so a mapping that does not load never stands in the way of mail.
    let callCards: @Sendable () throws(IngestError) -> CallCardMapping
    let reception: @Sendable () throws(IngestError) -> ReceptionMapping

    /// A retry with the mappings already loaded (the server's), or without them: then a whole file is refused
    /// with the words that say where it can be retried.
    public init(store: any AppealStore, callCards: CallCardMapping?, reception: ReceptionMapping? = nil) {
        self.store = store
        self.callCards = { () throws(IngestError) in
            guard let callCards else { throw Self.notLoaded("call-cards.yaml") }
            return callCards
        }
        self.reception = { () throws(IngestError) in
            guard let reception else { throw Self.notLoaded("virtual-reception.yaml") }
            return reception
        }
    }

    /// A retry that loads a file's mapping from `adapters` (`Rules/adapters`) when the file is retried, so an edited
    /// mapping is the one used.
    public init(store: any AppealStore, adapters: URL) {
        self.store = store
        self.callCards = { () throws(IngestError) in
            try Self.load(adapters.appendingPathComponent("call-cards.yaml"), CallCardMapping.load)
        }
        self.reception = { () throws(IngestError) in
            try Self.load(adapters.appendingPathComponent("virtual-reception.yaml"), ReceptionMapping.load)
        }
    }

    private static func load<Mapping>(_ file: URL, _ load: (URL) throws -> Mapping) throws(IngestError) -> Mapping {
        do {
            return try load(file)
        } catch {
            // The mapping's own words, pointing into the file, are what a person needs to fix it.
            throw IngestError(.badMapping, Wording(describing: error), source: file.lastPathComponent)
        }
    }

    private static func notLoaded(_ file: String) -> IngestError {
        IngestError(
            .badMapping,
            Wording(
                uz: "\(file) moslamasi bu yerda yuklanmagan: faylni `murojaat quarantine retry` bilan qayta o‘qing",
                ru: "описание \(file) здесь не загружено: прочитайте файл снова командой `murojaat quarantine retry`",
                en: "the \(file) mapping is not loaded here: retry the file with `murojaat quarantine retry`"),
            source: file)
    }

    /// The refusal for a record number the quarantine does not have: retrying it, or showing it, in the words the
    /// stores use when a record is gone.
    public static func noSuchRecord(_ id: Int64) -> IngestError {
        IngestError(.noSuchRecord, StoreError.noQuarantined(id: id).summary, source: "#\(id)")
    }

    /// A file that still cannot be read stays set aside as it was (the quarantine keeps the same bytes from the same
    /// source once), with the new reason in the refusal.
    private static func stillUnread(_ id: Int64, _ record: QuarantineRecord, _ error: IngestError) -> IngestError {
        IngestError(
            .badFile,
            Wording(
                uz: "#\(id) hali ham o‘qilmaydi", ru: "#\(id) всё ещё не читается", en: "#\(id) still cannot be read"),
            source: record.source, cause: error)
    }

    /// How `record` can be read again.
    public static func kind(of record: QuarantineRecord) -> Kind {
        switch record.channel {
        case .email, .eXat: .email
        case .call where record.position == QuarantineRecord.wholeFile: .callCardFile
        case .virtualReception where record.position == QuarantineRecord.wholeFile: .receptionFile
        default: .oneRow
        }
    }

    /// Reads quarantined record `id` again and, when it went in, marks it resolved.
    ///
    /// - Parameter asAppeal: for e-mail, take it as an appeal even if it looks like an auto-reply or a delivery
    ///   report (an operator decided it is one); ignored for files.
    public func retry(_ id: Int64, asAppeal: Bool = false, now: Date) async throws(IngestError) -> Outcome {
        let entry: QuarantineEntry?
        do { entry = try await store.quarantineEntry(id: id) } catch {
            throw IngestError(.store, Wording(describing: error), source: "#\(id)")
        }
        guard let entry else { throw Self.noSuchRecord(id) }
        let record = entry.record
        if entry.resolved {
            throw IngestError(
                .resolvedAlready,
                Wording(
                    uz: "#\(id) yozuv allaqachon hal qilingan", ru: "запись #\(id) уже разобрана",
                    en: "record #\(id) was resolved already"),
                source: record.source)
        }
        let outcome: Outcome
        switch Self.kind(of: record) {
        case .email:
            let importer = EmailImport(store: store, reader: EmailReader(channel: record.channel))
            let mail = RawMail(bytes: record.raw, position: record.position ?? record.source, arrived: record.at)
            let report = try await importer.importMessages([mail], source: record.source, now: now, asAppeal: asAppeal)
            guard report.added + report.alreadyKnown == 1 else {
                let note = report.notes.first
                throw IngestError(
                    .stillSetAside,
                    Wording(
                        uz: "#\(id) hali ham murojaat emas: \(note?.uz ?? "sababi noma’lum")",
                        ru: "#\(id) всё ещё не обращение: \(note?.ru ?? "причина неизвестна")",
                        en: "#\(id) is still not an appeal: \(note?.en ?? "unknown reason")"),
                    source: record.source)
            }
            outcome = report.added == 1 ? .enqueued : .alreadyKnown
        case .callCardFile:
            let importer = CallCardImport(store: store, mapping: try callCards())
            do {
                let report = try await importer.importBytes(record.raw, sourceName: record.source, now: now)
                outcome = .fileImported(rows: report.rows, added: report.added, quarantined: report.quarantined)
            } catch {
                throw Self.stillUnread(id, record, error)
            }
        case .receptionFile:
            let importer = ReceptionImport(store: store, mapping: try reception())
            do {
                let report = try await importer.importBytes(record.raw, sourceName: record.source, now: now)
                outcome = .fileImported(rows: report.rows, added: report.added, quarantined: report.quarantined)
            } catch {
                throw Self.stillUnread(id, record, error)
            }
        case .oneRow:
            throw IngestError(
                .oneRow,
                Wording(
                    uz: "#\(id) — \(record.source) faylining bitta qatori: faylni tuzatib, qayta import qiling "
                        + "(avval kiritilgan qatorlar o‘tkazib yuboriladi)",
                    ru: "#\(id) — одна строка файла \(record.source): исправьте файл и импортируйте его снова "
                        + "(уже загруженные строки пропускаются)",
                    en: "#\(id) is one row of \(record.source): correct the file and import it again (rows already "
                        + "in are skipped)"),
                source: record.source)
        }
        do { try await store.resolveQuarantine(id: id) } catch {
            throw IngestError(.store, Wording(describing: error), source: record.source)
        }
        return outcome
    }
}
