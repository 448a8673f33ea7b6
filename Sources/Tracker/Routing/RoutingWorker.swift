public import Foundation
import MurojaatCore
public import Rules
public import Store

/// Drains the inbox: routes each draft with the rules and registers it, which starts the legal clock.
///
/// Confident decisions are registered and assigned; the rest go to triage for an operator; consultations answered
/// during the call are registered and closed at once; appeals outside the competence wait to be forwarded.
public struct RoutingWorker: Sendable {
    public let store: any AppealStore
    public var actor: String
    private var router: Router
    private var similarity = TextSimilarity()
    /// Spells each appeal's search words while routing, so the store's one writer does not (it was a tenth of its
    /// time).
    private var spelling = TextNormalizer()
    /// Deadlines by receipt day, kind and policy: `DeadlineBook.deadline(from:kind:policy:)` is a function of these
    /// alone, and a batch has a handful of combinations among thousands of appeals.
    private var deadlines: [DeadlineKey: (due: LocalDate, summary: String)] = [:]
    /// With the tracker's rules, each appeal is registered with its first check day and the applicant's
    /// acknowledgement; without them the first sweep finds the check day, and nobody is acknowledged.
    private let clock: DeadlineClock?
    private let notices: NoticeWriter?

    public init(
        store: any AppealStore, book: RuleBook, tracker: TrackerRules? = nil, actor: String = "system:router"
    ) {
        self.store = store
        self.actor = actor
        router = Router(book: book)
        clock = tracker.map { DeadlineClock(calendar: book.deadlines.calendar, ladder: $0.ladder) }
        notices = tracker.map { NoticeWriter(rules: $0, org: book.org, zone: book.deadlines.calendar.zone) }
    }

    /// What one drain did.
    public struct Summary: Sendable, Hashable {
        public var routed = 0
        public var triage = 0
        public var consultations = 0
        public var outOfCompetence = 0
        /// Replies quoting a tracking number, recorded on that appeal instead of becoming a new one.
        public var followUps = 0
        /// Callback tasks closed because a call card from the same number came in.
        public var callbacksClosed = 0
        /// Appeals linked to an earlier one from the same applicant with substantially the same text.
        public var repeats = 0
        public var total: Int { routed + triage + consultations + outOfCompetence + followUps }
        public init() {}
    }

