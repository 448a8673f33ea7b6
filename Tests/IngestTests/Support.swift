import Foundation
import Ingest
import MurojaatCore
import MurojaatTesting

enum Fixture {
    static func url(_ name: String) -> URL {
        let base = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
            preconditionFailure("no fixture \(name)")
        }
        return url
    }

    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    /// The shipped mapping from `Rules/adapters/call-cards.yaml`: tests read the real file, not a copy.
    static func shippedMapping() throws -> CallCardMapping {
        try CallCardMapping.load(from: TestFolders.rules.appendingPathComponent("adapters/call-cards.yaml"))
    }

    static func reader() throws -> CallCardReader {
        CallCardReader(mapping: try shippedMapping(), defaultZone: WorkingCalendar.tashkent)
    }
}
