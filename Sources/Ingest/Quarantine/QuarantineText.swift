public import Store

extension QuarantineRecord {
    /// The record's bytes as text a person can read, in the encoding its source was read in: a row of a
    /// windows-1251 or UTF-16 export keeps its file's bytes, and read as UTF-8 it would be question marks.
    ///
    /// - Parameter bytes: how many leading bytes to read, for a preview of a record that may be a whole file.
    public func rawText(bytes: Int = .max) -> String {
        TextDecoding.readable(raw.prefix(bytes))
    }
}
