internal import CSodium

/// How the passphrase is stretched into the key-encryption key: Argon2id with the
/// limits and salt kept in the vault header, so they can be raised later without
/// touching any record.
public struct KDFParameters: Equatable, Sendable {
    public static let algorithm = "argon2id13"
    public var opsLimit: UInt64
    public var memLimit: Int
    public var salt: [UInt8]

    public init(opsLimit: UInt64, memLimit: Int, salt: [UInt8]) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
        self.salt = salt
    }

    /// libsodium's MODERATE limits (3 passes, 256 MiB): the floor for a real vault.
    public static func moderate() -> KDFParameters {
        KDFParameters(
            opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MODERATE),
            memLimit: Int(crypto_pwhash_MEMLIMIT_MODERATE),
            salt: Sodium.randomBytes(Int(crypto_pwhash_SALTBYTES)))
    }


    /// A fresh salt with the same limits (a new passphrase gets a new salt).
    func withFreshSalt() -> KDFParameters {
        var p = self
        p.salt = Sodium.randomBytes(Int(crypto_pwhash_SALTBYTES))
        return p
    }

    /// Derives the 32-byte key-encryption key from the passphrase.
    func deriveKey(from passphrase: SecretBytes) throws(VaultError) -> SecretBytes {
        guard salt.count == Int(crypto_pwhash_SALTBYTES) else {
            throw VaultError(.integrity, "The vault header's key-derivation salt is damaged.")
        }
        let key = try SecretBytes(capacity: Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES))
        let rc = passphrase.bytes.withMemoryRebound(to: CChar.self, capacity: max(passphrase.count, 1)) { pw in
            crypto_pwhash(
                key.bytes, UInt64(key.capacity), pw, UInt64(passphrase.count),
                salt, opsLimit, memLimit, crypto_pwhash_ALG_ARGON2ID13)
        }
        guard rc == 0 else {
            throw VaultError(
                .storage, "Couldn't derive the vault key: not enough memory (Argon2id needs \(memLimit >> 20) MiB).")
        }
        key.fill()
        return key
    }
}
