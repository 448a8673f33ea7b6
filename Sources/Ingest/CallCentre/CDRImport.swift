public import Foundation
public import MurojaatCore
public import Store

/// Imports Asterisk call detail records: callback tasks for missed calls go to the inbox; the answered calls are
/// returned, so the tracker can close earlier callback tasks from those numbers.
public struct CDRImport: Sendable {
    public let store: any AppealStore
    public let reader: MissedCalls

    public init(store: any AppealStore, settings: CDRSettings, zone: TimeZone = WorkingCalendar.tashkent) {
        self.store = store
        reader = MissedCalls(settings: settings, zone: zone)
    }

    public struct Report: Sendable {
        public var file: String
        public var records: Int
        public var callbacks: Int
        public var alreadyKnown: Int
        public var quarantined: Int
        public var hiddenNumbers: Int
        public var gotThroughLater: Int
        public var withCallCard: Int
        /// Answered calls to the trust lines: each closes open callback tasks from its number.
        public var answered: [(phone: String, at: Date)]
        /// `line 19: reason` for each line that could not be read, in the three languages.
        public var rejects: [Wording]
    }

    public func importFile(at url: URL, now: Date) async throws(IngestError) -> Report {
        let name = url.lastPathComponent
        let bytes = try IngestError.readSource(url)
        let parsed = reader.parse(bytes)
        // A call card's call_id is the PBX's unique id of the call.
        let carded: Set<String>
        do {
            carded = try await store.knownSourceKeys(channel: .call, among: parsed.trustLineIDs)
        } catch {
            throw IngestError(
                .store,
                Wording(
                    uz: "qo‘ng‘iroq kartalarini tekshirib bo‘lmadi", ru: "не удалось проверить карточки звонков",
                    en: "could not look up call cards"),
                source: name, cause: error)
        }
        let batch = reader.missedCalls(in: parsed, carded: carded, sourceName: name)
        let records = batch.rejects.map {
            QuarantineRecord(
                channel: .call, source: name, position: "line \($0.line)", reason: $0.reason, raw: $0.raw, at: now)
        }
        do {
            let quarantined = try await store.quarantine(records)
            let summary = try await store.enqueue(batch.callbacks, at: now)
            return Report(
                file: name, records: batch.records, callbacks: summary.added, alreadyKnown: summary.duplicates,
                quarantined: quarantined, hiddenNumbers: batch.hiddenNumbers, gotThroughLater: batch.gotThroughLater,
                withCallCard: batch.withCallCard, answered: batch.answered.map { ($0.phone, $0.at) },
                rejects: batch.rejects.map { Wording.located($0.line, $0.reason) })
        } catch {
            throw IngestError(.store, .couldNotStore(name), source: name, cause: error)
        }
    }
}
