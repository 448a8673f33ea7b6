import Foundation
import Hummingbird
import MurojaatCore
import Prometheus
import Store

/// `/metrics` in Prometheus's text format: what swift-metrics recorded in this process (requests by route and
/// status from Hummingbird's middleware, and whatever else the process bootstrapped into the same registry), plus
/// the queue gauges read from the store at scrape time. Open to loopback (a local Prometheus or agent) and to
/// control and admin accounts; a stranger gets 404.
struct ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let triage: Gauge
    let outboxPending: Gauge
    let outboxFailed: Gauge
    let quarantined: Gauge

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        triage = registry.makeGauge(name: "murojaat_triage_appeals", help: "Appeals waiting for an operator")
        outboxPending = registry.makeGauge(
            name: "murojaat_outbox_pending", help: "Notifications waiting to be sent (up to 10000 counted)")
        outboxFailed = registry.makeGauge(
            name: "murojaat_outbox_failed", help: "Notifications that failed for good (up to 10000 counted)")
        quarantined = registry.makeGauge(
            name: "murojaat_quarantine_open", help: "Quarantined records not yet resolved")
    }

    func scrape(store: any AppealStore) async throws -> [UInt8] {
        triage.set(Double(try await store.appeals(AppealQuery(status: .triage, limit: 10_000)).count))
        outboxPending.set(Double(try await store.outbox(state: .pending, limit: 10_000).count))
        outboxFailed.set(Double(try await store.outbox(state: .failed, limit: 10_000).count))
        quarantined.set(Double(try await store.counts().quarantined))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension WebServer {
    func metricsPage(_ request: Request, _ context: WebContext) async throws -> Response {
        // Through a proxy on the same host the peer is loopback too: such a request is the world's, not a local one.
        let local = !context.throughProxy && ["127.0.0.1", "::1", "local"].contains(context.peer)
        guard local || context.staff.map(Access.mayControl) == true else {
            throw Denied(status: .notFound, reason: "metrics are for loopback and control accounts")
        }
        let text = try await metrics.scrape(store: store)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }
}
