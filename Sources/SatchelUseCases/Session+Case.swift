import Foundation
import SatchelCore
import SatchelDocuments
import SatchelStore
import SatchelSync

/// The case from referral to discharge (PAVE SOP §7-10) and the response plan (SIM guide
/// §26). A case is a chain of records: the referral, then each step (outcome, review,
/// discharge) names the step before it, so every step is the next version of the case's
/// one EpisodeOfCare on the wire (docs/fhir-mapping.md, "The case"). A step before the
/// latest is never changed: the case has moved on from it.
extension Session {
    /// The newest record of the person's latest case chain (nil when they have no case).
    func caseHead(of subject: UUID) throws -> RecordHeader? {
        let headers = try vault.headers(subject: subject, state: .final, kinds: RecordKind.allCases.filter(RecordKind.caseKinds.contains))
        let continued = Set(headers.compactMap(\.amendsID))
        return headers.first { !continued.contains($0.id) }  // newest first
    }

    /// The case as a record of it left it (the body opened is audited with the save that follows).
    func caseSoFar(at id: UUID) throws -> (CaseSoFar?, [ReadNote]) {
        let opened = try vault.readForSave([id], reason: "case")
        guard let r = opened.records.first, let payload = try? RecordCodec.payload(kind: r.header.kind, body: r.body) as? any CaseRecord
        else { return (nil, opened.reads) }
        return (payload.episode, opened.reads)
    }

    /// The person's response plan: the newest version of it (nil when they have none).
    func currentPlan(of subject: UUID) throws -> RecordHeader? {
        let plans = try vault.headers(subject: subject, state: .final, kind: .plan)
        let amended = Set(plans.compactMap(\.amendsID))
        return plans.first { !amended.contains($0.id) }
    }

    /// Checks that a new record of `kind` fits the person's case and plan, and fills what
    /// its form needs: a case step continues the latest step (and its form gets the case
    /// so far); a plan's form gets what is on record.
    func prepareCase(_ capture: inout Capture) throws {
        let subject = capture.subject
        switch capture.kind {
        case .referral:
            if let head = try caseHead(of: subject) {
                let (now, reads) = try caseSoFar(at: head.id)
                capture.reads += reads
                if let now, now.status.isOpen {
                    throw UseCaseError(.refused, "referral add: this person's case is open (\(now.summary)). Record its next step (outcome, review or discharge); a new referral waits until it is discharged or declined.")
                }
            }
        case .outcome, .review, .discharge:
            guard let head = try caseHead(of: subject) else {
                throw UseCaseError(.refused, "\(capture.form.command): this person has no case. Start one with `referral add`.")
            }
            let (now, reads) = try caseSoFar(at: head.id)
            capture.reads += reads
            guard let now, now.status.isOpen else {
                throw UseCaseError(.refused, "\(capture.form.command): this person's case is closed (\(now?.summary ?? "unreadable")). Start a new one with `referral add`.")
            }
            capture.context.caseSoFar = now
            capture.context.workerName = vault.workerName
            capture.amends = head.id
        case .plan:
            if capture.amends == nil, let plan = try currentPlan(of: subject) {
                throw UseCaseError(.refused, "plan add: this person already has a response plan (\(Self.short(plan.id))). Change it with `plan update`: each update is its next version.")
            }
            capture.context.planOffers = try planOffers(for: subject, reads: &capture.reads)
        default:
            break
        }
    }

