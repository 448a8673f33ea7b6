extension StringProtocol {
    /// The text on one line of at most `limit` characters, for a message or a listing: control characters (line
    /// breaks, NULs, terminal escapes of a binary file) become spaces, a CRLF one space, and a longer text ends
    /// in "…".
    public func oneLine(limit: Int) -> String {
        var flat = ""
        var previous: Unicode.Scalar = " "
        // Only the start is looked at: a quarantined file can be megabytes.
        for scalar in unicodeScalars.prefix(limit * 4) {
            defer { previous = scalar }
            if scalar == "\n" && previous == "\r" { continue }
            flat.unicodeScalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return flat.count > limit ? flat.prefix(limit - 1) + "…" : flat
    }
}
