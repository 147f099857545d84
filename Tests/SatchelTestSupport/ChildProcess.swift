import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `satchel` binary with chosen file descriptors, the way a shell
/// would run `satchel --passphrase-fd 3 status 3<passfile`. Foundation's Process
/// cannot hand over descriptors other than 0-2, so this uses posix_spawn.
public struct ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The satchel binary beside the test bundle (`swift build` puts both in the same folder).
    public static func satchelBinary() throws -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("satchel")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw Failure(message: "No satchel binary near \(CommandLine.arguments[0]); run `swift build` before `swift test`.")
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// A satchel process started and not yet waited for.
    public final class Running {
        public let pid: pid_t
        let dir: URL
        init(pid: pid_t, dir: URL) {
            self.pid = pid
            self.dir = dir
        }

        public func kill(_ signal: Int32 = SIGKILL) { _ = Glibc.kill(pid, signal) }

        /// Waits for it to end; the exit status, or 128 + the signal that ended it.
        public func wait() -> Result {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            defer { try? FileManager.default.removeItem(at: dir) }
            return Result(
                status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f),
                stdout: (try? String(contentsOfFile: dir.appendingPathComponent("out").path, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOfFile: dir.appendingPathComponent("err").path, encoding: .utf8)) ?? "")
        }
    }

    /// Runs `satchel arguments…`, with `fd3` (if given) readable on descriptor 3 and
    /// `stdin` (if given) on standard input, and waits for it.
    public static func runSatchel(_ arguments: [String], fd3: String? = nil, stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try startSatchel(arguments, fd3: fd3, stdin: stdin, environment: environment).wait()
    }

    /// Starts `satchel arguments…` and returns at once.
    public static func startSatchel(_ arguments: [String], fd3: String? = nil, stdin: String? = nil, environment: [String: String] = [:]) throws -> Running {
        let binary = try satchelBinary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let outPath = dir.appendingPathComponent("out").path
        let errPath = dir.appendingPathComponent("err").path
        let fd3Path = dir.appendingPathComponent("fd3").path
        let inPath = dir.appendingPathComponent("in").path
        try Data((fd3 ?? "").utf8).write(to: URL(fileURLWithPath: fd3Path))
        try Data((stdin ?? "").utf8).write(to: URL(fileURLWithPath: inPath))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if fd3 != nil { posix_spawn_file_actions_addopen(&actions, 3, fd3Path, O_RDONLY, 0) }

        var env = ProcessInfo.processInfo.environment
        env["SATCHEL_HOME"] = nil
        for (k, v) in environment { env[k] = v }
        let argv = [binary.path] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { a in
            withCStrings(envp) { e in posix_spawn(&pid, binary.path, &actions, nil, a, e) }
        }
        guard rc == 0 else { throw Failure(message: "posix_spawn failed: \(rc)") }
        return Running(pid: pid, dir: dir)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
