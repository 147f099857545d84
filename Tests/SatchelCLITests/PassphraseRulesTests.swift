import Foundation
import SatchelTestSupport
import Testing

/// The passphrase rules through the real binary: common, patterned and own-name
/// passphrases refused at `init` (and at `passwd`: GeneratePassphraseCommandTests).
/// Worker names are fictional.
@Suite("satchel init and passwd refuse weak passphrases")
struct PassphraseRulesTests {
    static let passphrase = "correct horse battery staple\n"
    static let advice = "Use a few unrelated words; `--generate-passphrase` makes one."

    private func home(_ dir: URL) -> String { dir.appendingPathComponent("vault").path }

    @Test(
        "init refuses a common passphrase, or one made from the worker's name, with exit 65 and makes no vault",
        arguments: [
            ("Password123456!", "passphrase: found in a list of common passwords. \(advice)\n"),
            ("qwertyuiopasdf", "passphrase: a repeated or sequential pattern (like abcabc…, qwerty…, 1q2w3e…). \(advice)\n"),
            ("Alex Rivers 1990!", "passphrase: made from your own name. \(advice)\n"),
        ])
    func initRefuses(passphrase: String, message: String) throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ChildProcess.runSatchel(
            ["--home", home(dir), "--passphrase-fd", "3", "init", "--name", "Alex Rivers", "--role", "police"], fd3: passphrase + "\n")
        #expect(r.status == 65)
        #expect(r.stderr == message)
        #expect(r.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: home(dir) + "/vault.sqlite"))
    }
}
