import Foundation
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// The word passphrases Satchel makes (`PassphraseGenerator`). Worker names are fictional.
@Suite("Generated passphrases")
struct PassphraseGeneratorTests {
    @Test("the word list: the EFF large list, 7,776 distinct words, 6 of them carry 77.5 bits")
    func wordList() {
        let words = PassphraseGenerator.words
        #expect(words.count == 7776)
        #expect(Set(words).count == 7776)
        #expect(words.first == "abacus")
        #expect(words.last == "zoom")
        #expect(words.allSatisfy { (3...9).contains($0.count) })
        #expect(abs(PassphraseGenerator.bits - 77.55) < 0.01)
    }

    @Test("a generated passphrase is 6 words of the list, passes the checks, differs each time, and unlocks the vault it made")
    func generated() throws {
        let known = Set(PassphraseGenerator.words)
        var seen = Set<Substring>()
        var phrases = Set<String>()
        for _ in 0..<200 {
            let secret = try PassphraseGenerator.generate(workerName: "Alex Rivers")
            let text = secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            #expect(words.count == 6, "\(text)")
            #expect(words.allSatisfy(known.contains), "\(text)")
            try Vault.checkPassphrase(secret, workerName: "Alex Rivers")
            seen.formUnion(words)
            phrases.insert(text)
        }
        #expect(phrases.count == 200)
        // 1,200 draws from 7,776 words give about 1,110 distinct ones; a broken draw gives far fewer.
        #expect(seen.count > 1000)

        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = VaultLocation(directory: dir.appendingPathComponent("vault"))
        let passphrase = try PassphraseGenerator.generate(workerName: "Alex Rivers")
        let vault = try Vault.create(
            at: location, workerName: "Alex Rivers", role: .clinician, passphrase: passphrase, kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        vault.lock()
        let reopened = try Vault.unlock(at: location, passphrase: passphrase, kdfFloor: .testsOnly)
        #expect(reopened.workerName == "Alex Rivers")
        reopened.lock()
    }
}
