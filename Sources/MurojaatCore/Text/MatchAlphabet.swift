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
        // Through a table of each symbol's UTF-8: appending Unicode scalars to a String one by one cost two thirds
        // of the time of spelling an appeal's words, and every appeal's words are spelled for search.
        var spelled: [UInt8] = []
        spelled.reserveCapacity(symbols.count + symbols.count / 2)
        for symbol in symbols { spelled.append(contentsOf: spellings[Int(symbol)]) }
        return String(decoding: spelled, as: UTF8.self)
    }

    /// The UTF-8 of every byte as a symbol: a space, a Latin letter, a digit or a Cyrillic letter.
    private static let spellings: [[UInt8]] = (0...255).map { value in
        let symbol = UInt8(value)
        let scalar: Unicode.Scalar
        switch symbol {
        case separator: scalar = " "
        case latinBase..<digitBase: scalar = Unicode.Scalar(symbol - latinBase + 97)
        case digitBase..<cyrillicBase: scalar = Unicode.Scalar(symbol - digitBase + 48)
        default: scalar = Unicode.Scalar(UInt32(symbol - cyrillicBase) + 0x430)!
        }
        return Array(String(scalar).utf8)
    }
}
