import Foundation
import Testing
@testable import SatchelSync

/// `JSONWriter` and `JSONReader` replace `JSONEncoder` / `JSONDecoder` on the sync's hot
/// path (docs/performance.md, P3): the bytes written must be exactly Foundation's (the
/// golden mappings and every record's FHIR depend on them), and what is read must be
/// what Foundation read.
@Suite("JSONValue bytes")
struct JSONValueBytesTests {
    static let awkward: [String] = [
        "", "plain", "a/b", "quote \" and \\ backslash", "\u{08}\u{0C}\n\r\t", "\u{0}\u{1}\u{1F}\u{7F}",
        "é ü 漢字 😀", "\u{2028}\u{2029}", "</script>", "line\nbreak",
    ]
    static let keys: [String] = ["a", "A", "B", "Z", "_x", "a10", "a2", "a9", "aB", "ab", "a-b", "a_b", "é", "resourceType", "id", "identifier"]

    /// A deterministic tree with every case the writer handles.
    static func tree(_ seed: inout UInt64, depth: Int) -> JSONValue {
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        switch depth > 3 ? next() % 5 : next() % 8 {
        case 0: return .string(awkward[next() % awkward.count])
        case 1: return .int(next() % 2 == 0 ? next() : -next())
        case 2: return .bool(next() % 2 == 0)
        case 3: return .null
        case 4: return .double([0.1, 1.5, 1e20, -0.0, 2.5e-7, 123456789.125][next() % 6])
        case 5, 6:
            var members: [String: JSONValue] = [:]
            for _ in 0..<(next() % 6) { members[keys[next() % keys.count] + (next() % 3 == 0 ? "\(next() % 20)" : "")] = tree(&seed, depth: depth + 1) }
            return .object(members)
        default:
            return .array((0..<(next() % 5)).map { _ in tree(&seed, depth: depth + 1) })
        }
    }

    @Test func writesWhatFoundationWrites() {
        var seed: UInt64 = 17
        for _ in 0..<500 {
            let value = Self.tree(&seed, depth: 0)
            #expect(value.encoded() == JSONValue.encodedByFoundation(value))
        }
        for s in Self.awkward { #expect(JSONValue.string(s).encoded() == JSONValue.encodedByFoundation(.string(s))) }
    }

    @Test func readsWhatFoundationReads() throws {
        var seed: UInt64 = 23
        for _ in 0..<500 {
            let value = Self.tree(&seed, depth: 0)
            let bytes = value.encoded()
            let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
            #expect(JSONValue.parse(bytes) == foundation)
            #expect(JSONValue.parse(value.encoded(pretty: true)) == foundation)
        }
    }

    @Test func readsEscapesAndNumbers() {
        #expect(JSONValue.parse(Array(#" {"a" : [1, -2, 3.5, 1e3, true, false, null, "\u00e9\ud83d\ude00\/\n"]} "#.utf8))
                == ["a": [1, -2, .double(3.5), .double(1000), true, false, .null, "é😀/\n"]])
        #expect(JSONValue.parse(Array("9223372036854775808".utf8)) == .double(9223372036854775808))
    }

    @Test func refusesWhatIsNotJSON() {
        for text in ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "tru", "\"\u{1}\"", "\"\\x\"", "\"\\ud800\"", "[1] 2",
                     "{'a':1}", "\"unterminated", "NaN", "1e999"] {
            #expect(JSONValue.parse(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(JSONValue.parse(Array(String(repeating: "[", count: 600).utf8) + Array(String(repeating: "]", count: 600).utf8)) == nil)
    }
}
