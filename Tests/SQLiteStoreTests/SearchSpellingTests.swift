import MurojaatCore
import Store
import Testing

/// The words indexed for search are the normalizer's spelling of name, subject and text, whichever way they are
/// spelled out: the index written before must still match what a query looks for.
@Suite struct SearchSpellingTests {
    static let texts: [(name: String?, subject: String?, text: String)] = [
        ("Fuqaro 12", "Pasport", "Rossiyada ish haqimni bermayapti, 3 oy bo'ldi."),
        (nil, nil, "Паспортимни олиб қўйишди, ёрдам беринг!"),
        ("Иванов Пётр", "Вопрос", "Прошу разъяснить порядок получения визы. Ёлка, щука."),
        (nil, "O‘zbekiston", "G'arbiy Koreyaga ishga borish tanlovi qachon? Huquglarini tiklang."),
        (nil, nil, ""),
        (nil, nil, "... !!! ---"),
        ("Ali", nil, "Mixed: паспорт va pasport, 998901234567 raqamim."),
    ]

    @Test(arguments: 0..<texts.count)
    func wordsAreTheNormalizersSpelling(of index: Int) {
        let (name, subject, text) = Self.texts[index]
        var normalizer = TextNormalizer()
        let words = SearchSpelling.words(&normalizer, name: name, subject: subject, text: text)
        var reference = TextNormalizer()
        let combined = [name, subject, text].compactMap { $0 }.joined(separator: "\n")
        #expect(words == reference.normalize(combined).spelled)
    }
}
