import Foundation
import SatchelTestSupport
import Testing

/// A mentor's home visit, typed into the real binary under a pseudo-terminal:
/// readline, prompts, Tab, multi-line notes, summaries — then the laptop dies
/// mid-form (kill -9) and the draft resumes with every answered field.
@Suite("A home visit at the terminal")
struct HomeVisitTests {
    static let passphrase = "correct horse battery staple"

    final class Visit {
        let dir: URL
        var home: String { dir.appendingPathComponent("vault").path }

        init() throws {
            dir = try TemporaryVault.makeDirectory()
            let made = try ChildProcess.runSatchel(
                ["--home", home, "--passphrase-fd", "3", "init", "--name", "Test Mentor", "--role", "clinician"],
                fd3: HomeVisitTests.passphrase + "\n")
            guard made.status == 0 else { throw ChildProcess.Failure(message: made.stderr) }
        }

        /// Starts the REPL on a terminal and unlocks it.
        func start() throws -> PseudoTerminal {
            let pty = try PseudoTerminal(
                executable: try ChildProcess.satchelBinary().path, arguments: ["--home", home],
                environment: ["TERM": "xterm", "HOME": dir.path, "INPUTRC": "/dev/null", "PATH": "/usr/bin:/bin"])
            try pty.expect("Passphrase: ")
            try pty.sendLine(HomeVisitTests.passphrase)
            try pty.expect("Type help for help")
            #expect(!pty.transcript.contains(HomeVisitTests.passphrase), "the passphrase was echoed")
            return pty
        }

        func status() throws -> [String: [String: Int]] {
            let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "status", "--json"], fd3: HomeVisitTests.passphrase + "\n")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            return json?["records"] as? [String: [String: Int]] ?? [:]
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    /// Answers one prompt: waits for it, checks it, types the answer.
    func answer(_ pty: PseudoTerminal, _ prompt: String, _ text: String) throws {
        try pty.expect(prompt)
        try pty.sendLine(text)
    }

