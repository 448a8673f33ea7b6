public import MurojaatCore

/// The fields an adapter keeps on an appeal beside the documented ones (`Appeal.extra`), as a person reads them:
/// what the call centre's operator wrote down, the PBX's ids, an export's own columns.
///
/// The adapters name the fields they fill themselves; an export's columns that nothing maps keep their header as
/// their name, which is the file's own word for them and is shown as it is.
public enum ExtraFields {
    /// The fields in the order to show them: the named ones in the adapters' order, then the export's own
    /// columns by name; each with its label in `language`.
    public static func listed(_ extra: [String: String], in language: Language) -> [(label: String, value: String)] {
        let named = known.compactMap { key, wording in extra[key].map { (wording[language], shown(key, $0)) } }
        let own = extra.filter { label($0.key) == nil }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return named + own
    }

    /// A value as a person reads it: a call's end, kept as ISO 8601 with its offset for programs, on the clock of
    /// that offset as the other times of an appeal are shown (`20.11.2025 09:42:53`).
    static func shown(_ key: String, _ value: String) -> String {
        guard key == "ended_at" else { return value }
        let bytes = Array(value.utf8)
        // 2025-11-20T09:42:53+05:00
        guard bytes.count == 25, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
            bytes[16] == 0x3A
        else { return value }
        func part(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        return "\(part(8..<10)).\(part(5..<7)).\(part(0..<4)) \(part(11..<19))"
    }

    /// The label of a field an adapter fills, or nil for an export's own column.
    static func label(_ key: String) -> Wording? { known.first { $0.key == key }?.value }

    /// Every field the adapters fill, in the order ``listed(_:in:)`` shows them.
    static let known: KeyValuePairs<String, Wording> = [
        // Call cards.
        "line": Wording(uz: "terilgan liniya", ru: "набранная линия", en: "line dialled"),
        "operator": Wording(uz: "operator", ru: "оператор", en: "operator"),
        "topic": Wording(uz: "operator yozgan mavzu", ru: "тема от оператора", en: "operator's topic"),
        "ended_at": Wording(uz: "qo‘ng‘iroq tugadi", ru: "звонок окончен", en: "call ended"),
        "caller": Wording(
            uz: "qo‘ng‘iroq qilgan raqam (o‘qilmadi)", ru: "номер звонившего (не распознан)",
            en: "caller's number (unreadable)"),
        "callback_number": Wording(
            uz: "qayta qo‘ng‘iroq raqami", ru: "номер для обратного звонка", en: "number to call back"),
        // Missed calls (the PBX's records).
        "missed_calls": Wording(uz: "javobsiz qo‘ng‘iroqlar", ru: "пропущенные звонки", en: "missed calls"),
        "dispositions": Wording(uz: "qo‘ng‘iroqlar natijasi", ru: "исходы звонков", en: "call outcomes"),
        "uniqueids": Wording(
            uz: "ATS qo‘ng‘iroq identifikatorlari", ru: "идентификаторы звонков АТС", en: "PBX call ids"),
        // Virtual Reception exports.
        "district": Wording(uz: "tuman", ru: "район", en: "district"),
        "attachments": Wording(uz: "ilova fayllar", ru: "вложения", en: "attachments"),
        // E-mail.
        "in_reply_to": Wording(uz: "javob berilgan xat", ru: "ответ на письмо", en: "in reply to"),
        "quoted_lines": Wording(
            uz: "iqtibos qatorlari (asl xabarda)", ru: "строк цитаты (в исходном сообщении)",
            en: "quoted lines (in the original message)"),
        "text_from": Wording(uz: "matn olingan qism", ru: "текст взят из", en: "text taken from"),
        "mime_warnings": Wording(
            uz: "xatni o‘qishdagi ogohlantirishlar", ru: "предупреждения при разборе письма",
            en: "warnings reading the mail"),
    ]
}
