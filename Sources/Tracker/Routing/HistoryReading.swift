public import MurojaatCore
public import Rules
public import Store

/// The reasons the routing worker gives when it registers an appeal, in each language.
///
/// Registration is the bulk path (a call-centre export is hundreds of thousands of appeals), and keeping the
/// translations beside each of its events made it 7% slower; so these events keep the English only, as they always
/// did, and ``HistoryReading`` says them again from what the appeal keeps anyway.
enum RegistrationWords {
    static let consultation = Wording(
        uz: "og‘zaki murojaat, qo‘ng‘iroq paytida javob berildi", ru: "устное обращение, ответ дан во время звонка",
        en: "oral appeal answered during the call")
    static let answeredOnTheSpot = Wording(
        uz: "joyida javob berildi", ru: "ответ дан на месте", en: "answered on the spot")
    static let missedCall = Wording(
        uz: "ishonch telefoniga javobsiz qo‘ng‘iroq: qo‘ng‘iroq qilgan kishiga qayta qo‘ng‘iroq qiling",
        ru: "пропущенный звонок на телефон доверия: перезвоните звонившему",
        en: "a missed call to the trust line: call the caller back")

    static func routingRules(_ ids: String) -> Wording {
        Wording(uz: "yo‘naltirish qoidalari: \(ids)", ru: "правила маршрутизации: \(ids)", en: "routing rules \(ids)")
    }

    static func bindingDue(_ due: LocalDate) -> Wording {
        Wording(
            uz: "muddat \(due.dotted): manba belgilagan, majburiy",
            ru: "срок \(due.dotted): установлен источником, обязателен",
            en: "due \(due.dotted): set by the source and binding")
    }

    /// The English stays the router's own sentence; the other languages are said from the explanation's figures.
    static func routing(_ explanation: RoutingExplanation) -> Wording {
        let words = explanation.reasonWording
        return Wording(uz: words.uz, ru: words.ru, en: explanation.reason)
    }
}

/// An appeal's history read in a person's language. An event that carries its translations is read from them
/// (``AppealEvent/why(in:)``); one the routing worker wrote in English only is said again from the appeal's routing
/// explanation, its data and the deadline rules, and a translation is used only when its English is exactly what was
/// stored, so a history never says what was not written then. Anything else (a person's note, an event from a
/// version that knew no translations) reads as written.
public struct HistoryReading: Sendable {
    let appeal: Appeal
    let explanation: RoutingExplanation?
    let deadlines: DeadlineBook?

    /// `explanation` is the appeal's own (``RoutingExplanation/init(json:)`` of its `routing`), which the pages that
    /// read a history show beside it, so it is read once; `deadlines` are the rules in force, to say a
    /// registration's deadline again. Either nil leaves what it would say in English.
    public init(appeal: Appeal, explanation: RoutingExplanation?, deadlines: DeadlineBook?) {
        self.appeal = appeal
        self.explanation = explanation
        self.deadlines = deadlines
    }

    /// Why the event happened, in `language`.
    public func why(_ event: AppealEvent, in language: Language) -> String? {
        guard let why = event.why else { return nil }
        if language == .en || event.isWorded(.why) {
            return event.why(in: language)
        }
        var candidates = [
            RegistrationWords.consultation, RegistrationWords.answeredOnTheSpot, RegistrationWords.missedCall,
        ]
        if let explanation { candidates.append(RegistrationWords.routing(explanation)) }
        let rulesLead = "routing rules "
        if why.hasPrefix(rulesLead) {
            candidates.append(RegistrationWords.routingRules(String(why.dropFirst(rulesLead.count))))
        }
        return candidates.first { $0.en == why }?[language] ?? why
    }

    /// How the due date was counted, in `language`.
    public func deadline(_ event: AppealEvent, in language: Language) -> String? {
        guard let english = event.data[AppealEvent.WordedField.deadline.rawValue] else { return nil }
        if language == .en || event.isWorded(.deadline) {
            return event.deadline(in: language)
        }
        var candidates: [Wording] = []
        if let due = event.data["due"].flatMap(LocalDate.init) { candidates.append(RegistrationWords.bindingDue(due)) }
        if let deadlines, let kind = event.data["kind"].flatMap(Kind.init(rawValue:)),
            let policy = event.data["policy"],
            let computed = try? deadlines.deadline(from: appeal.receivedAt, kind: kind, policy: policy)
        {
            candidates.append(computed.summaryWording)
        }
        return candidates.first { $0.en == english }?[language] ?? english
    }
}
