import Foundation
import SatchelCore
import SatchelStore

extension Session {
    /// Starts capturing a record of `kind`: about the given or open service user (a
    /// service-user record is its own subject).
    public func startCapture(_ kind: RecordKind, userReference: String?) throws -> Capture {
        let id = UUID()
        let subject = kind == .serviceUser ? id : try resolveUser(userReference).id
        var capture = try capture(kind.form, id: id, subject: subject)
        try prepareCase(&capture)
        return capture
    }

    /// Picks up a draft where it was left: the capture and the answers so far.
    public func resumeCapture(_ header: RecordHeader) throws -> (Capture, FormAnswers) {
        guard header.state == .draft, let record = try vault.read([header.id], reason: "resume draft").first,
              let envelope = try? RecordCodec.decode(DraftEnvelope.self, from: record.body)
        else { throw UseCaseError(.refused, "That draft cannot be resumed: it is not a draft Satchel can read.") }
        var capture = try capture(header.kind.form, id: header.id, subject: header.subjectID)
        capture.amends = header.amendsID
        return (capture, envelope.answers)
    }

    func capture(_ form: FormSpec, id: UUID, subject: UUID) throws -> Capture {
        var (context, reads) = try context(for: form.kind == .serviceUser ? nil : subject, riskByDomain: form.kind == .risk)
        if form.kind == .disclosure {
            context.workerName = vault.workerName
            context.destinations = ((try? config())?.destinations ?? []).map(\.name)
            context.records = try vault.headers(subject: subject, state: .final).filter { $0.intact && $0.id != subject }
                .map { RecordBrief(id: $0.id, kind: $0.kind, writtenAt: $0.finalisedOrCreatedAt) }
        }
        if form.kind == .death {
            let police = try policeContactTimes(of: subject)
            context.policeContacts = police.times
            reads += police.reads
        }
        // The team's bands grade a risk entry; a broken [risk-matrix] refuses it rather than grade with the default.
        if form.kind == .risk || form.kind == .disclosure { context.riskMatrix = try config().riskMatrix }
        return Capture(form: form, id: id, subject: subject, context: context, reads: reads)
    }

    /// Writes the audit entries of what the capture opened, before anything of it is
    /// shown (a guided form's first question) or when nothing will be saved.
    public func recordReads(_ capture: inout Capture) throws {
        try vault.audit(capture.reads)
        capture.reads = []
    }

    /// Saves the answers so far as a sealed draft.
    public func keepDraft(_ capture: inout Capture, _ answers: FormAnswers) throws {
        try vault.saveDraft(draft(capture, try RecordCodec.encode(DraftEnvelope(command: capture.form.command, answers: answers))), reads: capture.reads)
        capture.reads = []
    }

    /// Checks answers given without anyone to ask: what was given first, in form order
    /// (so the error names the bad value), then every required field; defaults fill the rest.
    public func complete(_ capture: Capture, given: FormAnswers) throws(UseCaseError) -> (FormAnswers, BuiltRecord) {
        let spec = capture.form
        var answers = given
        for field in spec.fields {
            guard let value = given[field.flag], !(value.isEmpty && !field.required) else { continue }
            do { try field.check(value, capture.context) } catch { throw UseCaseError(.badInput, error.message) }
        }
        for field in spec.applicableFields(answers) where answers[field.flag] == nil {
            if let d = field.defaultValue(capture.context) {
                answers[field.flag] = d
            } else if field.required {
                throw UseCaseError(
                    .badInput,
                    "--\(field.flag): required (\(field.question.lowercased()); allowed: \(field.allowed)). Give it as a flag, or run from a terminal to be asked.")
            }
        }
        do {
            return (answers, try spec.build(answers, capture.context))
        } catch {
            throw UseCaseError(.badInput, error.message)
        }
    }

