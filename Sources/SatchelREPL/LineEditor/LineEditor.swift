internal import CReadline
internal import CTerminal
import Foundation

/// A line editor over GNU readline's callback interface, driven by a `poll` loop on stdin,
/// so a read can time out (auto-lock) and Ctrl-C returns instead of killing the process.
///
/// - One editor at a time: readline is process-global. Use it from one thread only, and
///   only when stdin is a terminal (otherwise read plain lines from stdin).
/// - History is in memory only: this type never calls `read_history`/`write_history`
///   (GNU readline never touches a history file, nor `HISTFILE`, on its own — that is bash),
///   and ``clearHistory()`` empties it. readline still reads `~/.inputrc` (or `$INPUTRC`);
///   `rl_readline_name` is "satchel" so users can write `$if satchel`.
/// - Idle: after `idleTimeout` seconds without a keystroke the partial line is moved out of
///   readline into ``pendingText`` (readline's buffer and undo list are wiped), a newline is
///   printed and `.idle` is returned. The next `readLine` restores it (cursor included)
///   unless `initialText` is given; ``discardPendingText()`` forgets it.
///   Idle time runs from the last keystroke of any `readLine` (or ``noteActivity()``), on
///   CLOCK_BOOTTIME, which keeps counting while the machine is suspended: a laptop opened
///   after its lid was shut past the timeout returns `.idle` at the next prompt, or at the
///   first key pressed, before that key is read.
final class LineEditor {
    /// Text typed before the last `.idle`, restored by the next `readLine`.
    private(set) var pendingText: String?
    private var pendingPoint: Int32 = 0
    private let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    /// When the person last pressed a key (CLOCK_BOOTTIME seconds).
    private var lastKey = LineEditor.bootTimeNow()

    /// Tab completion source; nil means Tab completes nothing (never filenames).
    var completer: LineCompleter? {
        get { ReadlineBridge.shared.completer }
        set { ReadlineBridge.shared.completer = newValue }
    }

    /// - Parameters:
    ///   - historyLimit: maximum number of in-memory history entries.
    ///   - toStandardError: prompts and echo go to stderr (when stdout is not a terminal).
    init(historyLimit: Int = 500, toStandardError: Bool = false) {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
        let bridge = ReadlineBridge.shared
        satchel_rl_set_readline_name(bridge.readlineName)
        satchel_rl_set_catch_signals(0)
        satchel_rl_set_catch_sigwinch(0)
        satchel_rl_set_change_environment(0)
        if toStandardError { satchel_rl_set_outstream(satchel_stderr()) }
        using_history()
        stifle_history(Int32(clamping: max(0, historyLimit)))
        Self.installCompletionHooks()
    }

    deinit {
        if wakeReadFD >= 0 { close(wakeReadFD) }
        if wakeWriteFD >= 0 { close(wakeWriteFD) }
    }

    /// Empties readline's in-memory history.
    func clearHistory() {
        clear_history()
    }

    /// Starts the idle time again, as a keystroke would (after the passphrase unlocked).
    func noteActivity() {
        lastKey = Self.bootTimeNow()
    }

    /// Forgets the partial line remembered by the last `.idle`.
    func discardPendingText() {
        pendingText = nil
        pendingPoint = 0
    }

