import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `queue`: what waits for each destination, and what is held back and why — so
/// nobody wonders why the police system never got a note.
struct QueueCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show what waits to be delivered to each destination, what was rejected, and what the sharing policy holds back, with reasons.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run(in door: Door) throws {
        var ordered = try door.session.queue()
        let gaps = try door.session.privacyNoticeGaps()
        for i in ordered.indices { ordered[i].withoutPrivacyNotice = gaps.people(for: ordered[i].name) }
        defer { for gap in gaps { Console.error("Warning: \(gap.warning)") } }
        if json {
            try door.sayJSON(ordered)
            return
        }
        if ordered.isEmpty {
            door.say("No destinations. Add one with: destination add NAME --url https://…")
        }
        for q in ordered {
            guard q.registered else {
                door.say("\(q.name) (new in the configuration): its records are checked against its sharing policy at the next sync")
                continue
            }
            let count = { (s: String) in q.items.filter { $0.state == s }.count }
            door.say("\(q.name)\(q.folder.map { " (folder \($0))" } ?? "")\(q.configured ? "" : " (not configured)"): \(count("pending")) pending, \(count("in-flight")) in flight, \(count("rejected")) rejected, \(count("held")) held")
            for i in q.items {
                door.say("  \(i.state.padding(toLength: 9, withPad: " ", startingAt: 0)) \(i.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(i.record)  \(i.serviceUser.padding(toLength: 6, withPad: " ", startingAt: 0))\(i.reason.map { "  \($0)" } ?? "")")
            }
        }
    }
}
