import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore

/// `satchel init`: creates a worker's vault.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create your vault: your name, your role and a passphrase of at least 12 characters.",
        discussion: """
            Asks for anything not given as a flag. The passphrase is asked twice on the terminal, \
            or read once from --passphrase-fd; a common password, a pattern such as qwerty… or your own name \
            is refused. With --generate-passphrase Satchel makes one of 6 random words and shows it once. \
            It can never be recovered: if it is lost, so are the records not yet delivered.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Your name as it should appear on your records.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Your role: \(Role.allowedValues).", valueName: "role"))
    var role: Role?

    @Flag(help: "Make a passphrase of 6 random words, show it once to write down, and use it (nothing is read for it).")
    var generatePassphrase = false

    func run() throws {
        let location = global.location
        try location.requireNoVault()
        let name = try name ?? Self.ask(field: "name", prompt: "Your name: ")
        let role = try role ?? Self.askRole()
        let passphrase = try newPassphrase(global.passphrases, workerName: name, generate: generatePassphrase)
        defer { passphrase.wipe() }
        let vault = try Vault.create(at: location, workerName: name, role: role, passphrase: passphrase)
        defer { vault.lock() }
        print("Vault created in \(location.directory.path) (role: \(role.rawValue)).")
    }

    /// Asks on the terminal until something is typed; an error naming the flag without a
    /// terminal, or at the end of input.
    static func ask(field: String, prompt: String) throws -> String {
        guard Console.stdinIsTerminal else {
            throw VaultError(.invalidInput, "--\(field): required. Give it as a flag, or run from a terminal to be asked.")
        }
        while true {
            guard let typed = Console.ask(prompt) else {
                throw VaultError(.invalidInput, "--\(field): required, and nothing was given.")
            }
            let answer = typed.trimmingCharacters(in: .whitespaces)
            if !answer.isEmpty { return answer }
            Console.error("An answer is required (or Ctrl-D to stop).")
        }
    }

    /// Asks until a role is typed; a near miss gets "Did you mean …?". What was typed is
    /// not repeated: it may be a name typed at the wrong question.
    static func askRole() throws -> Role {
        while true {
            let answer = try ask(field: "role", prompt: "Your role (\(Role.allowedValues)): ").lowercased()
            if let role = Role(rawValue: answer) { return role }
            let hint = NearMiss.suggestion(for: answer, among: Role.allCases.map(\.rawValue)).map { " Did you mean \($0)?" } ?? ""
            Console.error("That is not a role.\(hint) Allowed: \(Role.allowedValues).")
        }
    }
}

/// A new passphrase: generated and shown once (`--generate-passphrase`); else asked twice
/// on a terminal, read once from a file descriptor, and checked against the worker's name too.
func newPassphrase(
    _ source: PassphraseSource, workerName: String, generate: Bool,
    prompt: String = "New passphrase (at least \(Vault.minimumPassphraseLength) characters): "
) throws -> SecretBytes {
    if generate {
        let phrase = try PassphraseGenerator.generate(workerName: workerName)
        do {
            try PassphraseSource.showOnce(generated: phrase)
        } catch {
            phrase.wipe()
            throw error
        }
        return phrase
    }
    guard case .terminal = source else {
        let phrase = try source.read(prompt: prompt)
        do {
            try Vault.checkPassphrase(phrase, workerName: workerName)
        } catch {
            phrase.wipe()
            throw error
        }
        return phrase
    }
    // On the terminal a refused or mistyped passphrase is asked again: nothing typed
    // before it (the name, the role) is lost. Ctrl-D ends it.
    while true {
        let first = try source.read(prompt: prompt)
        do {
            try Vault.checkPassphrase(first, workerName: workerName)
        } catch {
            first.wipe()
            Console.error("\(error.message) Try another.")
            continue
        }
        let again = try source.read(prompt: "The same passphrase again: ")
        defer { again.wipe() }
        if first.isEqual(to: again) { return first }
        first.wipe()
        Console.error("The two entries differ. Type the new passphrase again.")
    }
}
