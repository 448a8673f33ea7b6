import MurojaatCore
import Testing

@Suite struct TextSimilarityTests {
    /// Mutating calls inside `#expect` do not compile, so the verdict is taken first.
    func repeats(_ first: String, _ second: String) -> Bool {
        var similarity = TextSimilarity()
        return similarity.isRepeat(first, second)
    }

    @Test func theSameComplaintInTheOtherScriptIsARepeat() {
        let verdict = repeats(
            "Ish beruvchi uch oydan beri ish haqimni bermayapti va pasportimni olib qo'ygan",
            "Иш берувчи уч ойдан бери иш ҳақимни бермаяпти ва паспортимни олиб қўйган")
        #expect(verdict)
    }

    @Test func aSentenceAddedStillReadsAsTheSame() {
        let first = "Koreyaga ishga borish uchun tanlov qachon bo'lishini bilmoqchiman"
        let verdict = repeats(first, first + ". Iltimos, tezroq javob bering, oilam kutmoqda.")
        #expect(verdict)
    }

    @Test func differentMattersAndShortTextsAreNot() {
        let different = repeats(
            "Koreyaga ishga borish uchun tanlov qachon bo'lishini bilmoqchiman",
            "Sug'urta pulini qaytarib olish tartibini tushuntirib bering")
        #expect(!different)
        let short = repeats("Yordam bering", "Yordam bering")
        #expect(!short)
    }
}
