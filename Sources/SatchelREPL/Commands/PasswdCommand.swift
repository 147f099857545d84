import ArgumentParser
import SatchelStore

/// `satchel passwd`: re-wraps the data key under a new passphrase.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change your passphrase. Records are not re-encrypted: only the data key is re-wrapped.",
        discussion: "With --passphrase-fd, the first line is the current passphrase and the second the new one.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let vault = try global.unlock()
        defer { vault.lock() }
        let new = try newPassphrase(global.passphrases)
        defer { new.wipe() }
        try vault.changePassphrase(to: new)
        print("Passphrase changed.")
    }
}
