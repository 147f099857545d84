import ArgumentParser
import SatchelUseCases

/// `satchel export USER --out FILE`: the person's records, for them to read (SIM guide §54).
struct ExportCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write everything recorded about a service user to a file for them to read (SIM §54; audited as an export).",
        discussion: """
            Final records only, oldest first. The extension says the format: .pdf a readable document, \
            .json a FHIR R4 collection Bundle of the same records, .txt plain text. The file is plaintext \
            personal data, made with mode 0600; it is never written over an existing file unless --force.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?
    @Option(help: ArgumentHelp("The file to write, ending .pdf, .json or .txt.", valueName: "file")) var out: String
    @Flag(help: "Remove the person's name, NHS number, address, date of birth and police reference (for an email summary).")
    var redact = false
    @Flag(help: "Replace the file if one is already there.") var force = false

    func run(in door: Door) throws {
        let summary = try door.session.export(user: user, to: out, redact: redact, force: force)
        let removed = summary.redacted ? "; identifying details removed" : ""
        door.say("Wrote \(summary.records) record\(summary.records == 1 ? "" : "s") to \(out) (\(summary.format.rawValue), mode 0600\(removed)).")
        if !summary.purged.isEmpty {
            let named = summary.purged.map { "\($0.kind.rawValue) \($0.id.uuidString.lowercased().prefix(8))" }.joined(separator: ", ")
            door.say("Not in the file: \(summary.purged.count) record(s) delivered and purged from this device (the central systems hold them): \(named).")
        }
        if !summary.damaged.isEmpty {
            let named = summary.damaged.map { "\($0.kind.rawValue) \($0.id.uuidString.lowercased().prefix(8))" }.joined(separator: ", ")
            throw CommandFailure(
                status: .integrity,
                message: "\(summary.damaged.count) record(s) were changed outside Satchel and are not in the file: \(named). Run `satchel check`, keep this vault as it is and tell your team lead.")
        }
    }
}
