import Foundation
import SatchelREPL
import SatchelTestSupport
import Testing

/// docs/commands.md must describe exactly the commands and options the code has.
@Suite("docs/commands.md matches the command tree")
struct CommandDocsTests {
    struct Command {
        let path: String
        let options: [String]
    }

    /// The command tree as the binary itself describes it.
    func commandTree() throws -> [Command] {
        let dump = try ChildProcess.runSatchel(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var out: [Command] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            let args = c["arguments"] as? [[String: Any]] ?? []
            let options = args.compactMap { a -> String? in
                guard let names = a["names"] as? [[String: Any]] else { return nil }
                return names.first { $0["kind"] as? String == "long" }?["name"] as? String
            }
            out.append(Command(path: path.joined(separator: " "), options: options.filter { $0 != "help" }))
            for s in c["subcommands"] as? [[String: Any]] ?? [] {
                if let name = s["commandName"] as? String, name != "help" { walk(s, path + [name]) }
            }
        }
        walk(try #require(root["command"] as? [String: Any]), ["satchel"])
        return out
    }

    func docs() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/commands.md"), encoding: .utf8)
    }

    /// The text of each `### \`satchel …\`` section, by command path.
    func sections(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { current = nil }
            if line.hasPrefix("### `"), line.hasSuffix("`") {
                current = String(line.dropFirst(5).dropLast())
                out[current ?? ""] = ""
            } else if let c = current {
                out[c, default: ""] += line + "\n"
            }
        }
        return out
    }

    @Test("every command has a section that names each of its own options, and every section is a real command")
    func docsMatch() throws {
        let tree = try commandTree()
        let text = try docs()
        let documented = sections(text)
        let global = ["home", "passphrase-fd", "config", "idle-lock"]
        #expect(tree.count >= 5)
        for c in tree where c.path != "satchel" {
            let section = try #require(documented[c.path], "docs/commands.md has no section for `\(c.path)`")
            for o in c.options where !global.contains(o) {
                #expect(section.contains("`--\(o)"), "`\(c.path)` option --\(o) is not described in its section")
            }
        }
        let real = Set(tree.map(\.path))
        for heading in documented.keys {
            #expect(real.contains(heading), "docs/commands.md describes `\(heading)`, which is not a command")
        }
        for o in tree.first(where: { $0.path == "satchel" })?.options ?? [] {
            #expect(text.contains("`--\(o)"), "global option --\(o) is not described")
        }
    }

    @Test("every exit status the code can return is in the table")
    func exitStatuses() throws {
        let text = try docs()
        for status in ExitStatus.allCases {
            #expect(text.contains("| \(status.rawValue) |"), "exit status \(status.rawValue) (\(status)) is not documented")
        }
    }
}
