@testable import SatchelStore
import Testing

/// The bytes every record, route and audit MAC covers: vaults already in the field were
/// sealed with them, so they may never change.
@Suite("Canonical encoding of MAC input")
struct CanonicalTests {
    @Test("label, then each field as <UTF-8 length>:<bytes>; and an absent field as one NUL")
    func bytes() {
        let encoded = Canonical.encode("satchel/x/v1", ["ab", nil, "", "é", String(repeating: "z", count: 12)])
        let expected = Array("satchel/x/v1".utf8) + Array("2:ab;".utf8) + [0x31, 0x3A, 0x00, 0x3B] + Array("0:;".utf8)
            + Array("2:".utf8) + [0xC3, 0xA9, 0x3B] + Array("12:zzzzzzzzzzzz;".utf8)
        #expect(encoded == expected)
    }
}
