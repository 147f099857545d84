import Foundation
import SatchelCore
import SatchelStore
import SatchelUseCases

/// One way in to the use cases: the shell (one command, then exit) or the REPL (many).
/// It owns what is about the person at the keyboard — the prompter — and hands
/// everything else to the session's use cases.
final class Door {
    let session: Session
    let prompter: any Prompter

    init(session: Session, prompter: any Prompter) {
        self.session = session
        self.prompter = prompter
    }

    /// Unlocks with the global options, runs `body`, locks — whatever happens. At a
    /// terminal every prompt goes through the idle lock, as in the REPL.
    static func oneShot(_ global: GlobalOptions, _ body: (Door) throws -> Void) throws {
        let vault = try global.unlock()
        defer { vault.lock() }
        let session = Session(vault: vault, configPath: global.configPath)
        try body(Door(session: session, prompter: global.terminalInput(for: session) ?? ScriptInput()))
    }

    func say(_ text: String) { prompter.say(text) }

    /// Prints a value as the JSON the `--json` flags promise (sorted keys, indented).
    func sayJSON(_ value: some Encodable) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        say(String(decoding: try e.encode(value), as: UTF8.self))
    }

    func short(_ id: UUID) -> String { RecordRef.short(id) }
}
