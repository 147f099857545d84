import SatchelStore

extension KDFParameters {
    /// libsodium's minimum Argon2id limits (`crypto_pwhash_OPSLIMIT_MIN`, 1 pass, and
    /// `crypto_pwhash_MEMLIMIT_MIN`, 8 KiB) with a fresh 16-byte salt, so a test suite can
    /// create many vaults. The `satchel` command cannot ask for them, nor unlock a vault
    /// that has them: pass `kdfFloor: .testsOnly` to `Vault.create` and `Vault.unlock`.
    public static func fastForTestsOnly() -> KDFParameters {
        var random = SystemRandomNumberGenerator()
        return KDFParameters(opsLimit: 1, memLimit: 8192, salt: (0..<16).map { _ in random.next() })
    }
}

extension KDFFloor {
    /// The floor the library's tests create and unlock with: exactly `fastForTestsOnly`'s
    /// limits. The `satchel` command always uses `.standard`.
    public static let testsOnly = KDFFloor(opsLimit: 1, memLimit: 8192)
}
