import Foundation

/// Prompts on standard error and reads standard input: used from the shell. When
/// standard input is not a terminal nobody is there to answer, and a missing field
/// is an error that names it.
final class StdioPrompter: Prompter {
    let isInteractive: Bool

    init(interactive: Bool = isatty(STDIN_FILENO) == 1) {
        isInteractive = interactive
    }

    func ask(_ prompt: String, completions: [String]) -> PromptReply {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard let line = readLine(strippingNewline: true) else { return .endOfInput }
        return .answer(line)
    }

    func say(_ text: String) {
        print(text)
    }
}
