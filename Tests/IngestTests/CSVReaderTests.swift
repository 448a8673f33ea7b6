import Testing

@testable import Ingest

@Suite struct CSVReaderTests {
    static func records(_ text: String, delimiter: UInt8? = nil) -> [CSVRecord] {
        let bytes = Array(text.utf8)
        var reader = CSVReader(bytes: bytes, delimiter: delimiter ?? CSVReader.sniffDelimiter(bytes))
        var result: [CSVRecord] = []
        while let record = reader.next() { result.append(record) }
        return result
    }

    static func strings(_ record: CSVRecord) -> [String] {
        record.fields.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        ("call_id;started_at;summary\n", ";"),
        ("call_id,started_at,summary\n", ","),
        ("call_id\tstarted_at\tsummary\n", "\t"),
        ("\"a,b\";c;d\n", ";"),  // a comma inside quotes does not count
        ("call_id\n", ","),
        ("a,b;c,d\r\n", ","),
    ])
    func delimiterIsSniffedFromTheHeader(header: String, expected: String) {
        #expect(CSVReader.sniffDelimiter(Array(header.utf8)) == expected.utf8.first)
    }

    @Test func lineEndingsOfEveryKind() {
        let records = Self.records("a,b\r\n1,2\n3,4\r5,6")
        #expect(records.map(Self.strings) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(records.map(\.line) == [1, 2, 3, 4])
    }

    @Test func quotedFieldsKeepDelimitersQuotesAndLineBreaks() {
        let records = Self.records("a;b;c\r\n1;\"x; \"\"y\"\"\r\nz\";3\r\n4;5;6\r\n")
        #expect(records.map(Self.strings) == [["a", "b", "c"], ["1", "x; \"y\"\r\nz", "3"], ["4", "5", "6"]])
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(String(decoding: records[1].raw, as: UTF8.self) == "1;\"x; \"\"y\"\"\r\nz\";3")
    }

    @Test func textAroundQuotesIsReadAsPythonDoes() {
        #expect(
            Self.records("a,b\n5\" disk,\"Aka\" Toshkent\n").map(Self.strings) == [
                ["a", "b"], ["5\" disk", "Aka Toshkent"],
            ])
    }

    @Test func blankLinesAndPaddingAreSkipped() {
        let records = Self.records("a;b\n\n;;\n  \n1;2\n\n")
        #expect(records.map(Self.strings) == [["a", "b"], ["1", "2"]])
        #expect(records.map(\.line) == [1, 5])
    }

    @Test func anUnclosedQuoteCostsOneLine() {
        // The quote opened on line 2 pairs with nothing: the "" on line 4 is an escaped quote inside it.
        let records = Self.records("a;b\n1;\"open\n2;x\n3;\"\"\n")
        #expect(records.count == 4)
        #expect(records[1].problem == .unterminatedQuote)
        #expect(records[1].line == 2)
        #expect(String(decoding: records[1].raw, as: UTF8.self) == "1;\"open")
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(Self.strings(records[2]) == ["2", "x"])
        #expect(Self.strings(records[3]) == ["3", ""])
    }

    @Test func anEmptyInputHasNoRecords() {
        #expect(Self.records("").isEmpty)
        #expect(Self.records("\r\n\r\n").isEmpty)
    }

    @Test func lastRecordWithoutLineBreak() {
        #expect(Self.records("a,b\n1,").map(Self.strings) == [["a", "b"], ["1", ""]])
    }
}
