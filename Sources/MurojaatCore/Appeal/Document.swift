/// A file that came with an appeal: the original message itself (kept as evidence), or an attachment.
///
/// Files are content-addressed by SHA-256, so the same scan sent twice is stored once. A file over a limit is
/// kept as metadata only, and ``note`` says why; the appeal is registered all the same.
public struct Document: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        /// The message or record exactly as received.
        case original
        case attachment
        /// A file the Agency attached to its answer.
        case answer
    }

    public var role: Role
    /// The file name the sender gave, if any.
    public var name: String?
    /// `application/pdf`, `message/rfc822`, ...
    public var contentType: String
    /// Bytes, whether or not the content is kept.
    public var size: Int
    /// SHA-256 of the content, hex.
    public var sha256: String
    /// The bytes; nil when a limit kept them out (see ``note``) or when read back without content.
    public var content: [UInt8]?
    /// Why the content is not kept, or what was odd about the file.
    public var note: String?
    /// Whether the store keeps the bytes (false: a limit kept them out, and only this description is kept).
    public var stored: Bool

    /// A size as people read it, the same in every language: "39 B", "12 KB", "1.5 MB".
    public static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return "\(bytes >> 10) KB" }
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// `stored` defaults to whether `content` is given.
    public init(
        role: Role, name: String?, contentType: String, size: Int, sha256: String, content: [UInt8]?,
        note: String? = nil, stored: Bool? = nil
    ) {
        self.role = role
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.content = content
        self.note = note
        self.stored = stored ?? (content != nil)
    }
}
