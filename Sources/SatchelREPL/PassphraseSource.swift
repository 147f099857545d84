internal import CTerminal
import Foundation
import SatchelStore

/// Where a passphrase comes from: the terminal with echo off, or a file descriptor
/// the caller opened (`--passphrase-fd 3 3<file`). Never an argument or an
/// environment variable: both leak into process listings and shell history.
///
/// The bytes go straight into protected memory, one at a time, so no copy of the
/// passphrase is left in an ordinary Swift string.
enum PassphraseSource {
    case terminal
    case fileDescriptor(Int32)

    static let maximumLength = 1024

    func read(prompt: String) throws -> SecretBytes {
        switch self {
        case .fileDescriptor(let fd):
            return try Self.readLine(from: fd, what: "file descriptor \(fd)")
        case .terminal:
            let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
            guard tty >= 0 else {
                throw VaultError(
                    .wrongPassphrase,
                    "No terminal to ask for the passphrase. Give it on a file descriptor: --passphrase-fd 3 3<file")
            }
            defer { close(tty) }
            // Echo goes off before the prompt appears, so nothing typed after the
            // prompt is ever echoed or discarded.
            var saved = termios()
            let haveTermios = tcgetattr(tty, &saved) == 0
            if haveTermios {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                quiet.c_lflag |= tcflag_t(ECHONL)
                _ = tcsetattr(tty, TCSAFLUSH, &quiet)
            }
            defer { if haveTermios { _ = tcsetattr(tty, TCSAFLUSH, &saved) } }
            _ = prompt.withCString { write(tty, $0, strlen($0)) }
            return try Self.readLine(from: tty, what: "the terminal")
        }
    }

    /// Shows a generated passphrase once on standard output, between a line saying what it
    /// is and a note to write it down. Its bytes go from protected memory straight to the
    /// descriptor; if they cannot be written, the caller changes nothing.
    static func showOnce(generated phrase: SecretBytes) throws {
        let before = "Your new passphrase, \(PassphraseGenerator.wordCount) random words (about \(Int(PassphraseGenerator.bits)) bits):\n\n    "
        let after = "\n\nWrite it down now and keep it apart from this device: it is shown only this once, and it cannot be recovered.\n\n"
        satchel_flush_stdout()
        let shown = writeAll(Array(before.utf8)) && phrase.withUnsafeBytes(writeAll) && writeAll(Array(after.utf8))
        guard shown else {
            throw VaultError(
                .storage, "passphrase: couldn't show the generated passphrase on standard output (\(String(cString: strerror(errno)))); nothing was changed.")
        }
    }

    private static func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes(writeAll)
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return false }
            let n = write(STDOUT_FILENO, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads bytes up to a newline (not included) or end of input.
    private static func readLine(from fd: Int32, what: String) throws -> SecretBytes {
        let secret = try SecretBytes(capacity: maximumLength)
        var byte: UInt8 = 0
        var sawAnything = false
        while true {
            let n = Foundation.read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw VaultError(.wrongPassphrase, "Couldn't read the passphrase from \(what) (\(String(cString: strerror(errno)))).")
            }
            if n == 0 || byte == UInt8(ascii: "\n") { break }
            sawAnything = true
            guard secret.append(byte) else {
                secret.wipe()
                throw VaultError(.invalidInput, "passphrase: longer than \(maximumLength) bytes.")
            }
        }
        byte = 0
        if secret.last == UInt8(ascii: "\r") { secret.removeLast() }
        guard sawAnything || secret.count > 0 else {
            throw VaultError(.wrongPassphrase, "No passphrase on \(what): it ended before a line was read.")
        }
        return secret
    }
}
