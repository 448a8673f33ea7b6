/// The text a person reads in an HTML message, as plain text: HTML from a citizen is never shown as HTML.
///
/// Scripts, styles and comments are dropped with their content; block elements become line breaks; character
/// references are decoded; runs of white space collapse as a browser would collapse them.
enum HTMLText {
    static func plainText(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var newlines = 0  // line breaks owed before the next visible character (at most 2)
        var wroteAnything = false
        var index = 0

        func emit(_ scalar: Unicode.Scalar) {
            if wroteAnything {
                if newlines > 0 {
                    for _ in 0..<min(newlines, 2) { out.append("\n") }
                } else if pendingSpace {
                    out.append(" ")
                }
            }
            newlines = 0
            pendingSpace = false
            out.append(scalar)
            wroteAnything = true
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                if let (tag, closing, end) = readTag(scalars, from: index) {
                    index = end
                    if tag == "!--" {
                        index = skip(past: Array("-->".unicodeScalars), in: scalars, from: index)
                        continue
                    }
                    if !closing, skipped.contains(tag) {
                        index = skip(past: Array("</\(tag)".unicodeScalars), in: scalars, from: index, foldCase: true)
                        index = skip(past: [">"], in: scalars, from: index)
                        continue
                    }
                    if tag == "br" || tag == "tr" || tag == "li" || tag == "hr" {
                        newlines = max(newlines, 1)
                    } else if blocks.contains(tag) {
                        newlines = 2
                    } else if tag == "td" || tag == "th" {
                        pendingSpace = true
                    }
                    continue
                }
                emit(scalar)
                index += 1
            } else if scalar == "&" {
                let (decoded, end) = entity(scalars, from: index)
                index = end
                for part in decoded.unicodeScalars {
                    if part == "\u{A0}" { pendingSpace = true } else { emit(part) }
                }
            } else if scalar.properties.isWhitespace {
                pendingSpace = true
                index += 1
            } else {
                emit(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// Elements whose content is not text for a reader.
    static let skipped: Set<String> = ["script", "style", "head", "title", "noscript", "template"]
    static let blocks: Set<String> = [
        "p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre", "section",
        "article", "header", "footer", "address",
    ]

    /// The lower-case name of the tag starting at `start` (`!--` for a comment), whether it closes, and where it
    /// ends; nil when `<` does not start a tag (`a < b`), so it is shown as text.
    static func readTag(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Bool, Int)? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index...].starts(with: "!--".unicodeScalars) { return ("!--", false, index + 3) }
        var closing = false
        if scalars[index] == "/" {
            closing = true
            index += 1
        }
        guard index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "!" else {
            return nil
        }
        var name = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        // To the closing `>`, stepping over quoted attribute values, which may contain `>`.
        var quote: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                break
            }
        }
        return (name.lowercased(), closing, index)
    }

    static func skip(
        past marker: [Unicode.Scalar], in scalars: [Unicode.Scalar], from start: Int, foldCase: Bool = false
    ) -> Int {
        guard !marker.isEmpty else { return start }
        var index = start
        while index + marker.count <= scalars.count {
            var matches = true
            for offset in 0..<marker.count {
                var a = scalars[index + offset]
                if foldCase, ("A"..."Z").contains(a) { a = Unicode.Scalar(a.value + 32)! }
                if a != marker[offset] {
                    matches = false
                    break
                }
            }
            if matches { return index + marker.count }
            index += 1
        }
        return scalars.count
    }

    /// A character reference at `start` (`&amp;`, `&#1179;`, `&#x49B;`); an unknown one stays as written.
    static func entity(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Int) {
        var index = start + 1
        var name = ""
        while index < scalars.count, index - start <= 10, scalars[index] != ";",
            scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) || scalars[index] == "#"
        {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        let end = index < scalars.count && scalars[index] == ";" ? index + 1 : index
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            if let value, let scalar = Unicode.Scalar(value) { return (String(Character(scalar)), end) }
        } else if let known = named[name] {
            return (known, end)
        }
        return ("&", start + 1)
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "laquo": "«",
        "raquo": "»", "mdash": "—", "ndash": "–", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“",
        "rdquo": "”", "bdquo": "„", "copy": "©", "reg": "®", "trade": "™", "deg": "°", "numero": "№", "bull": "•",
        "middot": "·", "shy": "", "zwnj": "", "zwj": "",
    ]
}
