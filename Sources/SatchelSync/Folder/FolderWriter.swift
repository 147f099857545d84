import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts files in a folder destination's directory (a mounted shared drive) whole or not at
/// all, and never twice (docs/sync.md, "Folder destinations"):
///
/// 1. a temporary file beside the final one (`.<final name>.<random>.tmp`, created with
///    `O_EXCL`), written, made 0640, `fsync`ed and closed;
/// 2. renamed to the final name, then the directory `fsync`ed so the rename is on disk.
///
/// A final name already there is a file an earlier run put in place (killed after the
/// rename, before the receipt was stored): it is checked (`Expected`) and counted as
/// delivered, never written a second time. A temporary file left by a killed run never
/// counts; it is removed when its record is delivered again.
public struct FolderWriter {
    /// What a file already at the final name must be to count as this record's.
    public enum Expected: Sendable {
        /// A PDF (its bytes differ from run to run: cairo dates them).
        case pdf
        /// The record's FHIR JSON: the same bytes, or a resource of this type with this
        /// Satchel identifier.
        case json(bytes: [UInt8], resourceType: String, identifierSystem: String, identifierValue: String)
    }

    /// What became of one file.
    public enum Placed: Sendable, Equatable {
        case written
        /// An earlier run had put it in place.
        case alreadyThere
    }

    /// The mode of every file written: the worker and the share's group may read it.
    public static let mode: mode_t = 0o640

    public let path: String
    /// Temporary files found when the run started, by the final name they were for.
    var leftovers: [String: [String]]
    /// Called with the temporary file's path once it is written and synced, just before
    /// the rename: where tests look, or stop the writer as a kill would.
    var beforeRename: (String) throws(SyncError) -> Void = { _ in }

    /// Opens the folder for a run: it must be there, be a directory and be writable. A
    /// folder that is not there (a shared drive not mounted) is reported like a server
    /// that cannot be reached: `.offline`, and the records stay queued.
    public init(path: String) throws(SyncError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SyncError(.offline, "the folder \(path) is not there (is the shared drive mounted?)", detail: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw SyncError(.offline, "\(path) is not a folder; check folder = … in config.toml")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw SyncError(.other, "Satchel may not write in the folder \(path) (\(String(cString: strerror(errno)))); ask whoever manages the shared drive")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        leftovers = [:]
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropFirst().split(separator: ".")
            guard parts.count >= 4 else { continue }
            leftovers[parts.dropLast(2).joined(separator: "."), default: []].append(name)
        }
    }

    /// Puts `bytes` in the folder as `name`, or finds them there already.
    public mutating func put(_ bytes: [UInt8], named name: String, expected: Expected) throws(SyncError) -> Placed {
        let final = "\(path)/\(name)"
        for temporary in leftovers.removeValue(forKey: name) ?? [] { unlink("\(path)/\(temporary)") }
        if let existing = try contents(of: final) {
            guard Self.matches(existing, expected) else {
                throw SyncError(.other, "the folder already holds a file named \(name) that is not this record's; nothing was overwritten. Move that file away (ask whoever manages the shared drive), then sync again")
            }
            return .alreadyThere
        }
        let temporary = "\(path)/.\(name).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, Self.mode)
        guard fd >= 0 else { throw failure("could not create a file in", errno) }
        var written = 0
        let complete = bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            while written < buffer.count {
                let n = write(fd, base + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        // The mode asked for at open is cut by the umask: set it exactly.
        let synced = complete && fchmod(fd, Self.mode) == 0 && fsync(fd) == 0
        let writeError = errno
        close(fd)
        guard synced else {
            unlink(temporary)
            throw failure("could not write a file in", writeError)
        }
        try beforeRename(temporary)
        guard rename(temporary, final) == 0 else {
            let renameError = errno
            unlink(temporary)
            throw failure("could not put a file in place in", renameError)
        }
        try syncDirectory()
        return .written
    }

    /// The directory's entries on disk, so a rename survives a power cut. A file system
    /// that cannot sync a directory says so with EINVAL: there is nothing more to do.
    func syncDirectory() throws(SyncError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("could not open", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else { throw failure("could not sync", errno) }
    }

    /// The bytes of a regular file at `file`, nil when there is none. A symbolic link or
    /// anything else at the name is refused, never followed.
    func contents(of file: String) throws(SyncError) -> [UInt8]? {
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("could not read a file in", errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return [] }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw failure("could not read a file in", errno) }
            if n == 0 { return out }
            out += chunk[..<n]
        }
    }

    /// Whether a file found at the final name is this record's.
    static func matches(_ existing: [UInt8], _ expected: Expected) -> Bool {
        switch expected {
        case .pdf:
            return existing.starts(with: Array("%PDF-".utf8))
        case .json(let bytes, let type, let system, let value):
            if existing == bytes { return true }
            guard let json = JSONValue.parse(existing), json["resourceType"]?.stringValue == type else { return false }
            return (json["identifier"]?.arrayValue ?? []).contains {
                $0["system"]?.stringValue == system && $0["value"]?.stringValue == value
            }
        }
    }

    func failure(_ what: String, _ code: Int32) -> SyncError {
        SyncError(.other, "\(what) the folder \(path) (\(String(cString: strerror(code))))")
    }
}
