import Foundation
import SatchelTestSupport
import Testing
@testable import SatchelStore

/// The rules a new passphrase meets beyond its length (`PassphrasePolicy`). Worker names
/// are fictional.
@Suite("New passphrases: common passwords, patterns, the worker's name")
struct PassphrasePolicyTests {
    static let advice = "Use a few unrelated words; `--generate-passphrase` makes one."
    static let common = "passphrase: found in a list of common passwords. \(advice)"
    static let pattern = "passphrase: a repeated or sequential pattern (like abcabc…, qwerty…, 1q2w3e…). \(advice)"
    static let fewLetters = "passphrase: fewer than 4 letters besides digits and punctuation. \(advice)"
    static let ownName = "passphrase: made from your own name. \(advice)"

    private func refusal(_ passphrase: String, workerName: String? = nil) -> String? {
        do {
            try Vault.checkPassphrase(try TemporaryVault.secret(passphrase), workerName: workerName)
            return nil
        } catch let error as VaultError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    private func normalForm(_ text: String) throws -> String {
        let form = try PassphrasePolicy.normalised(try TemporaryVault.secret(text))
        return form.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the bundled list: 56,105 normal forms of at least 4 characters, sorted byte by byte, each its own normal form")
    func bundledList() throws {
        let entries = CommonPasswords.sorted.split(separator: "\n").map(String.init)
        #expect(entries.count == 56_105)
        #expect(CommonPasswords.sorted.utf8.count == 451_943)
        var previous: [UInt8] = []
        for (i, entry) in entries.enumerated() {
            #expect(entry.count >= PassphrasePolicy.minimumCore)
            // Each check makes protected buffers (guard pages, mlock): every 10th entry keeps it quick.
            if i % 10 == 0 { #expect(try normalForm(entry) == entry, "\(entry) is not in normal form") }
            let bytes = Array(entry.utf8)
            #expect(previous.lexicographicallyPrecedes(bytes), "\(entry) is out of order")
            previous = bytes
        }
    }

    @Test(
        "the normal form: lower case, @ and $ as letters, no spaces or punctuation, digits dropped at the ends and read as letters inside",
        arguments: [
            ("P@ssw0rd 2024!!", "password"), ("Manchester United", "manchesterunited"), ("123456789012", "123456789012"),
            ("1qaz2wsx", "qaz2wsx"), ("Tr0ub4dor&3 horse", "troubadorehorse"),
            // Only ASCII letters are lowered; other characters' bytes are kept as they are.
            ("ÉCOLE été", "Écoleété"),
        ])
    func normalisation(text: String, form: String) throws {
        #expect(try normalForm(text) == form)
    }

    @Test("every entry of the list is found by the binary search, and near misses are not")
    func lookup() throws {
        let entries = CommonPasswords.sorted.split(separator: "\n")
        for entry in entries.enumerated().filter({ $0.offset % 97 == 0 }).map(\.element) + [entries[0], entries[entries.count - 1]] {
            #expect(PassphrasePolicy.isCommon(try TemporaryVault.secret(String(entry))), "\(entry)")
        }
        for miss in ["", "000", "zzzzzzzzzzz", "zzzzzzzzzzzz", "passwordx", "kettleonthewindowsill", "correcthorsebatterystaple"] {
            #expect(!PassphrasePolicy.isCommon(try TemporaryVault.secret(miss)), "\(miss)")
        }
    }

    @Test(
        "common passwords are refused however they are dressed up",
        arguments: [
            "Password123456!", "P@ssw0rd 2024!!", "Manchester United", "Liverpool 1892!!", "leave me alone",
            "peanut butter", "I love my family", "Monkey 123456789", "sunshine 2024 !!", "q1w2e3r4t5y6",
        ])
    func commonRefused(passphrase: String) {
        #expect(refusal(passphrase) == Self.common)
    }

    @Test(
        "repeated units and keyboard, alphabet and number runs are refused",
        arguments: [
            "abcabcabcabc", "qwertyuiopasdf", "abcdefghijklmn", "098765432112", "zxcvbnmasdfgh", "trustno1trustno1",
            "poiuytrewqlkjh", "2w3e4r5t6y7u8i", "zaq1xsw2cde3vfr4", "FOOTBALL-FOOTBALL", "éééééééééééé",
        ])
    func patternsRefused(passphrase: String) {
        #expect(refusal(passphrase) == Self.pattern)
    }

    @Test("a passphrase that is little but digits and punctuation is refused", arguments: ["dog!!!!!!!!!!!", "!@#$%^&*()_+", "8392 dog 74651"])
    func fewLettersRefused(passphrase: String) {
        #expect(refusal(passphrase) == Self.fewLetters)
    }

    @Test(
        "the worker's own name, alone, with digits, look-alikes or a common word, is refused",
        arguments: ["AlexRivers2024!", "rivers alex 123", "4lex r1vers 2024", "alex rivers password", "Alex Rivers 1990 !!"])
    func ownNameRefused(passphrase: String) {
        #expect(refusal(passphrase, workerName: "Alex Rivers") == Self.ownName)
        #expect(refusal(passphrase, workerName: nil) != Self.ownName)
    }

    @Test(
        "ordinary passphrases of unrelated words pass",
        arguments: [
            "correct horse battery staple", "reliability-bench-horse-staple-42", "another long passphrase",
            "a brand new passphrase", "alex rivers walks slowly home", "ξένος ουρανός δρόμος", "Tr0ub4dor&3 horse",
            "kettle on the windowsill 7",
        ])
    func ordinaryAccepted(passphrase: String) {
        #expect(refusal(passphrase, workerName: "Alex Rivers") == nil)
    }

    @Test("refused at create: no vault is made; refused at passwd: the old passphrase still works")
    func refusedThroughTheVault() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = VaultLocation(directory: dir.appendingPathComponent("vault"))
        #expect(throws: VaultError(.invalidInput, Self.common)) {
            _ = try Vault.create(
                at: location, workerName: "Test Mentor", role: .police, passphrase: try TemporaryVault.secret("Password123456!"),
                kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        }
        #expect(!location.exists)
        #expect(throws: VaultError(.invalidInput, Self.ownName)) {
            _ = try Vault.create(
                at: location, workerName: "Alex Rivers", role: .police, passphrase: try TemporaryVault.secret("AlexRivers2024!"),
                kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        }
        #expect(!location.exists)

        let t = try TemporaryVault(workerName: "Alex Rivers")
        defer { t.remove() }
        #expect(throws: VaultError(.invalidInput, Self.common)) { try t.vault.changePassphrase(to: try TemporaryVault.secret("leave me alone")) }
        #expect(throws: VaultError(.invalidInput, Self.ownName)) { try t.vault.changePassphrase(to: try TemporaryVault.secret("rivers alex 123")) }
        let reopened = try Vault.unlock(at: t.location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        reopened.lock()
    }
}