    @Test("open a user, then contact, risk entry, TOP and consent are typed and finalised; a killed form resumes")
    func wholeVisit() throws {
        let visit = try Visit()
        let pty = try visit.start()

        // The service user, with the optional questions skipped.
        try answer(pty, "satchel> ", #"user add --name "Testy McTestface" --alias testy"#)
        for _ in 0..<7 { try answer(pty, "(optional): ", "") }
        try answer(pty, "[f]: ", "f")
        try pty.expect("Saved service user")

        // open, completed with Tab; the prompt shows initials only.
        try pty.expect("satchel> ")
        try pty.send("open tes")
        try pty.sendKey(.tab)
        try pty.sendLine("")
        try pty.expect("Opened T.M.")
        try pty.expect("satchel T.M.> ")

        // Consent to involve a family member, so she may be named as present.
        try pty.sendLine("consent add")
        try answer(pty, "Consent to what [", "involve")
        try answer(pty, "With whom [", "Aunt Testy")
        try answer(pty, "Decision [", "given")
        try answer(pty, "How [verbal, written] (verbal): ", "")
        try answer(pty, "Review date [", "")
        try answer(pty, "Current risk level [high, medium, low]: ", "medium")
        try answer(pty, "[f]: ", "f")
        try pty.expect("Saved and finalised consent")

        // The contact: the kind completed with Tab, ? for help, notes over two lines.
        try answer(pty, "satchel T.M.> ", "contact add")
        try pty.expect("Kind of contact [")
        try pty.send("face")
        try pty.sendKey(.tab)
        try pty.sendLine("")
        try answer(pty, "When [", "")
        try answer(pty, "Where [", "home")
        try answer(pty, "Minutes [0-1440]: ", "?")
        try pty.expect("How long the contact lasted")
        try answer(pty, "Minutes [0-1440]: ", "45")
        try answer(pty, "Family or friends present [", "Aunt Testy")
        try answer(pty, "Professionals present [", "Dr Fictional (Testshire Ambulance Service)")
        try answer(pty, "Police mentors or officers present [", "")
        try pty.expect("Summary [")
        try pty.sendLine("Calm and engaged; kitchen tidy.")
        try pty.sendLine("Agreed the weekly plan.")
        try pty.sendLine(".")
        try answer(pty, "Current risk level [high, medium, low] (medium): ", "")
        let summary = try pty.expect("[f]: ")
        #expect(summary.contains("face-to-face"))
        #expect(summary.contains("Aunt Testy"))
        #expect(summary.contains("Dr Fictional (Testshire Ambulance Service)"))
        try pty.sendLine("f")
        try pty.expect("Saved and finalised contact")

        // The risk entry (SIM guide §46), graded by the matrix.
        try answer(pty, "satchel T.M.> ", "risk add")
        for part in ["Progress notes", "Mental state", "Risk [", "Intervention plan"] {
            try pty.expect(part)
            try pty.sendLine("Noted for \(part.lowercased()).")
            try pty.sendLine(".")
        }
        try answer(pty, "Likelihood", "3")
        try answer(pty, "Impact", "4")
        try answer(pty, "Risk domain [clinical, criminal] (clinical): ", "")
        try answer(pty, "[f]: ", "f")
        try pty.expect("Clinical risk graded Medium (3 × 4)")

        // The TOP form, every item answered at its prompt.
        try answer(pty, "satchel T.M.> ", "top add --stage review")
        var items = 0
        while true {
            let (_, text) = try pty.expect(anyOf: ["]: ", "): "])
            let prompt = text.split(separator: "\n").last.map(String.init) ?? text
            if prompt.contains("Finalise (f)") { try pty.sendLine("f"); break }
            items += 1
            if prompt.hasPrefix("Alcohol: days used") { try pty.sendLine("2") }
            else if prompt.contains("[0-7") { try pty.sendLine("0") }
            else if prompt.contains("average amount") { try pty.sendLine("3.5") }
            else if prompt.contains("[yes, no") { try pty.sendLine("no") }
            else if prompt.contains("0-20") { try pty.sendLine("14") }
            else { try pty.sendLine("") }  // interview date today, risk: the default
        }
        try pty.expect("Saved and finalised top")
        #expect(items > 60)  // the injecting follow-ups and unused amounts were skipped

        // Consent to share with the NHS record, partly given as flags.
        try answer(pty, "satchel T.M.> ", "consent add --scope share --with nhs-epr --decision given --method written --risk medium")
        try answer(pty, "Review date [", "")
        try answer(pty, "Also covers records written from [", "")
        try answer(pty, "[f]: ", "f")
        try pty.expect("Saved and finalised consent")

        // A phone call starts being recorded; the battery dies at the fifth question.
        try answer(pty, "satchel T.M.> ", "contact add")
        try answer(pty, "Kind of contact [", "phone")
        try answer(pty, "When [", "")
        try answer(pty, "Where [", "phone")
        try answer(pty, "Minutes [0-1440]: ", "10")
        try pty.expect("Family or friends present [")
        pty.kill(signal: SIGKILL)
        #expect(try pty.waitForExit() == 137)

        // Back on: the draft is there with its four answers and resumes at the fifth question.
        let again = try visit.start()
        try answer(again, "satchel> ", "drafts")
        let list = try again.expect("Resume one with")
        #expect(list.contains("contact"))
        #expect(list.contains("T.M."))
        #expect(list.contains("4 of 9 answered"))
        try answer(again, "satchel> ", "drafts --resume 1")
        let first = try again.expect("Family or friends present [")
        #expect(!first.contains("Kind of contact"))
        try again.sendLine("")
        try answer(again, "Professionals present [", "")
        try answer(again, "Police mentors or officers present [", "")
        try again.expect("Summary [")
        try again.sendLine("Short call; no change.")
        try again.sendLine(".")
        try answer(again, "Current risk level", "")
        let resumed = try again.expect("[f]: ")
        for (field, value) in [("kind", "phone"), ("where", "phone"), ("minutes", "10")] {
            #expect(resumed.contains(field.padding(toLength: 28, withPad: " ", startingAt: 0) + "  " + value), "\(field) kept")
        }
        #expect(resumed.range(of: #"  at {26}  \d\d/\d\d/\d{4} \d\d:\d\d\n"#, options: .regularExpression) != nil, "at shows the time \"now\" resolved to")
        try again.sendLine("f")
        try again.expect("Saved and finalised contact")
        try again.expect("satchel> ")
        try again.sendControl("d")
        try again.expect("Locked.")
        #expect(try again.waitForExit() == 0)

        // Command lines carry personal data: no history file, nothing but the vault under $HOME.
        let written = FileManager.default.enumerator(atPath: visit.dir.path)?.allObjects as? [String] ?? []
        #expect(written.allSatisfy { $0 == "vault" || $0.hasPrefix("vault/vault.sqlite") }, "unexpected files: \(written)")
        #expect(FileSearch.files(under: visit.dir, containing: Array("Aunt Testy".utf8)).isEmpty)

        let records = try visit.status()
        #expect(records["service-user"] == ["draft": 0, "final": 1])
        #expect(records["contact"] == ["draft": 0, "final": 2])
        #expect(records["risk"] == ["draft": 0, "final": 1])
        #expect(records["top"] == ["draft": 0, "final": 1])
        #expect(records["consent"] == ["draft": 0, "final": 2])
    }

    @Test("Ctrl-C leaves a form and keeps it as a draft; the REPL carries on; idle locks and the passphrase resumes")
    func interruptAndIdleLock() throws {
        let visit = try Visit()
        let pty = try PseudoTerminal(
            executable: try ChildProcess.satchelBinary().path, arguments: ["--home", visit.home, "--idle-lock", "0.1"],
            environment: ["TERM": "xterm", "HOME": visit.dir.path, "INPUTRC": "/dev/null", "PATH": "/usr/bin:/bin"])
        try answer(pty, "Passphrase: ", Self.passphrase)
        try answer(pty, "satchel> ", "user add --name Testy")
        try answer(pty, "Alias [", "testy")
        try pty.expect("Date of birth")
        try pty.sendControl("c")
        try pty.expect("Kept as a draft")
        try answer(pty, "satchel> ", "drafts")
        #expect(try pty.expect("Resume one with").contains("2 of 9 answered"))

        // Half a command typed, then nothing for 6 s: locked, screen cleared.
        try pty.expect("satchel> ")
        try pty.send("stat")
        try pty.expect("Satchel is locked", timeout: 15)
        try answer(pty, "Passphrase: ", "not the passphrase")
        try pty.expect("Wrong passphrase")
        try answer(pty, "Passphrase: ", Self.passphrase)
        try pty.expect("Unlocked.")
        try pty.expect("Warning: 1 failed unlock attempt since your last unlock")
        try pty.sendLine("us")  // completes the half-typed "stat" to "status"
        try pty.expect("Worker:  Test Mentor (clinician)")
        try pty.expect("satchel> ")
        try pty.sendControl("d")
        #expect(try pty.waitForExit() == 0)
        #expect(!pty.transcript.contains(Self.passphrase), "the passphrase was echoed")
    }

    @Test("a form started from the shell locks when idle, and after a stop past the timeout at the first key, which is not read; nothing typed is lost")
    func shellFormIdleLock() throws {
        let visit = try Visit()
        let pty = try PseudoTerminal(
            executable: try ChildProcess.satchelBinary().path,
            arguments: ["--home", visit.home, "--idle-lock", "0.1", "user", "add", "--name", "Testy McTestface"],
            environment: ["TERM": "xterm", "HOME": visit.dir.path, "INPUTRC": "/dev/null", "PATH": "/usr/bin:/bin"])
        try answer(pty, "Passphrase: ", Self.passphrase)

        // Half an answer typed, then nothing for 6 s: locked, the key wiped, the passphrase asked.
        try pty.expect("Alias [")
        try pty.send("te")
        try pty.expect("Satchel is locked", timeout: 15)
        try answer(pty, "Passphrase: ", Self.passphrase)
        try pty.expect("Unlocked.")
        try pty.send("s")  // the same question, the half-typed answer kept

        // The process stopped (as if the laptop slept) past the timeout; a key pressed
        // meanwhile locks before it is read, so it lands in no answer.
        try pty.expect("tes")
        pty.kill(signal: SIGSTOP)
        Thread.sleep(forTimeInterval: 7)
        try pty.send("X")
        pty.kill(signal: SIGCONT)
        try pty.expect("Satchel is locked", timeout: 15)
        try answer(pty, "Passphrase: ", Self.passphrase)
        try pty.expect("Unlocked.")
        try pty.sendLine("ty")
        for _ in 0..<7 { try answer(pty, "(optional): ", "") }
        try answer(pty, "[f]: ", "f")
        try pty.expect("Saved service user")
        #expect(try pty.waitForExit() == 0)
        #expect(!pty.transcript.contains(Self.passphrase), "the passphrase was echoed")

        let list = try ChildProcess.runSatchel(["--home", visit.home, "--passphrase-fd", "3", "user", "list", "--json"], fd3: Self.passphrase + "\n")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["alias"] as? String } == ["testy"])
    }
}