    /// What a plan's form offers from the records (SIM guide §26): the person's name and
    /// address, the latest capacity assessment, the boundaries agreed, the mentors.
    private func planOffers(for subject: UUID, reads: inout [ReadNote]) throws -> PlanOffers {
        var offers = PlanOffers()
        if let user = try serviceUsers()[subject] {
            offers.nameAndAddress = [user.name, user.address].compactMap { $0 }.joined(separator: ", ")
        }
        let latestCapacity = try vault.headers(subject: subject, state: .final, kind: .capacity, limit: 1).filter(\.intact)
        var boundaries = try vault.headers(subject: subject, state: .final, kind: .boundary, purged: false).filter(\.intact)
        let amended = Set(boundaries.compactMap(\.amendsID))
        boundaries = boundaries.filter { !amended.contains($0.id) }.reversed()  // oldest first, newest version of each
        let opened = try vault.readForSave(latestCapacity.map(\.id) + boundaries.map(\.id), reason: "plan offers")
        reads += opened.reads
        var agreed: [String] = []
        for r in opened.records {
            if let a = try? RecordCodec.decode(CapacityAssessment.self, from: r.body) {
                offers.capacity = "\(a.summaryLine.replacingOccurrences(of: "capacity: ", with: "")), assessed \(FieldDay.on(r.header.finalisedOrCreatedAt))"
            } else if let b = try? RecordCodec.decode(BoundaryDiscussion.self, from: r.body) {
                agreed.append("\(b.boundary) (if breached: \(b.consequence))")
            }
        }
        if !agreed.isEmpty { offers.boundaries = agreed.joined(separator: "; ") }
        var mentors = [vault.workerName]
        if let head = try caseHead(of: subject) {
            let (now, caseReads) = try caseSoFar(at: head.id)
            reads += caseReads
            if let worker = now?.namedWorker, !mentors.contains(worker) { mentors.append(worker) }
        }
        offers.mentors = mentors.joined(separator: "; ")
        return offers
    }

    /// Amending a case record: only the latest step of the person's case can be corrected;
    /// its form gets the case as the step before it left it.
    func prepareCaseAmend(_ capture: inout Capture, amending header: RecordHeader) throws {
        guard RecordKind.caseKinds.contains(header.kind) else { return }
        guard try caseHead(of: header.subjectID)?.id == header.id else {
            throw UseCaseError(.refused, "amend: the case has moved on since this \(header.kind.rawValue) (\(Self.short(header.id))); a step before the latest stays as written. Say what was wrong in the next step.")
        }
        if let before = header.amendsID {
            let (now, reads) = try caseSoFar(at: before)
            capture.reads += reads
            capture.context.caseSoFar = now
        }
        capture.context.workerName = vault.workerName
    }

    /// Opens the person's response plan to write its next version (`plan update`).
    public func startPlanUpdate(_ userReference: String?) throws -> (Capture, FormAnswers) {
        let (id, _) = try resolveUser(userReference)
        guard let plan = try currentPlan(of: id) else {
            throw UseCaseError(.refused, "plan update: this person has no response plan yet. Write one with `plan add`.")
        }
        return try startAmend(latestVersion(of: plan))
    }

    // MARK: - Letters

    /// The letters a finalised step writes (PAVE SOP §7: the outcome letter to the referrer;
    /// §10: the GP letter and the person's contacts-and-contingency sheet), each a final
    /// `letter` record routed like any record. Returns their ids and purposes.
    ///
    /// A letter is never edited once final: the letters of a corrected step (an outcome or
    /// a discharge saved with `amend`) are new versions of the letters the step it corrects
    /// wrote, so on the wire each is the next version of the same `DocumentReference`.
    func writeLetters(for payload: any RecordPayload, step: RecordHeader) throws -> [WrittenLetter] {
        // Every finalise asks: only an outcome or a discharge goes further.
        let subject = step.subjectID
        guard payload is CaseOutcome || payload is Discharge, let user = try serviceUsers()[subject] else { return [] }
        let letters: [Letter]
        do {
            switch payload {
            case let o as CaseOutcome: letters = [try Letter.outcome(o, about: user, from: vault.workerName)]
            case let d as Discharge: letters = [try Letter.gp(d, about: user, from: vault.workerName), try Letter.contacts(d, about: user, from: vault.workerName)]
            default: letters = []
            }
        } catch { throw UseCaseError(.badInput, error.message) }
        guard !letters.isEmpty else { return [] }
        let superseded = try lettersSuperseded(by: step)
        let (context, reads) = try context(for: subject)
        try vault.audit(reads)
        return try letters.map { letter in
            let id = UUID()
            let brief = RecordBrief(id: id, kind: .letter, writtenAt: clock())
            let header = try vault.saveFinal(
                RecordDraft(id: id, kind: .letter, subjectID: subject, body: try RecordCodec.encode(letter),
                            amendsID: superseded[letter.purpose]?.id),
                routes: routes(brief, consents: context.consents, disclosures: context.disclosures))
            return WrittenLetter(id: header.id, purpose: letter.purpose, replaces: superseded[letter.purpose]?.id)
        }
    }

