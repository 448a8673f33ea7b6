public import Foundation
public import MurojaatCore
public import Store

/// Imports call-card exports into the inbox queue: every good row becomes a draft, every bad row a quarantined
/// record with its raw line and the reason, and the rest of the file goes in.
public struct CallCardImport: Sendable {
    public let store: any AppealStore
    public let reader: CallCardReader
    /// Rows per transaction (and per part read ahead): a large export is not one giant transaction.
    public var rowsPerPart = 5000

    public init(store: any AppealStore, mapping: CallCardMapping, zone: TimeZone = WorkingCalendar.tashkent) {
        self.store = store
        reader = CallCardReader(mapping: mapping, defaultZone: zone)
    }

    /// What importing one file did.
    public struct Report: Sendable, Hashable {
        public var file: String
        public var rows: Int
        public var added: Int
        public var alreadyKnown: Int
        public var quarantined: Int
        /// Rejected rows already quarantined by an earlier import of the same file.
        public var quarantinedBefore: Int
        /// `line 19: reason` for each rejected row, in the three languages.
        public var rejects: [Wording]
    }

    /// Reads and enqueues one file. A file that cannot be read at all (empty, no required column) is quarantined
    /// whole, with the reason, and the error is thrown so the caller can say so and exit non-zero.
    public func importFile(at url: URL, now: Date) async throws(IngestError) -> Report {
        let name = url.lastPathComponent
        let bytes = try IngestError.readSource(url)
        return try await importBytes(bytes, sourceName: name, now: now)
    }

    /// Reads and enqueues an export already in memory; `sourceName` names it in origins and in the quarantine.
    ///
    /// The rows go in by parts of ``rowsPerPart``, each part one transaction, and the next part is read while the
    /// one before is stored. A crash between two parts leaves the earlier ones in: importing the file again adds the
    /// rest and finds those already known.
    public func importBytes(_ bytes: [UInt8], sourceName name: String, now: Date) async throws(IngestError) -> Report {
        var parts: CallCardReader.Parts
        do {
            parts = try reader.parts(bytes, sourceName: name)
        } catch {
            if !bytes.isEmpty {
                let record = QuarantineRecord(
                    channel: .call, source: name, position: QuarantineRecord.wholeFile,
                    reason: Wording(describing: error), raw: bytes, at: now)
                do { _ = try await store.quarantine([record]) } catch {
                    throw IngestError(.store, .couldNotQuarantine(name), source: name, cause: error)
                }
            }
            throw IngestError(.badFile, Wording(describing: error), source: name)
        }
        var report = Report(
            file: name, rows: 0, added: 0, alreadyKnown: 0, quarantined: 0, quarantinedBefore: 0, rejects: [])
        var storing: Task<PartResult, any Error>?
        func finishStoring() async throws(IngestError) {
            guard let task = storing else { return }
            storing = nil
            let result: PartResult
            do { result = try await task.value } catch {
                throw IngestError(.store, .couldNotStore(name), source: name, cause: error)
            }
            report.added += result.added
            report.alreadyKnown += result.alreadyKnown
            report.quarantined += result.quarantined
            report.quarantinedBefore += result.quarantinedBefore
        }
        while let part = parts.next(rows: rowsPerPart) {
            report.rows += part.rows
            report.rejects += part.rejects.map { Wording.located($0.line, $0.reason) }
            // The part before has been stored while this one was read; it is finished before this one starts, so
            // the parts are committed in the file's order and a failure stops the import where it happened.
            try await finishStoring()
            let store = self.store
            storing = Task { try await Self.store(part, of: name, in: store, now: now) }
        }
        try await finishStoring()
        return report
    }

    struct PartResult: Sendable {
        var added = 0
        var alreadyKnown = 0
        var quarantined = 0
        var quarantinedBefore = 0
    }

    /// Stores one part: its rejected rows into quarantine, its drafts into the inbox.
    static func store(
        _ part: CallCardBatch, of name: String, in store: any AppealStore, now: Date
    ) async throws(StoreError) -> PartResult {
        let records = part.rejects.map {
            QuarantineRecord(
                channel: .call, source: name, position: "line \($0.line)", reason: $0.reason, raw: $0.raw,
                sourceKey: $0.key, at: now)
        }
        // Quarantine first: if the process dies between the two, a re-import adds the drafts and finds the
        // quarantined rows already kept; nothing is lost either way.
        let quarantined = try await store.quarantine(records)
        let summary = try await store.enqueue(part.drafts, at: now)
        return PartResult(
            added: summary.added, alreadyKnown: summary.duplicates, quarantined: quarantined,
            quarantinedBefore: records.count - quarantined)
    }
}
