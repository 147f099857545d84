internal import CReadline
import Foundation

extension LineEditor {
    /// Points readline's completion hooks at the Swift `completer` (via ``ReadlineBridge``).
    ///
    /// - Word breaks are space, tab and `=`, so whole tokens such as `--kind` or
    ///   `face-to-face` are completed (quote handling is readline's basic default).
    /// - The trampoline always sets `rl_attempted_completion_over = 1` (readline resets it
    ///   before each call), so readline never falls back to filename completion, even when
    ///   there is no completer or no match.
    static func installCompletionHooks() {
        satchel_rl_set_word_break_characters(ReadlineBridge.shared.wordBreakCharacters)
        satchel_rl_set_completion { text, start, _ in
            satchel_rl_set_completion_over(1)
            guard let completer = ReadlineBridge.shared.completer else { return nil }
            let word = text.map { String(cString: $0) } ?? ""
            let lineBytes = LineEditor.currentLineBytes()
            let line = String(decoding: lineBytes, as: UTF8.self)
            let startByte = max(0, min(Int(start), lineBytes.count))
            let wordStart = String(decoding: lineBytes[..<startByte], as: UTF8.self).count
            let matches = CompletionMatches.filter(completer(line, wordStart, word), word: word)
            return CompletionMatches.makeCArray(matches)
        }
    }

    /// The bytes of readline's edit buffer (`rl_line_buffer[0..<rl_end]`).
    static func currentLineBytes() -> [UInt8] {
        guard let buffer = satchel_rl_line_buffer() else { return [] }
        let end = Int(satchel_rl_end())
        guard end > 0 else { return [] }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: end) { pointer in
            Array(UnsafeBufferPointer(start: pointer, count: end))
        }
    }
}