    /// Reads one line with editing, history and completion.
    ///
    /// - Parameters:
    ///   - idleTimeout: seconds without a keystroke before `.idle` (nil: wait forever).
    ///   - history: add the line to the in-memory history (non-blank lines only).
    ///   - initialText: text to pre-fill; nil means "restore ``pendingText`` if any".
    func readLine(prompt: String, idleTimeout: Double? = nil, history: Bool = true,
                         initialText: String? = nil) -> LineResult {
        let restoreText = initialText ?? pendingText
        let restorePoint = initialText == nil ? pendingPoint : Int32.max
        discardPendingText()
        satchel_flush_stdout()
        let signalsInstalled = SignalWatch.install(wakeFD: wakeWriteFD)
        defer { if signalsInstalled { SignalWatch.restore() } }
        drainWakePipe()
        _ = ReadlineBridge.shared.takeResult()

        rl_callback_handler_install(prompt) { line in
            if let line {
                ReadlineBridge.shared.deliver(.line(String(cString: line)))
                memset(line, 0, strlen(line))
                free(line)
            } else {
                ReadlineBridge.shared.deliver(.endOfInput)
            }
            // Removing the handler here stops readline from redisplaying the prompt.
            rl_callback_handler_remove()
        }
        if let restoreText, !restoreText.isEmpty {
            _ = rl_insert_text(restoreText)
            satchel_rl_set_point(restorePoint)
            rl_redisplay()
        }
        return runLoop(idleTimeout: idleTimeout, history: history)
    }

    private func runLoop(idleTimeout: Double?, history: Bool) -> LineResult {
        while true {
            if SignalWatch.takeInterrupt() {
                abandonLine(marker: "^C")
                show("\n")
                return .interrupted
            }
            if SignalWatch.takeWindowChange() {
                rl_resize_terminal()
            }
            var timeoutMS: Int32 = -1
            if let idleTimeout {
                let remaining = lastKey + idleTimeout - Self.bootTimeNow()
                if remaining <= 0 { return goIdle() }
                // poll's timeout stops while suspended; the deadline is checked again on waking.
                timeoutMS = Int32(min((remaining * 1000).rounded(.up), Double(Int32.max)))
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, wakeReadFD >= 0 ? 2 : 1, timeoutMS)
            if ready < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                abandonLine()
                return .endOfInput
            }
            if ready == 0 { continue }
            if fds[1].revents != 0 { drainWakePipe() }
            let stdinEvents = Int32(fds[0].revents)
            if stdinEvents & Int32(POLLNVAL) != 0 {
                abandonLine()
                return .endOfInput
            }
            if stdinEvents & Int32(POLLIN | POLLHUP | POLLERR) != 0 {
                // The first key after a suspension past the timeout locks; it is not read.
                if let idleTimeout, Self.bootTimeNow() - lastKey >= idleTimeout { return goIdle() }
                lastKey = Self.bootTimeNow()
                rl_callback_read_char()
                if let result = ReadlineBridge.shared.takeResult() {
                    return finish(result, history: history)
                }
            }
        }
    }

    /// Keeps the partial line for the next `readLine` and leaves it.
    private func goIdle() -> LineResult {
        pendingText = String(decoding: Self.currentLineBytes(), as: UTF8.self)
        pendingPoint = satchel_rl_point()
        abandonLine()
        show("\n")
        return .idle
    }

    private func finish(_ result: ReadlineBridge.HandlerResult, history: Bool) -> LineResult {
        switch result {
        case .line(let text):
            if history, !text.allSatisfy(\.isWhitespace) {
                add_history(text)
            }
            return .line(text)
        case .endOfInput:
            // readline 8.2 has already moved to a new line.
            return .endOfInput
        }
    }

    /// Drops the partial line and leaves callback mode with the terminal restored
    /// (the sequence readline 8.2 documents for applications doing their own signal handling).
    /// `marker` is printed after the line, before the terminal is deprepped (deprep emits
    /// "\r" when bracketed paste is on, so anything printed later would overwrite the prompt).
    private func abandonLine(marker: String = "") {
        satchel_rl_set_point(satchel_rl_end())
        rl_redisplay()
        if !marker.isEmpty { show(marker) }
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        satchel_rl_wipe_line()
        rl_callback_handler_remove()
    }

    /// Writes to readline's output stream (stdout before readline has one) and flushes.
    func show(_ text: String) {
        satchel_print_flushed(satchel_rl_outstream(), text)
    }

    private func drainWakePipe() {
        guard wakeReadFD >= 0 else { return }
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakeReadFD, &scratch, scratch.count) > 0 {}
    }

    /// Seconds since boot, suspended time included.
    static func bootTimeNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}
