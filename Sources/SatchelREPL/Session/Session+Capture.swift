import Foundation
import SatchelCore
import SatchelStore

/// A draft's sealed body: which form, and the answers so far, exactly as typed.
struct DraftEnvelope: Codable {
    var command: String
    var answers: FormAnswers
}

extension Session {
    /// Fills and saves one record: guided when someone is at the prompt, one-shot otherwise.
    func capture(_ spec: FormSpec, given: FormAnswers, userReference: String?, draftOnly: Bool) throws {
        let id = UUID()
        let subject: UUID
        if spec.kind == .serviceUser {
            subject = id
        } else {
            subject = try resolveUser(userReference).id
        }
        try fill(spec, id: id, subject: subject, given: given, draftOnly: draftOnly)
    }

    /// Picks up a draft where it was left.
    func resume(_ header: RecordHeader) throws {
        guard header.state == .draft, let spec = FormSpec.forKind(header.kind),
              let record = try vault.read([header.id], reason: "resume draft").first,
              let envelope = PayloadJSON.decode(DraftEnvelope.self, from: record.body)
        else { throw CommandFailure(status: .refused, message: "That draft cannot be resumed: it is not a draft Satchel can read.") }
        try fill(spec, id: header.id, subject: header.subjectID, given: envelope.answers, draftOnly: false)
    }

    /// The context's reads are audited in the save's own transaction (one commit per
    /// one-shot record); a guided form flushes them before its first question, and a
    /// command that saves nothing flushes them before it reports why.
    private func fill(_ spec: FormSpec, id: UUID, subject: UUID, given: FormAnswers, draftOnly: Bool) throws {
        let context = try context(for: spec.kind == .serviceUser ? nil : subject)
        do {
            try fill(spec, id: id, subject: subject, given: given, draftOnly: draftOnly, context: context)
        } catch {
            try vault.flushAudit()
            throw error
        }
        try vault.flushAudit()
    }

    private func fill(
        _ spec: FormSpec, id: UUID, subject: UUID, given: FormAnswers, draftOnly: Bool, context: FormContext
    ) throws {
        func draft(_ answers: FormAnswers) throws -> RecordDraft {
            RecordDraft(
                id: id, kind: spec.kind, subjectID: subject, formVersion: 1,
                body: try PayloadJSON.encode(DraftEnvelope(command: spec.command, answers: answers)))
        }
        if draftOnly {
            try vault.saveDraft(draft(given))
            say("Kept as a draft (\(short(id))). Resume it with: drafts --resume \(short(id))")
            return
        }
        let answers: FormAnswers
        let built: BuiltRecord
        if prompter.isInteractive {
            try vault.flushAudit()
            let runner = FormRunner(spec: spec, context: context, prompter: prompter) { answers in
                try self.vault.saveDraft(try draft(answers))
            }
            switch try runner.run(starting: given) {
            case .keptAsDraft(let a, let interrupted):
                if a.values.isEmpty {
                    say("Nothing was answered; nothing was saved.")
                } else {
                    say("\(interrupted ? "Stopped. " : "")Kept as a draft (\(short(id))). Resume it with: drafts --resume \(short(id))")
                }
                return
            case .finalise(let a, let b):
                (answers, built) = (a, b)
            }
        } else {
            (answers, built) = try oneShot(spec, given: given, context: context)
        }
        try checkAliasIsFree(spec, answers)
        let header = try vault.saveFinal(
            RecordDraft(id: id, kind: spec.kind, subjectID: subject, formVersion: built.formVersion, body: try PayloadJSON.encode(built.payload)),
            routes: routes(kind: spec.kind, consents: context.consents))
        if spec.kind == .serviceUser, let user = built.payload as? ServiceUser { remember(user, id: header.id) }
        say(confirmation(spec, header: header, answers: answers))
        if spec.kind == .consent, let released = try? reevaluateHeld(subject: subject), released > 0 {
            say("\(released) held record\(released == 1 ? "" : "s") for this person now queued for delivery.")
        }
        if let note = built.note { say(note) }
    }

    /// Without anyone to ask: every required field must be given; the first missing one is named.
    private func oneShot(_ spec: FormSpec, given: FormAnswers, context: FormContext) throws -> (FormAnswers, BuiltRecord) {
        var answers = given
        // What was given is checked first, in form order, so the error names the bad value.
        for field in spec.fields {
            guard let value = given[field.flag], !(value.isEmpty && !field.required) else { continue }
            do { try field.check(value, context) } catch { throw CommandFailure(status: .badInput, message: error.message) }
        }
        for field in spec.applicableFields(answers) where answers[field.flag] == nil {
            if let d = field.defaultValue(context) {
                answers[field.flag] = d
            } else if field.required {
                throw CommandFailure(
                    status: .badInput,
                    message: "--\(field.flag): required (\(field.question.lowercased()); allowed: \(field.allowed)). Give it as a flag, or run from a terminal to be asked.")
            }
        }
        do {
            return (answers, try spec.build(answers, context))
        } catch {
            throw CommandFailure(status: .badInput, message: error.message)
        }
    }

    private func checkAliasIsFree(_ spec: FormSpec, _ answers: FormAnswers) throws {
        guard spec.kind == .serviceUser, let alias = answers.given("alias")?.lowercased() else { return }
        if let other = try serviceUsers().values.first(where: { $0.alias == alias }) {
            throw CommandFailure(status: .badInput, message: "--alias: \"\(alias)\" is already used by another service user (\(other.initials)). Choose another alias.")
        }
    }

    private func confirmation(_ spec: FormSpec, header: RecordHeader, answers: FormAnswers) -> String {
        if spec.kind == .serviceUser {
            let handle = answers.given("alias") ?? short(header.id)
            return "Saved service user \(short(header.id)). Open them with: open \(handle)"
        }
        let who = (try? serviceUsers()[header.subjectID]?.initials) ?? nil
        let held = (try? vault.held().filter { $0.recordID == header.id }.count) ?? 0
        let fate = held == 0 ? "queued for delivery" : "held back from \(held) destination\(held == 1 ? "" : "s") (see `queue`)"
        return "Saved and finalised \(spec.kind.rawValue) \(short(header.id))\(who.map { " for \($0)" } ?? ""); \(fate)."
    }

    func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
