/// Errors thrown by ``PseudoTerminal``.
public enum PTYError: Error, CustomStringConvertible {
    case openFailed(errno: Int32)
    case spawnFailed(executable: String, errno: Int32)
    case timeout(expected: String, seconds: Double, childExited: Bool, recentOutput: String)
    case exitTimeout(pid: Int32, seconds: Double, recentOutput: String)
    case writeFailed(errno: Int32)

    public var description: String {
        switch self {
        case .openFailed(let code):
            return "PseudoTerminal: could not open a pty pair (errno \(code))"
        case .spawnFailed(let executable, let code):
            return "PseudoTerminal: posix_spawn of \(executable) failed (errno \(code))"
        case .timeout(let expected, let seconds, let exited, let recent):
            let why = exited ? "the child closed the terminal" : "timed out after \(seconds) s"
            return "PseudoTerminal: did not see \(String(reflecting: expected)) (\(why)). "
                + "Last output (escapes and \\r removed):\n----\n\(recent)\n----"
        case .exitTimeout(let pid, let seconds, let recent):
            return "PseudoTerminal: pid \(pid) did not exit within \(seconds) s. "
                + "Last output:\n----\n\(recent)\n----"
        case .writeFailed(let code):
            return "PseudoTerminal: write to the pty failed (errno \(code))"
        }
    }
}
