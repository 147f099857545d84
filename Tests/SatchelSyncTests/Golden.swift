import Foundation
import Testing
@testable import SatchelSync

/// Golden files under Tests/SatchelSyncTests/golden/. Each holds the mapped JSON re-encoded
/// pretty with sorted keys (deterministic), compared byte for byte.
/// Regenerate with `SATCHEL_UPDATE_GOLDEN=1 swift test`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden")

    static func pretty(_ json: [UInt8]) throws -> [UInt8] {
        let value = try #require(JSONValue.parse(json), "mapped output is not JSON")
        return value.encoded(pretty: true) + [UInt8(ascii: "\n")]
    }

    static func check(_ json: [UInt8], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try pretty(json)
        let file = directory.appendingPathComponent("\(name).json")
        if ProcessInfo.processInfo.environment["SATCHEL_UPDATE_GOLDEN"] == "1" {
            try Data(expected).write(to: file)
            return
        }
        let stored = try #require(FileManager.default.contents(atPath: file.path),
                                  "golden \(name).json missing; run with SATCHEL_UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
        #expect(Array(stored) == expected, "mapping drifted from golden/\(name).json", sourceLocation: sourceLocation)
    }
}
