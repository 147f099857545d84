import ArgumentParser
import SatchelCore

/// `open <user>`: makes a service user current in the REPL.
struct OpenCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Make a service user current, so later commands need no --user. The prompt shows their initials only.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The service user, by alias or name.", valueName: "user")) var user: String

    func run(in door: Door) throws {
        let (id, u) = try door.session.resolveUser(user)
        door.session.openUser = id
        door.say("Opened \(u.initials): records you add now are about them; `close` to stop.")
        if let state = try door.session.caseSummary(of: id) { door.say("Case: \(state).") }
        for note in try door.session.caseloadNotes(of: id) { door.say("From the team: \(note).") }
        for detail in try door.session.caseloadDetails(of: id) { door.say("  \(detail)") }
        let standing = try door.session.standing(of: id)
        if let note = standing.engagement.returnNote { door.say(note) }
        for warning in standing.warnings { Console.error("Warning: \(warning)") }
    }
}

/// `close`: no service user is current any more.
struct CloseCommand: SessionCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Stop working on the open service user.")
    @OptionGroup var global: GlobalOptions

    func run(in door: Door) throws {
        door.session.openUser = nil
        door.say("No service user is open.")
    }
}
