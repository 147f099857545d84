import ArgumentParser
import SatchelStore

/// `satchel passwd`: re-wraps the data key under a new passphrase.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change your passphrase. Records are not re-encrypted: only the data key is re-wrapped.",
        discussion: """
            With --passphrase-fd, the first line is the current passphrase and the second the new one. \
            With --generate-passphrase only the current one is read; the new one, 6 random words, is shown once.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also rotate the data key: every sealed value is re-sealed under a new key, in one transaction.")
    var rekey = false

    @Flag(help: "Make the new passphrase of 6 random words, show it once to write down, and use it.")
    var generatePassphrase = false

    func run() throws {
        let vault = try global.unlock()
        defer { vault.lock() }
        // The vault is unlocked while the new passphrase is typed: someone who finds the
        // terminal left at this prompt past the idle lock must not be able to set theirs.
        let asked = LineEditor.bootTimeNow()
        let new = try newPassphrase(global.passphrases, workerName: vault.workerName, generate: generatePassphrase)
        defer { new.wipe() }
        let idleLimit = (global.idleLockMinutes ?? 10) * 60
        guard LineEditor.bootTimeNow() - asked <= idleLimit else {
            throw CommandFailure(
                status: .wrongPassphrase,
                message: "passwd: the new passphrase came after the idle lock (\(Int(idleLimit / 60)) minutes); nothing was changed. Run passwd again.")
        }
        if rekey {
            try vault.rotateDataKey(newPassphrase: new)
            print("Passphrase changed and data key rotated: every sealed value is now under the new key.")
        } else {
            try vault.changePassphrase(to: new)
            print("Passphrase changed.")
        }
    }
}
