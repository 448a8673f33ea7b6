public import MurojaatCore

extension RoutingExplanation {
    /// Why the rules decided as they did, in each language. The stored `reason` is English (the JSON of `explain`
    /// and of the API keeps it); the explanation's figures are enough to say it again in Uzbek or Russian, so an
    /// appeal routed before this existed reads the same.
    public var reasonWording: Wording {
        let percent = String(Int((confidence * 100).rounded()))
        if outOfCompetence {
            let body = forwardTo ?? ""
            return Wording(
                uz: "Agentlik vakolatiga kirmaydi: \(body) ga yuborish kerak",
                ru: "Вне компетенции Агентства: направить в \(body)",
                en: "Outside the Agency's competence: forward to \(body)")
        }
        if !triage {
            let department = department ?? ""
            return Wording(
                uz: "\(department) bo‘limiga yo‘naltirildi (ballning \(percent)%)",
                ru: "Направлено в \(department) (\(percent)% баллов)",
                en: "Routed to \(department) with \(percent)% of the score")
        }
        guard let first = candidates.first else {
            return Wording(uz: "Hech bir qoida mos kelmadi", ru: "Ни одно правило не подошло", en: "No rule matched")
        }
        let score = Router.format(first.score)
        if candidates.count > 1, candidates[1].score == first.score {
            let (a, b) = (first.outcome, candidates[1].outcome)
            return Wording(
                uz: "\(a) va \(b) teng ball oldi (\(score))", ru: "\(a) и \(b) набрали поровну (\(score))",
                en: "Tie: \(a) and \(b) both scored \(score)")
        }
        if reason.hasPrefix("score ") {
            return Wording(
                uz: "\(first.outcome) uchun ball (\(score)) eng kam chegaradan past",
                ru: "Балл \(first.outcome) (\(score)) ниже минимального порога",
                en: "Score \(score) for \(first.outcome) is below the minimum")
        }
        return Wording(
            uz: "Ishonch yetarli emas: \(first.outcome) ballning \(percent)% ini oldi",
            ru: "Нет уверенности: у \(first.outcome) \(percent)% баллов",
            en: "Not sure: \(first.outcome) has \(percent)% of the score")
    }
}
