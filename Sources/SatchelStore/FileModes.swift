import Foundation

/// The vault's directory and files are the worker's alone: checked every time the vault
/// is opened, before SQLite reads a byte.
///
/// `satchel` sets `umask 077`, so what it makes is private from the start; this catches
/// what happened since — a copy restored with other modes, a directory loosened by hand,
/// a file left by another user — and says what to run.
enum FileModes {
    static let directoryMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// Refuses unless the directory is 0700 and the database, and its `-wal` and `-shm`
    /// when present, are 0600, all owned by this user. A database not there yet is
    /// created empty, 0600, so SQLite's `-wal` and `-shm` (which copy its mode) are too.
    static func requirePrivate(database: URL) throws(VaultError) {
        let directory = database.deletingLastPathComponent()
        try require(directory.path, what: "vault directory", mode: directoryMode, chmod: "700")
        if try status(database.path) == nil {
            try createEmpty(database.path)
        }
        try require(database.path, what: "vault file", mode: fileMode, chmod: "600")
        for suffix in ["-wal", "-shm"] where try status(database.path + suffix) != nil {
            try require(database.path + suffix, what: "vault file", mode: fileMode, chmod: "600")
        }
    }

    private static func require(_ path: String, what: String, mode wanted: mode_t, chmod: String) throws(VaultError) {
        guard let st = try status(path) else {
            throw VaultError(.storage, "The \(what) \(path) is missing. Check the path given with --home or $SATCHEL_HOME.")
        }
        guard st.st_uid == geteuid() else {
            throw VaultError(
                .storage,
                "The \(what) \(path) belongs to user id \(st.st_uid), not to you (user id \(geteuid())): Satchel opens only a vault "
                    + "that is yours alone. Ask whoever runs this computer to give it to you (chown), or use a vault of your own.")
        }
        let found = st.st_mode & 0o7777
        guard found == wanted else {
            throw VaultError(
                .storage,
                "The \(what) \(path) has mode \(octal(found)); it must be \(octal(wanted)) (yours alone). "
                    + "Run: chmod \(chmod) \(shellQuoted(path))")
        }
    }

    /// `stat` of `path` (following links), nil when nothing is there.
    private static func status(_ path: String) throws(VaultError) -> stat? {
        var st = stat()
        if stat(path, &st) == 0 { return st }
        if errno == ENOENT { return nil }
        throw VaultError(.storage, "Couldn't check the permissions of \(path) (\(String(cString: strerror(errno)))).")
    }

    private static func createEmpty(_ path: String) throws(VaultError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else {
            throw VaultError(.storage, "Couldn't create the vault file \(path) (\(String(cString: strerror(errno)))).")
        }
        // The umask may have taken bits away, never added any: make it exactly 0600.
        let modeSet = fchmod(fd, fileMode) == 0
        close(fd)
        guard modeSet else {
            throw VaultError(.storage, "Couldn't make the vault file \(path) private (mode 0600).")
        }
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `path` as a shell word: bare when it is plain, else in single quotes.
    static func shellQuoted(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "/._-+,:@%".unicodeScalars.contains($0)
        }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
