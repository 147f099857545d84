import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore
import SatchelUseCases

/// `drafts`: unfinished records, to resume or discard.
struct DraftsCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts",
        abstract: "List unfinished records; resume or discard one.",
        discussion: "A draft is saved, sealed, after every answered field, so it survives a crash or a flat battery.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Resume this draft (its number in the list, or its id).", valueName: "draft")) var resume: String?
    @Option(help: ArgumentHelp("Discard this draft (its number in the list, or its id).", valueName: "draft")) var discard: String?

    func run(in door: Door) throws {
        let drafts = try door.session.drafts()
        if let which = resume {
            try door.resume(try pick(which, drafts))
            return
        }
        if let which = discard {
            let d = try pick(which, drafts)
            try door.session.discardDraft(d)
            door.say("Discarded draft \(door.short(d.id)).")
            return
        }
        let summaries = try door.session.draftSummaries()
        guard !summaries.isEmpty else {
            door.say("No drafts.")
            return
        }
        for (n, d) in summaries.enumerated() {
            let h = d.header
            let answered = d.answered.map { "\($0.0) of \($0.1) answered" } ?? "unreadable"
            door.say("\(n + 1). \(door.short(h.id))  \(h.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \((d.about ?? "new service user").padding(toLength: 16, withPad: " ", startingAt: 0)) started \(FieldDate.display(h.createdAt)), \(answered)")
        }
        door.say("Resume one with: drafts --resume N")
    }

    private func pick(_ which: String, _ drafts: [RecordHeader]) throws -> RecordHeader {
        if let n = Int(which), drafts.indices.contains(n - 1) { return drafts[n - 1] }
        let hits = drafts.filter { $0.id.uuidString.lowercased().hasPrefix(which.lowercased()) }
        guard which.count >= 4, hits.count == 1, let hit = hits.first else {
            throw CommandFailure(status: .badInput, message: "--resume: no draft \(FieldError.quote(which)). Allowed: a number from 1 to \(drafts.count) from `drafts`, or a draft id.")
        }
        return hit
    }
}

/// `history <user>`: that person's records, newest first; `--all`, everyone's. Reading
/// them is audited.
struct HistoryCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a service user's records, newest first (audited as a view).",
        discussion: "--all lists every service user's records, newest first, each line naming the person by initials (for a team lead).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?
    @Option(help: ArgumentHelp("Only records of this kind (contact, risk, top, ...).", valueName: "kind")) var kind: String?
    @Option(help: ArgumentHelp("Only records made on or after this day (23/11/2026) or time (23/11/2026 14:30).", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only records written by this worker (their name, or their id).", valueName: "worker")) var author: String?
    @Flag(help: "Every service user's records, newest first, each naming the person by initials.") var all = false

    func validate() throws {
        if all, user != nil { throw ValidationError("--all lists every service user's records; give no user with it.") }
    }

    func run(in door: Door) throws {
        let filter = try door.session.historyFilter(kind: kind, since: since, author: author)
        let entries: [HistoryEntry]
        if all {
            let team = try door.session.teamHistory(filter: filter)
            door.say("Everyone: \(Self.count(team.count)), newest first")
            for t in team { door.say(Self.line(t.entry, about: t.initials)) }
            entries = team.map(\.entry)
        } else {
            let (u, mine) = try door.session.history(of: user, filter: filter)
            door.say("\(u.initials): \(Self.count(mine.count)), newest first")
            for e in mine { door.say(Self.line(e)) }
            entries = mine
            // A colleague's records, pulled read-only (`caseload pull`); not by kind or author: those name this device's records.
            if kind == nil, author == nil {
                let pulled = try door.session.pulledHistory(of: try door.session.resolveUser(user).id, since: filter.since)
                if !pulled.isEmpty { door.say("From the team (read-only): \(pulled.count) pulled record\(pulled.count == 1 ? "" : "s"), newest first") }
                for p in pulled { door.say(Self.line(p)) }
            }
        }
        let damaged = entries.filter { !$0.header.intact }.count
        if damaged > 0 {
            throw CommandFailure(
                status: .integrity,
                message: "\(damaged) record(s) above were changed outside Satchel and are not shown. Run `satchel check`, keep this vault as it is and tell your team lead.")
        }
    }

    /// A pulled record: when it says it happened, its type and summary, where from and how long ago.
    static func line(_ p: PulledEntry) -> String {
        let when = p.date.map { FieldDate.display($0) } ?? "undated".padding(toLength: 16, withPad: " ", startingAt: 0)
        return "  \(when)  \(p.summary) — pulled from \(p.destination), \(p.pulledAgo) (show \(p.key))"
    }

    static func count(_ n: Int) -> String { "\(n) record\(n == 1 ? "" : "s")" }

    /// One record: when, (whose,) kind, state and summary.
    static func line(_ e: HistoryEntry, about initials: String? = nil) -> String {
        let h = e.header
        let whose = initials.map { $0.padding(toLength: 5, withPad: " ", startingAt: 0) } ?? ""
        // The id's first 8 characters are what `show` and `amend` take.
        let id = String(h.id.uuidString.lowercased().prefix(8))
        return "  \(FieldDate.display(h.createdAt))  \(id)  \(whose)\(h.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(h.state.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(e.summary)"
    }
}