    /// Finalises the record in one transaction (record, outbox or held rows, audit),
    /// routed by the sharing policy; a consent re-asks the policy for that person.
    public func finalise(_ capture: inout Capture, answers: FormAnswers, built: BuiltRecord) throws -> CaptureReceipt {
        try checkAliasIsFree(capture, answers)
        try checkCaseHasNotMovedOn(capture)
        let configWarning = checkDestinations()
        var grants = capture.context.disclosures
        if let disclosure = built.payload as? Disclosure, let own = DisclosureGrant.of(id: capture.id, disclosure) { grants.append(own) }
        let question = RecordBrief(id: capture.id, kind: capture.kind, writtenAt: clock())
        let header = try vault.saveFinal(
            draft(capture, try RecordCodec.encode(built.payload), formVersion: built.formVersion),
            routes: routes(question, consents: capture.context.consents, disclosures: grants), reads: capture.reads)
        capture.reads = []
        if capture.kind == .serviceUser, let user = built.payload as? ServiceUser { remember(user, id: header.subjectID) }
        // A consent or disclosure changes what may go: ask again for this person (a
        // failure here is caught by the next sync, which asks before sending anything).
        var again = Reevaluation()
        var reevaluationWarning: String?
        if capture.kind == .consent || capture.kind == .disclosure {
            do { again = try reevaluate(subject: capture.subject) } catch {
                reevaluationWarning = "Warning: the sharing policy could not be asked again (\(error)); `sync` asks it before sending anything."
            }
        }
        let users = (try? serviceUsers()) ?? [:]
        var receipt = CaptureReceipt(
            header: header, alias: answers.given("alias"),
            initials: capture.kind == .serviceUser ? nil : users[header.subjectID]?.initials,
            queuedFor: (try? vault.outbox(record: header.id).count) ?? 0,
            heldFrom: (try? vault.held(record: header.id).count) ?? 0,
            released: again.released, note: built.note, configWarning: configWarning)
        receipt.recalled = again.recalled
        receipt.letters = try writeLetters(for: built.payload, step: header)
        receipt.reevaluationWarning = reevaluationWarning
        if MentoringStanding.mentoringKinds.contains(capture.kind) { receipt.standing = capture.context.standing.warnings }
        return receipt
    }

    private func draft(_ c: Capture, _ body: [UInt8], formVersion: Int = 1) -> RecordDraft {
        RecordDraft(id: c.id, kind: c.kind, subjectID: c.subject, formVersion: formVersion, body: body, amendsID: c.amends)
    }

    /// A case step (or a correction of one) continues the case's latest step: a draft kept
    /// while another step was recorded would fork the case, so it is refused.
    private func checkCaseHasNotMovedOn(_ capture: Capture) throws {
        guard RecordKind.caseKinds.contains(capture.kind), let amends = capture.amends else { return }
        guard try caseHead(of: capture.subject)?.id == amends else {
            throw UseCaseError(.refused, "\(capture.form.command): the case has moved on since this was started (another step was recorded). Discard this draft and record the step again.")
        }
    }

    private func checkAliasIsFree(_ capture: Capture, _ answers: FormAnswers) throws {
        guard capture.kind == .serviceUser, let alias = answers.given("alias")?.lowercased() else { return }
        if let other = try serviceUsers().first(where: { $0.value.alias == alias && $0.key != capture.subject })?.value {
            throw UseCaseError(.badInput, "--alias: \"\(alias)\" is already used by another service user (\(other.initials)). Choose another alias.")
        }
    }

    // MARK: - Drafts

    /// Unfinished records, newest first.
    public func drafts() throws -> [RecordHeader] {
        try vault.headers(state: .draft)
    }

    /// The drafts with who they are about and how far they got (bodies audited as a view).
    public func draftSummaries() throws -> [DraftSummary] {
        let drafts = try drafts()
        guard !drafts.isEmpty else { return [] }
        let users = try serviceUsers()
        return try vault.read(drafts.map(\.id), reason: "drafts list").map { r in
            let h = r.header
            let progress = (try? RecordCodec.decode(DraftEnvelope.self, from: r.body)).map { e in
                (e.answers.values.count, h.kind.form.applicableFields(e.answers).count)
            }
            return DraftSummary(header: h, about: h.kind == .serviceUser ? nil : (users[h.subjectID]?.initials ?? "?"), answered: progress)
        }
    }

    public func discardDraft(_ header: RecordHeader) throws {
        try vault.discardDraft(header.id)
    }
}

/// One draft as `drafts` lists it.
public struct DraftSummary: Sendable {
    public let header: RecordHeader
    /// The subject's initials; nil for a new service user.
    public let about: String?
    /// (answered, applicable fields); nil when the body cannot be read.
    public let answered: (Int, Int)?
}

extension Session {
    /// What a capture without prompts came to.
    public enum Saved: Sendable {
        case keptAsDraft(UUID)
        case finalised(CaptureReceipt)
    }

    /// Captures from the answers given (flags, a script): kept as a draft, or checked
    /// and finalised. When nothing is saved, the reads made for it are still audited.
    public func save(_ capture: inout Capture, given: FormAnswers, draftOnly: Bool) throws -> Saved {
        do {
            if draftOnly {
                try keepDraft(&capture, given)
                return .keptAsDraft(capture.id)
            }
            let (answers, built) = try complete(capture, given: given)
            return .finalised(try finalise(&capture, answers: answers, built: built))
        } catch {
            try recordReads(&capture)
            throw error
        }
    }
}
