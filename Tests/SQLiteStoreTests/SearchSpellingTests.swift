import MurojaatCore
import Store
import Testing

/// The words indexed for search are the normalizer's symbols of name, subject and text, spelled as the alphabet
/// defines them: the index written before must still match what a query looks for.
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
        #expect(words == Self.spelledPlainly(reference.normalize(combined).symbols))
    }

    /// Symbols spelled a Unicode scalar at a time, as the alphabet defines them: separator, a-z, 0-9, а-я.
    static func spelledPlainly(_ symbols: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for symbol in symbols {
            switch symbol {
            case 0: scalars.append(" ")
            case 1..<27: scalars.append(Unicode.Scalar(symbol - 1 + 97))
            case 27..<37: scalars.append(Unicode.Scalar(symbol - 27 + 48))
            default: scalars.append(Unicode.Scalar(UInt32(symbol - 37) + 0x430)!)
            }
        }
        return String(scalars)
    }
}
