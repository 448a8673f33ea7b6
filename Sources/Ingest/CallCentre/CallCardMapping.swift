public import Foundation
public import MurojaatCore
import Yams

/// A column of a call-card export, by its documented name (FORMATS.md, 2a).
public enum CallCardColumn: String, Sendable, Hashable, CaseIterable {
    case callID = "call_id"
    case startedAt = "started_at"
    case endedAt = "ended_at"
    case line
    case caller
    case `operator`
    case callerName = "caller_name"
    case region
    case country
    case language
    case topic
    case summary
    case outcome
    case callbackNumber = "callback_number"

    /// The columns a file cannot do without.
    public static let required: [CallCardColumn] = [.callID, .startedAt]

    /// The column's place in `allCases`, for tables indexed by column.
    var ordinal: Int {
        switch self {
        case .callID: 0
        case .startedAt: 1
        case .endedAt: 2
        case .line: 3
        case .caller: 4
        case .operator: 5
        case .callerName: 6
        case .region: 7
        case .country: 8
        case .language: 9
        case .topic: 10
        case .summary: 11
        case .outcome: 12
        case .callbackNumber: 13
        }
    }
}

/// How the column names and outcome values of one call-centre's export map to the documented ones, so a new
/// export layout is a change in `Rules/adapters/call-cards.yaml`, not in code.
///
/// Names are compared folded: case, spaces, `_`, `-`, `.` and apostrophes do not count, so `Call ID`, `call-id`
/// and `CALL_ID` are one name, and so are `qo'ng'iroq_id` and `qoʻngʻiroq id`. The documented names always work.
///
/// ```yaml
/// columns:
///   call_id: [CallID, "ID звонка", "qo'ng'iroq_id"]
/// outcomes:
///   consultation: [konsultatsiya, консультация]
/// slash_dates: day-first
/// ```
public struct CallCardMapping: Sendable, Hashable {
    private var columns: [String: CallCardColumn] = [:]
    private var outcomes: [String: Intake] = [:]
    /// How to read a date written with slashes (`20/11/2025 10:00`), which Excel writes under an Uzbek (day first)
    /// or a US (month first) locale; nil when the export's locale is not known, and such dates are refused rather
    /// than read the wrong way round.
    public private(set) var slashDates: SlashDates?

    /// The order of day and month in a date written with slashes.
    public enum SlashDates: String, Sendable, Hashable, CaseIterable {
        case dayFirst = "day-first"
        case monthFirst = "month-first"
    }

    /// The documented names only.
    public static let standard = CallCardMapping()

    private init() {
        for column in CallCardColumn.allCases { columns[Self.fold(column.rawValue)] = column }
        for intake in [Intake.appeal, .consultation, .callback] { outcomes[Self.fold(intake.rawValue)] = intake }
    }

    /// Reads a mapping file.
    ///
    /// - Throws: ``MappingError`` when the file cannot be read, is not YAML, names a column or outcome that does
    ///   not exist, or gives one alias to two columns; the error points at the line.
    public static func load(from url: URL) throws(MappingError) -> CallCardMapping {
        try CallCardMapping(yaml: try AdapterFile.text(of: url), file: url.path)
    }

    /// Reads a mapping from YAML text; `file` names it in errors.
    public init(yaml: String, file: String = "call-cards.yaml") throws(MappingError) {
        self.init()
        guard let top = try AdapterFile.topMapping(yaml, file: file) else { return }
        for (key, value) in top {
            switch key.string {
            case "columns":
                let known = CallCardColumn.allCases.map(\.rawValue)
                for entry in try Self.aliases(value, file: file, what: .column, known: known) {
                    guard let column = CallCardColumn(rawValue: entry.name) else { continue }
                    if let other = columns[Self.fold(entry.alias)], other != column {
                        throw Self.conflict(entry, other.rawValue, file: file)
                    }
                    columns[Self.fold(entry.alias)] = column
                }
            case "outcomes":
                let known = ["appeal", "consultation", "callback"]
                for entry in try Self.aliases(value, file: file, what: .outcome, known: known) {
                    guard let intake = Intake(rawValue: entry.name) else { continue }
                    if let other = outcomes[Self.fold(entry.alias)], other != intake {
                        throw Self.conflict(entry, other.rawValue, file: file)
                    }
                    outcomes[Self.fold(entry.alias)] = intake
                }
            case "slash_dates":
                guard let order = value.string.flatMap(SlashDates.init(rawValue:)) else {
                    throw MappingError(
                        file: file, at: value,
                        Wording(
                            uz: "slash_dates: day-first (20/11/2025) yoki month-first (11/20/2025) bo‘lishi kerak",
                            ru: "slash_dates: должно быть day-first (20/11/2025) или month-first (11/20/2025)",
                            en: "slash_dates must be day-first (20/11/2025) or month-first (11/20/2025)"))
                }
                slashDates = order
            default:
                throw AdapterFile.unknownKey(key, known: "columns, outcomes, slash_dates", file: file)
            }
        }
    }

