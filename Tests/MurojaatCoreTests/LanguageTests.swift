import Foundation
import MurojaatCore
import Testing

@Suite struct LanguageTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var environment: [String: String]
        var language: Language
        var testDescription: String { "\(environment) → \(language)" }
    }

    @Test(arguments: [
        // Nothing said, or a locale naming no language the product speaks (servers and containers): Uzbek.
        Case(environment: [:], language: .uz),
        Case(environment: ["LANG": "C.UTF-8"], language: .uz),
        Case(environment: ["LANG": "de_DE.UTF-8"], language: .uz),
        Case(environment: ["LANG": "ru_RU.UTF-8"], language: .ru),
        Case(environment: ["LANG": "en_US.UTF-8"], language: .en),
        Case(environment: ["LANG": "uz_UZ.UTF-8@latin"], language: .uz),
        // POSIX order: LC_ALL over LC_MESSAGES over LANG; the first one set decides, even when it names no
        // language the product speaks.
        Case(environment: ["LANG": "ru_RU.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"], language: .en),
        Case(environment: ["LANG": "ru_RU.UTF-8", "LC_ALL": "C"], language: .uz),
        Case(environment: ["LANG": "ru_RU.UTF-8", "LC_ALL": ""], language: .ru),
        // The product's own variable wins; one it cannot read is passed over.
        Case(environment: ["LANG": "en_US.UTF-8", "MUROJAAT_LANG": "ru"], language: .ru),
        Case(environment: ["LC_ALL": "ru_RU.UTF-8", "MUROJAAT_LANG": "uz"], language: .uz),
        Case(environment: ["LANG": "ru_RU.UTF-8", "MUROJAAT_LANG": "fr"], language: .ru),
    ])
    func aRunSpeaksTheLanguageItsEnvironmentNames(_ example: Case) {
        #expect(Language.preferred(in: example.environment) == example.language)
    }

    @Test func aRefusedTransitionIsWordedInEachLanguage() throws {
        let error = try #require(throws: TransitionError.self) { try Status.closed.applying(.close) }
        #expect(error.wording[.uz] == "«Yopildi» holatidagi murojaatni yopish mumkin emas (mumkin: qayta ochish)")
        #expect(error.wording[.ru] == "Нельзя закрыть обращение в статусе «Закрыто» (можно: открыть заново)")
        #expect(error.wording[.en] == "cannot close an appeal that is closed (allowed: reopen)")
        #expect(error.description == error.wording.en)
    }

    @Test func aMistypedTrackingNumberIsWordedInEachLanguage() throws {
        let good = TrackingNumber(sequence: 12345).value
        var characters = Array(good)
        let last = characters.count - 1
        characters[last] = characters[last] == "A" ? "B" : "A"
        let error = try #require(throws: TrackingNumberError.self) {
            try TrackingNumber(parsing: String(characters))
        }
        #expect(error.wording[.uz].contains("xato terilgan"))
        #expect(error.wording[.ru].contains("набран с ошибкой"))
        #expect(error.wording[.en].contains("is mistyped"))
    }

    @Test func everyStatusKindAndChannelHasDistinctWordsInEachLanguage() {
        for language in Language.allCases {
            let statuses = Set(Status.allCases.map { $0.wording[language] })
            #expect(statuses.count == Status.allCases.count, "\(language)")
            let actions = Set(StatusAction.allCases.map { $0.wording[language] })
            #expect(actions.count == StatusAction.allCases.count, "\(language)")
            #expect(Set(Kind.allCases.map { $0.wording[language] }).count == Kind.allCases.count, "\(language)")
        }
        // A translation left as the English word is a missed translation, except for names kept on purpose.
        for status in Status.allCases {
            #expect(status.wording.uz != status.wording.en && status.wording.ru != status.wording.en, "\(status)")
        }
    }

    @Test func anEventTheSoftwareWritesIsReadInEachLanguageAndAPersonsNoteAsWritten() {
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let reason = Wording(uz: "saralashdan ro‘yxatga olindi", ru: "зарегистрировано с сортировки", en: "registered")
        var data = ["department": "ABROAD"]
        AppealEvent.keep(
            Wording(uz: "muddat 02.04.2025", ru: "срок 02.04.2025", en: "due 02.04.2025"), as: .deadline, in: &data)
        let event = AppealEvent(at: at, actor: "system:router", kind: .registered, reason: reason, data: data)
        #expect(event.why == "registered")
        #expect(
            event.why(in: .uz) == reason.uz && event.why(in: .ru) == reason.ru && event.why(in: .en) == "registered")
        #expect(event.deadline(in: .ru) == "срок 02.04.2025" && event.data["deadline"] == "due 02.04.2025")
        #expect(Set(event.data.keys) == ["department", "deadline", "deadline_uz", "deadline_ru", "why_uz", "why_ru"])
        #expect(event.data.keys.filter(AppealEvent.isTranslation).count == 4)

        // Written by a person, or before events carried translations: every reader gets it as written.
        let note = AppealEvent(at: at, actor: "aziza", kind: .extended, why: "ekspert xulosasi so‘raldi")
        #expect(Language.allCases.allSatisfy { note.why(in: $0) == "ekspert xulosasi so‘raldi" })
        #expect(note.deadline(in: .uz) == nil)
        let verbatim = AppealEvent(at: at, actor: "x", kind: .answered, reason: Wording(verbatim: "Javob berildi"))
        #expect(verbatim.data.isEmpty && verbatim.why(in: .ru) == "Javob berildi")
    }

    @Test func eventKindsHaveWordsAndAnUnknownKindShowsItsCode() {
        for language in Language.allCases {
            let kinds: [AppealEvent.Kind] = [.registered, .sentToTriage, .deadlineChanged, .escalated, .tagged]
            #expect(Set(kinds.map { $0.wording[language] }).count == kinds.count)
        }
        #expect(AppealEvent.Kind.sentToTriage.wording.uz == "Saralashga yuborildi")
        #expect(AppealEvent.Kind(rawValue: "note").wording.ru == "note")
    }
}
