/// The words of the pages in Uzbek (Latin) first, then Russian and English. A key missing in a language falls back
/// to Uzbek, so a page never shows a key.
enum Texts {
    static let languages = ["uz", "ru", "en"]

    static func table(_ language: String) -> [String: String] {
        let index = languages.firstIndex(of: language) ?? 0
        var table: [String: String] = [:]
        for (key, words) in entries { table[key] = words.indices.contains(index) ? words[index] : words[0] }
        return table
    }

    static let entries: [String: [String]] = [
        "app": ["Murojaat", "Murojaat", "Murojaat"],
        "sign_in": ["Tizimga kirish", "Вход в систему", "Sign in"],
        "login": ["Login", "Логин", "Login"],
        "password": ["Parol", "Пароль", "Password"],
        "sign_out": ["Chiqish", "Выйти", "Sign out"],
        "wrong_password": [
            "Login yoki parol noto‘g‘ri.", "Неверный логин или пароль.", "Wrong login or password.",
        ],
        "too_many": [
            "Urinishlar juda ko‘p. {s} soniyadan keyin qayta urinib ko‘ring.",
            "Слишком много попыток. Повторите через {s} с.", "Too many attempts. Try again in {s} s.",
        ],
        "triage": ["Saralash navbati", "Очередь сортировки", "Triage queue"],
        "queue": ["Bo‘lim navbati", "Очередь подразделения", "Department queue"],
        "all_departments": ["Barcha bo‘limlar", "Все подразделения", "All departments"],
        "tracking": ["Raqam", "Номер", "Number"],
        "channel": ["Kanal", "Канал", "Channel"],
        "received": ["Kelib tushgan", "Поступило", "Received"],
        "due": ["Muddat", "Срок", "Due"],
        "department": ["Bo‘lim", "Подразделение", "Department"],
        "status": ["Holat", "Статус", "Status"],
        "kind": ["Turi", "Вид", "Kind"],
        "sla": ["Muddat holati", "Состояние срока", "Deadline state"],
        "text": ["Murojaat matni", "Текст обращения", "Text of the appeal"],
        "subject": ["Mavzu", "Тема", "Subject"],
        "applicant": ["Murojaatchi", "Заявитель", "Applicant"],
        "history": ["Tarix", "История", "History"],
        "routing": ["Yo‘naltirish izohi", "Пояснение маршрутизации", "Routing explanation"],
        "suggested": ["Taklif etilgan bo‘limlar", "Предложенные подразделения", "Suggested departments"],
        "matched": ["Mos kelgan so‘zlar", "Совпавшие слова", "Matched words"],
        "actions": ["Amallar", "Действия", "Actions"],
        "assign": ["Bo‘limga biriktirish", "Назначить подразделению", "Assign to a department"],
        "co_executors": ["Hamijrochilar", "Соисполнители", "Co-executors"],
        "start": ["Ishni boshlash", "Начать работу", "Start work"],
        "answer": ["Javob berish", "Ответить", "Answer"],
        "answer_text": ["Javob matni", "Текст ответа", "Text of the answer"],
        "close_after": ["Javobdan so‘ng yopish", "Закрыть после ответа", "Close after the answer"],
        "interim": ["Oraliq javob", "Промежуточный ответ", "Interim answer"],
        "extend": ["Muddatni uzaytirish", "Продлить срок", "Extend the deadline"],
        "reason": ["Sabab", "Причина", "Reason"],
        "close": ["Yopish", "Закрыть", "Close"],
        "save": ["Saqlash", "Сохранить", "Save"],
        "nothing": ["Bu yerda hozircha hech narsa yo‘q.", "Здесь пока ничего нет.", "Nothing here yet."],
        "overdue": ["Muddati o‘tgan", "Просрочено", "Overdue"],
        "due_today": ["Bugun muddati", "Срок сегодня", "Due today"],
        "due_soon": ["Muddati yaqin", "Срок скоро", "Due soon"],
        "on_track": ["Muddatida", "В срок", "On track"],
        "no_due": ["Muddat yo‘q", "Без срока", "No deadline"],
        "urgent": ["Shoshilinch", "Срочно", "Urgent"],
        "actor": ["Kim", "Кто", "Who"],
        "when": ["Qachon", "Когда", "When"],
        "what": ["Nima", "Что", "What"],
        "why": ["Nega", "Почему", "Why"],
        "not_found": ["Topilmadi.", "Не найдено.", "Not found."],
        "forbidden": ["Bu amal sizga ruxsat etilmagan.", "Это действие вам не разрешено.", "You may not do this."],
        "csrf": [
            "Shakl eskirgan. Sahifani yangilab, qayta yuboring.",
            "Форма устарела. Обновите страницу и отправьте снова.",
            "The form has expired. Reload the page and send it again.",
        ],
        "refused": ["Rad etildi", "Отказано", "Refused"],
        "done": ["Bajarildi", "Выполнено", "Done"],
        "count": ["Jami", "Всего", "Total"],
        "keys_help": [
            "j/k: yurish, a: biriktirish, /: qidirish, ?: yordam",
            "j/k: перемещение, a: назначить, /: поиск, ?: помощь",
            "j/k: move, a: assign, /: search, ?: help",
        ],
        "language": ["Til", "Язык", "Language"],
        "working_days": ["ish kuni", "раб. дн.", "working days"],
    ]
}
