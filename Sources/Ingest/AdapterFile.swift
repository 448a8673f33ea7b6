import Foundation
import MurojaatCore
import Yams

/// Reading an adapter's file under `Rules/adapters/`: the text, then its top-level YAML mapping, with errors that
/// name the file. Each adapter then reads its own keys.
enum AdapterFile {
    static func text(of url: URL) throws(MappingError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw MappingError(file: url.path, message: "cannot read the file: \(fileProblem(error))")
        }
    }

    /// The top-level mapping; nil for an empty file, which leaves every default as it is.
    static func topMapping(_ yaml: String, file: String) throws(MappingError) -> Node.Mapping? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw MappingError(file: file, message: "not valid YAML: \(error)")
        }
        guard let root else { return nil }
        guard let top = root.mapping else { throw MappingError(file: file, at: root, "the file must be a mapping") }
        return top
    }
}
