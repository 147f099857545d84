import ArgumentParser
import SatchelStore

/// `satchel check`: everything the vault authenticates, checked at once.
struct CheckCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the whole vault: its header, the audit log, every record, route and sealed value.",
        discussion: "Names each thing changed outside Satchel; exit status 70 when anything is found.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run(in door: Door) throws {
        let findings = try door.session.check()
        if json {
            try door.sayJSON(findings)
        } else if findings.isEmpty {
            door.say("Vault intact: the header, the audit log, every record, route and sealed value check out.")
        } else {
            door.say(findings.map { "- \($0.what): \($0.problem)." }.joined(separator: "\n"))
        }
        guard findings.isEmpty else {
            throw CommandFailure(
                status: .integrity,
                message: "\(findings.count) problem(s) found: the vault was changed outside Satchel. Nothing named above is shown as valid or sent. Keep this vault as it is and tell your team lead.")
        }
    }
}
