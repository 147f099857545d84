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
        #expect(throws: CommandLineSplitter.UnbalancedQuote(quote: "\"")) { try CommandLineSplitter.split(#"contact add --summary "Calm"#) }
        #expect(CommandLineSplitter.UnbalancedQuote(quote: "'").message == "Unbalanced ' quote: close it, or escape it with a backslash.")
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
}
