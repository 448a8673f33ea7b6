import MurojaatCore
import Testing

@Suite struct DocumentTests {
    @Test(arguments: [
        (0, "0 B"), (39, "39 B"), (1023, "1023 B"), (1024, "1 KB"), (1_048_575, "1023 KB"), (1_048_576, "1.0 MB"),
        (1_572_864, "1.5 MB"), (10_433_331, "9.9 MB"), (10_433_332, "10.0 MB"),
    ])
    func aSizeReadsInWholeUnits(bytes: Int, text: String) {
        #expect(Document.sizeText(bytes) == text)
    }
}

@Suite struct OneLineTests {
    @Test func controlCharactersBecomeSpacesAndALongTextEndsInAnEllipsis() {
        #expect("a\r\nb\nc\td\u{0}e\u{1B}[2J".oneLine(limit: 70) == "a b c d e [2J")
        #expect("pasportimni".oneLine(limit: 11) == "pasportimni")
        #expect("pasportimni".oneLine(limit: 8) == "pasport…")
    }
}
