import Foundation
import MurojaatCore
import Testing

@Suite struct JSONWriterTests {
    /// What the writer produces must be read back by Foundation exactly, whatever the strings hold.
    @Test(arguments: [
        "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "control \u{1}\u{1F}", "Ўзбекистон қ ғ ҳ",
        "emoji 🙂 and oʻ", "slash / stays",
    ])
    func stringsRoundTrip(value: String) throws {
        var writer = JSONWriter()
        writer.object { w in
            w.field("value", value)
            w.field(text: value, "as a key")
            w.field("none", nil)
        }
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(writer.text.utf8)) as? [String: Any])
        #expect(object["value"] as? String == value)
        #expect(object[value] as? String == "as a key")
        #expect(object["none"] is NSNull)
    }

    @Test func numbersBoolsAndArrays() throws {
        var writer = JSONWriter()
        writer.array { w in
            w.number(Int64(0))
            w.number(Int64(-1_732_000_000_123))
            w.number(Int64.max)
            w.number(2.0)
            w.number(0.625)
            w.bool(true)
            w.strings(["a", "b"])
        }
        #expect(writer.text == "[0,-1732000000123,9223372036854775807,2,0.625,true,[\"a\",\"b\"]]")
    }
}
