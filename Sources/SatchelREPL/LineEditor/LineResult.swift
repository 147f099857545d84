/// Outcome of one ``LineEditor/readLine(prompt:idleTimeout:history:initialText:)`` call.
enum LineResult: Equatable, Sendable {
    /// Enter was pressed; the text of the line (without the newline).
    case line(String)
    /// Ctrl-C: the partial line was discarded and "^C" plus a newline were printed.
    case interrupted
    /// Ctrl-D on an empty line (or stdin reached end of file / became unusable).
    case endOfInput
    /// No key was pressed for `idleTimeout` seconds. The partial line is kept in
    /// ``LineEditor/pendingText`` and restored by the next `readLine` call.
    case idle
}
