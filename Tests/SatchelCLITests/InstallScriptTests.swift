import Foundation
import SatchelTestSupport
import Testing

/// `scripts/install --prefix DIR`, as a person runs it: a release build, then `satchel`,
/// its man page and its completions where a shell finds them. `man` reads the page both
/// by path and by name. Missing tools fail the test: it never skips.
@Suite("scripts/install")
struct InstallScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let man = "/usr/bin/man"

    func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try ExternalTool.run(program, arguments, environment: environment)
    }

    @Test("installs satchel, its man page and bash, zsh and fish completions under --prefix; man reads the page; a second run is safe")
    func installIntoPrefix() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.man), "\(Self.man) is missing: scripts/bootstrap installs man-db")
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("a prefix")
        // `swift test` holds the build directory's lock while the tests run, and builds
        // nothing meanwhile; the script's release build runs at low priority beside them.
        for round in 1...2 {
            let installed = try run(
                "/usr/bin/nice", ["-n", "19", "bash", Self.root.appendingPathComponent("scripts/install").path, "--prefix", prefix.path],
                environment: ["SATCHEL_SWIFTPM_FLAGS": "--ignore-lock"])
            #expect(installed.status == 0, "round \(round): \(installed.output)")
            #expect(installed.output.contains("Installed under \(prefix.path):"), "round \(round): \(installed.output)")
        }

        let satchel = prefix.appendingPathComponent("bin/satchel").path
        let help = try run(satchel, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.hasPrefix("OVERVIEW: Offline-first field records"))

        let page = prefix.appendingPathComponent("share/man/man1/satchel.1").path
        let reading = ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100", "TERM": "dumb", "LANG": "C.UTF-8"]
        let byPath = try run(Self.man, ["-l", page], environment: reading)
        #expect(byPath.status == 0, "\(byPath.output)")
        for expected in ["NAME", "satchel", "Offline-first field records", "init", "--passphrase-fd", "sync"] {
            #expect(byPath.output.contains(expected), "man -l: no \(expected) in\n\(byPath.output.prefix(2000))")
        }
        var manpath = reading
        manpath["MANPATH"] = prefix.appendingPathComponent("share/man").path
        let byName = try run(Self.man, ["satchel"], environment: manpath)
        #expect(byName.status == 0, "\(byName.output)")
        #expect(byName.output == byPath.output, "MANPATH=… man satchel reads the same page")

        let completions = [
            ("share/bash-completion/completions/satchel", "complete -o filenames -F _satchel satchel"),
            ("share/zsh/site-functions/_satchel", "#compdef satchel"),
            ("share/fish/vendor_completions.d/satchel.fish", "complete -c 'satchel'"),
        ]
        for (path, marker) in completions {
            let text = try String(contentsOf: prefix.appendingPathComponent(path), encoding: .utf8)
            #expect(text.contains(marker), "\(path) has no \(marker)")
            #expect(text.contains("passphrase-fd"), "\(path) completes the options")
        }
    }
}
