import Foundation
import SatchelCore
import SatchelStore

/// Delivers one destination's outbox as FHIR R4 batch Bundles, exactly once — or, for a
/// folder destination, as files (`PushEngine+Folder`).
///
/// - Ids come from the record UUIDs (PUT with client ids, or conditional create on the
///   record identifier), so resending after a timeout, a dropped connection or a crash
///   can never make a duplicate: rows found in flight at the start are simply sent again.
///   A record first sent by conditional create is sent that way on every retry, whatever
///   the server allows by then (its copy has the server's id, not the record's).
/// - A person's Patient goes before their other records; high-risk records go first.
/// - Per record: delivered (the server's id and version kept), rejected (quarantined
///   with the server's reason; the rest carry on), or retried with capped exponential
///   backoff and full jitter, never sooner than Retry-After.
/// - A reply that is not a FHIR batch-response Bundle (a captive portal's 200 page) is
///   never counted as success. TLS failures and refused credentials stop the run.
public final class PushEngine {
    let vault: Vault
    let destination: Destination
    let transport: any HTTPTransport
    let tokens: TokenSource
    let clock: any SyncClock
    let random: () -> Double
    public var backoff = Backoff()
    /// Attempts per bundle before the run gives up on this destination for now.
    public var maxAttempts = 6
    /// Called with (records settled, records to send); never past 100%.
    public var progress: (Int, Int) -> Void = { _, _ in }
    /// The vault's audit head as this run found it, reported in every Bundle it sends.
    var auditHead: AuditHead?
    /// Bundles this run sent (with nothing sent, one empty Bundle reports the head).
    var bundlesSent = 0
    /// The resource each final record is a version of (`Vault.resourceKeys`), read once per run.
    var resourceKeys: [UUID: UUID] = [:]
    /// The queued records first sent to this destination by conditional create.
    var firstSentByConditionalCreate: Set<UUID> = []
    /// The outbox rows of the records on their way in this run, as last read or written
    /// (`OutboxStamp`): moved on without being read again while unchanged.
    var outboxStamps: [UUID: OutboxStamp] = [:]
    /// The export entries of records opened to be sent and not yet marked in flight.
    var unaudited: [UUID: ExportNote] = [:]
    /// Makes each record's readable PDF, for a folder destination (`PushEngine+Folder`).
    var readable: ReadableRenderer?

    public init(
        vault: Vault, destination: Destination, transport: any HTTPTransport, clock: any SyncClock = SystemClock(),
        random: @escaping () -> Double = { Double.random(in: 0...1) }
    ) {
        self.vault = vault
        self.destination = destination
        self.transport = transport
        self.clock = clock
        self.random = random
        tokens = TokenSource(destination: destination, vault: vault, transport: transport, clock: clock)
    }

    public func run(dryRun: Bool = false) -> DeliverySummary {
        var report = DeliverySummary(destination: destination.name)
        do {
            if !dryRun {
                let head = try vault.auditHead()
                auditHead = AuditHead(workerID: vault.workerID, sequence: head.seq, hash: head.hash)
                try vault.recoverInFlight(destination: destination.name)
            }
            report.held = try vault.held(destination: destination.name).count
            // HTTPS: a page of the queue at a time, opened bundle by bundle (memory flat
            // with the queue's length). A dry run and a folder list or write everything.
            if !dryRun, destination.folder == nil {
                try sendStreamed(into: &report)
            } else {
                try loadAndSend(dryRun: dryRun, into: &report)
            }
        } catch let failure as SyncError {
            stop(&report, failure)
        } catch let error as VaultError {
            report.why = error.message
        } catch {
            report.why = "\(error)"
        }
        if !dryRun { report.stillQueued = (try? vault.stillQueuedCount(destination: destination.name)) ?? report.stillQueued }
        return report
    }

