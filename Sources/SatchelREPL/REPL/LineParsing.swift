import ArgumentParser

/// The REPL's pure steps for one line, with no session, no vault and no I/O: the entry
/// point of the libFuzzer target FuzzLineParser (fuzz/README.md, bench/reliability
/// campaign 9). Nothing here runs a command.
public enum LineParsing {
    /// The line's words exactly as the REPL splits them; nil when a quote is left open.
    public static func words(_ line: String) -> [String]? {
        try? CommandLineSplitter.split(line)
    }

    /// What the REPL does with these words short of running them: the built-ins, the
    /// expansion of command prefixes, then `CommandDispatcher.parse`. `outcome` is the
    /// parsed command (type and values) or the exit code and message the REPL would
    /// print; `mismatch` is nil when parsing from the root gives the same, as the
    /// dispatcher's leaf fast path promises, else both results.
    public static func parse(_ words: [String]) -> (outcome: String, mismatch: String?) {
        var args = words
        if let first = args.first, ["quit", "exit", "lock"].contains(first) { return (first, nil) }
        do {
            try CommandDispatcher.expandCommandWords(&args, interactive: true)
            if args.first == "help" {
                var rest = Array(args.dropFirst())
                try CommandDispatcher.expandCommandWords(&rest, interactive: true)
                args = ["help"] + rest
            }
        } catch {
            return (describe(.failure(error)), nil)
        }
        let fast = describe(Result { try CommandDispatcher.parse(args) })
        let root = describe(Result { try SatchelCommand.parseAsRoot(args) })
        return (fast, fast == root ? nil : "fast path: \(fast)\nroot: \(root)")
    }

    static func describe(_ result: Result<any ParsableCommand, any Error>) -> String {
        switch result {
        case .success(let command):
            return "\(type(of: command)): \(String(describing: command))"
        case .failure(let failure as CommandFailure):
            return "exit \(failure.status.rawValue): \(failure.message)"
        case .failure(let error):
            return "exit \(SatchelCommand.exitCode(for: error).rawValue): \(SatchelCommand.fullMessage(for: error))"
        }
    }
}
