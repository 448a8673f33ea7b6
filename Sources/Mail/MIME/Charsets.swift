import CGMime
import Foundation

/// Text bytes to a String, with the declared charset when it is right and a guess when it is not.
///
/// Mail from migrants' phones and old office programs is often mislabelled: windows-1251 sent as iso-8859-1 or
/// with no charset at all. So valid UTF-8 is taken as UTF-8 whatever the label says (Cyrillic in any 8-bit charset
/// is practically never valid UTF-8), a declared Cyrillic charset is believed, and anything else with many bytes in
/// the Cyrillic ranges is read as windows-1251 or koi8-r, whichever makes most letters lower case.
enum Charsets {
    /// Charsets believed when declared: converting with them never fails, so a wrong one would go unnoticed.
    static let cyrillic: Set<String> = [
        "windows-1251", "cp1251", "koi8-r", "koi8-u", "iso-8859-5", "cp866", "ibm866", "x-mac-cyrillic",
        "maccyrillic",
    ]

    struct Decoded {
        var text: String
        /// Set when the label was not used as given.
        var warning: String?
    }

    static func decode(_ bytes: [UInt8], declared: String?) -> Decoded {
        let label = declared?.lowercased().trimmingCharacters(in: .whitespaces)
        if bytes.allSatisfy({ $0 < 0x80 }) || isValidUTF8(bytes) {
            let text = String(decoding: bytes, as: UTF8.self)
            let said = label ?? "none"
            let fine = label == nil || label == "utf-8" || label == "utf8" || label == "us-ascii" || isASCII(bytes)
            return Decoded(text: text, warning: fine ? nil : "labelled \(said) but is UTF-8")
        }
        if let label, cyrillic.contains(label) || label.hasPrefix("windows-125") && label != "windows-1252",
            let text = convert(bytes, from: label)
        {
            return Decoded(text: text)
        }
        if let guess = guessCyrillic(bytes), let text = convert(bytes, from: guess) {
            return Decoded(text: text, warning: "labelled \(label ?? "without a charset") but reads as \(guess)")
        }
        if let label, let text = convert(bytes, from: label) { return Decoded(text: text) }
        let text = String(decoding: bytes, as: UTF8.self)
        return Decoded(text: text, warning: "charset \(label ?? "unknown") could not be converted; bytes replaced")
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// windows-1251 or koi8-r when most bytes above 0x7F are letters of one of them; nil when they are not Cyrillic.
    static func guessCyrillic(_ bytes: [UInt8]) -> String? {
        var high = 0
        var upperRange = 0  // 0xE0...0xFF: lower-case letters in windows-1251, upper-case in koi8-r
        var lowerRange = 0  // 0xC0...0xDF: the other way round
        for byte in bytes where byte >= 0x80 {
            high += 1
            if byte >= 0xE0 { upperRange += 1 } else if byte >= 0xC0 { lowerRange += 1 }
        }
        guard high >= 3, upperRange + lowerRange >= high * 3 / 4 else { return nil }
        // Running text is mostly lower case.
        return upperRange >= lowerRange ? "windows-1251" : "koi8-r"
    }

    /// Converts with iconv through GMime (which knows the aliases mailers use); nil when iconv cannot.
    static func convert(_ bytes: [UInt8], from charset: String) -> String? {
        precondition(GMimeLibrary.initialized)
        guard let name = g_mime_charset_iconv_name(charset) else { return nil }
        let converter = g_mime_iconv_open("UTF-8", name)
        // iconv_open returns (iconv_t)-1 on failure.
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        defer { g_mime_iconv_close(converter) }
        let converted: UnsafeMutablePointer<CChar>? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { g_mime_iconv_strndup(converter, $0.baseAddress, $0.count) }
        }
        guard let converted else { return nil }
        defer { g_free(converted) }
        return String(cString: converted)
    }
}