    /// A dry run, or a folder: every queued record opened up front, in delivery order.
    private func loadAndSend(dryRun: Bool, into report: inout DeliverySummary) throws {
        let queued = try vault.outbox(destination: destination.name, state: .pending)
        for row in queued where !row.intact {
            report.quarantined.append(.init(
                record: row.recordID.uuidString.lowercased(), kind: "outbox row",
                reason: "its route was changed outside Satchel; not sent (run `satchel check`)"))
        }
        firstSentByConditionalCreate = Set(queued.filter { $0.intact && $0.writeMode == .conditionalCreate }.map(\.recordID))
        var ordered = try loadInOrder(queued.filter(\.intact).map(\.recordID), dryRun: dryRun, into: &report)
        try attachBases(&ordered, queued, into: &report)
        if dryRun {
            report.wouldSend = ordered.map { "\($0.kind.rawValue) \($0.id.uuidString.lowercased().prefix(8))" }
            report.stillQueued = ordered.count
            return
        }
        if let folder = destination.folder {
            try deliver(ordered, toFolder: folder, into: &report)
        }
    }

    func stop(_ report: inout DeliverySummary, _ failure: SyncError) {
        if failure.code == .tls {
            report.securityWarning = "SECURITY: the connection to \(destination.name) failed its TLS check (\(failure.message)). Nothing was sent; this is not retried automatically. Tell your team lead before syncing again."
            report.why = "TLS check failed"
        } else if failure.code.isTransport {
            report.why = "couldn't reach \(destination.name) (\(failure.code.rawValue)): \(failure.message)"
        } else {
            report.why = failure.message
        }
    }

    /// Each record released by a disclosure goes with its lawful basis, read from the
    /// disclosure record. When that record cannot be read intact, the records it released
    /// are quarantined: never sent without the basis they were released on.
    func attachBases(_ records: inout [OutgoingRecord], _ rows: [OutboxEntry], into report: inout DeliverySummary) throws {
        let under = Dictionary(rows.compactMap { r in r.disclosureID.map { (r.recordID, $0) } }, uniquingKeysWith: { a, _ in a })
        guard !under.isEmpty else { return }
        let opened = try vault.readIntact(Array(Set(under.values)), purpose: .view, reason: "sync \(destination.name) basis")
        var bases: [UUID: LawfulBasis] = [:]
        for r in opened.records {
            if let d = try? RecordCodec.decode(Disclosure.self, from: r.body) { bases[r.header.id] = d.basis }
        }
        records = records.compactMap { record in
            guard let disclosure = under[record.id] else { return record }
            guard let basis = bases[disclosure] else {
                report.quarantined.append(.init(
                    record: record.id.uuidString.lowercased(), kind: record.kind.rawValue,
                    reason: "released by disclosure \(disclosure.uuidString.lowercased().prefix(8)), which cannot be read intact; not sent (run `satchel check`)"))
                return nil
            }
            var r = record
            r.disclosure = (disclosure, basis)
            return r
        }
    }

    // MARK: - Order

    /// Opens the records (audited as exports) in delivery order: Patients first, then
    /// by stated risk (high first), then oldest first.
    /// A record that fails its integrity check is quarantined: named in the report,
    /// never opened for sending, and the others go on.
    func loadInOrder(_ ids: [UUID], dryRun: Bool, into report: inout DeliverySummary) throws -> [OutgoingRecord] {
        guard !ids.isEmpty else { return [] }
        let opened = try vault.readIntact(ids, purpose: dryRun ? .view : .export, reason: "sync \(destination.name)")
        for (id, problem) in opened.damaged {
            report.quarantined.append(.init(record: id.uuidString.lowercased(), kind: "record", reason: problem))
        }
        resourceKeys = try vault.resourceKeys()
        let records = opened.records.map { r in
            var o = OutgoingRecord(r, authorName: vault.workerName)
            if r.header.kind != .serviceUser { o.rootID = resourceKeys[r.header.id] }
            return o
        }
        func rank(_ r: OutgoingRecord) -> (Int, Int, Date) {
            let risk = RecordCodec.statedRisk(r.body)
            return (r.kind == .serviceUser ? 0 : 1, risk == .high ? 0 : risk == .medium ? 1 : 2, r.createdAt)
        }
        return records.sorted { a, b in
            let (x, y) = (rank(a), rank(b))
            return x.0 != y.0 ? x.0 < y.0 : x.1 != y.1 ? x.1 < y.1 : x.2 < y.2
        }
    }
}
