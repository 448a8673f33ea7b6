public import Foundation
public import MurojaatCore
import Yams

/// A field of a Virtual Reception export (FORMATS.md 3): the raw value is the JSON key.
public enum ReceptionField: String, Sendable, Hashable, CaseIterable {
    case number
    case receivedAt = "received_at"
    case fullName = "full_name"
    case phone, email, region, district, address, kind, topic, text, deadline, attachments

    /// The Uzbek column name the Reception's own export uses.
    public var uzbekName: String {
        switch self {
        case .number: "Murojaat raqami"
        case .receivedAt: "Kelib tushgan sana"
        case .fullName: "F.I.Sh."
        case .phone: "Telefon"
        case .email: "Elektron pochta"
        case .region: "Hudud"
        case .district: "Tuman"
        case .address: "Manzil"
        case .kind: "Murojaat turi"
        case .topic: "Mavzu"
        case .text: "Murojaat matni"
        case .deadline: "Ijro muddati"
        case .attachments: "Ilovalar"
        }
    }

    public static let required: [ReceptionField] = [.number, .receivedAt, .text]
}

/// Which column names and kind spellings of an export mean which field: `Rules/adapters/virtual-reception.yaml`.
/// The Uzbek column names and the English JSON keys always work.
public struct ReceptionMapping: Sendable, Hashable {
    private var fields: [String: ReceptionField] = [:]
    private var kinds: [String: Kind] = [:]

    public static let standard = ReceptionMapping()

    private init() {
        for field in ReceptionField.allCases {
            fields[CallCardMapping.fold(field.rawValue)] = field
            fields[CallCardMapping.fold(field.uzbekName)] = field
        }
        for kind in Kind.allCases { kinds[CallCardMapping.fold(kind.rawValue)] = kind }
    }

    public static func load(from url: URL) throws(MappingError) -> ReceptionMapping {
        try ReceptionMapping(yaml: try AdapterFile.text(of: url), file: url.path)
    }

    public init(yaml: String, file: String = "virtual-reception.yaml") throws(MappingError) {
        self.init()
        guard let top = try AdapterFile.topMapping(yaml, file: file) else { return }
        for (key, value) in top {
            switch key.string {
            case "columns":
                let known = ReceptionField.allCases.map(\.rawValue)
                for entry in try CallCardMapping.aliases(value, file: file, what: .column, known: known) {
                    guard let field = ReceptionField(rawValue: entry.name) else { continue }
                    let folded = CallCardMapping.fold(entry.alias)
                    if let other = fields[folded], other != field {
                        throw CallCardMapping.conflict(entry, other.rawValue, file: file)
                    }
                    fields[folded] = field
                }
            case "kinds":
                for entry in try CallCardMapping.aliases(
                    value, file: file, what: .kind, known: Kind.allCases.map(\.rawValue))
                {
                    guard let kind = Kind(rawValue: entry.name) else { continue }
                    kinds[CallCardMapping.fold(entry.alias)] = kind
                }
            default:
                throw AdapterFile.unknownKey(key, known: "columns, kinds", file: file)
            }
        }
    }

    public func field(named header: String) -> ReceptionField? { fields[CallCardMapping.fold(header)] }
    public func kind(named value: String) -> Kind? { kinds[CallCardMapping.fold(value)] }
}
