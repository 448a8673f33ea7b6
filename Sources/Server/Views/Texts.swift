import MurojaatCore

/// The words of the pages in Uzbek (Latin) first, then Russian and English. A key missing in a language falls back
/// to Uzbek, so a page never shows a key.
enum Texts {
    static let languages = Language.allCases.map(\.rawValue)

    static func table(_ language: String) -> [String: String] {
        tables[languages.firstIndex(of: language) ?? 0]
    }

    /// Built once: every page asks for its language's table.
    private static let tables: [[String: String]] = languages.indices.map { index in
        var table: [String: String] = [:]
        for (key, words) in entries.merging(codes, uniquingKeysWith: { first, _ in first }) {
            table[key] = words.indices.contains(index) ? words[index] : words[0]
        }
        return table
    }

    /// The words for the codes the store keeps (`status.in_progress`, `kind.ariza`, `channel.call`, `role.head`),
    /// so a page never shows a code where a person expects a word.
    static let codes: [String: [String]] = domainWords.merging(otherCodes) { first, _ in first }

    /// Statuses, kinds and channels are named by MurojaatCore, so the pages and the CLI say the same.
    private static let domainWords: [String: [String]] = {
        func words(_ wording: Wording) -> [String] { Language.allCases.map { wording[$0] } }
        var table: [String: [String]] = [:]
        for status in Status.allCases { table["status.\(status.rawValue)"] = words(status.wording) }
        for kind in Kind.allCases { table["kind.\(kind.rawValue)"] = words(kind.wording) }
        for channel in Channel.allCases { table["channel.\(channel.rawValue)"] = words(channel.wording) }
        return table
    }()

    private static let otherCodes: [String: [String]] = [
        "duplicate_of": [
            "Bu murojaat nusxasi (dublikat):", "Это копия (дубликат) обращения:", "This is a copy (duplicate) of:",
        ],
        "join_duplicate": ["Dublikatni birlashtirish", "Присоединить дубликат", "Join as duplicate"],
        "link_with": ["Bog‘liq murojaat:", "Связанное обращение:", "Related appeal:"],
        "link": ["Bog‘lash", "Связать", "Link"],
        "role.operator": ["Operator", "Оператор", "Operator"],
        "role.executor": ["Ijrochi", "Исполнитель", "Executor"],
        "role.head": ["Bo‘lim boshlig‘i", "Начальник отдела", "Head of department"],
        "role.control": ["Nazorat bo‘limi", "Отдел контроля", "Control department"],
        "role.admin": ["Administrator", "Администратор", "Administrator"],
        "document.original": ["asl xabar", "исходное сообщение", "original message"],
        "document.attachment": ["ilova", "вложение", "attachment"],
        "document.answer": ["javob ilovasi", "приложение к ответу", "attached to the answer"],
        "field.subject": ["mavzuda", "в теме", "in the subject"],
        "field.text": ["matnda", "в тексте", "in the text"],
    ]

