import Foundation

/// RFC 2047 encoded words, decoded one word at a time.
///
/// GMime 3.2 joins adjacent encoded words of one charset and encoding before decoding them, and a base64 word
/// that ends in padding (`...IA==?=`) then spoils the word after it: "танлов натижалари =?utf-8?B?...?=" lost its
/// last words. So a Subject that has encoded words is decoded here, each word on its own, as RFC 2047 says.
enum EncodedWords {
    static func decode(_ raw: String) -> String {
        let scalars = Array(raw.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingGap = String.UnicodeScalarView()  // white space after an encoded word, dropped if another follows
        var afterWord = false
        var index = 0
        while index < scalars.count {
            if scalars[index] == "=", index + 1 < scalars.count, scalars[index + 1] == "?",
                let (decoded, end) = word(scalars, from: index)
            {
                if !afterWord { out.append(contentsOf: pendingGap) }
                pendingGap.removeAll()
                out.append(contentsOf: decoded.unicodeScalars)
                afterWord = true
                index = end
                continue
            }
            let scalar = scalars[index]
            if scalar == "\r" || scalar == "\n" {
                index += 1
                continue
            }
            if scalar == " " || scalar == "\t" {
                pendingGap.append(" ")
            } else {
                out.append(contentsOf: pendingGap)
                pendingGap.removeAll()
                out.append(scalar)
                afterWord = false
            }
            index += 1
        }
        if !afterWord { out.append(contentsOf: pendingGap) }
        return String(out).trimmingCharacters(in: .whitespaces)
    }

    /// The encoded word starting at `start` (`=?charset?B|Q?text?=`), decoded, and where it ends.
    static func word(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var index = start + 2
        while index < scalars.count, parts.count < 3 {
            let scalar = scalars[index]
            if scalar == "?" {
                if parts.count == 2 {
                    guard index + 1 < scalars.count, scalars[index + 1] == "=" else { return nil }
                    parts.append(String(current))
                    index += 2
                    break
                }
                parts.append(String(current))
                current.removeAll()
            } else if scalar == " " || scalar == "\r" || scalar == "\n" {
                return nil
            } else {
                current.append(scalar)
            }
            index += 1
        }
        guard parts.count == 3 else { return nil }
        let charset = String(parts[0].split(separator: "*").first ?? "")
        let bytes: [UInt8]
        switch parts[1].uppercased() {
        case "B":
            var text = parts[2]
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text) else { return nil }
            bytes = Array(data)
        case "Q":
            bytes = quoted(parts[2])
        default:
            return nil
        }
        let lower = charset.lowercased()
        let text =
            lower == "utf-8" || lower == "utf8" || lower == "us-ascii"
            ? String(decoding: bytes, as: UTF8.self) : Charsets.decode(bytes, declared: charset).text
        return (text, index)
    }

    static func quoted(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "="), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
