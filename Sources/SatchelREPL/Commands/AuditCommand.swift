import ArgumentParser
import SatchelStore

/// `satchel audit …`: the tamper-evident log of who did what.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit log.",
        subcommands: [Verify.self])

    struct Verify: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Walk the hash chain and name the first broken link.")

        @OptionGroup var global: GlobalOptions

        func run(in door: Door) throws {
            let result = try door.session.verifyAudit()
            if let broken = result.firstBreak {
                throw CommandFailure(status: .integrity, message: "Audit log broken: \(broken). Keep this vault as it is and tell your team lead.")
            }
            door.say("Audit log intact: \(result.length) entries, head \(result.head).")
        }
    }
}
