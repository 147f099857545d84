import ArgumentParser
import Foundation
import SatchelStore
import SatchelUseCases

/// Options every command takes: where the vault is and how the passphrase arrives.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The vault directory (default: $SATCHEL_HOME, else $XDG_DATA_HOME/satchel).", valueName: "dir"))
    var home: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read the passphrase from this open file descriptor, one line per passphrase asked (for scripts and tests). Without it the passphrase is read from the terminal, never echoed.",
            valueName: "n"))
    var passphraseFd: Int32?

    @Option(name: .long, help: ArgumentHelp("The configuration file (default: $XDG_CONFIG_HOME/satchel/config.toml).", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("idle-lock"),
        help: ArgumentHelp("Lock after this many minutes without a keystroke at a prompt (default 10).", valueName: "minutes"))
    var idleLockMinutes: Double?

    public init() {}

    public func validate() throws {
        if let m = idleLockMinutes, !(m > 0 && m <= 24 * 60) {
            throw ValidationError("--idle-lock: \(m) is out of range. Allowed: more than 0 and at most 1440 minutes.")
        }
    }

    var configPath: URL {
        Session.configPath(explicit: config, environment: ProcessInfo.processInfo.environment)
    }

    var location: VaultLocation {
        VaultLocation.resolve(home: home, environment: ProcessInfo.processInfo.environment)
    }

    var passphrases: PassphraseSource {
        passphraseFd.map(PassphraseSource.fileDescriptor) ?? .terminal
    }

    /// Unlocks the vault with one passphrase from the configured source, and warns of
    /// failed attempts since the last unlock.
    func unlock() throws -> Vault {
        let location = location
        try location.requireVault()
        let passphrase = try passphrases.read(prompt: "Passphrase: ")
        defer { passphrase.wipe() }
        let vault = try Vault.unlock(at: location, passphrase: passphrase)
        UnlockWarning.report(failedAttempts: vault.failedUnlocksSinceLastUnlock)
        return vault
    }

    /// The prompter for someone at a terminal, with the idle lock over `session`; nil
    /// when standard input is not a terminal (nobody there to answer).
    func terminalInput(for session: Session) -> ReadlineInput? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        return ReadlineInput(
            idleMinutes: idleLockMinutes ?? 10, passphrases: passphrases, promptsToStandardError: isatty(STDOUT_FILENO) != 1,
            lock: session.lock,
            unlock: { passphrase in
                try session.unlock(passphrase: passphrase)
                return session.vault.failedUnlocksSinceLastUnlock
            },
            userHandles: session.userHandles)
    }
}
