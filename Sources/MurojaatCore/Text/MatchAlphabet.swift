/// The symbols text is reduced to for matching: one byte a symbol, so the rules automaton has a small alphabet.
///
/// `0` separates words; Latin letters (with q folded onto g), digits, and the Russian Cyrillic letters (with ё
/// folded onto е) follow. Uzbek Cyrillic never reaches this alphabet: it is written in Latin first.
public enum MatchAlphabet {
    public static let separator: UInt8 = 0
    /// Number of distinct symbols; the automaton's rows have this many columns.
    public static let count = 69

    static let latinBase: UInt8 = 1  // a...z -> 1...26
    static let digitBase: UInt8 = 27  // 0...9 -> 27...36
    static let cyrillicBase: UInt8 = 37  // а...я -> 37...68

    @inline(__always) static func latin(_ lower: UInt8) -> UInt8 {
        // q and g are one letter for matching: typed and OCR'd Uzbek swaps them ("huquglarini").
        lower == UInt8(ascii: "q") ? latinBase + (UInt8(ascii: "g") - UInt8(ascii: "a")) : latinBase + (lower - 97)
    }

    /// A readable spelling of symbols: for search words, repeat detection, tests and explanations.
    public static func spell<Symbols: Collection<UInt8>>(_ symbols: Symbols) -> String {
        // Written straight into the string's storage from a flat table of each symbol's UTF-8 (one or two bytes):
        // every registered appeal's words are spelled for search, and a table of arrays retained and released an
        // array for every symbol, which cost more than normalizing the text.
        spellings.withUnsafeBufferPointer { table in
            var length = 0
            for symbol in symbols { length &+= Int(table[Int(symbol)] >> 16) }
            return String(unsafeUninitializedCapacity: length) { out in
                var written = 0
                for symbol in symbols {
                    let entry = table[Int(symbol)]
                    out[written] = UInt8(truncatingIfNeeded: entry)
                    if entry >> 16 == 2 { out[written &+ 1] = UInt8(truncatingIfNeeded: entry >> 8) }
                    written &+= Int(entry >> 16)
                }
                return written
            }
        }
    }

    /// The UTF-8 of every byte as a symbol (a space, a Latin letter, a digit or a Cyrillic letter): the first byte
    /// in bits 0-7, the second in bits 8-15, the length in bits 16 and up.
    private static let spellings: [UInt32] = (0...255).map { value in
        let symbol = UInt8(value)
        let scalar: Unicode.Scalar
        switch symbol {
        case separator: scalar = " "
        case latinBase..<digitBase: scalar = Unicode.Scalar(symbol - latinBase + 97)
        case digitBase..<cyrillicBase: scalar = Unicode.Scalar(symbol - digitBase + 48)
        default: scalar = Unicode.Scalar(UInt32(symbol - cyrillicBase) + 0x430)!
        }
        let bytes = Array(String(scalar).utf8)
        precondition(bytes.count <= 2)
        return bytes.enumerated().reduce(UInt32(bytes.count) << 16) { $0 | UInt32($1.element) << (8 * $1.offset) }
    }
}