    /// Writes the letters of an outcome or discharge that has none yet (after a crash
    /// between the step and its letters: `status` names it).
    public func writeMissingLetters(_ reference: String) throws -> [WrittenLetter] {
        let h = try record(reference)
        guard h.kind == .outcome || h.kind == .discharge else {
            throw UseCaseError(.badInput, "record: \(Self.short(h.id)) is a \(h.kind.rawValue); letters are written for an outcome or a discharge.")
        }
        if try !letters(of: h).isEmpty {
            throw UseCaseError(.refused, "letter write: the letters of \(Self.short(h.id)) are already written; change one with `amend LETTER`.")
        }
        let r = try vault.read([h.id], reason: "letter write")
        guard let body = r.first?.body, let payload = try? RecordCodec.payload(kind: h.kind, body: body) else {
            throw UseCaseError(.refused, "That record cannot be read to write its letters.")
        }
        return try writeLetters(for: payload, step: h)
    }

    /// The letters a step wrote, by purpose: the first of each of its purposes written
    /// since it (they are written with it, straight after; a version saved later with
    /// `amend` comes after them). The bodies are opened for their purpose, audited as views.
    private func letters(of step: RecordHeader) throws -> [LetterPurpose: RecordHeader] {
        let purposes: Set<LetterPurpose> = step.kind == .outcome ? [.outcomeLetter] : [.gpLetter, .contactsSheet]
        let since = try vault.headers(subject: step.subjectID, state: .final, kind: .letter)
            .filter { $0.createdAt >= step.createdAt }
            .sorted { $0.createdAt < $1.createdAt }
        guard !since.isEmpty else { return [:] }
        var written: [LetterPurpose: RecordHeader] = [:]
        let byID = Dictionary(since.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for r in try vault.read(since.map(\.id), reason: "letter check") {
            guard let purpose = (try? RecordCodec.decode(Letter.self, from: r.body))?.purpose, purposes.contains(purpose),
                  let header = byID[r.header.id] else { continue }
            if let kept = written[purpose], kept.createdAt <= header.createdAt { continue }
            written[purpose] = header
        }
        return written
    }

    /// The newest version of each letter written for the step `step` corrects (none for a
    /// first step): the letters `step`'s own replace.
    private func lettersSuperseded(by step: RecordHeader) throws -> [LetterPurpose: RecordHeader] {
        guard let earlierID = step.amendsID,
              let earlier = try vault.headers(subject: step.subjectID, state: .final, kind: step.kind).first(where: { $0.id == earlierID })
        else { return [:] }
        return try letters(of: earlier).mapValues { try latestVersion(of: $0) }
    }

    /// A letter (its newest version) as a PDF at `path` (`letter print`).
    public func printLetter(_ reference: String, to path: String, force: Bool) throws {
        let h = try latestVersion(of: try record(reference))
        guard h.kind == .letter else {
            throw UseCaseError(.badInput, "record: \(Self.short(h.id)) is a \(h.kind.rawValue), not a letter. `history --kind letter` lists the letters.")
        }
        let opened = try vault.readIntact([h.id], purpose: .export, reason: "letter print")
        if let problem = opened.damaged.first?.problem { throw VaultError(.integrity, problem) }
        guard let body = opened.records.first?.body, let letter = try? RecordCodec.decode(Letter.self, from: body) else {
            throw UseCaseError(.refused, "That letter cannot be read.")
        }
        try writePDF(CaseDocuments.letter(letter, writtenOn: h.finalisedOrCreatedAt), size: letter.purpose == .contactsSheet ? .large : .standard,
                     dated: h.finalisedOrCreatedAt, to: path, force: force)
    }

    /// The person's current response plan as a PDF in large type (`plan print`, SIM guide
    /// §54: the person holds an up-to-date copy "ideally in paper form"); `redact` for the
    /// email summary.
    public func printPlan(user reference: String?, to path: String, redact: Bool, force: Bool) throws {
        let (id, user) = try resolveUser(reference)
        guard let h = try currentPlan(of: id) else {
            throw UseCaseError(.refused, "plan print: this person has no response plan yet. Write one with `plan add`.")
        }
        let opened = try vault.readIntact([h.id], purpose: .export, reason: redact ? "plan print redacted" : "plan print")
        if let problem = opened.damaged.first?.problem { throw VaultError(.integrity, problem) }
        guard let body = opened.records.first?.body, let plan = try? RecordCodec.decode(ResponsePlan.self, from: body) else {
            throw UseCaseError(.refused, "That plan cannot be read.")
        }
        let document = CaseDocuments.plan(plan, writtenBy: vault.workerName, writtenOn: h.finalisedOrCreatedAt, redaction: redact ? Redaction(user) : nil)
        try writePDF(document, size: .large, dated: h.finalisedOrCreatedAt, to: path, force: force)
    }

    func writePDF(_ document: ReadableDocument, size: PDFWriter.TypeSize, dated: Date, to path: String, force: Bool) throws {
        guard path.lowercased().hasSuffix(".pdf") else {
            throw UseCaseError(.badInput, "--out: give a file name ending in .pdf.")
        }
        try ExportFile.checkWritable(path, force: force)
        let bytes: [UInt8]
        do { bytes = try CaseDocuments.pdf(document, size: size, dated: dated) } catch {
            throw UseCaseError(.refused, "--out: \(error.message)")
        }
        try ExportFile.write(bytes, to: path, force: force)
    }
}

// MARK: - Where cases stand

/// Each person's case and plan as `open` and `status` show them, and what needs doing.
public struct CaseOverview: Sendable, Equatable, Encodable {
    /// Short id → the case in words ("accepted at tier 1 since 01/12/2026; named worker …").
    public var cases: [String: String] = [:]
    /// What needs doing: a plan past its review date, an accepted case with no plan or
    /// whose fortnightly review is due, a discharge without its GP letter.
    public var warnings: [String] = []
}

extension Session {
    /// The case and plan of everyone with one (bodies opened are audited as views, reason "case status").
    public func caseOverview() throws -> CaseOverview {
        var overview = CaseOverview()
        let now = clock()
        let caseHeaders = try RecordKind.caseKinds.flatMap { try vault.headers(state: .final, kind: $0) }.filter(\.intact)
        let continued = Set(caseHeaders.compactMap(\.amendsID))
        var heads: [UUID: RecordHeader] = [:]
        for h in caseHeaders where !continued.contains(h.id) {
            if let other = heads[h.subjectID], other.createdAt >= h.createdAt { continue }
            heads[h.subjectID] = h
        }
        let planHeaders = try vault.headers(state: .final, kind: .plan).filter(\.intact)
        let amendedPlans = Set(planHeaders.compactMap(\.amendsID))
        var plans: [UUID: RecordHeader] = [:]
        for h in planHeaders where !amendedPlans.contains(h.id) && plans[h.subjectID] == nil { plans[h.subjectID] = h }
        let opened = try vault.read(Array(heads.values.map(\.id)) + Array(plans.values.map(\.id)), reason: "case status")
        for r in opened {
            let who = Self.short(r.header.subjectID)
            if let payload = try? RecordCodec.payload(kind: r.header.kind, body: r.body) as? any CaseRecord {
                let episode = payload.episode
                overview.cases[who] = episode.summary
                let ongoing = episode.status == .accepted || episode.status == .engaged
                if ongoing, now.timeIntervalSince(r.header.finalisedOrCreatedAt) > Double(CaseReview.interval) * 86_400 {
                    overview.warnings.append("\(who): case review due (PAVE SOP §10: every two weeks; the last step was on \(FieldDay.on(r.header.finalisedOrCreatedAt))): review add --user …")
                }
                if ongoing && plans[r.header.subjectID] == nil {
                    overview.warnings.append("\(who): case accepted but no response plan (SIM guide §26): plan add --user …")
                }
                if r.header.kind == .discharge, try letters(of: r.header).isEmpty {
                    overview.warnings.append("\(who): discharged without a GP letter (PAVE SOP §10): letter write \(Self.short(r.header.id))")
                }
            } else if let plan = try? RecordCodec.decode(ResponsePlan.self, from: r.body), plan.reviewDue(now: now) {
                overview.warnings.append("\(who): response plan past its review date (\(plan.reviewOn)): plan update --user …")
            }
        }
        overview.warnings.sort()
        return overview
    }

    /// One person's case in words, for `open` (nil when they have none).
    public func caseSummary(of subject: UUID) throws -> String? {
        guard let head = try caseHead(of: subject), head.intact else { return nil }
        let r = try vault.read([head.id], reason: "case status")
        guard let body = r.first?.body, let payload = try? RecordCodec.payload(kind: head.kind, body: body) as? any CaseRecord else { return nil }
        return payload.episode.summary
    }
}
