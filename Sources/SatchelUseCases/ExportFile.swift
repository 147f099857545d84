import Foundation
import SatchelStore

/// What `export` writes, chosen by the file's extension.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// A readable document (cairo and pango).
    case pdf
    /// A FHIR R4 `collection` Bundle of the same records.
    case json
    /// The readable document as plain text.
    case txt

    static let allowed = allCases.map { ".\($0.rawValue)" }.joined(separator: ", ")

    /// The format `path`'s extension names, or an error naming `--out`.
    public init(path: String) throws(UseCaseError) {
        let ext = URL(fileURLWithPath: path).pathExtension
        guard !ext.isEmpty else {
            throw UseCaseError(.badInput, "--out: the file name has no extension. Allowed: \(Self.allowed)")
        }
        guard let format = ExportFormat(rawValue: ext.lowercased()) else {
            throw UseCaseError(.badInput, "--out: the extension .\(ext) is not one Satchel writes. Allowed: \(Self.allowed)")
        }
        self = format
    }
}

/// The exported file: plaintext personal data, so it is made 0600 (the worker's alone),
/// whole or not at all (written beside, then linked or renamed into place), and never
/// over an existing file unless asked.
enum ExportFile {
    /// Refuses before anything is read when the file is there (without `force`) or its
    /// directory is not.
    static func checkWritable(_ path: String, force: Bool) throws(UseCaseError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UseCaseError(.badInput, "--out: the folder it names does not exist. Create it first, or choose another place.")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard force, !isDirectory.boolValue else {
                throw UseCaseError(.badInput, isDirectory.boolValue
                    ? "--out: that is a folder. Give a file name ending .pdf, .json or .txt."
                    : "--out: a file is already there. Give --force to replace it, or choose another name.")
            }
        }
    }

    /// Writes `bytes` to `path` with mode 0600.
    static func write(_ bytes: [UInt8], to path: String, force: Bool) throws(VaultError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".satchel-export-\(UUID().uuidString.lowercased()).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("could not create it", errno) }
        defer { unlink(temporary) }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            while written < buffer.count {
                let n = Foundation.write(fd, base + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        let synced = ok && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        let writeError = errno
        close(fd)
        guard synced else { throw failure("could not write it", writeError) }
        if force {
            guard rename(temporary, path) == 0 else { throw failure("could not put it in place", errno) }
        } else {
            guard link(temporary, path) == 0 else {
                throw errno == EEXIST
                    ? VaultError(.invalidInput, "--out: a file is already there. Give --force to replace it, or choose another name.")
                    : failure("could not put it in place", errno)
            }
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> VaultError {
        let reason = String(cString: strerror(code))
        return VaultError(.storage, "--out: \(what) (\(reason)). Check the disk has room and the folder is yours, then run export again.")
    }
}
