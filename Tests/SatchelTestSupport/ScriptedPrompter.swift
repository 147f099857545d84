import SatchelREPL

/// A prompter that answers from a script, and records what it was asked and told.
public final class ScriptedPrompter: CommandInput {
    public var replies: [PromptReply]
    public private(set) var prompts: [String] = []
    public private(set) var said: [String] = []
    public let isInteractive: Bool

    public init(_ replies: [PromptReply], interactive: Bool = true) {
        self.replies = replies
        self.isInteractive = interactive
    }

    public convenience init(lines: [String]) {
        self.init(lines.map { .answer($0) })
    }

    public func ask(_ prompt: String, completions: [String]) -> PromptReply {
        prompts.append(prompt)
        return replies.isEmpty ? .endOfInput : replies.removeFirst()
    }

    public func readCommand(prompt: String) -> PromptReply { ask(prompt, completions: []) }

    public func say(_ text: String) { said.append(text) }

    public var transcript: String { said.joined(separator: "\n") }
}