/// `amend` at the terminal: the form opens with the record's answers, one is changed, and
/// the new record names the old.
@Suite("Amending at the terminal")
struct AmendAtTerminalTests {
    @Test("amend opens the contact with its answers filled in; one is changed; the new record amends the old")
    func amendOneField() throws {
        let visit = try HomeVisitTests.Visit()
        func run(_ args: [String]) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(["--home", visit.home, "--passphrase-fd", "3"] + args, fd3: HomeVisitTests.passphrase + "\n")
        }
        _ = try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
        let saved = try run(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "First wording.", "--risk", "low"])
        let old = try #require(saved.stdout.range(of: #"contact ([0-9a-f]{8})"#, options: .regularExpression).map { String(saved.stdout[$0].suffix(8)) })

        let pty = try visit.start()
        try pty.sendLine("amend \(old)")
        _ = try pty.expect("First wording.")  // the summary shows the answers as they were
        _ = try pty.expect("Finalise (f), change a field (c) or keep as draft (d)? [f]: ")
        try pty.sendLine("c")
        _ = try pty.expect("Which field? [")
        try pty.sendLine("minutes")
        _ = try pty.expect("Minutes")
        try pty.sendLine("45")
        _ = try pty.expect("Finalise (f), change a field (c) or keep as draft (d)? [f]: ")
        try pty.sendLine("f")
        _ = try pty.expect("Saved and finalised contact")
        try pty.sendLine("quit")
        _ = try pty.waitForExit()

        let history = try run(["history", "testy"]).stdout
        #expect(history.contains("(amends \(old))"), "\(history)")
        let newer = try #require(history.split(separator: "\n").first { $0.contains("(amends \(old))") })
        #expect(newer.contains("First wording."), "the answers not changed are kept")
    }
}
