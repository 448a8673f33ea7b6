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
            let problem = fileProblem(error)
            throw MappingError(
                file: url.path,
                message: Wording(
                    uz: "faylni o‘qib bo‘lmadi: \(problem.uz)", ru: "не удалось прочитать файл: \(problem.ru)",
                    en: "cannot read the file: \(problem.en)"))
        }
    }

    /// The top-level mapping; nil for an empty file, which leaves every default as it is.
    static func topMapping(_ yaml: String, file: String) throws(MappingError) -> Node.Mapping? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw MappingError(
                file: file,
                message: Wording(
                    uz: "to‘g‘ri YAML emas: \(error)", ru: "некорректный YAML: \(error)", en: "not valid YAML: \(error)"
                ))
        }
        guard let root else { return nil }
        guard let top = root.mapping else {
            throw MappingError(
                file: file, at: root,
                Wording(
                    uz: "fayl YAML mapping (kalit: qiymat) bo‘lishi kerak",
                    ru: "файл должен быть отображением YAML (ключ: значение)", en: "the file must be a mapping"))
        }
        return top
    }

    /// `unknown key "trunk_lines" (known: trust_lines, ...)`: `known` lists the keys the file may have.
    static func unknownKey(_ key: Node, known: String, file: String) -> MappingError {
        let name = key.string ?? "?"
        return MappingError(
            file: file, at: key,
            Wording(
                uz: "noma’lum kalit \"\(name)\" (ma’lum kalitlar: \(known))",
                ru: "неизвестный ключ \"\(name)\" (известные ключи: \(known))",
                en: "unknown key \"\(name)\" (known: \(known))"))
    }
}
