import Foundation
import Testing
@testable import SatchelStore

@Suite("Sealing record bodies")
struct SealerTests {
    let ad = Array("satchel/record/v1:00000000-0000-0000-0000-000000000001:contact:1".utf8)
    let body = Array(#"{"summary":"Visited Testy McTestface at home; calm, engaged."}"#.utf8)

    @Test("a sealed body opens to exactly what was sealed")
    func roundTrip() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        #expect(sealed.count == body.count + Sealer.overhead)
        #expect(try Sealer.open(sealed, associatedData: ad, key: key) == body)
    }

    @Test("the same body sealed twice differs (a fresh nonce each time)")
    func freshNonce() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        #expect(try Sealer.seal(body, associatedData: ad, key: key) != Sealer.seal(body, associatedData: ad, key: key))
    }

    @Test("a wrong key is detected")
    func wrongKey() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let other = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        #expect(throws: VaultError.self) { try Sealer.open(sealed, associatedData: ad, key: other) }
    }

    @Test("every single flipped byte of a sealed body is detected", arguments: [UInt8(0x01), 0x80, 0xFF])
    func everyFlippedByte(mask: UInt8) throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        var detected = 0
        for i in sealed.indices {
            var tampered = sealed
            tampered[i] ^= mask
            do {
                _ = try Sealer.open(tampered, associatedData: ad, key: key)
            } catch {
                #expect(error.code == .integrity)
                detected += 1
            }
        }
        #expect(detected == sealed.count)
    }

    @Test("a body moved to another record, kind or key version does not open")
    func boundToItsRecord() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        for other in [
            "satchel/record/v1:00000000-0000-0000-0000-000000000002:contact:1",
            "satchel/record/v1:00000000-0000-0000-0000-000000000001:risk:1",
            "satchel/record/v1:00000000-0000-0000-0000-000000000001:contact:2",
        ] {
            #expect(throws: VaultError.self) { try Sealer.open(sealed, associatedData: Array(other.utf8), key: key) }
        }
    }

    @Test("a truncated sealed value is detected, not crashed on")
    func truncated() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        for n in [0, 1, Sealer.overhead - 1, Sealer.overhead, sealed.count - 1] {
            #expect(throws: VaultError.self) { try Sealer.open(Array(sealed.prefix(n)), associatedData: ad, key: key) }
        }
    }

    @Test("a wiped key refuses to seal or open")
    func wipedKey() throws {
        let key = try SecretBytes.random(count: Sealer.keyBytes)
        let sealed = try Sealer.seal(body, associatedData: ad, key: key)
        key.wipe()
        #expect(throws: VaultError(.locked, "The vault is locked. Unlock it with your passphrase.")) {
            try Sealer.open(sealed, associatedData: ad, key: key)
        }
    }

    @Test("hex is two lower-case digits a byte (record MACs cover it: it must never change)")
    func hexDigits() {
        #expect([UInt8]([0x00, 0x0f, 0x10, 0xa5, 0xff]).hex == "000f10a5ff")
        #expect([UInt8]().hex == "")
        #expect([UInt8](0...255).hex == (0...255).map { String(format: "%02x", $0) }.joined())
    }
}
