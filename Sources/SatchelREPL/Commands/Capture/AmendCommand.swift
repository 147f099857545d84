import ArgumentParser
import SatchelCore

/// `amend RECORD`: a correction, as a new record that names the one it amends.
struct AmendCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend",
        abstract: "Correct a final record: its form opens with its answers filled in; what is saved is a new record that amends it (the newest version, if it was amended before).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The record: the first characters of its id, as `history` shows them.", valueName: "record"))
    var record: String
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("A changed answer, as FIELD=VALUE with the field's flag name (e.g. --set summary=\"…\"); repeatable. Without a terminal, the record is saved with these changes.", valueName: "field=value"))
    var changes: [String] = []
    @Flag(help: "Keep the amendment as a draft instead of finalising it.") var draft = false

    func run(in door: Door) throws {
        let opened = try door.session.startAmend(record)
        var given = FormAnswers()
        for change in changes {
            let parts = change.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let flag = parts.first?.trimmingCharacters(in: .whitespaces), opened.0.form.field(flag) != nil else {
                let flags = opened.0.form.fields.map(\.flag).joined(separator: ", ")
                // The value may be personal data: only the field part is repeated.
                let field = change.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                throw CommandFailure(status: .badInput, message: "--set: \(FieldError.quote(field)) is not a field of \(opened.0.form.command); give FIELD=VALUE with one of: \(flags).")
            }
            given[flag] = parts[1]
        }
        try door.amend(opened, changes: given, draftOnly: draft)
    }
}
