import Foundation
import SatchelCore
import SatchelStore
import SatchelUseCases

extension Door {
    /// Fills and saves one record: guided when someone is at the prompt, from the
    /// flags otherwise.
    func capture(_ kind: RecordKind, given: FormAnswers, userReference: String?, draftOnly: Bool) throws {
        var capture = try session.startCapture(kind, userReference: userReference)
        try fill(&capture, given: given, draftOnly: draftOnly)
    }

    /// Amends a record: its answers, with the changes given over them; guided (starting
    /// at the summary, where any field can be changed) when someone is at the prompt.
    func amend(_ opened: (Capture, FormAnswers), changes: FormAnswers, draftOnly: Bool) throws {
        var (capture, answers) = opened
        for (flag, value) in changes.values { answers[flag] = value }
        try fill(&capture, given: answers, draftOnly: draftOnly)
    }

    /// Picks up a draft where it was left.
    func resume(_ header: RecordHeader) throws {
        var (capture, answers) = try session.resumeCapture(header)
        try fill(&capture, given: answers, draftOnly: false)
    }

    private func fill(_ capture: inout Capture, given: FormAnswers, draftOnly: Bool) throws {
        guard prompter.isInteractive, !draftOnly else {
            switch try session.save(&capture, given: given, draftOnly: draftOnly) {
            case .keptAsDraft(let id): say("Kept as a draft (\(short(id))). Resume it with: drafts --resume \(short(id))")
            case .finalised(let receipt): report(receipt)
            }
            return
        }
        // Nothing opened for the form is shown before its reads are in the audit log.
        try session.recordReads(&capture)
        var draft = capture
        let runner = FormRunner(spec: capture.form, context: capture.context, prompter: prompter) { answers in
            try self.session.keepDraft(&draft, answers)
        }
        let id = short(capture.id)
        switch try runner.run(starting: given) {
        case .keptAsDraft(let a, let interrupted):
            if a.values.isEmpty {
                say("Nothing was answered; nothing was saved.")
            } else {
                say("\(interrupted ? "Stopped. " : "")Kept as a draft (\(id)). Resume it with: drafts --resume \(id)")
            }
        case .finalise(let answers, let built):
            report(try session.finalise(&draft, answers: answers, built: built))
        }
    }

    func report(_ r: CaptureReceipt) {
        if let warning = r.configWarning { Console.error(warning) }
        let id = short(r.header.id)
        if r.header.kind == .serviceUser {
            say("Saved service user \(id). Open them with: open \(r.alias ?? id)")
        } else {
            let fate = r.heldFrom > 0
                ? "held back from \(r.heldFrom) destination\(r.heldFrom == 1 ? "" : "s") (see `queue`)"
                : r.queuedFor > 0 ? "queued for delivery" : "held until a destination is added (see `destination add`)"
            say("Saved and finalised \(r.header.kind.rawValue) \(id)\(r.initials.map { " for \($0)" } ?? ""); \(fate).")
        }
        if r.recalled > 0 {
            say("\(r.recalled) queued record\(r.recalled == 1 ? "" : "s") for this person not yet sent now held back again (see `queue`).")
        }
        if let warning = r.reevaluationWarning { Console.error(warning) }
        if r.released > 0 {
            say("\(r.released) held record\(r.released == 1 ? "" : "s") for this person now queued for delivery.")
        }
        if let note = r.note { say(note) }
        sayWritten(r.letters)
        for warning in r.standing { Console.error("Warning: \(warning)") }
    }
}

extension Door {
    /// One line per letter a case step wrote, with the command that prints it.
    func sayWritten(_ letters: [WrittenLetter]) {
        for l in letters {
            let version = l.replaces.map { "; a new version of \(short($0))" } ?? ""
            say("Wrote the \(l.purpose.rawValue) \(short(l.id)) (\(l.purpose.title.lowercased())\(version)): letter print \(short(l.id)) --out FILE.pdf")
        }
    }
}