    /// The word for a stored code (`name("status", "in_progress", in: words)`), or the code when none is known.
    static func name(_ group: String, _ code: String, in words: [String: String]) -> String {
        words["\(group).\(code)"] ?? code
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
        "no_page": ["Bunday sahifa yo‘q.", "Такой страницы нет.", "There is no such page."],
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
            "j/k: yurish, a: biriktirish, x: belgilash, Enter: ochish, /: qidirish, ?: yordam",
            "j/k: перемещение, a: назначить, x: отметить, Enter: открыть, /: поиск, ?: помощь",
            "j/k: move, a: assign, x: select, Enter: open, /: search, ?: help",
        ],
        "language": ["Til", "Язык", "Language"],
        "control": ["Nazorat", "Контроль", "Control"],
        "previous": ["Oldingi", "Назад", "Previous"],
        "pick": ["Tanlash", "Выбрать", "Select"],
        "bulk_assign": ["Belgilanganlarni biriktirish", "Назначить отмеченные", "Assign the selected"],
        "assigned_many": ["Biriktirildi", "Назначено", "Assigned"],
        "needs_study": ["O‘rganish talab etiladi (1 oy)", "Требует изучения (1 месяц)", "Needs study (1 month)"],
        "forward_body": ["Qaysi idoraga", "В какой орган", "To which body"],
        "mark_anonymous": ["Anonim deb belgilash", "Отметить как анонимное", "Mark as anonymous"],
        "ground": ["Asos", "Основание", "Ground"],
        "ground_anonymous": ["Anonim murojaat", "Анонимное обращение", "Anonymous"],
        "ground_false": ["Soxta ma’lumotlar", "Ложные данные", "False data"],
        "ground_authority": [
            "Vakolatni tasdiqlovchi hujjatsiz vakil", "Представитель без подтверждения полномочий",
            "Representative without proof of authority",
        ],
        "conclusion": ["Xulosa", "Заключение", "Conclusion"],
        "leave": ["Ko‘rmasdan qoldirish", "Оставить без рассмотрения", "Leave without consideration"],
        "reopen": ["Qayta ochish", "Открыть повторно", "Reopen"],
        "next": ["Keyingi", "Далее", "Next"],
        "rules": ["Qoidalarni sinash", "Проверка правил", "Try the rules"],
        "search": ["Qidiruv", "Поиск", "Search"],
        "search_hint": [
            "Raqam, telefon, ism yoki so‘z", "Номер, телефон, имя или слово", "Number, phone, name or word",
        ],
        "search_help": [
            "Murojaat raqami, telefon raqami, e-pochta, ism yoki matndagi so‘zlar bo‘yicha; lotin va kirill yozuvi farqsiz.",
            "По номеру обращения, телефону, e-mail, имени или словам текста; латиница и кириллица равнозначны.",
            "By tracking number, phone, e-mail, name or words of the text; Latin and Cyrillic spellings alike.",
        ],
        "nothing_found": ["Hech narsa topilmadi.", "Ничего не найдено.", "Nothing found."],
        "new_appeals": ["Yangi murojaatlar", "Новые обращения", "New appeals"],
        "choose": ["— tanlang —", "— выберите —", "— choose —"],
        "documents": ["Hujjatlar va ilovalar", "Документы и вложения", "Documents and attachments"],
        "other_fields": [
            "Manbadagi boshqa maydonlar", "Другие поля из источника", "Other fields from the source",
        ],
        "other_appeals": [
            "Murojaatchining boshqa murojaatlari", "Другие обращения заявителя", "The applicant's other appeals",
        ],
        "daily_report": ["Kunlik hisobot", "Ежедневный отчёт", "Daily report"],
        "date": ["Sana", "Дата", "Date"],
        "format": ["Format", "Формат", "Format"],
        "open": ["Ochish", "Открыть", "Open"],
        "overdue_by_department": [
            "Bo‘limlar bo‘yicha muddati o‘tganlar", "Просроченные по подразделениям", "Overdue by department",
        ],
        "open_count": ["Ko‘rib chiqilmoqda", "На рассмотрении", "Open"],
        "extended": ["Uzaytirilgan", "Продлено", "Extended"],
        "answered_yesterday": ["Kecha javob berilgan", "Отвечено вчера", "Answered yesterday"],
        "answered_late": ["Kechikib javob berilgan", "Отвечено с опозданием", "Answered late"],
        "escalations_today": ["Bugungi eskalatsiyalar", "Эскалации сегодня", "Today's escalations"],
        "step": ["Bosqich", "Ступень", "Step"],
        "intake": ["Kecha kelib tushganlar", "Поступило вчера", "Yesterday's intake"],
        "region": ["Viloyat", "Регион", "Region"],
        "country": ["Mamlakat", "Страна", "Country"],
        "decide": ["Qaror", "Решить", "Decide"],
        "policy": ["Muddat qoidasi", "Правило срока", "Deadline policy"],
        "confidence": ["Ishonch", "Уверенность", "Confidence"],
        "tags": ["Teglar", "Метки", "Tags"],
        "to_triage": ["Operator saralashiga", "На сортировку оператору", "To an operator's triage"],
        "forward": ["Boshqa idoraga yuborish", "Переслать в другой орган", "Forward to another body"],
        "working_days": ["ish kuni", "раб. дн.", "working days"],
        "quarantine": ["Karantin", "Карантин", "Quarantine"],
        "quarantine_help": [
            "Adapterlar o‘qiy olmagan yoki chetga olgan yozuvlar: xom ma’lumoti va sababi bilan saqlanadi, hech biri o‘chirilmaydi.",
            "Записи, которые адаптеры не смогли прочитать или отложили: хранятся с исходными данными и причиной, ничего не удаляется.",
            "Records the adapters could not read or set aside, kept with their raw bytes and the reason; none is dropped.",
        ],
        "quarantine_empty": [
            "Karantin bo‘sh: chetga olingan yozuv yo‘q.", "Карантин пуст: отложенных записей нет.",
            "The quarantine is empty: nothing was set aside.",
        ],
        "quarantine_show_all": [
            "Hal qilinganlarini ham ko‘rsatish", "Показать и разобранные", "Show the resolved ones too",
        ],
        "quarantine_open_only": ["Faqat ochiqlarini ko‘rsatish", "Только неразобранные", "Only the open ones"],
        "quarantine_open": ["Ochiq", "Не разобрано", "Open"],
        "newest": ["Eng yangilari", "Самые новые", "Newest"],
        "older": ["Eskiroqlari", "Более старые", "Older"],
        "record": ["Yozuv", "Запись", "Record"],
        "source": ["Manba", "Источник", "Source"],
        "position": ["O‘rni", "Место", "Position"],
        "source_key": ["Manba kaliti", "Ключ источника", "Source key"],
        "size": ["Hajmi", "Размер", "Size"],
        "raw": ["Xom ma’lumot", "Исходные данные", "Raw bytes"],
        "raw_download": [
            "Baytlarini o‘zgarishsiz yuklab olish", "Скачать байты без изменений", "Download the exact bytes",
        ],
        "raw_cut": [
            "Faqat birinchi 64 KB ko‘rsatilgan (jami {size}); to‘liq baytlarni yuklab oling.",
            "Показаны только первые 64 КБ (всего {size}); скачайте байты целиком.",
            "Only the first 64 KB are shown ({size} in all); download the bytes for the whole.",
        ],
        "resolved": ["Hal qilingan", "Разобрано", "Resolved"],
        "retry": ["Qayta o‘qish", "Прочитать снова", "Read again"],
        "quarantine_as_appeal": [
            "Bu murojaat (avtomatik javobga o‘xshasa ham)", "Это обращение (хотя похоже на автоответ)",
            "It is an appeal (though it looks like machine mail)",
        ],
        "retry_email_help": [
            "Xat qayta o‘qiladi va saralanadi. Avtomatik javob yoki yetkazib berish hisobotiga o‘xshasa-yu, aslida murojaat bo‘lsa, belgini qo‘ying.",
            "Письмо будет прочитано и разобрано снова. Если оно похоже на автоответ или отчёт о доставке, но это обращение, поставьте отметку.",
            "The message is read and sorted again. When it looks like an auto-reply or a delivery report but is an appeal, tick the box.",
        ],
        "retry_file_help": [
            "Butun fayl Rules/adapters dagi joriy moslama bilan qayta import qilinadi; avval kiritilgan qatorlar o‘tkazib yuboriladi.",
            "Весь файл будет импортирован снова по текущему описанию из Rules/adapters; уже загруженные строки пропускаются.",
            "The whole file is imported again with the current mapping in Rules/adapters; rows already in are skipped.",
        ],
        "retry_file_cli": [
            "Bu server fayl moslamasini yuklamagan: faylni `murojaat quarantine retry {id}` buyrug‘i bilan qayta o‘qing.",
            "Этот сервер не загрузил описание файла: прочитайте файл снова командой `murojaat quarantine retry {id}`.",
            "This server has not loaded the file's mapping: read the file again with `murojaat quarantine retry {id}`.",
        ],
        "retry_row_help": [
            "Bu {source} faylining bitta qatori: uni faylsiz o‘qib bo‘lmaydi. Faylni tuzatib, qayta import qiling (murojaat ingest); avval kiritilgan qatorlar o‘tkazib yuboriladi.",
            "Это одна строка файла {source}: без файла её не прочитать. Исправьте файл и импортируйте его снова (murojaat ingest); уже загруженные строки пропускаются.",
            "This is one row of {source}: it cannot be read without its file. Correct the file and import it again (murojaat ingest); rows already in are skipped.",
        ],
        "retry_routed": [
            "yo‘naltirilgach, u saralash navbatida yoki bo‘lim navbatida ko‘rinadi",
            "после маршрутизации оно появится в очереди сортировки или подразделения",
            "once routed, it shows in the triage queue or a department's queue",
        ],
        "staff": ["Xodimlar", "Сотрудники", "Staff"],
        "my_account": ["Mening hisobim", "Моя учётная запись", "My account"],
        "full_name": ["F.I.Sh.", "ФИО", "Full name"],
        "role": ["Rol", "Роль", "Role"],
        "state": ["Holati", "Состояние", "State"],
        "active": ["faol", "активен", "active"],
        "blocked": ["bloklangan", "отключён", "disabled"],
        "created": ["Qo‘shilgan", "Создан", "Created"],
        "add_account": ["Xodim qo‘shish", "Добавить сотрудника", "Add a member of staff"],
        "add": ["Qo‘shish", "Добавить", "Add"],
        "edit_account": ["Ma’lumotlar", "Данные", "Details"],
        "role_help": [
            "Ijrochi va bo‘lim boshlig‘iga bo‘lim tanlang; operator, nazorat va administrator bo‘limsiz ishlaydi.",
            "Исполнителю и начальнику отдела выберите отдел; оператор, контроль и администратор работают без отдела.",
            "Executors and heads need a department; operators, control and administrators work without one.",
        ],
        "no_department": ["— bo‘limsiz —", "— без отдела —", "— no department —"],
        "current_password": ["Joriy parol", "Текущий пароль", "Current password"],
        "new_password": ["Yangi parol", "Новый пароль", "New password"],
        "repeat_password": ["Yangi parol (yana bir bor)", "Новый пароль (ещё раз)", "New password again"],
        "change_password": ["Parolni o‘zgartirish", "Сменить пароль", "Change the password"],
        "password_help": [
            "Kamida 8 belgi. Boshqa brauzerlardagi seanslaringiz tugaydi, bu brauzerda ishlashda davom etasiz.",
            "Не менее 8 символов. Сеансы в других браузерах завершатся, в этом вы продолжите работу.",
            "At least 8 characters. Your sessions in other browsers end; you stay signed in here.",
        ],
        "set_password": ["Yangi parol berish", "Задать новый пароль", "Set a new password"],
        "set_password_help": [
            "Xodimning barcha seanslari tugaydi. Yangi parolni unga o‘zingiz yetkazing; u uni «Mening hisobim» sahifasida almashtira oladi.",
            "Все сеансы сотрудника завершатся. Сообщите ему новый пароль сами; он сможет сменить его на странице «Моя учётная запись».",
            "All the person's sessions end. Tell them the new password yourself; they can change it on the \u{201C}My account\u{201D} page.",
        ],
        "disable_account": ["Bloklash", "Отключить", "Disable"],
        "enable_account": ["Faollashtirish", "Включить", "Enable"],
        "disable_help": [
            "Bloklangan xodim kira olmaydi, seanslari va API tokenlari ishlamay qoladi. Hisob va uning tarixdagi nomi saqlanadi.",
            "Отключённый сотрудник не сможет войти, его сеансы и API-токены перестанут действовать. Учётная запись и его имя в истории сохраняются.",
            "A disabled account cannot sign in, and its sessions and API tokens stop working. The account and its name in the history stay.",
        ],
        "passwords_differ": [
            "Yangi parol ikki marta bir xil kiritilmadi", "Новый пароль введён по-разному",
            "The new password was typed differently twice",
        ],
        "wrong_current": ["Joriy parol noto‘g‘ri", "Текущий пароль неверен", "The current password is wrong"],
        "not_yourself": [
            "O‘z hisobingizni bloklab yoki rolini o‘zgartirib bo‘lmaydi: buni boshqa administrator qiladi",
            "Нельзя отключить свою учётную запись или сменить себе роль: это делает другой администратор",
            "You cannot disable your own account or change your own role: another administrator does that",
        ],
        "login_taken": ["Bunday login bor", "Такой логин уже есть", "This login is taken"],
        "done.added": ["Xodim qo‘shildi", "Сотрудник добавлен", "Account added"],
        "done.saved": ["Saqlandi", "Сохранено", "Saved"],
        "done.password": [
            "Parol o‘zgartirildi; boshqa seanslaringiz tugatildi", "Пароль изменён; другие ваши сеансы завершены",
            "Password changed; your other sessions ended",
        ],
        "done.reset": [
            "Yangi parol o‘rnatildi; xodimning seanslari tugatildi", "Новый пароль задан; сеансы сотрудника завершены",
            "New password set; the person's sessions ended",
        ],
        "done.disabled": [
            "Hisob bloklandi; seanslari tugatildi", "Учётная запись отключена; её сеансы завершены",
            "Account disabled; its sessions ended",
        ],
        "done.enabled": ["Hisob faollashtirildi", "Учётная запись включена", "Account enabled"],
    ]
}
