internal import CSodium

/// Seals and opens bytes with XChaCha20-Poly1305 (IETF). A sealed value is
/// `nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes)`; the associated data is never
/// stored, it is rebuilt from what the value must belong to (record id, kind, key
/// version), so a body moved to another row, kind or key fails to open.
public enum Sealer {
    static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)
    public static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    /// What sealing adds to the plaintext's length.
    public static let overhead = nonceBytes + tagBytes

    public static func seal(_ plaintext: [UInt8], associatedData: [UInt8], key: SecretBytes) throws(VaultError) -> [UInt8] {
        try checkKey(key)
        let nonce = Sodium.randomBytes(nonceBytes)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var written: UInt64 = 0
        let rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
            &ciphertext, &written, plaintext, UInt64(plaintext.count),
            associatedData, UInt64(associatedData.count), nil, nonce, key.bytes)
        guard rc == 0 else { throw VaultError(.storage, "Couldn't seal a record body.") }
        return nonce + ciphertext
    }

    /// Opens a sealed value; any change to it, to the associated data or to the key
    /// is detected and nothing of the plaintext is returned.
    public static func open(_ sealed: [UInt8], associatedData: [UInt8], key: SecretBytes) throws(VaultError) -> [UInt8] {
        try checkKey(key)
        guard sealed.count >= overhead else { throw failure }
        var out = [UInt8](repeating: 0, count: sealed.count - overhead)
        var written: UInt64 = 0
        let nonce = Array(sealed[0..<nonceBytes])
        let ciphertext = Array(sealed[nonceBytes...])
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            &out, &written, nil, ciphertext, UInt64(ciphertext.count),
            associatedData, UInt64(associatedData.count), nonce, key.bytes)
        guard rc == 0 else {
            sodium_memzero(&out, out.count)
            throw failure
        }
        return out
    }

    /// Opens into protected memory (for the wrapped data key).
    static func openSecret(_ sealed: [UInt8], associatedData: [UInt8], key: SecretBytes) throws(VaultError) -> SecretBytes {
        var plain = try open(sealed, associatedData: associatedData, key: key)
        defer { sodium_memzero(&plain, plain.count) }
        return try SecretBytes(copying: plain)
    }

    /// Seals bytes held in protected memory (for wrapping the data key).
    static func sealSecret(_ secret: SecretBytes, associatedData: [UInt8], key: SecretBytes) throws(VaultError) -> [UInt8] {
        var plain = secret.withUnsafeBytes { Array($0) }
        defer { sodium_memzero(&plain, plain.count) }
        return try seal(plain, associatedData: associatedData, key: key)
    }

    private static func checkKey(_ key: SecretBytes) throws(VaultError) {
        guard !key.isWiped else { throw VaultError(.locked, "The vault is locked. Unlock it with your passphrase.") }
        guard key.count == keyBytes else { throw VaultError(.integrity, "A key has the wrong length.") }
    }

    private static var failure: VaultError {
        VaultError(.integrity, "A sealed value failed authentication: it was changed, or belongs elsewhere, or the key is wrong.")
    }
}
