// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import PropertyBased
import SatchelCore
import SatchelStore
import SatchelTestSupport
import SatchelUseCases
import Testing
@testable import SatchelSync

/// Model-based test of the outbox (bench/reliability campaign 10): random sequences of
/// finalise, crash, deliver, reject and retry steps against a vault on disk, the use-case
/// layer's sync (`Session.sync`: the sharing policy asked again, then the push engine)
/// and a fake FHIR server that keeps resources the way a real one does. After every
/// step the vault, the server and the model must agree; at the end, after a crash and
/// clean syncs, every final record is on the server exactly once (and delivered in the
/// vault) or quarantined with a reason, and the audit log verifies.
///
/// `SATCHEL_MODEL_RUNS` sets the number of sequences (default 40). At the end it prints
/// the `outbox-model:` summary line bench/reliability.d/model.py parses, and a detail line.
/// Vaults live in /dev/shm when there is one (see `ModelRun.makeDirectory`).
@Suite("Outbox model")
struct OutboxModelTests {
    static var runs: Int {
        ProcessInfo.processInfo.environment["SATCHEL_MODEL_RUNS"].flatMap { Int($0) }.map { max(1, $0) } ?? 40
    }

    @Test("every final record is delivered exactly once or quarantined with a reason")
    func sequences() async {
        let tally = ModelTally()
        let step = zip(Gen.int(in: 0...99), Gen.int(in: 0...9999), Gen.int(in: 0...9999), Gen.int(in: 0...9999))
            .map { OutboxStep(selector: $0.0, a: $0.1, b: $0.2, c: $0.3) }
        // PUT with client ids or conditional create (the server's CapabilityStatement), and the batch size.
        let server = zip(Gen.bool, Gen.int(in: 1...6))
        await propertyCheck(count: Self.runs, input: zip(server, step.array(of: 5...40))) { input in
            let ((putWithClientIDs, batchSize), steps) = input
            tally.sequences += 1
            let violations = Self.runSequence(steps, putWithClientIDs: putWithClientIDs, batchSize: batchSize, tally: tally)
            tally.violations += violations.count
            for v in violations { Issue.record(Comment(rawValue: v)) }
        }
        print(tally.summary)
        print(tally.detail)
        #expect(tally.violations == 0)
        #expect(tally.sequences >= Self.runs)
    }

    /// Runs one sequence; returns its violations (it stops at the first step with any).
    static func runSequence(_ steps: [OutboxStep], putWithClientIDs: Bool, batchSize: Int, tally: ModelTally) -> [String] {
        let mode = putWithClientIDs ? "PUT with client ids" : "conditional create"
        let run: ModelRun
        do { run = try ModelRun(putWithClientIDs: putWithClientIDs, batchSize: batchSize) } catch {
            return ["could not set up a vault: \(error)"]
        }
        defer {
            tally.add(run)
            run.remove()
        }
        for (n, step) in steps.enumerated() {
            tally.operations += 1
            do {
                let problems = try run.perform(step)
                if !problems.isEmpty {
                    return problems.map { "step \(n + 1) of \(steps.count), \(step) (\(mode), batch \(batchSize)): \($0)" }
                }
            } catch {
                return ["step \(n + 1) of \(steps.count), \(step) (\(mode), batch \(batchSize)): unexpected error: \(error)"]
            }
        }
        do {
            return try run.finish().map { "at the end (crash, release, clean syncs; \(mode), batch \(batchSize)): \($0)" }
        } catch {
            return ["at the end (\(mode), batch \(batchSize)): unexpected error: \(error)"]
        }
    }
}

/// Totals over every sequence, for the summary line.
final class ModelTally {
    var sequences = 0
    var operations = 0
    var finalised = 0
    var delivered = 0
    var quarantined = 0
    var waiting = 0
    var crashes = 0
    var midSyncCrashes = 0
    var passes = 0
    var violations = 0