    struct Alias {
        var name: String
        var alias: String
        var node: Node
    }

    /// What a section of aliases names: its key is the English word's plural (`columns`, `outcomes`, `kinds`).
    enum Aliased: String {
        case column, outcome, kind

        var words: Wording {
            switch self {
            case .column: Wording(uz: "ustun", ru: "столбец", en: "column")
            case .outcome: Wording(uz: "natija", ru: "исход", en: "outcome")
            case .kind: Wording(uz: "tur", ru: "вид", en: "kind")
            }
        }
    }

    /// Reads `name: [alias, ...]` pairs whose names are among `known`.
    static func aliases(
        _ node: Node, file: String, what: Aliased, known: [String]
    ) throws(MappingError) -> [Alias] {
        let section = "\(what.rawValue)s"
        guard let pairs = node.mapping else {
            throw MappingError(
                file: file, at: node,
                Wording(
                    uz: "\(section) bo‘limida har bir nomga muqobil nomlar ro‘yxati berilishi kerak",
                    ru: "в разделе \(section) каждому имени должен соответствовать список псевдонимов",
                    en: "the \(section) must map names to lists of aliases"))
        }
        var result: [Alias] = []
        for (key, value) in pairs {
            guard let name = key.string, known.contains(name) else {
                let (unknown, list) = (key.string ?? "?", known.joined(separator: ", "))
                throw MappingError(
                    file: file, at: key,
                    Wording(
                        uz: "noma’lum \(what.words.uz) \"\(unknown)\" (ma’lumlari: \(list))",
                        ru: "неизвестный \(what.words.ru) \"\(unknown)\" (известны: \(list))",
                        en: "unknown \(what.words.en) \"\(unknown)\" (known: \(list))"))
            }
            let items: [Node]
            if let sequence = value.sequence {
                items = Array(sequence)
            } else if value.scalar != nil {
                // A single alias may be written without brackets.
                items = [value]
            } else {
                throw MappingError(
                    file: file, at: value,
                    Wording(
                        uz: "\"\(name)\" ning muqobil nomlari nomlar ro‘yxati bo‘lishi kerak",
                        ru: "псевдонимы \"\(name)\" должны быть списком имён",
                        en: "the aliases of \"\(name)\" must be a list of names"))
            }
            for item in items {
                guard let alias = item.string, !fold(alias).isEmpty else {
                    throw MappingError(
                        file: file, at: item,
                        Wording(
                            uz: "\"\(name)\" ning muqobil nomi bo‘sh bo‘lmasligi kerak",
                            ru: "псевдоним \"\(name)\" должен быть непустым именем",
                            en: "an alias of \"\(name)\" must be a non-empty name"))
                }
                result.append(Alias(name: name, alias: alias, node: item))
            }
        }
        return result
    }

    static func conflict(_ entry: Alias, _ other: String, file: String) -> MappingError {
        let (alias, name) = (entry.alias, entry.name)
        return MappingError(
            file: file, at: entry.node,
            Wording(
                uz: "\"\(alias)\" nomi \"\(name)\" ning muqobil nomi bo‘la olmaydi: "
                    + "u allaqachon \"\(other)\" ni bildiradi",
                ru: "\"\(alias)\" не может быть псевдонимом \"\(name)\": это имя уже обозначает \"\(other)\"",
                en: "\"\(alias)\" cannot be an alias of \"\(name)\": it already names \"\(other)\""))
    }

    /// The documented column a header cell names, if any.
    public func column(named header: String) -> CallCardColumn? { columns[Self.fold(header)] }

    /// The intake an outcome value means, if any (an empty outcome is not decided here: it means `appeal`).
    public func intake(named value: String) -> Intake? { outcomes[Self.fold(value)] }

    /// Lower case without spaces, `_`, `-`, `.`, apostrophes or quotes; ё as е.
    static func fold(_ name: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in name.lowercased().unicodeScalars {
            switch scalar.value {
            case 0x20, 0x09, 0xA0, 0x5F, 0x2D, 0x2E, 0x27, 0x60, 0x22, 0xB4, 0x2BB, 0x2BC, 0x2B9, 0x2018, 0x2019,
                0xFEFF:
                continue
            case 0x451: result.append("е")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}

/// A mapping file that cannot be used, pointing at the place in it: `call-cards.yaml:12:5: unknown column "cal_id"`.
public struct MappingError: WordedError, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// What is wrong there, without the place.
    public var problem: Wording

    public init(file: String, line: Int? = nil, column: Int? = nil, message: Wording) {
        self.file = file
        self.line = line
        self.column = column
        problem = message
    }

    init(file: String, at node: Node, _ message: Wording) {
        self.init(file: file, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    /// The English problem, for logs.
    public var message: String { problem.en }

    /// `call-cards.yaml:12:5`.
    public var place: String {
        var place = file
        if let line { place += ":\(line)" }
        if let line, let column, line > 0 { place += ":\(column)" }
        return place
    }

    public var wording: Wording { Wording { "\(place): " + problem[$0] } }
    public var description: String { wording.en }
}
