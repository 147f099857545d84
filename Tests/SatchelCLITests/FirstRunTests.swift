import Foundation
import SatchelTestSupport
import Testing

/// `satchel init` on a terminal, the way a new worker meets it: a mistyped role or a
/// refused passphrase is asked again, and nothing typed before it is lost.
@Suite("A first run at the terminal")
struct FirstRunTests {
    static let passphrase = "correct horse battery staple"

    func answer(_ pty: PseudoTerminal, _ prompt: String, _ text: String) throws {
        try pty.expect(prompt)
        try pty.sendLine(text)
    }

    @Test("init asks again after a mistyped role (did you mean), a short or common passphrase and a mismatch; the name is kept")
    func retypeRoleAndPassphrase() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        let pty = try PseudoTerminal(
            executable: try ChildProcess.satchelBinary().path, arguments: ["--home", home, "init"],
            environment: ["TERM": "xterm", "HOME": dir.path, "INPUTRC": "/dev/null", "PATH": "/usr/bin:/bin"])

        try answer(pty, "Your name: ", "Test Mentor")
        try answer(pty, "Your role (clinician, police, substance-misuse): ", "polise")
        let refusedRole = try pty.expect("Your role (")
        #expect(refusedRole.contains("That is not a role. Did you mean police? Allowed: clinician, police, substance-misuse."))
        let message = refusedRole.split(separator: "\n").first { $0.contains("not a role") } ?? ""
        #expect(!message.contains("polise"), "what was typed is not repeated: it may be a name typed at the wrong question")
        try pty.sendLine("")
        try pty.expect("An answer is required (or Ctrl-D to stop).")
        try answer(pty, "Your role (", "police")

        try answer(pty, "New passphrase (at least 12 characters): ", "too short")
        try answer(
            pty, "passphrase: too short (9 characters). Use at least 12 characters; a few unrelated words work well. Try another.\n"
                + "New passphrase (at least 12 characters): ", "Password1234!")
        let common = try pty.expect("New passphrase (at least 12 characters): ")
        #expect(common.contains("Try another."), "a common password is refused and asked again: \(common)")
        try pty.sendLine(Self.passphrase)
        try answer(pty, "The same passphrase again: ", "correct horse battery stapel")
        try answer(pty, "The two entries differ. Type the new passphrase again.\nNew passphrase (at least 12 characters): ", Self.passphrase)
        try answer(pty, "The same passphrase again: ", Self.passphrase)
        try pty.expect("Vault created in \(home) (role: police).")
        #expect(try pty.waitForExit() == 0)
        #expect(!pty.transcript.contains(Self.passphrase), "the passphrase was echoed")

        let status = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "status"], fd3: Self.passphrase + "\n")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.hasPrefix("Worker:  Test Mentor (police)\n"), "the name typed before the retries is the one kept")
    }

    @Test(
        "from flags a bad value still fails at once, naming the flag",
        arguments: [
            (["init", "--name", "Test Mentor", "--role", "polise"], "correct horse battery staple\n", Int32(64), "'--role <role>'"),
            (["init", "--name", "Test Mentor", "--role", "police"], "too short\n", Int32(65), "passphrase: too short (9 characters)."),
        ])
    func flagsFailAtOnce(arguments: [String], fd3: String, status: Int32, named: String) throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ChildProcess.runSatchel(["--home", dir.appendingPathComponent("vault").path, "--passphrase-fd", "3"] + arguments, fd3: fd3)
        #expect(r.status == status)
        #expect(r.stderr.contains(named), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("vault/vault.sqlite").path))
    }

    @Test("a record finalised with no destination is \"held until a destination is added\"; with one, queued")
    func receiptSaysWhereTheRecordWaits() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
        let phrase = Self.passphrase + "\n"
        let call = ["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A short call.", "--risk", "low"]
        #expect(try ChildProcess.runSatchel(base + ["init", "--name", "Test Mentor", "--role", "clinician"], fd3: phrase).status == 0)
        #expect(try ChildProcess.runSatchel(base + ["user", "add", "--name", "Testy McTestface", "--alias", "testy"], fd3: phrase).status == 0)

        let alone = try ChildProcess.runSatchel(base + call, fd3: phrase)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout.contains("for T.M.; held until a destination is added (see `destination add`).\n"), "\(alone.stdout)")
        #expect(!alone.stdout.contains("queued"))

        let added = try ChildProcess.runSatchel(base + ["destination", "add", "nhs-epr", "--url", "https://nhs-epr.invalid/R4"], fd3: phrase)
        #expect(added.status == 0, "\(added.stderr)")
        let consent = ["consent", "add", "--user", "testy", "--scope", "share", "--with", "nhs-epr", "--decision", "given", "--risk", "low"]
        #expect(try ChildProcess.runSatchel(base + consent, fd3: phrase).status == 0)
        let queued = try ChildProcess.runSatchel(base + call, fd3: phrase)
        #expect(queued.stdout.contains("for T.M.; queued for delivery.\n"), "\(queued.stdout)")
    }
}
