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

    /// A readable spelling of symbols, for tests and explanations.
    public static func spell(_ symbols: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for symbol in symbols {
            switch symbol {
            case separator: scalars.append(" ")
            case latinBase..<digitBase: scalars.append(Unicode.Scalar(symbol - latinBase + 97))
            case digitBase..<cyrillicBase: scalars.append(Unicode.Scalar(symbol - digitBase + 48))
            default: scalars.append(Unicode.Scalar(UInt32(symbol - cyrillicBase) + 0x430)!)
            }
        }
        return String(scalars)
    }
}
