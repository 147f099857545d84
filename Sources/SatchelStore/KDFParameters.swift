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

    /// libsodium's MODERATE limits (3 passes, 256 MiB): what `satchel init` makes, and
    /// the floor (`KDFFloor.standard`) for a real vault.
    public static func moderate() -> KDFParameters {
        KDFParameters(
            opsLimit: KDFFloor.standard.opsLimit, memLimit: KDFFloor.standard.memLimit,
            salt: Sodium.randomBytes(Int(crypto_pwhash_SALTBYTES)))
    }

    /// Whether these limits ask for at least the floor's work.
    public func meets(_ floor: KDFFloor) -> Bool {
        opsLimit >= floor.opsLimit && memLimit >= floor.memLimit
    }

    /// These limits, each raised to the floor where it is below it.
    func raised(to floor: KDFFloor) -> KDFParameters {
        var p = self
        p.opsLimit = max(opsLimit, floor.opsLimit)
        p.memLimit = max(memLimit, floor.memLimit)
        return p
    }

    /// "3 passes over 256 MiB", for messages.
    var described: String {
        let memory = memLimit >= 1 << 20 ? "\(memLimit >> 20) MiB" : "\(memLimit >> 10) KiB"
        return "\(opsLimit) pass\(opsLimit == 1 ? "" : "es") over \(memory)"
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

/// The least Argon2id work a vault may ask for. A vault whose header asks for less is
/// refused at unlock (`Vault.unlock(at:passphrase:kdfFloor:)`), is never created, and a
/// passphrase change never writes less: a vault with cheap limits (made by other means,
/// or altered) is never used without a word, and the next passphrase is never protected
/// by less work than this.
///
/// The `satchel` command always uses `standard`; the library's tests pass a lower floor
/// so that they can make many vaults quickly.
public struct KDFFloor: Equatable, Sendable {
    public let opsLimit: UInt64
    public let memLimit: Int

    public init(opsLimit: UInt64, memLimit: Int) {
        self.opsLimit = opsLimit
        self.memLimit = memLimit
    }

    /// libsodium's MODERATE limits, 3 passes over 256 MiB: what `satchel init` has always
    /// made. libsodium means its INTERACTIVE limits (2 passes, 64 MiB) for online logins,
    /// MODERATE and above for keys an attacker can attack offline, which is this case.
    public static let standard = KDFFloor(
        opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MODERATE), memLimit: Int(crypto_pwhash_MEMLIMIT_MODERATE))

    var described: String {
        KDFParameters(opsLimit: opsLimit, memLimit: memLimit, salt: []).described
    }
}
