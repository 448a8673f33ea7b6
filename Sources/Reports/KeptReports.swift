public import Foundation
public import MurojaatCore
public import Store

/// The report of a day gone by is the one its recipients read that morning, kept when it was sent: built again
/// later, it would show each appeal's deadline, department and escalations as they are now.
extension DailyReportBuilder {
    /// The report of `day`: for a past day, the one kept when it was sent; otherwise (today, or a day no report
    /// was sent for) built now. Today's is always built, so the dashboard follows the day's work.
    public func report(for day: LocalDate, now: Date) async throws(StoreError) -> DailyReport {
        if day < LocalDate(now, in: calendar.zone), let kept = try await kept(day) { return kept }
        return try await build(for: day, generatedAt: now)
    }

    /// The report to send for `day`: the one kept for it when there is one (a second instance, or a retry after a
    /// crash, sends what was kept), else built now and kept.
    public func reportToSend(for day: LocalDate, now: Date) async throws(StoreError) -> DailyReport {
        if let kept = try await kept(day) { return kept }
        let report = try await build(for: day, generatedAt: now)
        let body: [UInt8]
        do {
            body = Array(try Self.encoder.encode(report))
        } catch {
            throw StoreError(.failed, "the daily report of \(day.iso) cannot be written as JSON: \(error)")
        }
        let kept = try await store.keepReport(KeptReport(date: day, keptAt: now, body: body))
        return Self.decode(kept.body) ?? report
    }

    private func kept(_ day: LocalDate) async throws(StoreError) -> DailyReport? {
        // One this version cannot read (written by a later one) is built again instead, and then says it was
        // built after its day: the reader is told, as before reports were kept.
        try await store.keptReport(for: day).flatMap { Self.decode($0.body) }
    }

    private static func decode(_ body: [UInt8]) -> DailyReport? {
        try? JSONDecoder().decode(DailyReport.self, from: Data(body))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
