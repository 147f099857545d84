import ArgumentParser
import SatchelUseCases

/// `purge`: remove from this device the bodies of records every destination has acknowledged.
struct PurgeCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove from this device the content of records delivered to every destination due to receive them (contacts, risk entries, TOP forms, boundary discussions).",
        discussion: "The header, the delivery receipts and the audit trail stay; a record not yet delivered everywhere, or held from any destination, is kept whole. See docs/security.md, \"Retention\".")
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("dry-run"), help: "List what would be purged; change nothing.") var dryRun = false
    @Flag(help: "Print the list as JSON.") var json = false

    func run(in door: Door) throws {
        let report = try door.session.purge(dryRun: dryRun)
        if json {
            try door.sayJSON(report)
            return
        }
        let n = report.items.count
        if n == 0 {
            door.say("Nothing to purge: no record of a kind that may go is delivered everywhere it is due.")
            return
        }
        door.say(dryRun
            ? "Would purge \(n) delivered record\(n == 1 ? "" : "s") (nothing changed):"
            : "Purged \(n) delivered record\(n == 1 ? "" : "s"): their content is no longer on this device; headers, receipts and the audit trail stay.")
        for i in report.items { door.say("  \(i.record) \(i.kind) for \(i.serviceUser), delivered \(i.deliveredAt)") }
    }
}
