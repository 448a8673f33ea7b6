import MurojaatCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("+998 90 123-45-67", "+998901234567"),
        ("+998901234567", "+998901234567"),
        ("998901234567", "+998901234567"),
        ("(90) 123 45 67", "+998901234567"),
        ("90 123 45 67", "+998901234567"),
        ("901234567", "+998901234567"),
        ("8 (90) 123-45-67", "+998901234567"),
        ("8-90-123-45-67", "+998901234567"),
        ("00998 90 123 45 67", "+998901234567"),
        ("8 10 998 90 123 45 67", "+998901234567"),
        ("(71) 202-33-55", "+998712023355"),
        ("712023355", "+998712023355"),
        ("99 812 34 56", "+998998123456"),
        ("+998 (99) 812-34-56", "+998998123456"),
        ("+7 916 123 45 67", "+79161234567"),
        ("+7 (916) 123-45-67", "+79161234567"),
        ("00 7 916 123 45 67", "+79161234567"),
        ("0079161234567", "+79161234567"),
        ("+90 532 123 45 67", "+905321234567"),
        ("0090 532 123 45 67", "+905321234567"),
        ("+82 10 1234 5678", "+821012345678"),
        ("+44 7911 123456", "+447911123456"),
        ("+49 151 23456789", "+4915123456789"),
        ("+992 93 123 4567", "+992931234567"),
        // Cyrillic-keyboard and word-processor punctuation: en and em dash, minus sign, no-break spaces.
        ("+998 90 123–45–67", "+998901234567"),
        ("+998\u{00A0}90\u{00A0}123\u{2014}45\u{2212}67", "+998901234567"),
        ("\u{202F}90\u{2009}123\u{2011}45\u{2011}67 ", "+998901234567"),
        ("＋998901234567", "+998901234567"),
    ])
    func readsTheWaysNumbersAreWritten(raw: String, e164: String) {
        #expect(PhoneNumber(raw)?.e164 == e164, "\(raw)")
        #expect(PhoneNumber(raw)?.description == e164)
    }

    @Test(arguments: [
        "", "   ", "+", "12345", "90 123 45", "90 123 45 678",  // too short, one digit too many
        "+998 90 123 45 6", "+998 90 123 45 678",  // a +998 number has exactly 9 national digits
        "+7 916 123 45 6",  // +7 has exactly 10
        "+1234567890123456",  // E.164 allows 15 digits at most
        "+0 123 456 789",  // no country code starts with 0
        "90 123 45 67 ext. 5", "tel. 901234567", "90l234567", "девяносто",  // letters
        "90 123+45 67", "++998901234567",  // a plus is only at the start
        "90 123 45 67, 91 765 43 21",  // two numbers
        "8 916 123 45 67",  // a Russian trunk prefix: which country is unknown
        "0901234567",
    ])
    func refusesWhatIsNotANumber(raw: String) {
        #expect(PhoneNumber(raw) == nil, "\(raw)")
    }

    @Test func nationalNumbersOfAnotherDefaultCountry() {
        #expect(PhoneNumber("916 123 45 67", defaultCountry: "7")?.e164 == "+79161234567")
        #expect(PhoneNumber("79161234567", defaultCountry: "7")?.e164 == "+79161234567")
        #expect(PhoneNumber("+998901234567", defaultCountry: "7")?.e164 == "+998901234567")
        #expect(PhoneNumber("901234567", defaultCountry: "x") == nil)
    }

    @Test func spellingsOfOneNumberAreEqual() {
        #expect(PhoneNumber("8 (90) 123-45-67") == PhoneNumber("+998901234567"))
        #expect(Set(["90 123 45 67", "998901234567", "0099890 1234567"].compactMap { PhoneNumber($0) }).count == 1)
    }
}
