import CPTYSupport
#if canImport(Glibc)
import Glibc
#endif

/// Drives a real program under a pseudo-terminal, pexpect style, for tests.
///
/// Not thread-safe; use one instance from one test. `deinit` SIGKILLs and reaps a child
/// that is still running and closes the master, so no zombies or fds are left behind.
public final class PseudoTerminal {
    /// The child's process id.
    public let pid: pid_t
    private let master: Int32
    private var output: [UInt8] = []
    private var cleanedCache: [UInt8] = []
    private var cleanedFromCount = 0
    private var matchOffset = 0
    private var sawEOF = false
    private var exitStatus: Int32?

    /// Spawns `executable` (an absolute path; no PATH search) with exactly `environment`.
    /// - Parameter extraReadableFile: also open `path` read-only as descriptor `fd` in the child.
    public init(executable: String, arguments: [String] = [], environment: [String: String],
                rows: UInt16 = 40, columns: UInt16 = 120,
                extraReadableFile: (fd: Int32, path: String)? = nil) throws {
        var name = [CChar](repeating: 0, count: 256)
        let fd = satchel_pty_open_master(&name, name.count)
        guard fd >= 0 else { throw PTYError.openFailed(errno: errno) }
        _ = satchel_pty_set_window_size(fd, rows, columns)
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            pid = try PTYSpawn.spawn(executable: executable, arguments: arguments, environment: environment,
                                     slavePath: slavePath, extraReadableFile: extraReadableFile)
        } catch {
            close(fd)
            throw error
        }
        master = fd
    }

    deinit {
        if exitStatus == nil {
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        close(master)
    }

    // MARK: Output

    /// Everything the child has written so far, unmodified.
    public var transcript: String { String(decoding: output, as: UTF8.self) }

    /// ``transcript`` with escape sequences and control characters (except newline/tab) removed.
    public var cleanedTranscript: String { String(decoding: cleaned(), as: UTF8.self) }

    /// Waits until `text` appears (in the cleaned output) after the previous match and returns
    /// the cleaned output from the previous match up to and including `text`.
    @discardableResult
    public func expect(_ text: String, timeout: Double = 10) throws -> String {
        try expect(anyOf: [text], timeout: timeout).consumed
    }

    /// Waits for whichever of `texts` appears first after the last match; returns it
    /// and the output consumed up to and including it.
    @discardableResult
    public func expect(anyOf texts: [String], timeout: Double = 10) throws -> (matched: String, consumed: String) {
        let needles = texts.map { Array($0.utf8) }
        let deadline = Self.now() + timeout
        while true {
            let haystack = cleaned()
            let hits = needles.enumerated().compactMap { i, n in Self.find(n, in: haystack, from: matchOffset).map { (i, $0) } }
            if let (i, end) = hits.min(by: { $0.1 < $1.1 }) {
                let consumed = String(decoding: haystack[matchOffset..<end], as: UTF8.self)
                matchOffset = end
                return (texts[i], consumed)
            }
            let remaining = deadline - Self.now()
            if remaining <= 0 || sawEOF {
                throw PTYError.timeout(expected: texts.joined(separator: " | "), seconds: timeout, childExited: sawEOF, recentOutput: recentOutput())
            }
            pump(timeout: remaining)
        }
    }

    public func recentOutput(limit: Int = 2000) -> String {
        String(cleanedTranscript.suffix(limit))
    }

    // MARK: Input

    public func send(_ text: String) throws { try write(Array(text.utf8)) }
    public func sendLine(_ text: String) throws { try write(Array((text + "\r").utf8)) }
    public func sendKey(_ key: TerminalKey) throws { try write(key.bytes) }

    /// Sends Ctrl-`c` (e.g. "c" → 0x03, "d" → 0x04, "u" → 0x15).
    public func sendControl(_ character: Character) throws {
        guard let ascii = character.uppercased().first?.asciiValue else { return }
        try write([ascii & 0x1F])
    }

    /// Changes the window size; the kernel sends SIGWINCH to the child's foreground group.
    public func resize(rows: UInt16, columns: UInt16) {
        _ = satchel_pty_set_window_size(master, rows, columns)
    }

    // MARK: Process

    /// Sends `signal` to the child (the session leader).
    public func kill(signal: Int32 = SIGKILL) {
        if exitStatus == nil { _ = Glibc.kill(pid, signal) }
    }

    /// Waits for the child to exit (draining its output meanwhile) and returns its exit
    /// status, or 128 + the signal number if it was killed.
    @discardableResult
    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        if let exitStatus { return exitStatus }
        let deadline = Self.now() + timeout
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let decoded = PTYSpawn.decode(waitStatus: status)
                exitStatus = decoded
                pump(timeout: 0)
                return decoded
            }
            if Self.now() >= deadline {
                throw PTYError.exitTimeout(pid: pid, seconds: timeout, recentOutput: recentOutput())
            }
            pump(timeout: 0.02)
            if sawEOF { usleep(10_000) }
        }
    }

    // MARK: Internals

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
            if count > 0 {
                sent += count
            } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                pump(timeout: 0.01)  // let the child consume; keep draining its output
            } else {
                throw PTYError.writeFailed(errno: errno)
            }
        }
    }

    /// Waits up to `timeout` seconds for output, then reads everything available.
    private func pump(timeout: Double) {
        guard !sawEOF else { return }
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, min(timeout * 1000, 60_000)).rounded(.up))
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                if count == 0 || errno != EAGAIN { sawEOF = true }  // EIO: slave side closed
                return
            }
        }
    }

    private func cleaned() -> [UInt8] {
        if cleanedFromCount != output.count {
            cleanedCache = TerminalText.clean(output)
            cleanedFromCount = output.count
        }
        return cleanedCache
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty else { return start }
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index + needle.count
        }
        return nil
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
