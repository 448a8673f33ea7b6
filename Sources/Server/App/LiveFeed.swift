import Foundation
import Hummingbird
import MurojaatCore
import ServiceLifecycle
import Store

/// What changed in the triage queue, for the operators' pages: the ids of the appeals now in triage, read at most
/// once per `interval` however many pages listen. It reads the store, not an in-process signal, so an appeal
/// registered by another instance on the same database shows too.
actor LiveFeed {
    let store: any AppealStore
    let interval: Duration
    private var triage: [Int64] = []
    private var readAt: ContinuousClock.Instant?

    init(store: any AppealStore, interval: Duration = .seconds(2)) {
        self.store = store
        self.interval = interval
    }

    /// The triage queue's appeal ids, at most `interval` old.
    func triageIDs() async throws -> [Int64] {
        let now = ContinuousClock.now
        if let readAt, now - readAt < interval { return triage }
        triage = try await store.appeals(AppealQuery(status: .triage, limit: 2000)).map(\.id)
        readAt = now
        return triage
    }
}

extension WebServer {
    /// `GET /events?topic=triage`: server-sent events. `event: triage` with `{"new": N}` whenever the number of
    /// appeals in triage that arrived after the page was opened changes; a comment every 15 s keeps proxies from
    /// closing the stream. A stream ends after 10 minutes (the browser reconnects by itself) or when the server
    /// shuts down, so it never holds a graceful stop.
    func events(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        guard Access.mayTriage(staff) else { throw Denied(status: .forbidden, reason: "live triage is for operators") }
        let feed = live
        let interval = feed.interval
        let since = request.uri.queryParameters["since"].flatMap { Int64($0) }
        let start = try await feed.triageIDs()
        let baseline = since ?? start.max() ?? 0
        let body = ResponseBody { writer in
            var last = -1
            var quietFor: Duration = .zero
            let deadline = ContinuousClock.now.advanced(by: .seconds(600))
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            while ContinuousClock.now < deadline, !Task.isCancelled, !Task.isShuttingDownGracefully {
                let fresh = try await feed.triageIDs().filter { $0 > baseline }.count
                if fresh != last {
                    last = fresh
                    quietFor = .zero
                    try await writer.write(ByteBuffer(string: "event: triage\ndata: {\"new\":\(fresh)}\n\n"))
                } else if quietFor >= .seconds(15) {
                    quietFor = .zero
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
                try? await Task.sleep(for: interval)
                quietFor += interval
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream", .cacheControl: "no-store",
                .init("X-Accel-Buffering")!: "no",
            ],
            body: body)
    }
}
