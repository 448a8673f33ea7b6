import Testing

@testable import Mail

@Suite struct TidyTests {
    @Test func lineEndsBecomeLFAndTrailingBlanksGo() {
        #expect(MIMEParser.tidy("\r\n  Salom, \t\r\nmatn\r\rbu\n\n") == "Salom,\nmatn\n\nbu")
    }

    @Test func spacesInsideALineStay() {
        #expect(MIMEParser.tidy("a  b\tc") == "a  b\tc")
    }
}
