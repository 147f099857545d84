import ArgumentParser
import Foundation
import SatchelCore

/// What Tab offers at the REPL prompt: commands, then subcommands, then the
/// command's flags; after a flag, its allowed values; after `--user`, `open` or
/// `history`, service users by alias or name. Flags come from the command tree
/// itself (the same description `--help` is made from), values from the forms.
struct Completions {
    let userHandles: () -> [String]
    /// "contact add" → ["--kind", "--at", …].
    let flags: [String: [String]]

    init(userHandles: @escaping () -> [String]) {
        self.userHandles = userHandles
        flags = Self.flagsFromTree()
    }

    func candidates(after tokens: [String], word: String) -> [String] {
        guard let first = tokens.first else { return CommandDispatcher.commandNames + CommandDispatcher.builtIns }
        let subs = CommandDispatcher.subcommandNames(of: first)
        if tokens.count == 1 && !subs.isEmpty && !word.hasPrefix("-") { return subs }
        if first == "help" { return tokens.count == 1 ? CommandDispatcher.commandNames : CommandDispatcher.subcommandNames(of: tokens[1]) }
        let path = subs.isEmpty ? first : tokens.prefix(2).joined(separator: " ")
        if let previous = tokens.last, previous.hasPrefix("--"), tokens.count > 1 {
            let flag = String(previous.dropFirst(2))
            if flag == "user" { return userHandles() }
            if let field = RecordKind.allCases.map(\.form).first(where: { $0.command == path })?.field(flag) { return field.choices }
        }
        if word.hasPrefix("-") || !["open", "history"].contains(first) {
            return flags[path] ?? []
        }
        return userHandles()
    }

    /// Every command's long options, from the tree's own description of itself.
    static func flagsFromTree() -> [String: [String]] {
        var out: [String: [String]] = [:]
        do {
            _ = try SatchelCommand.parseAsRoot(["--experimental-dump-help"])
        } catch {
            let dump = SatchelCommand.fullMessage(for: error)
            guard let root = try? JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any],
                  let command = root["command"] as? [String: Any] else { return out }
            func walk(_ c: [String: Any], _ path: [String]) {
                let args = c["arguments"] as? [[String: Any]] ?? []
                let longs = args.compactMap { a -> String? in
                    guard let names = a["names"] as? [[String: Any]],
                          let n = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                          !["help", "home", "passphrase-fd"].contains(n) else { return nil }
                    return "--\(n)"
                }
                out[path.joined(separator: " ")] = longs
                for s in c["subcommands"] as? [[String: Any]] ?? [] {
                    if let name = s["commandName"] as? String { walk(s, path + [name]) }
                }
            }
            walk(command, [])
        }
        if let top = out["top add"] { out["top add"] = top + TOPFieldFlags.all }
        return out
    }
}

/// The TOP items, which `top add` takes as `--item value`.
enum TOPFieldFlags {
    static var all: [String] { RecordKind.top.form.fields.map { "--\($0.flag)" } }
}