    func add(_ run: ModelRun) {
        finalised += run.model.all.count
        delivered += run.model.all.filter { if case .delivered = $0.state { true } else { false } }.count
        quarantined += run.model.all.filter { if case .quarantined = $0.state { true } else { false } }.count
        waiting += run.model.all.filter { run.waitsForQuarantinedPatient($0) }.count
        crashes += run.crashes
        midSyncCrashes += run.midSyncCrashes
        passes += run.passes
    }

    var summary: String {
        "outbox-model: \(sequences) sequences, \(operations) operations, \(finalised) finalised, \(delivered) delivered, "
            + "\(quarantined) quarantined, \(crashes) crashes, \(violations) violations"
    }

    var detail: String {
        "outbox-model detail: \(midSyncCrashes) crashes mid-sync, \(passes) sync passes, "
            + "\(waiting) records left queued behind a quarantined Patient"
    }
}

struct ModelError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One sequence: a vault on disk, the server, the model, and the current client process.
final class ModelRun {
    static let destinationName = "nhs-epr"
    static let baseURL = "https://fhir.example.invalid/R4"
    let directory: URL
    let location: VaultLocation
    let server = FakeFHIRServer()
    let clock = FakeClock()
    let batchSize: Int
    /// The configuration the session reads: the destination, and whether its policy
    /// lets anything through (rewritten before each pass).
    let configPath: URL
    /// The open vault of the current process; nil only while "dead".
    private var vault: Vault?
    private(set) var model = OutboxModel()
    private var people: [UUID?] = Array(repeating: nil, count: FictionalPerson.all.count)
    /// Drafts saved and not yet finalised.
    private var drafts: Set<UUID> = []
    private(set) var crashes = 0
    private(set) var midSyncCrashes = 0
    private(set) var passes = 0
    private var name: String { Self.destinationName }

