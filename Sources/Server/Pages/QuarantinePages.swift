import Foundation
import Hummingbird
import Ingest
import Logging
import MurojaatCore
import Store

extension WebServer {
    /// Records on one page of the list; older ones are on the next pages.
    static let quarantinePage = 200
    /// Bytes of each record the list loads for its one-line preview (a whole file set aside can be megabytes).
    static let previewBytes = 160 * 8
    /// Raw bytes shown on a record's page; a whole file can be megabytes, and the download has them all.
    static let rawShown = 64 * 1024

    /// `GET /quarantine[?all=1]`: what the adapters set aside and is not resolved yet (with `all`, the resolved ones
    /// too, marked), newest first.
    func quarantinePage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        try Self.allowQuarantine(staff)
        let words = pages.words(context)
        let language = pages.language(context)
        let all = request.uri.queryParameters["all"] == "1"
        let before = request.uri.queryParameters["before"].flatMap { Int64($0) }
        let entries = try await store.quarantined(
            QuarantineQuery(
                includeResolved: all, limit: Self.quarantinePage, newestFirst: true, before: before,
                rawPrefix: Self.previewBytes))
        var values = pages.base(context, title: words["quarantine"]!, page: "quarantine")
        values["all"] = all
        values["count"] = try await store.counts().quarantined
        values["hasRows"] = !entries.isEmpty
        // Pages go by record number, so a record set aside meanwhile does not shift the next page.
        let filter = all ? "all=1&" : ""
        var paging: [String: String] = [:]
        if before != nil { paging["previous"] = "/quarantine" + (all ? "?all=1" : "") }
        if entries.count == Self.quarantinePage, let last = entries.last {
            paging["next"] = "/quarantine?\(filter)before=\(last.id)"
        }
        if !paging.isEmpty { values["paging"] = paging }
        values["rows"] = entries.map { entry -> [String: Any] in
            let record = entry.record
            return [
                "id": entry.id, "resolved": entry.resolved,
                "channel": Texts.name("channel", record.channel.rawValue, in: words), "source": record.source,
                "position": record.positionWording?[language] ?? "—", "at": pages.stamp(record.at),
                "reason": record.reason[language], "preview": Self.preview(record),
            ]
        }
        if let flash = Self.retryFlash(request, words: words, language: language) { values["flash"] = flash }
        return pages.render("quarantine", values)
    }

    /// `GET /quarantine/:id`: one record, every field, its raw bytes as text (escaped as every value is).
    func quarantineRecordPage(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        try Self.allowQuarantine(staff)
        let entry = try await quarantineEntry(context)
        return renderQuarantineRecord(entry, context, flash: nil)
    }

    func renderQuarantineRecord(
        _ entry: QuarantineEntry, _ context: WebContext, flash: [String: String]?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let words = pages.words(context)
        let record = entry.record
        let size = ByteCountFormatter.string(fromByteCount: Int64(record.raw.count), countStyle: .file)
        var facts: [String: Any] = [
            "id": entry.id, "resolved": entry.resolved,
            "channel": Texts.name("channel", record.channel.rawValue, in: words), "source": record.source,
            "position": record.positionWording?[pages.language(context)] ?? "—", "at": pages.stamp(record.at),
            "reason": record.reason[pages.language(context)], "size": "\(size) (\(record.raw.count) B)",
            // Read in its file's encoding, what cannot be read as U+FFFD: the download keeps every byte.
            "raw": record.rawText(bytes: Self.rawShown),
        ]
        if record.raw.count > Self.rawShown {
            facts["cut"] = words["raw_cut"]!.replacingOccurrences(of: "{size}", with: size)
        }
        if let key = record.sourceKey, !key.isEmpty { facts["sourceKey"] = key }
        switch QuarantineRetry.kind(of: record) {
        case .email:
            facts["mayRetry"] = true
            facts["isEmail"] = true
            facts["retryHelp"] = words["retry_email_help"]!
        case .callCardFile where callCards != nil, .receptionFile where reception != nil:
            facts["mayRetry"] = true
            facts["retryHelp"] = words["retry_file_help"]!
        case .callCardFile, .receptionFile:
            facts["retryHelp"] = words["retry_file_cli"]!.replacingOccurrences(of: "{id}", with: "\(entry.id)")
        case .oneRow:
            facts["retryHelp"] = words["retry_row_help"]!.replacingOccurrences(of: "{source}", with: record.source)
        }
        var values = pages.base(context, title: "\(words["quarantine"]!) #\(entry.id)", page: "quarantine-record")
        values["record"] = facts
        if let flash { values["flash"] = flash }
        return pages.render("quarantine_record", values, status: status)
    }

    /// `GET /quarantine/:id/raw`: the exact bytes, always as a download, never shown as a page of this site (a
    /// quarantined mail can be HTML written by anyone).
    func quarantineRaw(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        try Self.allowQuarantine(staff)
        let entry = try await quarantineEntry(context)
        let name = "quarantine-\(entry.id).\(Self.fileExtension(entry.record))"
        context.logger.info(
            "quarantine download", metadata: ["login": "\(staff.login)", "murojaat.quarantine.id": "\(entry.id)"])
        return Self.download(entry.record.raw, disposition: "attachment; filename=\"\(name)\"")
    }

    struct RetryForm: Decodable {
        var csrf: String?
        /// The "it is an appeal" box: present when ticked.
        var asAppeal: String?
    }

    /// `POST /quarantine/:id/retry`: the record read again through the same ``Ingest/QuarantineRetry`` as the CLI's.
    /// What went in goes back to the list with the outcome; a refusal shows on the record's page in the reader's
    /// language, as the tracker's refusals do on an appeal's page.
    func retryQuarantined(_ request: Request, _ context: WebContext) async throws -> Response {
        let staff = try signedIn(request, context)
        let form = try await Forms.decode(RetryForm.self, request)
        try Forms.check(form.csrf, context.session)
        try Self.allowQuarantine(staff)
        let entry = try await quarantineEntry(context)
        let asAppeal = form.asAppeal.map { !$0.isEmpty } ?? false
        let retry = QuarantineRetry(store: store, callCards: callCards, reception: reception)
        let outcome: QuarantineRetry.Outcome
        do {
            outcome = try await retry.retry(entry.id, asAppeal: asAppeal, now: now())
        } catch {
            context.logger.info(
                "quarantine retry refused",
                metadata: [
                    "login": "\(staff.login)", "murojaat.quarantine.id": "\(entry.id)",
                    "code": "\(error.code.rawValue)",
                ])
            let status: HTTPResponse.Status =
                switch error.code {
                case .noSuchRecord: .notFound
                case .store: .internalServerError
                default: .conflict
                }
            let fresh = try await store.quarantineEntry(id: entry.id) ?? entry
            return renderQuarantineRecord(
                fresh, context,
                flash: [
                    "kind": "error",
                    "text": "\(pages.words(context)["refused"]!): \(error.wording[pages.language(context)])",
                ],
                status: status)
        }
        context.logger.info(
            "quarantine retry",
            metadata: [
                "login": "\(staff.login)", "murojaat.quarantine.id": "\(entry.id)", "as_appeal": "\(asAppeal)",
            ])
        // The outcome travels as codes and counts, never as text, so a link cannot make the page say anything else.
        let query: String
        switch outcome {
        case .enqueued: query = "outcome=inbox"
        case .alreadyKnown: query = "outcome=known"
        case .fileImported(let rows, let added, let quarantined):
            query = "outcome=file&rows=\(rows)&added=\(added)&quarantined=\(quarantined)"
        }
        return Response.redirect(to: "/quarantine?retried=\(entry.id)&\(query)")
    }

    /// 403 unless the quarantine is this person's to see and retry (``Access/mayQuarantine(_:)``).
    static func allowQuarantine(_ staff: UserAccount) throws {
        guard Access.mayQuarantine(staff) else {
            throw Denied(status: .forbidden, reason: "the quarantine is for operators")
        }
    }

    /// The record a path names, or 404.
    func quarantineEntry(_ context: WebContext) async throws -> QuarantineEntry {
        let number = context.parameters.get("id") ?? ""
        let missing = Denied(status: .notFound, reason: "no quarantined record \(number)")
        // Two guards, not one with both conditions: that form (a typed-throws call inside `guard let ..., let`)
        // crashed the Swift 6 compiler's release build ("While splitting coroutine ... quarantineEntry").
        guard let id = Int64(number) else { throw missing }
        guard let entry = try await store.quarantineEntry(id: id) else { throw missing }
        return entry
    }

    /// The flash after a retry that went in, worded by the same ``Ingest/QuarantineRetry/Outcome`` as the CLI's.
    static func retryFlash(_ request: Request, words: [String: String], language: Language) -> [String: String]? {
        let query = request.uri.queryParameters
        guard let id = query["retried"].flatMap({ Int64($0) }) else { return nil }
        let count = { (name: Substring) in query[name].flatMap { Int($0) } ?? 0 }
        let outcome: QuarantineRetry.Outcome
        switch query["outcome"].map(String.init) {
        case "inbox": outcome = .enqueued
        case "known": outcome = .alreadyKnown
        case "file":
            outcome = .fileImported(rows: count("rows"), added: count("added"), quarantined: count("quarantined"))
        default: return nil
        }
        var text = outcome.wording(record: id)[language]
        if outcome == .enqueued { text += "; " + words["retry_routed"]! }
        return ["kind": "ok", "text": text]
    }

    /// One line of a record's raw bytes to recognise it by: read in its source's encoding, control characters as
    /// spaces.
    static func preview(_ record: QuarantineRecord, limit: Int = 160) -> String {
        // Only the start is decoded: a whole quarantined file can be megabytes.
        let text = record.rawText(bytes: limit * 8)
        let flat = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return PageKit.excerpt(
            flat.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "), limit)
    }

    /// The download's file name ending: what the bytes are, as far as the source says.
    static func fileExtension(_ record: QuarantineRecord) -> String {
        if [.email, .eXat].contains(record.channel) { return "eml" }
        let ending = (record.source as NSString).pathExtension.lowercased()
        return !ending.isEmpty && ending.count <= 5 && ending.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            ? ending : "bin"
    }
}
