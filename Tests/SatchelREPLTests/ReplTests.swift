import Foundation
import GRDB
import SatchelCore
import SatchelTestSupport
import SatchelUseCases
import Testing
@testable import SatchelREPL
@testable import SatchelStore

/// The REPL loop and its dispatcher, on a temporary vault, reading a scripted input.
@Suite("The REPL")
struct ReplTests {
    /// Runs `lines` through a REPL on a fresh vault with one service user (alias testy).
    func repl(_ lines: [String], role: Role = .clinician, bail: Bool = false) throws -> (SatchelREPL.ExitStatus, ScriptedPrompter, TemporaryVault) {
        let t = try TemporaryVault(role: role)
        let setup = ScriptedPrompter([], interactive: false)
        let door = Door(session: Session(vault: t.vault), prompter: setup)
        try door.capture(.serviceUser, given: FormAnswers(values: ["name": "Testy McTestface", "alias": "testy"]), userReference: nil, draftOnly: false)
        let input = ScriptedPrompter(lines.map { .answer($0) }, interactive: false)
        let replDoor = Door(session: Session(vault: t.vault), prompter: input)
        return (Repl(door: replDoor, input: input, bail: bail).run(), input, t)
    }

    @Test("help and help <command> show the same text as --help")
    func help() throws {
        let (status, out, t) = try repl(["help", "help contact add"])
        defer { t.remove() }
        #expect(status == .success)
        #expect(out.said.first?.contains("SUBCOMMANDS:") == true)
        #expect(out.said.contains { $0.contains("lock (lock now)") })
        #expect(out.said.last?.contains("USAGE: satchel contact add") == true)
        #expect(out.said.last?.contains("--kind <kind>") == true)
    }

    @Test("a near miss is refused with a suggestion; a unique prefix runs; the exit status is the first failure's")
    func nearMissesAndPrefixes() throws {
        let (status, out, t) = try repl(["contct add", "stat", "user lst"])
        defer { t.remove() }
        #expect(status == .usage)
        #expect(out.said.contains { $0.hasPrefix("Worker:  Test Mentor") })
    }

    @Test("--bail stops at the first failing line")
    func bail() throws {
        let (status, out, t) = try repl(["open nobody", "status"], bail: true)
        defer { t.remove() }
        #expect(status == .badInput)
        #expect(!out.said.contains { $0.hasPrefix("Worker:") })
    }

    @Test("open shows initials in the prompt; a second risk entry shows the change of grade")
    func riskChange() throws {
        let risk = "risk add --progress p --mental-state m --risk r --plan q --domain clinical"
        let (status, out, t) = try repl(["open testy", risk + " --likelihood 2 --impact 3", risk + " --likelihood 4 --impact 4"])
        defer { t.remove() }
        #expect(status == .success)
        #expect(out.prompts.last == "satchel T.M.> ")
        #expect(out.said.contains("Clinical risk graded Medium (2 × 3); risk first assessed as Medium."))
        #expect(out.said.contains("Clinical risk graded High (4 × 4); risk raised from Medium to High."))
    }

    @Test("a police mentor's clinical grade is recorded as contributory (SIM guide §43)")
    func contributory() throws {
        let (_, out, t) = try repl(["risk add --user testy --progress p --mental-state m --risk r --plan q --domain clinical --likelihood 1 --impact 1"], role: .police)
        defer { t.remove() }
        #expect(out.said.contains { $0.contains("Recorded as contributory: the final say on clinical risk is the clinician's (SIM guide §43).") })
    }

    @Test("reading history is audited as a view of each record")
    func historyIsAudited() throws {
        let (_, out, t) = try repl([
            "contact add --user testy --kind attempted --where phone --minutes 0 --summary \"No answer.\" --risk low",
            "history testy",
        ])
        defer { t.remove() }
        #expect(out.said.contains { $0.hasPrefix("T.M.: 1 record, newest first") })
        let views = try t.vault.db.read { try String.fetchAll($0, sql: "SELECT detail FROM audit WHERE action = 'view'") }
        #expect(views.contains("history"))
    }

    @Test("--home, --passphrase-fd and --idle-lock cannot be changed inside the REPL", arguments: [
        "status --home /tmp/elsewhere", "status --passphrase-fd 3", "status --idle-lock 1",
    ])
    func noGlobalsInside(line: String) throws {
        let (status, _, t) = try repl([line])
        defer { t.remove() }
        #expect(status == .usage)
    }
}
