import Foundation
import SatchelStore

/// Someone at a terminal: GNU readline with Tab completion, memory-only history and the
/// idle lock. The REPL's input, and the prompter for every guided form — in the REPL or
/// started from the shell — so a form left idle locks too, and resumes at the same
/// question with the same half-typed answer.
final class ReadlineInput: CommandInput, Relockable {
    private let editor: LineEditor
    private let idleTimeout: Double
    private let passphrases: PassphraseSource
    /// What locking and unlocking do, and the service users Tab offers: given by the
    /// wiring, so this input knows nothing of the session behind it. `unlock` returns the
    /// failed unlock attempts made since the previous unlock.
    private let lockVault: () -> Void
    private let unlockVault: (SecretBytes) throws -> Int
    private let userHandles: () -> [String]
    private var completions: Completions?
    private var formChoices: [String]?

    var isInteractive: Bool { true }

    /// - Parameter promptsToStandardError: prompts, echo and the locked screen go to
    ///   stderr, for a terminal whose standard output is redirected.
    init(
        idleMinutes: Double, passphrases: PassphraseSource, promptsToStandardError: Bool = false, lock: @escaping () -> Void,
        unlock: @escaping (SecretBytes) throws -> Int, userHandles: @escaping () -> [String]
    ) {
        editor = LineEditor(toStandardError: promptsToStandardError)
        idleTimeout = idleMinutes * 60
        self.passphrases = passphrases
        lockVault = lock
        unlockVault = unlock
        self.userHandles = userHandles
        editor.completer = { [weak self] line, start, word in
            self?.complete(line: line, wordStart: start, word: word) ?? []
        }
    }

    func readCommand(prompt: String) -> PromptReply {
        read(prompt, history: true, choices: nil)
    }

    func ask(_ prompt: String, completions: [String]) -> PromptReply {
        read(prompt, history: false, choices: completions)
    }

    func say(_ text: String) {
        print(text)
    }

    private func read(_ prompt: String, history: Bool, choices: [String]?) -> PromptReply {
        formChoices = choices
        defer { formChoices = nil }
        // readline redraws one prompt line; anything before the last newline is printed once.
        var lastLine = prompt
        if let nl = prompt.lastIndex(of: "\n") {
            editor.show(String(prompt[...nl]))
            lastLine = String(prompt[prompt.index(after: nl)...])
        }
        while true {
            switch editor.readLine(prompt: lastLine, idleTimeout: idleTimeout, history: history) {
            case .line(let text): return .answer(text)
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            case .idle:
                guard lockAndWait() else { return .endOfInput }
            }
        }
    }

    /// Wipes the keys and the history, clears the screen, and waits for the passphrase.
    func lockAndWait() -> Bool {
        lockVault()
        editor.clearHistory()
        completions = nil
        editor.show("\u{1B}[2J\u{1B}[3J\u{1B}[H")
        editor.show("Satchel is locked. Type your passphrase to carry on where you left off.\n")
        while true {
            let passphrase: SecretBytes
            do {
                passphrase = try passphrases.read(prompt: "Passphrase: ")
            } catch {
                Console.error("\(error)")
                editor.discardPendingText()
                return false
            }
            defer { passphrase.wipe() }
            do {
                let failedAttempts = try unlockVault(passphrase)
                editor.noteActivity()
                editor.show("Unlocked.\n")
                UnlockWarning.report(failedAttempts: failedAttempts)
                return true
            } catch {
                Console.error("\(error)")
            }
        }
    }

    // MARK: - Completion

    private func complete(line: String, wordStart: Int, word: String) -> [String] {
        if let choices = formChoices { return choices }
        if completions == nil { completions = Completions(userHandles: userHandles) }
        let before = String(line.prefix(wordStart))
        let tokens = (try? CommandLineSplitter.split(before)) ?? before.split(separator: " ").map(String.init)
        return completions?.candidates(after: tokens, word: word) ?? []
    }
}
