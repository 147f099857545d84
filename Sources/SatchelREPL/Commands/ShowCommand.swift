import ArgumentParser
import SatchelCore
import SatchelUseCases

/// `show RECORD`: one record, whole, and where it stands with each destination.
struct ShowCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one record in full: every field, its author and times, what it amends and what amends it, and its delivery to each destination (opening it is audited).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The record: the first characters of its id, as `history` and `queue` show them; or a pulled record's DEST/TYPE/ID, as `history` shows it.", valueName: "record"))
    var record: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run(in door: Door) throws {
        if record.contains("/") {
            // A pulled record (DEST/TYPE/ID): read-only, shown as it came.
            let p = try door.session.showPulled(record)
            if json {
                door.say(String(decoding: p.body, as: UTF8.self))
                return
            }
            door.say("\(p.summary) — pulled from the team, read-only")
            door.say("  \(p.key), pulled \(FieldDate.display(p.pulledAt)) (\(p.pulledAgo))\(p.lastUpdated.map { "; changed on the server \($0)" } ?? "")")
            door.say(String(decoding: p.body, as: UTF8.self))
            return
        }
        let v = try door.session.show(record)
        if json {
            try door.sayJSON(v)
            return
        }
        door.say("\(v.title) \(v.id.prefix(8)) for \(v.serviceUser) — \(v.state)")
        door.say("  written by \(v.author) (\(v.authorRole)) on \(v.createdAt)\(v.finalisedAt.map { ", finalised \($0)" } ?? "")")
        if let amends = v.amends { door.say("  amends \(amends)") }
        if !v.amendedBy.isEmpty { door.say("  amended by \(v.amendedBy.joined(separator: ", ")): the newest version is the current one") }
        if let follows = v.follows { door.say("  follows \(follows), the case's step before") }
        if let next = v.followedBy { door.say("  followed by \(next), the case's next step") }
        let width = min(28, (v.fields.map(\.label.count).max() ?? 0) + 1)
        for f in v.fields {
            let lines = f.value.split(separator: "\n", omittingEmptySubsequences: false)
            let label = f.label + ":"
            door.say("  \(label + String(repeating: " ", count: max(0, width - label.count))) \(lines.first.map(String.init) ?? "")")
            for more in lines.dropFirst() { door.say("  \(String(repeating: " ", count: width)) \(more)") }
        }
        if v.deliveries.isEmpty { door.say("  not queued for any destination") }
        for d in v.deliveries {
            var line = "  \(d.destination): \(d.state)"
            if let id = d.serverID { line += " as \(id)\(d.serverVersion.map { " version \($0)" } ?? "")" }
            if let reason = d.reason { line += " — \(reason)" }
            door.say(line)
            if let fix = d.fix { door.say("    to fix: \(fix)") }
        }
    }
}
