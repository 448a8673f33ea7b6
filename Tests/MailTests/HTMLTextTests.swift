import Testing

@testable import Mail

@Suite struct HTMLTextTests {
    @Test func blocksBecomeLinesAndInlineTagsVanish() {
        let text = HTMLText.plainText("<p>Assalomu <b>alaykum</b>,</p><p>ish haqi<br>to&#8216;lanmadi</p>")
        #expect(text == "Assalomu alaykum,\n\nish haqi\nto‘lanmadi")
    }

    @Test func scriptsStylesAndCommentsAreDroppedWithTheirContent() {
        let html = """
            <html><head><title>t</title><style>p { color: red }</style></head>
            <body><!-- <p>hidden</p> --><script>alert("x")</script><p>Yordam bering</p></body></html>
            """
        #expect(HTMLText.plainText(html) == "Yordam bering")
    }

    @Test func entitiesAreDecodedAndUnknownOnesKept() {
        #expect(
            HTMLText.plainText("a &amp; b &laquo;c&raquo; &#x49B; &#1179; &bogus; x&nbsp;y")
                == "a & b «c» қ қ &bogus; x y")
    }

    @Test func aLessThanSignThatIsNotATagStays() {
        #expect(HTMLText.plainText("3 < 5 and 5 > 3") == "3 < 5 and 5 > 3")
    }

    @Test func attributeValuesMayContainAngleBrackets() {
        #expect(HTMLText.plainText(#"<a href="x>y" title='a>b'>havola</a> matn"#) == "havola matn")
    }

    @Test func tableCellsAreSeparatedAndWhitespaceCollapses() {
        let html = "<table><tr><td>Ism</td><td>Aziz</td></tr>\n\n   <tr><td>Tel</td><td>+998</td></tr></table>"
        #expect(HTMLText.plainText(html) == "Ism Aziz\nTel +998")
    }
}