    init(putWithClientIDs: Bool, batchSize: Int) throws {
        directory = try Self.makeDirectory()
        location = VaultLocation(directory: directory.appendingPathComponent("vault"))
        let vault = try Vault.create(
            at: location, workerName: "Model Mentor", role: .clinician, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase),
            kdf: .fastForTestsOnly(), kdfFloor: .testsOnly)
        self.vault = vault
        server.realistic = true
        server.updateCreate = putWithClientIDs
        self.batchSize = batchSize
        configPath = directory.appendingPathComponent("config.toml")
        try writeConfig(receives: true)
        try confirmConfig(vault)
    }

    /// The destination's definition: every kind, or (to keep held records held) none.
    /// Its kinds are part of what the worker confirms (`confirmConfig`).
    func writeConfig(receives: Bool) throws {
        let kinds = receives ? RecordKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") : ""
        try """
            [destination.\(Self.destinationName)]
            url = "\(Self.baseURL)"
            kinds = [\(kinds)]
            batch-size = \(batchSize)
            """.write(to: configPath, atomically: true, encoding: .utf8)
    }

    /// The worker confirms the destination as config.toml now defines it (registering it
    /// the first time), as `destination confirm` does: a changed definition sends nothing.
    func confirmConfig(_ vault: Vault) throws {
        let session = Session(vault: vault, configPath: configPath)
        let review = try session.reviewDestination(Self.destinationName)
        if !review.state.isConfirmed { try session.confirmDestination(review) }
    }

    /// In /dev/shm when there is one: the crashes here are a process's, not the machine's
    /// (what the process committed stays in the page cache), so fsync buys nothing but
    /// time. Power loss is campaign 1's and 2's business.
    static func makeDirectory() throws -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else { return try TemporaryVault.makeDirectory() }
        let url = shm.appendingPathComponent("satchel-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func remove() {
        vault?.lock()
        vault = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private func openVault() throws -> Vault {
        guard let vault else { throw ModelError("no process has the vault open") }
        return vault
    }

    // MARK: - Steps

    func perform(_ step: OutboxStep) throws -> [String] {
        switch step.kind {
        case .finalise:
            if step.viaDraft, let patient = people[step.person] { return try finaliseViaDraft(step, patient: patient) }
            try finalise(step)
            return try check("after saving")
        case .deliver:
            return try pass(release: step.releases).problems
        case .reject:
            return try pass(release: step.releases) { pending in
                (Self.refusals(step, pending) { self.model.records[$0]?.isPatient == true }, nil)
            }.problems
        case .retry:
            var problems = try pass(release: step.releases) { pending in
                (Self.script(step.transientFaults, pending, pick: step.b), nil)
            }.problems
            if problems.isEmpty, step.followedByCleanPass {
                problems += try pass(release: step.releases).problems
            }
            return problems
        case .crash:
            guard step.crashWhere != .idle else { return try crashAndReopen(auditLengthAtDeath: nil) }
            let out = try pass(release: step.releases) { pending in
                (Self.script(step.crashFaults, pending, pick: step.b), step.crashPoint(bundles: self.bundles(pending)))
            }
            guard out.problems.isEmpty else { return out.problems }
            if out.died { midSyncCrashes += 1 }
            // Not reached during the sync: the process dies right after it.
            return try crashAndReopen(auditLengthAtDeath: out.auditLengthAtDeath)
        }
    }

    private func finalise(_ step: OutboxStep) throws {
        let vault = try openVault()
        let person = FictionalPerson.all[step.person]
        let routes: RoutePlan = step.holds ? .notYetChecked : .queueEverywhere
        let state: ModelState = step.holds ? .held(Route.notYetChecked) : .pending
        guard let patient = people[step.person] else {
            let id = try SampleRecords.serviceUser(vault, name: person.name, nhsNumber: person.nhsNumber, routes: routes)
            people[step.person] = id
            model.add(ModelRecord(id: id, person: step.person, choice: nil, patient: id, state: state))
            // Consent to share with the destination, so the policy releases what it holds.
            let consent = try SampleRecords.consent(vault, about: id, with: Self.destinationName, routes: routes)
            model.add(ModelRecord(id: consent, person: step.person, choice: .consent, patient: id, state: state))
            return
        }
        let id: UUID
        switch step.recordChoice {
        case .contactLow: id = try SampleRecords.contact(vault, about: patient, risk: .low, routes: routes)
        case .contactMedium: id = try SampleRecords.contact(vault, about: patient, risk: .medium, routes: routes)
        case .contactHigh: id = try SampleRecords.contact(vault, about: patient, risk: .high, routes: routes)
        case .risk: id = try SampleRecords.risk(vault, about: patient, routes: routes)
        case .consent: id = try SampleRecords.consent(vault, about: patient, routes: routes)
        case .privacyNotice:
            id = try SampleRecords.consent(vault, about: patient, scope: .privacyNotice, with: "Satchel mentoring service", routes: routes)
        case .boundary: id = try SampleRecords.boundary(vault, about: patient, routes: routes)
        case .top: id = try SampleRecords.top(vault, about: patient, routes: routes)
        case .unmappable:
            let draft = RecordDraft(
                kind: .contact, subjectID: patient, body: Array(#"{"note":"written by a form this version cannot read"}"#.utf8))
            try vault.saveFinal(draft, routes: routes)
            id = draft.id
        }
        model.add(ModelRecord(id: id, person: step.person, choice: step.recordChoice, patient: patient, state: state))
    }

    /// A draft saved, the process dead before "finalise", the vault reopened: the draft
    /// is still a draft and queued nowhere; finalised now, it is queued (or held) once.
    private func finaliseViaDraft(_ step: OutboxStep, patient: UUID) throws -> [String] {
        let risk: RiskGrade = step.recordChoice == .contactHigh ? .high : step.recordChoice == .contactMedium ? .medium : .low
        let contact = try Contact(
            kind: .faceToFace, at: SampleRecords.now.addingTimeInterval(-3600), place: "home", minutes: 30, present: [],
            summary: "Draft interrupted by a crash.", currentRisk: risk, now: SampleRecords.now)
        let draft = RecordDraft(kind: .contact, subjectID: patient, body: try SampleRecords.encode(contact))
        try openVault().saveDraft(draft)
        drafts.insert(draft.id)
        var problems = try crashAndReopen(auditLengthAtDeath: nil)
        guard problems.isEmpty else { return problems }
        let routes: RoutePlan = step.holds ? .notYetChecked : .queueEverywhere
        try openVault().finalise(draft.id, routes: routes)
        drafts.remove(draft.id)
        model.add(ModelRecord(
            id: draft.id, person: step.person, choice: risk == .high ? .contactHigh : risk == .medium ? .contactMedium : .contactLow, patient: patient,
            state: step.holds ? .held(Route.notYetChecked) : .pending))
        problems += try check("after finalising the draft")
        return problems
    }

    /// The server's faults for a pass with transient failures.
    static func script(_ faults: [TransientFault], _ pending: [UUID], pick: Int) -> ServerScript {
        var s = ServerScript()
        for (i, fault) in faults.enumerated() {
            switch fault {
            case .unavailable503: s.faults.append(.status(503, headers: ["Retry-After": "2"]))
            case .throttled429: s.faults.append(.status(429, headers: ["Retry-After": "1"]))
            case .error500: s.faults.append(.status(500))
            case .badGateway502: s.faults.append(.status(502))
            case .reset: s.faults.append(.transport(.connectionLost))
            case .timeout: s.faults.append(.transport(.timeout))
            case .offline: s.faults.append(.transport(.offline))
            case .commitThenReset: s.faults.append(.commitThenDrop)
            case .commitThenGatewayTimeout: s.faults.append(.commitThenStatus(504))
            case .entry503, .entry429:
                let status = fault == .entry503 ? 503 : 429
                if pending.isEmpty {
                    s.faults.append(.status(status))
                } else {
                    let target = pending[(pick + i) % pending.count].uuidString.lowercased()
                    s.faults.append(.entryStatus([target: EntryRefusal(status: status, diagnostics: "busy, try again later")]))
                }
            case .captivePortal: s.faults.append(.captivePortal)
            case .metadataTimeout: s.metadataFaults.append(.transport(.timeout))
            case .tls: s.faults.append(.transport(.tls))
            }
        }
        return s
    }

    /// The server's refusals for a reject step: standing refusals of one or two queued
    /// records for the whole pass, or the first bundle refused as a whole.
    static func refusals(_ step: OutboxStep, _ pending: [UUID], isPatient: (UUID) -> Bool) -> ServerScript {
        var s = ServerScript()
        let status = step.refusalStatus
        switch step.refusal {
        case .wholeBundle:
            s.faults = [.status(status, body: FakeFHIRServer.outcome("Fictional bundle refusal (\(status))", code: "invalid"))]
        case .oneEntry, .twoEntries:
            // A refused Patient strands the person's other records (they wait for it), so
            // Patients are among the candidates only one time in four.
            let candidates = step.refusesPatients ? pending : pending.filter { isPatient($0) == false }
            guard !candidates.isEmpty else { break }
            var targets = [candidates[step.b % candidates.count]]
            if step.refusal == .twoEntries { targets.append(candidates[(step.b / 7) % candidates.count]) }
            for (n, t) in targets.enumerated() {
                s.rules[t.uuidString.lowercased()] = EntryRefusal(status: status, diagnostics: "Fictional profile check \(n + 1) failed (\(status))")
            }
        }
        return s
    }

    // MARK: - A sync pass

    struct ServerScript {
        var faults: [FakeFHIRServer.Fault] = []
        var metadataFaults: [FakeFHIRServer.Fault] = []
        var rules: [String: EntryRefusal] = [:]
        var isClean: Bool { faults.isEmpty && metadataFaults.isEmpty && rules.isEmpty }
    }

    struct PassOutcome {
        var problems: [String]
        var died: Bool
        var auditLengthAtDeath: Int?
    }

    /// One `sync` by the current process, through the use-case layer: the session asks
    /// the sharing policy again — which releases every held record (`release`: the
    /// destination takes every kind and each person consented) or keeps it held with
    /// the policy's reason (the destination takes no kind) — then the push engine runs
    /// against the server with the faults `plan` makes for the records then queued.
    /// With a crash point, the process may die in it; the caller then reopens the vault.
    func pass(
        release: Bool, plan: ([UUID]) -> (ServerScript, CrashPoint?) = { _ in (ServerScript(), nil) }
    ) throws -> PassOutcome {
        passes += 1
        var problems: [String] = []
        try writeConfig(receives: release)
        let vault = try openVault()
        let kinds = Dictionary(uniqueKeysWithValues: try vault.headers(state: .final).map { ($0.id, $0.kind) })
        for h in try vault.held(destination: name) {
            if release {
                if let p = model.release(h.recordID) { problems.append(p) }
            } else {
                let kind = kinds[h.recordID]?.rawValue ?? "?"
                if let p = model.hold(h.recordID, reason: "\(name) does not receive \(kind) records (its sharing policy)") { problems.append(p) }
            }
        }
        // The worker confirms the new kinds; that asks the policy again, as the sync would.
        try confirmConfig(vault)
        model.recoverInFlight()  // the engine's first act
        let (s, crash) = plan(model.pendingIDs())
        server.faults = s.faults
        server.metadataFaults = s.metadataFaults
        server.entryRules = s.rules
        let ran = try runEngine(crash: crash)
        server.faults = []
        server.metadataFaults = []
        server.entryRules = [:]

        var delivered = 0
        var quarantined = 0
        for sent in ran.sent {
            let applied = model.apply(sent)
            problems += applied.problems
            delivered += applied.delivered
            quarantined += applied.quarantined
        }
        if ran.died {
            return PassOutcome(
                problems: problems.map { "during the sync (dying \(crash.map { "\($0)" } ?? "")): \($0)" }, died: true,
                auditLengthAtDeath: ran.auditLengthAtDeath)
        }
        let newlyUnmappable = try observeUnmappable()
        let stillQueued = model.all.filter { $0.state == .pending || $0.state == .inFlight }.count
        for r in model.all where r.state == .inFlight {
            problems.append("\(r.label) is still in flight after a sync that finished")
        }
        if ran.report.delivered != delivered {
            problems.append("the summary says \(ran.report.delivered) delivered; the server accepted \(delivered) whose replies arrived")
        }
        if ran.report.rejected.count != quarantined + newlyUnmappable {
            problems.append("the summary lists \(ran.report.rejected.count) rejected; \(quarantined + newlyUnmappable) were refused for good")
        }
        if ran.report.rejected.contains(where: { $0.reason.isEmpty }) { problems.append("a rejection in the summary has no reason") }
        if ran.report.stillQueued != stillQueued {
            problems.append("the summary says \(ran.report.stillQueued) still queued; the model has \(stillQueued)")
        }
        if s.isClean && crash == nil {
            // Liveness: a clean sync leaves nothing queued that could have gone.
            for r in model.all where r.state == .pending {
                if r.isPatient || isDelivered(r.patient) {
                    problems.append("\(r.label) is still queued after a clean sync (\(ran.report.why ?? "no reason given"))")
                }
            }
        }
        problems += try check("after the sync")
        return PassOutcome(problems: problems, died: false, auditLengthAtDeath: nil)
    }

    /// About how many bundles a clean pass would send: the queued Patients', then the rest's.
    func bundles(_ pending: [UUID]) -> Int {
        let patients = pending.filter { model.records[$0]?.isPatient == true }.count
        let batch = max(1, batchSize)
        return (patients + batch - 1) / batch + (pending.count - patients + batch - 1) / batch
    }

    struct EngineRun {
        var sent: [SentRequest]
        var report: DeliverySummary
        var died: Bool
        var auditLengthAtDeath: Int?
    }

    /// The engine, its transport and its clock live only in here: when the process dies,
    /// they are gone with it.
    private func runEngine(crash: CrashPoint?) throws -> EngineRun {
        let process = ClientProcess(vault: try openVault())
        let transport = DyingTransport(server: server, process: process, crash: crash)
        let engineClock = DyingClock(inner: clock, process: process, crash: crash)
        let session = Session(
            vault: process.vault, configPath: configPath,
            delivery: DeliveryEnvironment(transport: { _ in transport }, clock: engineClock, random: { 0.5 }))
        var reports = 0
        let summaries = try session.sync(dryRun: false) { _, _, _ in
            reports += 1
            if crash == .afterSettle(reports) { process.die() }
        }
        let report = summaries.first ?? DeliverySummary(destination: name)
        return EngineRun(sent: transport.sent, report: report, died: process.dead, auditLengthAtDeath: process.auditLengthAtDeath)
    }

    // MARK: - Crash

    /// Drops every object of the process and opens the vault again from disk.
    func crashAndReopen(auditLengthAtDeath: Int?) throws -> [String] {
        let expected: Int
        if let auditLengthAtDeath {
            expected = auditLengthAtDeath
        } else {
            let vault = try openVault()
            expected = try vault.status().audit.length
            vault.lock()
        }
        vault = nil
        crashes += 1
        let reopened = try Vault.unlock(at: location, passphrase: try TemporaryVault.secret(TemporaryVault.passphrase), kdfFloor: .testsOnly)
        vault = reopened
        var problems: [String] = []
        let length = try reopened.status().audit.length
        if length != expected {
            problems.append("the audit log had \(expected) entries when the process died and \(length) after reopening")
        }
        let verification = try reopened.verifyAudit()
        if !verification.isIntact { problems.append("audit verify after reopening: \(verification.firstBreak ?? "broken")") }
        _ = try observeUnmappable()
        problems += try check("after the crash and reopening")
        return problems
    }

    // MARK: - The end

    /// A crash, then the policy releases everything and clean syncs run until nothing
    /// more can go. Every record must then be delivered once or quarantined with a reason.
    func finish() throws -> [String] {
        var problems = try crashAndReopen(auditLengthAtDeath: nil)
        guard problems.isEmpty else { return problems }
        for _ in 0..<3 {
            problems += try pass(release: true).problems
            guard problems.isEmpty else { return problems }
            if !model.all.contains(where: { $0.state == .pending && !waitsForQuarantinedPatient($0) }) { break }
        }
        for r in model.all {
            switch r.state {
            case .delivered, .quarantined: continue
            case .pending where waitsForQuarantinedPatient(r):
                if r.everSent || !server.resources(forRecord: r.key).isEmpty {
                    problems.append("\(r.label) waits for its quarantined Patient, yet it was sent")
                }
            default: problems.append("\(r.label) ends \(r.state): neither delivered exactly once nor quarantined with a reason")
            }
        }
        let verification = try openVault().verifyAudit()
        if !verification.isIntact { problems.append("audit verify: \(verification.firstBreak ?? "broken")") }
        return problems
    }

    /// A record whose Patient was refused for good waits, queued, with that reason
    /// (docs/sync.md: "a record whose Patient has not reached that destination waits").
    func waitsForQuarantinedPatient(_ r: ModelRecord) -> Bool {
        guard r.state == .pending, !r.isPatient, let p = model.records[r.patient] else { return false }
        if case .quarantined = p.state { return true }
        return false
    }

    private func isDelivered(_ id: UUID) -> Bool {
        if case .delivered? = model.records[id]?.state { return true }
        return false
    }

    /// An unmappable record is quarantined by Satchel itself when its bundle is made; the
    /// server never sees it. Returns how many the vault newly shows quarantined.
    private func observeUnmappable() throws -> Int {
        let rows = Dictionary(grouping: try openVault().outbox(destination: name), by: \.recordID)
        var n = 0
        for r in model.all where r.unmappable && r.state == .pending {
            guard let row = rows[r.id]?.first, row.state == .rejected else { continue }
            if row.lastError?.contains(OutboxModel.unmappableReason) == true {
                model.quarantineUnmappable(r.id)
                n += 1
            }
        }
        return n
    }

    // MARK: - The invariant

    /// The vault, the server and the model agree.
    func check(_ when: String) throws -> [String] {
        let vault = try openVault()
        var problems: [String] = []

        // No final record disappears, none appears.
        let finals = Set(try vault.headers(state: .final).map(\.id))
        for r in model.all where !finals.contains(r.id) { problems.append("\(r.label) is no longer a final record in the vault") }
        for id in finals where model.records[id] == nil { problems.append("the vault has a final record \(id) nobody saved") }
        let vaultDrafts = Set(try vault.headers(state: .draft).map(\.id))
        if vaultDrafts != drafts {
            problems.append("the vault has drafts \(vaultDrafts.map { $0.uuidString.prefix(8) }), expected \(drafts.map { $0.uuidString.prefix(8) })")
        }

        // Each final record has exactly one row, queued or held, in the state the model says.
        let rows = Dictionary(grouping: try vault.outbox(destination: name), by: \.recordID)
        let held = Dictionary(grouping: try vault.held(destination: name), by: \.recordID)
        for id in Set(rows.keys).union(held.keys) where model.records[id] == nil {
            problems.append("the outbox has a row for \(id), which is no final record")
        }
        for r in model.all {
            let o = rows[r.id] ?? []
            let h = held[r.id] ?? []
            guard o.count + h.count == 1 else {
                problems.append("\(r.label) has \(o.count) outbox rows and \(h.count) held rows, not one")
                continue
            }
            let actual = o.first.map { "\($0.state.rawValue)" } ?? "held"
            func mismatch(_ detail: String = "") {
                problems.append("\(r.label): the model says \(r.state), the vault says \(actual)\(detail)")
            }
            if let row = o.first, !r.unmappable, row.attempts != r.attempts {
                problems.append("\(r.label): the vault counts \(row.attempts) attempts; it was marked in flight \(r.attempts) times")
            }
            switch r.state {
            case .held(let reason):
                guard let row = h.first else { mismatch(); continue }
                if row.reason != reason || row.reason.isEmpty { mismatch(" with reason \"\(row.reason)\"") }
            case .pending:
                guard let row = o.first, row.state == .pending else { mismatch(); continue }
                let hasReason = !(row.lastError ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                if hasReason != r.hasReason {
                    problems.append("\(r.label) is queued with reason \"\(row.lastError ?? "")\"; "
                        + (r.hasReason ? "after a failed or interrupted attempt it should say why" : "it has not been tried yet"))
                }
            case .inFlight:
                if o.first?.state != .inFlight { mismatch() }
            case .delivered(let key):
                guard let row = o.first, row.state == .delivered else { mismatch(); continue }
                if row.serverID != key { mismatch(" with receipt \(row.serverID ?? "none"), but the server stored \(key)") }
                if row.lastError != nil { problems.append("\(r.label) is delivered but keeps an error: \(row.lastError ?? "")") }
            case .quarantined(let text):
                guard let row = o.first, row.state == .rejected else { mismatch(); continue }
                let reason = row.lastError ?? ""
                if reason.trimmingCharacters(in: .whitespaces).isEmpty || !reason.contains(text) {
                    mismatch(" with reason \"\(reason)\", which should mention \"\(text)\"")
                }
            }
        }

        // The server: never two resources, or two creates, for one record.
        for (record, n) in server.creates where n > 1 {
            problems.append("the server created \(n) resources for record \(record.prefix(8))")
        }
        let onServer = Dictionary(grouping: server.resources.values, by: { $0.recordID ?? "" })
        for (record, list) in onServer {
            if list.count > 1 { problems.append("the server holds \(list.count) resources for record \(record.prefix(8)): \(list.map(\.key))") }
            if record.isEmpty || UUID(uuidString: record).flatMap({ model.records[$0] }) == nil {
                problems.append("the server holds \(list.map(\.key)) for no known final record")
            }
        }
        for r in model.all {
            let list = onServer[r.key] ?? []
            switch r.state {
            case .delivered(let key):
                if list.count != 1 || list.first?.key != key {
                    problems.append("\(r.label) is delivered as \(key), but the server holds \(list.map(\.key))")
                }
            case .held:
                if !list.isEmpty || r.everSent { problems.append("\(r.label) is held, yet it was sent") }
            default:
                break
            }
            if r.unmappable && !list.isEmpty { problems.append("\(r.label) cannot be mapped, yet the server holds it") }
        }
        return problems.map { "\(when): \($0)" }
    }
}
