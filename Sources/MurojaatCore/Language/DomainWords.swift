/// The words people read for the domain's codes, in the product's three languages: the web UI's pages and the
/// CLI's messages both take them from here, so a status is called the same everywhere.
extension Status {
    public var wording: Wording {
        switch self {
        case .received: Wording(uz: "Qabul qilindi", ru: "Получено", en: "Received")
        case .triage: Wording(uz: "Saralashda", ru: "На сортировке", en: "In triage")
        case .registered: Wording(uz: "Ro‘yxatga olindi", ru: "Зарегистрировано", en: "Registered")
        case .assigned: Wording(uz: "Ijrochiga berildi", ru: "Передано исполнителю", en: "Assigned")
        case .inProgress: Wording(uz: "Ko‘rib chiqilmoqda", ru: "На рассмотрении", en: "In progress")
        case .answered: Wording(uz: "Javob berildi", ru: "Дан ответ", en: "Answered")
        case .closed: Wording(uz: "Yopildi", ru: "Закрыто", en: "Closed")
        case .forwarded: Wording(uz: "Yuborildi", ru: "Перенаправлено", en: "Forwarded")
        case .leftWithoutConsideration:
            Wording(uz: "Ko‘rmasdan qoldirildi", ru: "Оставлено без рассмотрения", en: "Left without consideration")
        }
    }
}

extension StatusAction {
    /// The action as a verb, as in "cannot close an appeal that is ...".
    public var wording: Wording {
        switch self {
        case .sendToTriage: Wording(uz: "saralashga yuborish", ru: "отправить на сортировку", en: "send to triage")
        case .register: Wording(uz: "ro‘yxatga olish", ru: "зарегистрировать", en: "register")
        case .assign: Wording(uz: "ijrochiga berish", ru: "передать исполнителю", en: "assign")
        case .startWork: Wording(uz: "ko‘rib chiqishni boshlash", ru: "начать рассмотрение", en: "start work")
        case .answer: Wording(uz: "javob berish", ru: "дать ответ", en: "answer")
        case .close: Wording(uz: "yopish", ru: "закрыть", en: "close")
        case .forward: Wording(uz: "boshqa organga yuborish", ru: "перенаправить", en: "forward")
        case .leaveWithoutConsideration:
            Wording(uz: "ko‘rmasdan qoldirish", ru: "оставить без рассмотрения", en: "leave without consideration")
        case .reopen: Wording(uz: "qayta ochish", ru: "открыть заново", en: "reopen")
        case .joinDuplicate:
            Wording(uz: "dublikat sifatida birlashtirish", ru: "присоединить как дубликат", en: "join as a duplicate")
        }
    }
}

extension Kind {
    public var wording: Wording {
        switch self {
        case .ariza: Wording(uz: "Ariza", ru: "Заявление", en: "Application")
        case .taklif: Wording(uz: "Taklif", ru: "Предложение", en: "Proposal")
        case .shikoyat: Wording(uz: "Shikoyat", ru: "Жалоба", en: "Complaint")
        }
    }
}

extension Channel {
    public var wording: Wording {
        switch self {
        case .email: Wording(uz: "Elektron pochta", ru: "Эл. почта", en: "E-mail")
        case .call: Wording(uz: "Ishonch telefoni", ru: "Телефон доверия", en: "Trust line")
        case .virtualReception: Wording(uz: "Virtual qabulxona", ru: "Виртуальная приёмная", en: "Virtual Reception")
        case .ijro: Wording(verbatim: "Ijro.gov.uz")
        case .eXat: Wording(verbatim: "E-xat")
        case .webhook: Wording(uz: "Call-markaz tizimi", ru: "Система колл-центра", en: "Call-centre system")
        }
    }
}
