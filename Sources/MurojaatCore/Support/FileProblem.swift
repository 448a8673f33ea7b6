import Foundation

/// Why a file could not be read, in words a user acts on ("no such file"), not Foundation's error dump; the
/// system's own words (strerror) when the product has none of its own, the same in every language.
public func fileProblem(_ error: any Error) -> Wording {
    if let cocoa = error as? CocoaError {
        switch cocoa.code {
        case .fileReadNoSuchFile, .fileNoSuchFile:
            return Wording(uz: "bunday fayl yo‘q", ru: "нет такого файла", en: "no such file")
        case .fileReadNoPermission, .fileWriteNoPermission:
            return Wording(uz: "ruxsat yo‘q", ru: "нет доступа", en: "permission denied")
        case .fileReadInapplicableStringEncoding, .fileReadCorruptFile:
            return Wording(uz: "UTF-8 matni emas", ru: "не текст UTF-8", en: "not UTF-8 text")
        default: break
        }
        if let posix = cocoa.underlying as? POSIXError { return posixProblem(posix) }
    }
    if let posix = error as? POSIXError { return posixProblem(posix) }
    return Wording(verbatim: error.localizedDescription)
}

/// A folder given where a file is expected is a common slip (`ingest calls exports/`): said in words.
private func posixProblem(_ error: POSIXError) -> Wording {
    if error.code == .EISDIR {
        return Wording(uz: "bu fayl emas, papka", ru: "это папка, а не файл", en: "it is a folder")
    }
    return Wording(verbatim: String(cString: strerror(error.code.rawValue)))
}
