import Foundation
import Testing
@testable import SatchelCore

/// `UUID.lowercased` and `UUID(text:)` stand in for `uuidString.lowercased()` and
/// `UUID(uuidString:)` on the sync's hot path: the same text, the same ids.
struct UUIDTextTests {
    @Test func sameAsFoundation() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.lowercased == id.uuidString.lowercased())
            #expect(UUID(text: id.lowercased) == id)
            #expect(UUID(text: id.uuidString) == id)
        }
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(zero.lowercased == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(text: "FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF")?.lowercased == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    /// Only the canonical form is read (Foundation's `sscanf` lets some malformed ids through,
    /// e.g. a group one digit short); the vault writes nothing else.
    @Test func refusesAnythingElse() {
        let id = UUID().lowercased
        for text in ["", "not an id", String(id.dropLast()), id + "0", id.replacingOccurrences(of: "-", with: ""),
                     "g" + id.dropFirst(), String(id.prefix(8)) + "_" + id.dropFirst(9), " " + id.dropFirst(), "é" + id.dropFirst(2)] {
            #expect(UUID(text: text) == nil, "\(text)")
        }
    }
}
