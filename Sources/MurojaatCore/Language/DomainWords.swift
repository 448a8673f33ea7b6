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

extension AppealEvent.Kind {
    /// What happened, as a history line names it (an event that sets a status is named as the status); a kind this
    /// version does not know is shown as its code.
    public var wording: Wording {
        switch self {
        case .received: Status.received.wording
        case .routed: Wording(uz: "Yo‘naltirildi", ru: "Направлено", en: "Routed")
        case .sentToTriage: Wording(uz: "Saralashga yuborildi", ru: "Отправлено на сортировку", en: "Sent to triage")
        case .registered: Status.registered.wording
        case .assigned: Status.assigned.wording
        case .answered: Status.answered.wording
        case .closed: Status.closed.wording
        case .deadlineSet: Wording(uz: "Muddat belgilandi", ru: "Установлен срок", en: "Deadline set")
        case .followUp:
            Wording(uz: "Murojaatchi yana yozdi", ru: "Заявитель написал снова", en: "Applicant wrote again")
        case .repeatReceived:
            Wording(uz: "Takroriy murojaat keldi", ru: "Поступило повторное обращение", en: "Repeat received")
        case .escalated: Wording(uz: "Muddat bo‘yicha ogohlantirish", ru: "Напоминание о сроке", en: "Escalated")
        case .deadlineChanged: Wording(uz: "Muddat o‘zgardi", ru: "Срок изменён", en: "Deadline changed")
        case .extended: Wording(uz: "Muddat uzaytirildi", ru: "Срок продлён", en: "Deadline extended")
        case .needsStudy:
            Wording(uz: "Qo‘shimcha o‘rganish talab etiladi", ru: "Требует дополнительного изучения", en: "Needs study")
        case .forwarded: Wording(uz: "Boshqa organga yuborildi", ru: "Перенаправлено", en: "Forwarded")
        case .leftWithoutConsideration: Status.leftWithoutConsideration.wording
        case .interimAnswer: Wording(uz: "Oraliq javob", ru: "Промежуточный ответ", en: "Interim answer")
        case .reopened: Wording(uz: "Qayta ochildi", ru: "Открыто заново", en: "Reopened")
        case .joinedAsDuplicate:
            Wording(
                uz: "Dublikat sifatida birlashtirildi", ru: "Присоединено как дубликат", en: "Joined as a duplicate")
        case .duplicateJoined: Wording(uz: "Dublikat qo‘shildi", ru: "Присоединён дубликат", en: "Duplicate joined")
        case .linked: Wording(uz: "Bog‘landi", ru: "Связано", en: "Linked")
        case .workStarted: Wording(uz: "Ko‘rib chiqish boshlandi", ru: "Начато рассмотрение", en: "Work started")
        case .taskCreated: Wording(uz: "Topshiriq yaratildi", ru: "Создано поручение", en: "Task created")
        case .taskDone: Wording(uz: "Topshiriq bajarildi", ru: "Поручение выполнено", en: "Task done")
        case .tagged: Wording(uz: "Teglar o‘zgardi", ru: "Метки изменены", en: "Tags changed")
        default: Wording(verbatim: rawValue)
        }
    }
}

extension AppealEvent {
    /// Who acted, as a history names them: the software's own parts in words, a person by their login.
    public var actorWording: Wording {
        switch actor {
        case "system:router":
            Wording(uz: "Tizim: yo‘naltirish", ru: "Система: маршрутизация", en: "System: routing")
        case "system:tracker":
            Wording(uz: "Tizim: muddat nazorati", ru: "Система: контроль сроков", en: "System: deadline tracker")
        default: Wording(verbatim: actor)
        }
    }
}
