@testable import SatchelREPL

/// A prompter that answers from a script, and records what it was asked and told.
final class ScriptedPrompter: CommandInput {
    var replies: [PromptReply]
    private(set) var prompts: [String] = []
    private(set) var said: [String] = []
    let isInteractive: Bool

    init(_ replies: [PromptReply], interactive: Bool = true) {
        self.replies = replies
        self.isInteractive = interactive
    }

    convenience init(lines: [String]) {
        self.init(lines.map { .answer($0) })
    }

    func ask(_ prompt: String, completions: [String]) -> PromptReply {
        prompts.append(prompt)
        return replies.isEmpty ? .endOfInput : replies.removeFirst()
    }

    func readCommand(prompt: String) -> PromptReply { ask(prompt, completions: []) }

    func say(_ text: String) { said.append(text) }

    var transcript: String { said.joined(separator: "\n") }
}
