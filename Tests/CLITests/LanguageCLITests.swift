import Foundation
import MurojaatTesting
import Testing

/// The CLI speaks Uzbek first: with no language named (a server's `C.UTF-8`) its messages are Uzbek; Russian and
/// English when `MUROJAAT_LANG` or the locale asks. JSON output is the same in every language.
@Suite struct LanguageCLITests {
    static let uzbek = ["MUROJAAT_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"]
    static let russian = ["MUROJAAT_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ru_RU.UTF-8"]

    /// A tracking number whose check character does not match (checked below: the error says so).
    static let mistyped = "K7P4-9QXA"

    @Test func anErrorIsOneLineInTheLanguageOfTheRun() throws {
        let data = try TestFolders.temporary("language-cli")
        let uz = try Murojaat.run(["show", Self.mistyped], dataDir: data, environment: Self.uzbek)
        expectCleanFailure(uz, mentioning: "Xato:", "xato terilgan")
        // A store's refusal (no such account) is worded by the store, the same on SQLite and PostgreSQL.
        let user = try Murojaat.run(["user", "disable", "nobody"], dataDir: data, environment: Self.uzbek)
        expectCleanFailure(user, mentioning: "Xato:", "\"nobody\" foydalanuvchisi yo‘q")
        let policy = try Murojaat.run(
            ["deadline", "--received", "2025-03-18T10:00:00+05:00", "--kind", "ariza", "--policy", "nope"],
            dataDir: data, environment: Self.uzbek)
        expectCleanFailure(policy, mentioning: "Xato:", "\"nope\" degan muddat siyosati yo‘q")
        #expect(!uz.stderr.contains("mistyped"))
        let ru = try Murojaat.run(["show", Self.mistyped], dataDir: data, environment: Self.russian)
        expectCleanFailure(ru, mentioning: "Ошибка:", "набран с ошибкой")
        let en = try Murojaat.run(
            ["show", Self.mistyped], dataDir: data, environment: ["MUROJAAT_LANG": "en"])
        expectCleanFailure(en, mentioning: "Error:", "is mistyped")
    }

    @Test func aDeadlineIsExplainedInTheLanguageOfTheRun() throws {
        let data = try TestFolders.temporary("language-cli")
        let arguments = ["deadline", "--received", "2025-03-18T10:00:00+05:00", "--kind", "shikoyat"]
        let uz = try Murojaat.run(arguments, dataDir: data, environment: Self.uzbek)
        #expect(uz.stdout.contains("muddat 02.04.2025: qabul qilindi: seshanba, 18.03.2025; standard: 15 kun"))
        #expect(uz.stdout.contains("21.03.2025 Navro'z bayrami (hisobga kiradi)"), "\(uz.stdout)")
        let ru = try Murojaat.run(arguments, dataDir: data, environment: Self.russian)
        #expect(ru.stdout.contains("срок 02.04.2025: поступило: вт 18.03.2025; standard: 15 дн."), "\(ru.stdout)")
        // A due date on a weekend moves, and the weekend is named in the reader's words.
        let weekend = try Murojaat.run(
            ["deadline", "--received", "2026-04-02T10:00:00+05:00", "--kind", "taklif"], dataDir: data,
            environment: Self.uzbek)
        #expect(weekend.stdout.contains("02.05.2026 shanba: ish kuni emas"), "\(weekend.stdout)")
    }

