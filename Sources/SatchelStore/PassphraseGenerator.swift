internal import CSodium
import Foundation

/// Passphrases of random words (`init --generate-passphrase`, `passwd --generate-passphrase`):
/// `wordCount` words drawn independently and uniformly, with libsodium's
/// `randombytes_uniform`, from the EFF large wordlist (`PassphraseWords`, 7,776 words),
/// joined by spaces and made straight into protected memory.
///
/// 6 words carry 6 × log2(7776) ≈ 77.5 bits: about 2 × 10²³ phrases, so at 0.4 s an
/// Argon2id guess a million machines together would need over a billion years on average.
public enum PassphraseGenerator {
    public static let wordCount = 6

    /// The words a generated passphrase is drawn from, in the list's order.
    public static let words: [Substring] = PassphraseWords.text.split(separator: "\n")

    /// The entropy of a generated passphrase, in bits.
    public static var bits: Double { Double(wordCount) * log2(Double(words.count)) }

    /// A new passphrase that `Vault.checkPassphrase` accepts for this worker. A draw it
    /// refuses is wiped and drawn again.
    public static func generate(workerName: String?) throws(VaultError) -> SecretBytes {
        let longestWord = words.map(\.utf8.count).max() ?? 0
        for _ in 0..<10 {
            let phrase = try SecretBytes(capacity: wordCount * (longestWord + 1))
            for i in 0..<wordCount {
                if i > 0 { _ = phrase.append(UInt8(ascii: " ")) }
                let word = words[Int(randombytes_uniform(UInt32(words.count)))]
                for byte in word.utf8 { _ = phrase.append(byte) }
            }
            do {
                try Vault.checkPassphrase(phrase, workerName: workerName)
                return phrase
            } catch {
                phrase.wipe()
            }
        }
        throw VaultError(.invalidInput, "passphrase: no generated passphrase passed the checks. Choose one yourself.")
    }
}