    /// Routes and registers until the inbox has nothing pending. `now` is asked once per batch.
    ///
    /// One batch is being written while the next is routed, so routing (CPU) and the store (its writer) overlap.
    /// The claimed batch is leased, so a batch whose writing fails is claimed again after the lease; a failure is
    /// thrown once the batch before it has finished.
    public mutating func drain(
        batchSize: Int = 5000, lease: Duration = .seconds(300),
        now: @Sendable () -> Date
    ) async throws(StoreError) -> Summary {
        var summary = Summary()
        var contacts: [CallbackTasks.Contact] = []
        var writing: Task<Void, any Error>?
        func finishWriting() async throws(StoreError) {
            guard let task = writing else { return }
            writing = nil
            do { try await task.value } catch let error as StoreError { throw error } catch {
                throw StoreError(.failed, "could not register a batch", cause: error)
            }
        }
        var moment = now()
        var items = try await store.claimInbox(limit: batchSize, now: moment, lease: lease)
        while !items.isEmpty {
            var registrations: [Registration] = []
            registrations.reserveCapacity(items.count)
            var followUps: [FollowUp] = []
            var missing: Set<Int64> = []
            for item in items {
                guard let tracking = item.draft.followUpOf else { continue }
                if let appeal = try await store.appeal(tracking: tracking) {
                    followUps.append(followUp(item, on: appeal, now: moment))
                } else {
                    missing.insert(item.id)
                }
            }
            if !followUps.isEmpty {
                // Written before the batch's registrations; each follow-up closes its own inbox item with it.
                try await finishWriting()
                summary.followUps += try await store.recordFollowUps(followUps).count
            }
            let repeats = try await findRepeats(
                items.filter { $0.draft.followUpOf == nil || missing.contains($0.id) })
            for item in items where item.draft.followUpOf == nil || missing.contains(item.id) {
                let draft = item.draft
                if draft.channel == .call, draft.intake == .appeal || draft.intake == .consultation,
                    let phone = draft.applicant.phone
                {
                    contacts.append(
                        CallbackTasks.Contact(
                            phone: phone, at: draft.receivedAt,
                            what: Wording(
                                uz: "qo‘ng‘iroq kartasi \(draft.sourceKey)", ru: "карточка звонка \(draft.sourceKey)",
                                en: "call card \(draft.sourceKey)")))
                }
                var registration = self.registration(for: item, now: moment)
                if let earlier = repeats[item.id] {
                    registration.repeatOf = earlier.id
                    registration.tags.append("repeat")
                    if !registration.events.isEmpty {
                        registration.events[0].data["repeat_of"] = TrackingNumber(sequence: earlier.id).value
                    }
                    summary.repeats += 1
                }
                switch registration.status {
                case .triage: summary.triage += 1
                case .closed: summary.consultations += 1
                default:
                    if registration.forwardTo != nil { summary.outOfCompetence += 1 } else { summary.routed += 1 }
                }
                registrations.append(registration)
            }
            try await finishWriting()
            // The next batch is claimed before this one is written: the store's writer takes the claim first, and
            // routing the next batch then overlaps writing this one. If the claim fails, this batch is not written;
            // its lease runs out and it is claimed again.
            moment = now()
            items = try await store.claimInbox(limit: batchSize, now: moment, lease: lease)
            let store = self.store
            let batch = registrations
            writing = Task { _ = try await store.register(batch) }
        }
        try await finishWriting()
        // A caller who got through to an operator needs no callback: their open tasks are closed.
        summary.callbacksClosed = try await CallbackTasks(store: store, actor: actor).close(
            after: contacts, now: moment)
        return summary
    }

    /// How far back an earlier appeal counts for a repeat.
    public var repeatWindow: TimeInterval = 30 * 86_400

    /// For each appeal (not consultations or callback tasks) from a known phone or address, the latest earlier
    /// appeal of the same applicant, within ``repeatWindow``, with substantially the same text. One store query
    /// per batch; each text is normalized at most once.
    mutating func findRepeats(_ items: [InboxItem]) async throws(StoreError) -> [Int64: RecentAppeal] {
        let candidates = items.filter {
            $0.draft.intake == .appeal && ($0.draft.applicant.phone != nil || $0.draft.applicant.email != nil)
        }
        guard let earliest = candidates.map(\.draft.receivedAt).min() else { return [:] }
        let recent = try await store.recentAppeals(
            phones: candidates.compactMap(\.draft.applicant.phone),
            emails: candidates.compactMap(\.draft.applicant.email), since: earliest - repeatWindow, perApplicant: 5)
        if recent.isEmpty { return [:] }
        var byPhone: [String: [RecentAppeal]] = [:]
        var byEmail: [String: [RecentAppeal]] = [:]
        for appeal in recent {
            if let phone = appeal.phone { byPhone[phone, default: []].append(appeal) }
            if let email = appeal.email { byEmail[email, default: []].append(appeal) }
        }
        var words: [Int64: Set<Substring>] = [:]
        var found: [Int64: RecentAppeal] = [:]
        for item in candidates {
            let draft = item.draft
            var earlier =
                (draft.applicant.phone.flatMap { byPhone[$0] } ?? [])
                + (draft.applicant.email.flatMap { byEmail[$0] } ?? [])
            earlier = earlier.filter {
                $0.receivedAt <= draft.receivedAt && draft.receivedAt.timeIntervalSince($0.receivedAt) <= repeatWindow
            }
            if earlier.isEmpty { continue }
            let own = similarity.words(draft.text)
            for appeal in earlier.sorted(by: { $0.receivedAt > $1.receivedAt }) {
                if words[appeal.id] == nil { words[appeal.id] = similarity.words(appeal.text) }
                if similarity.isRepeat(own, words[appeal.id]!) {
                    found[item.id] = appeal
                    break
                }
            }
        }
        return found
    }

