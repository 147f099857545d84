import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore

/// `queue`: what waits for each destination, and what is held back and why — so
/// nobody wonders why the police system never got a note.
struct QueueCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show what waits to be delivered to each destination, what was rejected, and what the sharing policy holds back, with reasons.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    struct Item: Encodable {
        let record: String
        let kind: String
        let serviceUser: String
        let state: String
        let attempts: Int?
        let reason: String?
    }

    struct DestinationQueue: Encodable {
        let name: String
        let configured: Bool
        var items: [Item]
    }

    func run(in session: Session) throws {
        try session.reevaluateHeld()
        let configured = Set(try session.config().destinations.map(\.name))
        let headers = Dictionary(uniqueKeysWithValues: try session.vault.headers(state: .final).map { ($0.id, $0) })
        let users = try session.serviceUsers()
        func item(_ id: UUID, state: String, attempts: Int?, reason: String?) -> Item {
            let h = headers[id]
            let who = h.map { $0.kind == .serviceUser ? (users[$0.id]?.initials ?? "?") : (users[$0.subjectID]?.initials ?? "?") } ?? "?"
            return Item(record: session.short(id), kind: h?.kind.rawValue ?? "?", serviceUser: who, state: state, attempts: attempts, reason: reason)
        }
        var queues: [String: DestinationQueue] = [:]
        for name in try session.vault.destinations() {
            queues[name] = DestinationQueue(name: name, configured: configured.contains(name), items: [])
        }
        for o in try session.vault.outbox() where o.state != .delivered {
            queues[o.destination]?.items.append(item(o.recordID, state: o.state.rawValue, attempts: o.attempts, reason: o.lastError))
        }
        for h in try session.vault.held() {
            queues[h.destination]?.items.append(item(h.recordID, state: "held", attempts: nil, reason: h.reason))
        }
        let ordered = queues.values.sorted { $0.name < $1.name }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            session.say(String(decoding: try e.encode(ordered), as: UTF8.self))
            return
        }
        if ordered.isEmpty {
            session.say("No destinations. Add one with: destination add NAME --url https://…")
        }
        for q in ordered {
            let count = { (s: String) in q.items.filter { $0.state == s }.count }
            session.say("\(q.name)\(q.configured ? "" : " (not configured)"): \(count("pending")) pending, \(count("in-flight")) in flight, \(count("rejected")) rejected, \(count("held")) held")
            for i in q.items {
                session.say("  \(i.state.padding(toLength: 9, withPad: " ", startingAt: 0)) \(i.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(i.record)  \(i.serviceUser.padding(toLength: 6, withPad: " ", startingAt: 0))\(i.reason.map { "  \($0)" } ?? "")")
            }
        }
    }
}
