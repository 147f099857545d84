/// What a person answered at a prompt.
public enum PromptReply: Equatable, Sendable {
    case answer(String)
    /// Ctrl-C.
    case interrupted
    /// Ctrl-D, or the end of a script.
    case endOfInput
}

/// Asks a person one line at a time. The REPL's prompter is GNU readline (with Tab
/// completion and the idle lock); tests use a scripted one.
public protocol Prompter: AnyObject {
    /// False when nobody is there to answer: a missing field is then an error that names it.
    var isInteractive: Bool { get }
    func ask(_ prompt: String, completions: [String]) -> PromptReply
    func say(_ text: String)
}
