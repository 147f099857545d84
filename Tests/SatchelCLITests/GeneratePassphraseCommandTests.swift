import Foundation
import SatchelTestSupport
import Testing

/// `init --generate-passphrase` and `passwd --generate-passphrase` through the real binary.
/// Worker names are fictional.
@Suite("satchel init and passwd --generate-passphrase")
struct GeneratePassphraseCommandTests {
    static let passphrase = "correct horse battery staple\n"

    private func home(_ dir: URL) -> String { dir.appendingPathComponent("vault").path }

    /// The words of the passphrase `--generate-passphrase` printed, and the output without them.
    private func shown(_ stdout: String) throws -> (words: [Substring], rest: String) {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count > 4, "\(stdout)")
        #expect(lines[0] == "Your new passphrase, 6 random words (about 77 bits):")
        #expect(lines[1] == "")
        #expect(lines[2].hasPrefix("    "))
        #expect(lines[3] == "")
        #expect(lines[4] == "Write it down now and keep it apart from this device: it is shown only this once, and it cannot be recovered.")
        let words = lines[2].dropFirst(4).split(separator: " ", omittingEmptySubsequences: false)
        return (words, lines.dropFirst(5).joined(separator: "\n"))
    }

    private func isListWord(_ word: Substring) -> Bool {
        (3...9).contains(word.count) && word.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }
    }

    @Test("init --generate-passphrase shows 6 words once, reads nothing, and the vault opens with them")
    func initGenerates() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // No --passphrase-fd and no terminal: nothing is read for the passphrase.
        let made = try ChildProcess.runSatchel(["--home", home(dir), "init", "--name", "Alex Rivers", "--role", "clinician", "--generate-passphrase"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr == "")
        let (words, rest) = try shown(made.stdout)
        #expect(words.count == 6)
        #expect(words.allSatisfy(isListWord), "\(words)")
        #expect(rest == "\nVault created in \(home(dir)) (role: clinician).\n")

        let phrase = words.joined(separator: " ")
        let status = try ChildProcess.runSatchel(["--home", home(dir), "--passphrase-fd", "3", "status"], fd3: phrase + "\n")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.hasPrefix("Worker:  Alex Rivers (clinician)\n"))
    }

    @Test("passwd refuses a common passphrase; passwd --generate-passphrase reads only the current one and shows the new one once")
    func passwdGenerates() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["--home", home(dir), "--passphrase-fd", "3"]
        let made = try ChildProcess.runSatchel(base + ["init", "--name", "Alex Rivers", "--role", "police"], fd3: Self.passphrase)
        #expect(made.status == 0, "\(made.stderr)")

        let common = try ChildProcess.runSatchel(base + ["passwd"], fd3: Self.passphrase + "leave me alone 2024\n")
        #expect(common.status == 65)
        #expect(common.stderr == "passphrase: found in a list of common passwords. Use a few unrelated words; `--generate-passphrase` makes one.\n")

        let changed = try ChildProcess.runSatchel(base + ["passwd", "--generate-passphrase"], fd3: Self.passphrase)
        #expect(changed.status == 0, "\(changed.stderr)")
        let (words, rest) = try shown(changed.stdout)
        #expect(words.count == 6)
        #expect(words.allSatisfy(isListWord), "\(words)")
        #expect(rest == "\nPassphrase changed.\n")
        #expect(try ChildProcess.runSatchel(base + ["status"], fd3: Self.passphrase).status == 77)
        #expect(try ChildProcess.runSatchel(base + ["status"], fd3: words.joined(separator: " ") + "\n").status == 0)

        // With --rekey too: the data key is rotated under the new generated passphrase.
        let rotated = try ChildProcess.runSatchel(base + ["passwd", "--rekey", "--generate-passphrase"], fd3: words.joined(separator: " ") + "\n")
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let (newWords, after) = try shown(rotated.stdout)
        #expect(after == "\nPassphrase changed and data key rotated: every sealed value is now under the new key.\n")
        #expect(try ChildProcess.runSatchel(base + ["status"], fd3: newWords.joined(separator: " ") + "\n").status == 0)
    }
}
