import Foundation

/// The completion callback type: the whole current line, the character offset at which
/// the word being completed starts, and that word (from its start up to the cursor).
/// Return candidate words; the editor keeps those that start with `word`.
typealias LineCompleter = (_ line: String, _ cursorWordStart: Int, _ word: String) -> [String]

/// Process-wide state reached from readline's C callbacks (which cannot capture context).
///
/// readline itself is a process-global singleton, so this is too. All access is through
/// `lock`, which makes the `@unchecked Sendable` honest; in practice the callbacks only run
/// on the thread that is inside `LineEditor.readLine`, synchronously.
final class ReadlineBridge: @unchecked Sendable {
    enum HandlerResult: Equatable {
        case line(String)
        case endOfInput
    }

    static let shared = ReadlineBridge()

    /// C strings handed to readline globals must outlive every readline call: allocated
    /// once, never freed.
    let readlineName: UnsafeMutablePointer<CChar>? = strdup("satchel")
    let wordBreakCharacters: UnsafeMutablePointer<CChar>? = strdup(" \t=")

    private let lock = NSLock()
    private var storedCompleter: LineCompleter?
    private var storedResult: HandlerResult?

    private init() {}

    var completer: LineCompleter? {
        get { lock.withLock { storedCompleter } }
        set { lock.withLock { storedCompleter = newValue } }
    }

    /// Called from the line handler trampoline.
    func deliver(_ result: HandlerResult) {
        lock.withLock { storedResult = result }
    }

    /// Returns and clears the result delivered by the line handler, if any.
    func takeResult() -> HandlerResult? {
        lock.withLock {
            let result = storedResult
            storedResult = nil
            return result
        }
    }
}
