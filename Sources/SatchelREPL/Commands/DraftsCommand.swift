import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore

/// `drafts`: unfinished records, to resume or discard.
struct DraftsCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "drafts",
        abstract: "List unfinished records; resume or discard one.",
        discussion: "A draft is saved, sealed, after every answered field, so it survives a crash or a flat battery.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Resume this draft (its number in the list, or its id).", valueName: "draft")) var resume: String?
    @Option(help: ArgumentHelp("Discard this draft (its number in the list, or its id).", valueName: "draft")) var discard: String?

    func run(in session: Session) throws {
        let drafts = try session.vault.headers(state: .draft)
        if let which = resume {
            try session.resume(try pick(which, drafts))
            return
        }
        if let which = discard {
            let d = try pick(which, drafts)
            try session.vault.discardDraft(d.id)
            session.say("Discarded draft \(session.short(d.id)).")
            return
        }
        guard !drafts.isEmpty else {
            session.say("No drafts.")
            return
        }
        let users = try session.serviceUsers()
        let bodies = try session.vault.read(drafts.map(\.id), reason: "drafts list")
        for (n, r) in bodies.enumerated() {
            let h = r.header
            let who = h.kind == .serviceUser ? "new service user" : (users[h.subjectID]?.initials ?? "?")
            let answered = PayloadJSON.decode(DraftEnvelope.self, from: r.body).map { e in
                let spec = FormSpec.forKind(h.kind)
                let total = spec?.applicableFields(e.answers).count ?? 0
                return "\(e.answers.values.count) of \(total) answered"
            } ?? "unreadable"
            session.say("\(n + 1). \(session.short(h.id))  \(h.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(who.padding(toLength: 16, withPad: " ", startingAt: 0)) started \(VaultTime.display(h.createdAt)), \(answered)")
        }
        session.say("Resume one with: drafts --resume N")
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

/// `history <user>`: that person's records, newest first. Reading them is audited.
struct HistoryCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a service user's records, newest first (audited as a view).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The service user (default: the open one).", valueName: "user")) var user: String?

    func run(in session: Session) throws {
        let (id, u) = try session.resolveUser(user)
        let headers = try session.vault.headers(subject: id).filter { $0.kind != .serviceUser || $0.id != id }
        session.say("\(u.initials): \(headers.count) record\(headers.count == 1 ? "" : "s"), newest first")
        for r in try session.vault.read(headers.map(\.id), reason: "history") {
            let h = r.header
            let line = RecordLine.describe(h.kind, body: r.body, state: h.state)
            session.say("  \(VaultTime.display(h.createdAt))  \(h.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(h.state.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(line)")
        }
    }
}

/// One line about a record, for `history`.
enum RecordLine {
    static func describe(_ kind: RecordKind, body: [UInt8], state: RecordState) -> String {
        if state == .draft { return "(draft)" }
        func first(_ text: String) -> String {
            let line = text.split(separator: "\n").first.map(String.init) ?? ""
            return line.count > 60 ? line.prefix(59) + "…" : line
        }
        switch kind {
        case .contact:
            guard let c = PayloadJSON.decode(Contact.self, from: body) else { break }
            return "\(c.kind.rawValue), risk \(c.currentRisk.label): \(first(c.summary))"
        case .risk:
            guard let e = PayloadJSON.decode(RiskAssessmentEntry.self, from: body) else { break }
            return "\(e.domain.rawValue) risk \(e.grade.label) (\(e.authority.rawValue)): \(first(e.risk))"
        case .top:
            guard let t = PayloadJSON.decode(TOPForm.self, from: body) else { break }
            return "TOP \(t.stage.rawValue), interview \(t.interviewDate)"
        case .consent:
            guard let c = PayloadJSON.decode(Consent.self, from: body) else { break }
            return "\(c.scope.rawValue) with \(c.with): \(c.decision.rawValue) (\(c.method.rawValue))"
        case .boundary:
            guard let b = PayloadJSON.decode(BoundaryDiscussion.self, from: body) else { break }
            return "boundary (\(b.authority.rawValue)): \(first(b.boundary))"
        case .serviceUser:
            return "service user"
        }
        return "(unreadable body)"
    }
}
