public import Foundation
public import MurojaatCore
public import Store

/// Imports Virtual Reception exports into the inbox queue. The Reception's number is the source key, so an
/// export that overlaps an earlier one adds only what is new.
public struct ReceptionImport: Sendable {
    public let store: any AppealStore
    public let reader: ReceptionReader
    /// Drafts per enqueue transaction: a 100,000-row export is not one giant transaction.
    public var batchSize = 5000
    /// Called after each batch is committed, with how many are; for failure injection in the crash tests.
    public var afterBatch: (@Sendable (Int) -> Void)?

    public init(store: any AppealStore, mapping: ReceptionMapping, zone: TimeZone = WorkingCalendar.tashkent) {
        self.store = store
        reader = ReceptionReader(mapping: mapping, zone: zone)
    }

    public struct Report: Sendable, Hashable {
        public var file: String
        public var format: String
        public var rows: Int
        public var added: Int
        public var alreadyKnown: Int
        public var quarantined: Int
        /// `row 5: reason` (`line` outside a workbook) for each rejected row, in the three languages.
        public var rejects: [Wording]
    }

    public func importFile(at url: URL, now: Date) async throws(IngestError) -> Report {
        let name = url.lastPathComponent
        let bytes = try IngestError.readSource(url)
        return try await importBytes(bytes, sourceName: name, now: now)
    }

    public func importBytes(_ bytes: [UInt8], sourceName name: String, now: Date) async throws(IngestError) -> Report {
        let batch: ReceptionReader.Batch
        do {
            batch = try reader.read(bytes, sourceName: name)
        } catch {
            if !bytes.isEmpty {
                let record = QuarantineRecord(
                    channel: .virtualReception, source: name, position: QuarantineRecord.wholeFile,
                    reason: Wording(describing: error),
                    raw: bytes, at: now)
                do { _ = try await store.quarantine([record]) } catch {
                    throw IngestError(.store, .couldNotQuarantine(name), source: name, cause: error)
                }
            }
            let problem = Wording(describing: error)
            throw IngestError(.badFile, Wording { "\(name): " + problem[$0] }, source: name)
        }
        let unit = batch.format == .xlsx ? "row" : "line"
        let records = batch.rejects.map {
            QuarantineRecord(
                channel: .virtualReception, source: name, position: "\(unit) \($0.line)", reason: $0.reason,
                raw: $0.raw, sourceKey: $0.key, at: now)
        }
        do {
            let quarantined = try await store.quarantine(records)
            var added = 0
            var known = 0
            var start = 0
            var committed = 0
            while start < batch.drafts.count {
                let chunk = Array(batch.drafts[start..<min(start + batchSize, batch.drafts.count)])
                let summary = try await store.enqueue(chunk, at: now)
                added += summary.added
                known += summary.duplicates
                start += chunk.count
                committed += 1
                afterBatch?(committed)
            }
            return Report(
                file: name, format: batch.format.rawValue, rows: batch.rows, added: added, alreadyKnown: known,
                quarantined: quarantined,
                rejects: batch.rejects.map { Wording.located($0.line, $0.reason, row: batch.format == .xlsx) })
        } catch {
            throw IngestError(.store, .couldNotStore(name), source: name, cause: error)
        }
    }
}
