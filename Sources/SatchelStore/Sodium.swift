internal import CSodium
import Foundation

/// libsodium, initialised once per process. Public for `sha256` only: the one SHA-256
/// in Satchel (the audit chain here, certificate pins in SatchelSync).
public enum Sodium {
    private static let ready: Bool = sodium_init() >= 0

    static func ensureReady() {
        precondition(ready, "libsodium failed to initialise")
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        ensureReady()
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }

    /// SHA-256 (`crypto_hash_sha256`), 32 bytes.
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        ensureReady()
        let bytes = Array(data)
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        _ = crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
        return out
    }

    /// Keyed BLAKE2b (a MAC), 32 bytes.
    static func mac(_ data: [UInt8], key: SecretBytes) -> [UInt8] {
        ensureReady()
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_generichash(&out, 32, data, UInt64(data.count), key.bytes, key.count)
        return out
    }

    /// Zeroes a plaintext held in ordinary memory once it is no longer needed.
    static func wipe(_ bytes: inout [UInt8]) {
        sodium_memzero(&bytes, bytes.count)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && sodium_memcmp(a, b, a.count) == 0
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hex, two digits a byte (what `String(format: "%02x")` gave, without its
    /// cost: record MACs cover a hex field, so every integrity check builds one).
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
