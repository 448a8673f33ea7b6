public import Foundation

/// Folders that tests share: the repository's own `Rules/` (tests run against the shipped rules, not copies) and
/// fresh temporary directories that no two tests share.
public enum TestFolders {
    /// The repository root, found from this file's place in `Sources/MurojaatTesting/`.
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `Rules/` folder.
    public static var rules: URL { repository.appendingPathComponent("Rules") }

    /// A new empty directory under the system's temporary directory.
    public static func temporary(_ prefix: String = "murojaat") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// An instant written the way the sources write it: `2025-03-18T10:00:00+05:00`.
public func instant(_ iso: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: iso) else { preconditionFailure("bad instant \(iso)") }
    return date
}