    @Test func aDayOfWorkReadsInUzbek() throws {
        let data = try TestFolders.temporary("language-cli")
        let samples = TestFolders.repository.appendingPathComponent("deploy/samples")
        let evening = Self.uzbek.merging(["MUROJAAT_NOW": "2025-11-20T18:30:00+05:00", "MUROJAAT_USER": "op"]) { $1 }
        let ingest = try Murojaat.run(
            ["ingest", "calls", samples.appendingPathComponent("call-cards-2025-11-20.csv").path], dataDir: data,
            environment: evening)
        #expect(ingest.status == 0 && ingest.stdout.contains("ta yangi"), "\(ingest.stdout)\(ingest.stderr)")
        // The rows set aside say why in Uzbek, at import and in the quarantine; the JSON keeps the English.
        #expect(ingest.stdout.contains("karantin: 45-qator: call_id bo‘sh"), "\(ingest.stdout)")
        let quarantine = try Murojaat.run(["quarantine", "list"], dataDir: data, environment: evening)
        #expect(quarantine.stdout.contains("call_id bo‘sh") && quarantine.stdout.contains("sana va vaqt emas"))
        #expect(quarantine.stdout.contains("45-qator") && !quarantine.stdout.contains("line 45"))
        let russianQuarantine = try Murojaat.run(["quarantine", "list"], dataDir: data, environment: Self.russian)
        #expect(russianQuarantine.stdout.contains("call_id пуст"), "\(russianQuarantine.stdout)")
        let quarantineJSON = try Murojaat.run(["quarantine", "list", "--json"], dataDir: data, environment: evening)
        #expect(quarantineJSON.stdout.contains("call_id is empty") && !quarantineJSON.stdout.contains("bo‘sh"))
        #expect(try Murojaat.run(["route"], dataDir: data, environment: evening).status == 0)

        let list = try Murojaat.run(["list", "--department", "ABROAD"], dataDir: data, environment: evening)
        // A code as typed finds the same appeals; one the org chart does not know is said to be unknown.
        let typed = try Murojaat.run(["list", "--department", "abroad"], dataDir: data, environment: evening)
        #expect(typed.stdout == list.stdout && list.stdout.contains("ABROAD"), "\(typed.stdout)")
        let unknown = try Murojaat.run(["list", "--department", "ABRAOD"], dataDir: data, environment: evening)
        #expect(unknown.stdout.contains("org.yaml da \"ABRAOD\" bo‘limi ham yo‘q"), "\(unknown.stdout)")
        #expect(list.stdout.contains("RAQAM") && list.stdout.contains("MUDDAT") && !list.stdout.contains("TRACKING"))
        // JSON is for programs: the same keys and codes whatever the language.
        let json = try Murojaat.run(
            ["list", "--department", "ABROAD", "--limit", "1", "--json"], dataDir: data, environment: evening)
        let english = try Murojaat.run(
            ["list", "--department", "ABROAD", "--limit", "1", "--json"], dataDir: data,
            environment: ["MUROJAAT_NOW": "2025-11-20T18:30:00+05:00"])
        #expect(json.stdout == english.stdout)
        let appeals = try #require(json.json as? [[String: Any]])
        let tracking = try #require(appeals.first?["tracking"] as? String)

        // The history says what the software did in Uzbek too: the event, why, and how the due date was counted.
        let show = try Murojaat.run(["show", tracking], dataDir: data, environment: evening)
        #expect(show.stdout.contains("Ro‘yxatga olindi") && show.stdout.contains("bo‘limiga yo‘naltirildi"))
        #expect(show.stdout.contains("hisob: muddat ") && show.stdout.contains("yo‘naltirish qoidalari: "))
        #expect(!show.stdout.contains("routed to") && !show.stdout.contains("routing rules"), "\(show.stdout)")
        // Statuses in words: the header keeps the code `list --status` takes; the history names each once.
        #expect(show.stdout.contains("Ijrochiga berildi (assigned)"), "\(show.stdout)")
        #expect(!show.stdout.contains("→ registered") && !show.stdout.contains("Ro‘yxatga olindi → Ro‘yxatga olindi"))
        let russianShow = try Murojaat.run(["show", tracking], dataDir: data, environment: Self.russian)
        #expect(russianShow.stdout.contains("Направлено в ABROAD"), "\(russianShow.stdout)")
        // A matched word's field is named, not given as its code.
        #expect(show.stdout.contains("matnda, ") && !show.stdout.contains(" text "), "\(show.stdout)")
        #expect(russianShow.stdout.contains("в тексте, позиция "), "\(russianShow.stdout)")

        let extend = ["extend", tracking, "--reason", "ekspertiza", "--approved-by", "abroad-head"]
        let extended = try Murojaat.run(extend, dataDir: data, environment: evening)
        #expect(extended.status == 0 && extended.stdout.contains("muddat"), "\(extended.stderr)")
        let again = try Murojaat.run(extend, dataDir: data, environment: evening)
        expectCleanFailure(again, mentioning: "Xato:", "Rad etildi", "allaqachon uzaytirilgan", "bir marta")
        #expect(!again.stderr.contains("once"))
        let russian = try Murojaat.run(
            extend, dataDir: data, environment: Self.russian.merging(["MUROJAAT_USER": "op"]) { $1 })
        expectCleanFailure(russian, mentioning: "Ошибка:", "Отказано", "уже продлевался", "один раз")
    }
}