    /// The event that records a reply on the appeal it quotes: what the applicant wrote, and where it came from.
    func followUp(_ item: InboxItem, on appeal: Appeal, now: Date) -> FollowUp {
        let draft = item.draft
        var data: [String: String] = [
            "channel": draft.channel.rawValue, "source_key": draft.sourceKey, "text": draft.text,
        ]
        if let subject = draft.subject { data["subject"] = subject }
        if let email = draft.applicant.email { data["email"] = email }
        if let origin = draft.origin { data["origin"] = origin }
        return FollowUp(
            inboxID: item.id, appealID: appeal.id,
            event: AppealEvent(
                at: now, actor: actor, kind: .followUp,
                reason: Wording(
                    uz: "murojaatchi \(appeal.tracking.value) raqamini ko‘rsatib yana yozdi; yangi murojaat emas",
                    ru: "заявитель написал снова, указав номер \(appeal.tracking.value); это не новое обращение",
                    en: "the applicant wrote again quoting \(appeal.tracking.value); not a new appeal"),
                data: data))
    }

    /// The registration of one inbox item: the routing decision, the deadline, and the first events. Pure apart
    /// from the router's scratch buffers, so it is tested without a database.
    public mutating func registration(for item: InboxItem, now: Date) -> Registration {
        let draft = item.draft
        let book = router.book
        // Every registered appeal keeps its explanation, so it is written out once here.
        let decision = router.route(RoutingInput(draft)).explanation
        let kind = draft.intake == .missedCall ? draft.kind ?? .ariza : decision.kind
        let policyName = draft.intake == .callback || draft.intake == .missedCall ? "callback" : decision.policy
        var due: LocalDate?
        // Registration events keep their English only (see RegistrationWords); HistoryReading says them again.
        var deadlineText: String
        if let binding = draft.bindingDeadline {
            due = binding
            deadlineText = RegistrationWords.bindingDue(binding).en
        } else {
            do {
                let deadline = try self.deadline(from: draft.receivedAt, kind: kind, policy: policyName)
                due = deadline.due
                deadlineText = deadline.summary
            } catch {
                // An unknown policy is caught by `rules lint` and at load; if one slips through the appeal is still
                // registered, without a due date, and the event says why.
                deadlineText = "no deadline: \(error)"
            }
        }
        let registrationDay = book.deadlines.calendar.registrationDay(for: draft.receivedAt)

        var status = Status.received
        var events: [AppealEvent] = []
        func add(_ kind: AppealEvent.Kind, _ action: StatusAction, why: String?, data: [String: String] = [:]) {
            // The table in Status is the one authority on transitions; a refusal here is a programming error.
            guard let next = try? status.applying(action) else {
                preconditionFailure("router tried \(action.rawValue) from \(status.rawValue)")
            }
            status = next
            events.append(AppealEvent(at: now, actor: actor, kind: kind, why: why, data: data, status: next))
        }
        var registeredData: [String: String] = [
            "channel": draft.channel.rawValue, "source_key": draft.sourceKey, "kind": kind.rawValue,
            "policy": policyName, "registration_day": registrationDay.iso, "deadline": deadlineText,
        ]
        if let due { registeredData["due"] = due.iso }
        if let origin = draft.origin { registeredData["origin"] = origin }
        if let quoted = draft.followUpOf {
            // Reached only when no appeal has that number here: registered as new, with the number kept.
            registeredData["follow_up_of"] = "\(quoted.value) (no such appeal here)"
        }
        if decision.urgent { registeredData["urgent"] = "true" }

        var department = decision.department
        var forwardTo: String?
        switch draft.intake {
        case .consultation:
            add(.registered, .register, why: RegistrationWords.consultation.en, data: registeredData)
            add(.answered, .answer, why: draft.oralAnswer ?? draft.text, data: ["form": "oral"])
            add(.closed, .close, why: RegistrationWords.answeredOnTheSpot.en)
        case .missedCall:
            // The text is the software's own description of the call: nothing for the rules to read.
            department = nil
            add(.sentToTriage, .sendToTriage, why: RegistrationWords.missedCall.en, data: registeredData)
        case .appeal, .callback:
            if decision.triage {
                department = nil
                var data = registeredData
                data["candidates"] = decision.candidates.map { "\($0.outcome) \(Router.format($0.score))" }
                    .joined(separator: ", ")
                add(.sentToTriage, .sendToTriage, why: decision.reason, data: data)
            } else if decision.outOfCompetence {
                forwardTo = decision.forwardTo
                var data = registeredData
                data["forward_to"] = decision.forwardTo ?? ""
                add(.registered, .register, why: decision.reason, data: data)
            } else if let department {
                add(.registered, .register, why: decision.reason, data: registeredData)
                var data = ["department": department]
                if !decision.coExecutors.isEmpty { data["co_executors"] = decision.coExecutors.joined(separator: ",") }
                let rules = decision.rules.filter { $0.department == department }.map(\.id).joined(separator: ", ")
                add(
                    .assigned, .assign,
                    why: RegistrationWords.routingRules(rules).en, data: data)
            }
        }
        let routing = decision.jsonText
        var control = Appeal.Control(deadlineFrom: draft.bindingDeadline == nil && due != nil ? draft.receivedAt : nil)
        if status.isOpen, let due {
            let today = LocalDate(now, in: book.deadlines.calendar.zone)
            control.nextCheck = clock?.nextCheck(due: due, today: today, fired: []) ?? today
        }
        if draft.intake == .consultation {
            control.answeredAt = draft.receivedAt
            control.closedAt = draft.receivedAt
        }
        var acknowledge: (@Sendable (Appeal) -> [Notice])?
        if status == .assigned, draft.applicant.email != nil || decision.urgent, let notices {
            // The applicant's acknowledgement, and for an urgent appeal the department's alert.
            acknowledge = { appeal in
                [notices.toApplicant("acknowledgement", appeal, at: now), notices.urgent(appeal, at: now)]
                    .compactMap { $0 }
            }
        }
        return Registration(
            inboxID: item.id, draft: draft, kind: kind, status: status, department: department,
            coExecutors: department == nil ? [] : decision.coExecutors, urgent: decision.urgent, policy: policyName,
            due: due, registeredAt: now, language: decision.language.rawValue,
            tags: draft.intake == .missedCall ? ["missed-call"] : decision.tags,
            forwardTo: forwardTo, routing: routing, events: events, assignedBy: actor, control: control,
            notices: acknowledge,
            searchWords: SearchSpelling.words(
                &spelling, name: draft.applicant.name, subject: draft.subject, text: draft.text))
    }

    struct DeadlineKey: Hashable {
        var day: LocalDate
        var kind: Kind
        var policy: String
    }

    /// The due date and summary of `book.deadlines.deadline(from:kind:policy:)`, remembered by the day the moment
    /// falls on in the calendar's zone.
    mutating func deadline(
        from moment: Date, kind: Kind, policy: String
    ) throws(DeadlineError) -> (due: LocalDate, summary: String) {
        let book = router.book.deadlines
        let key = DeadlineKey(day: LocalDate(moment, in: book.calendar.zone), kind: kind, policy: policy)
        if let known = deadlines[key] { return known }
        let deadline = try book.deadline(from: moment, kind: kind, policy: policy)
        // Days go by: a long-running worker starts again rather than keep every day it has seen.
        if deadlines.count >= 4096 { deadlines.removeAll(keepingCapacity: true) }
        deadlines[key] = (deadline.due, deadline.summary)
        return (deadline.due, deadline.summary)
    }
}
