public import Foundation
public import MurojaatCore
public import Store

/// Imports call-card exports into the inbox queue: every good row becomes a draft, every bad row a quarantined
/// record with its raw line and the reason, and the rest of the file goes in.
public struct CallCardImport: Sendable {
    public let store: any AppealStore
    public let reader: CallCardReader

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
        public var rejects: [String]
    }

    /// Reads and enqueues one file. A file that cannot be read at all (empty, no required column) is quarantined
    /// whole, with the reason, and the error is thrown so the caller can say so and exit non-zero.
    public func importFile(at url: URL, now: Date) async throws(IngestError) -> Report {
        let name = url.lastPathComponent
        let bytes = try IngestError.readSource(url)
        return try await importBytes(bytes, sourceName: name, now: now)
    }

    /// Reads and enqueues an export already in memory; `sourceName` names it in origins and in the quarantine.
    public func importBytes(_ bytes: [UInt8], sourceName name: String, now: Date) async throws(IngestError) -> Report {
        let batch: CallCardBatch
        do {
            batch = try reader.read(bytes, sourceName: name)
        } catch {
            if !bytes.isEmpty {
                let record = QuarantineRecord(
                    channel: .call, source: name, position: "whole file",
                    reason: "\(error)", raw: bytes, at: now)
                do { _ = try await store.quarantine([record]) } catch {
                    throw IngestError(.store, "could not quarantine \(name)", source: name, cause: error)
                }
            }
            throw IngestError(.badFile, "\(error)", source: name)
        }
        let records = batch.rejects.map {
            QuarantineRecord(
                channel: .call, source: name, position: "line \($0.line)", reason: $0.reason, raw: $0.raw,
                sourceKey: $0.key, at: now)
        }
        do {
            // Quarantine first: if the process dies between the two, a re-import adds the drafts and finds the
            // quarantined rows already kept; nothing is lost either way.
            let quarantined = try await store.quarantine(records)
            let summary = try await store.enqueue(batch.drafts, at: now)
            return Report(
                file: name, rows: batch.rows, added: summary.added, alreadyKnown: summary.duplicates,
                quarantined: quarantined, quarantinedBefore: records.count - quarantined,
                rejects: batch.rejects.map { "line \($0.line): \($0.reason)" })
        } catch {
            throw IngestError(.store, "could not store the records of \(name)", source: name, cause: error)
        }
    }
}
