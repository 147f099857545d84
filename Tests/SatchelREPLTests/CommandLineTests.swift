import Testing
@testable import SatchelREPL

@Suite("Reading a REPL line")
struct CommandLineTests {
    @Test(
        "lines split the way a shell would",
        arguments: [
            ("contact add --kind phone", ["contact", "add", "--kind", "phone"]),
            (#"contact add --summary "Calm, engaged""#, ["contact", "add", "--summary", "Calm, engaged"]),
            (#"open 'Testy McTestface'"#, ["open", "Testy McTestface"]),
            (#"consent add --with Aunt\ Testy"#, ["consent", "add", "--with", "Aunt Testy"]),
            (#"x --summary "said \"no\" twice""#, ["x", "--summary", #"said "no" twice"#]),
            (#"x --summary """#, ["x", "--summary", ""]),
            ("  spaced   out  ", ["spaced", "out"]),
            ("", []),
        ])
    func split(line: String, expected: [String]) throws {
        #expect(try CommandLineSplitter.split(line) == expected)
    }

    @Test("an unbalanced quote is an error that says how to fix it")
    func unbalanced() {
        let double = #expect(throws: CommandFailure.self) { try CommandLineSplitter.split(#"contact add --summary "Calm"#) }
        #expect(double?.status == .usage)
        #expect(double?.message == #"Unbalanced " quote: close it, or escape it with a backslash."#)
        let single = #expect(throws: CommandFailure.self) { try CommandLineSplitter.split("contact add --summary 'Calm") }
        #expect(single?.status == .usage)
        #expect(single?.message == "Unbalanced ' quote: close it, or escape it with a backslash.")
    }

    @Test(
        "near misses get a suggestion; unique prefixes are accepted",
        arguments: [("contct", "contact"), ("stauts", "status"), ("histroy", "history"), ("draft", "drafts"), ("boundry", "boundary")])
    func nearMiss(typed: String, expected: String) {
        #expect(NearMiss.suggestion(for: typed, among: CommandDispatcher.commandNames) == expected)
    }

    @Test("a prefix shared by two commands is not guessed")
    func ambiguousPrefix() {
        #expect(NearMiss.uniquePrefix("con", among: CommandDispatcher.commandNames) == nil)
        #expect(NearMiss.uniquePrefix("cont", among: CommandDispatcher.commandNames) == "contact")
        #expect(NearMiss.suggestion(for: "zzzzzz", among: CommandDispatcher.commandNames) == nil)
    }

    @Test(
        "the leaf parser's fast path gives the root parser's command, and the root's message on error",
        arguments: [
            #"contact add --user fp --kind phone --where phone --minutes 5 --summary "Bench call" --risk low"#,
            "contact add --user fp --kind phone --minutes many",
            #"contact add --user fp --kind home-visit --at "2026-01-05 10:00" --where Home --minutes 30 --relative Mum --present Sam --present Jo --professional "GP; Dr Who" --police-present "PC A" --summary S --risk medium --draft"#,
            "contact add --kind phone",
            "contact add --user fp --user gg --kind phone",
            "contact add --user fp --draft --draft",
            "contact add --user=fp --kind phone",
            "contact add --user fp --summary -x",
            "contact add --user fp --summary",
            #"contact add --user fp --summary """#,
            "contact add --user fp --home /tmp/elsewhere",
            "contact add --user fp --idle-lock 0",
            "contact add --user fp -h",
            "contact add --user fp extra",
            "contact add --user fp -- --kind phone",
            "risk add --user fp --progress P --mental-state calm --risk none --plan rest --likelihood 2 --impact 2",
            "risk add --user fp --present Sam",
            "contact add --no-such-flag",
            "contact add --help",
            "consent add --user fp --scope share --with fixture --decision given --risk low",
            "user add --name Testy --alias tt",
            "risk add --user fp --domain self-harm --likelihood 3 --impact 4",
            "top add --user fp --stage start",
            "sync --dry-run --json",
            "status --json",
            "queue",
            "history --user fp",
            "drafts --resume",
            "destination add",
            "--version",
        ])
    func fastPathMatchesRoot(line: String) throws {
        let words = try CommandLineSplitter.split(line)
        let fast = Result { try CommandDispatcher.parse(words) }
        let root = Result { try SatchelCommand.parseAsRoot(words) }
        switch (fast, root) {
        case (.success(let a), .success(let b)):
            #expect(String(describing: type(of: a)) == String(describing: type(of: b)))
            #expect(String(describing: a) == String(describing: b))
        case (.failure(let a), .failure(let b)):
            #expect(SatchelCommand.fullMessage(for: a) == SatchelCommand.fullMessage(for: b))
            #expect(SatchelCommand.exitCode(for: a) == SatchelCommand.exitCode(for: b))
        default:
            Issue.record("fast path \(fast) but root \(root)")
        }
    }

    @Test("a plain capture line is built without ArgumentParser; anything else is left to it")
    func plainCaptureLines() throws {
        func plain(_ line: String) throws -> Bool {
            let words = try CommandLineSplitter.split(line)
            return ContactCommand.Add.plain(words.dropFirst(2)) != nil
        }
        #expect(try plain(#"contact add --user fp --kind phone --where phone --minutes 5 --summary "Bench call" --risk low"#))
        #expect(try plain("contact add --user fp --present Sam --present Jo --draft"))
        for odd in ["contact add --user fp --user gg", "contact add --user=fp", "contact add --summary -x", "contact add --summary",
                    "contact add --home /tmp/x", "contact add -h", "contact add --help", "contact add extra", "contact add --draft --draft"] {
            #expect(try !plain(odd), "\(odd)")
        }
    }
}
