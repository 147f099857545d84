import Foundation
import SatchelCore
import SatchelStore

extension PushEngine {
    /// What one bundle's round trip came to.
    enum BundleOutcome {
        case settled(retry: [OutgoingRecord], retryAfter: Double?, lastReason: String?)
        /// A bundle-level 400/422: send the halves apart to find the bad record.
        case split
    }

    /// Sends the queue a page at a time, in delivery order — people's Patients first, then
    /// by stated risk (high, medium, then the rest), oldest first — opening and auditing
    /// records bundle by bundle, so memory does not grow with the queue. Versions of one
    /// resource (a record and its amendments) go one round apart, so each amendment is
    /// written over the version the server already holds; a record whose person's
    /// Patient is not on the server yet waits. A record opened and not sent after all
    /// (quarantined for its basis, or the run stopped) is audited as an export at the end.
    func sendStreamed(into report: inout DeliverySummary) throws {
        defer { unaudited = [:] }
        do {
            try sendPages(into: &report)
        } catch {
            try? vault.auditExports(Array(unaudited.values))
            throw error
        }
        try vault.auditExports(Array(unaudited.values))
    }

    private func sendPages(into report: inout DeliverySummary) throws {
        let total = try vault.pendingCount(destination: destination.name)
        var run = StreamRun(total: total)
        progress(0, total)
        guard total > 0 else { return reportHead(into: &report) }
        resourceKeys = try vault.resourceKeys()
        run.roots = Set(resourceKeys.values)
        for (id, key) in resourceKeys { run.versions[key, default: [key]].append(id) }
        let serverMode = Self.writeMode(try fetchCapabilities())
        let page = max(destination.batchSize, 1)

        // People first; then the rest by stated risk: one pass to find the high and
        // medium ones (kept as ids), one to send the others in order.
        try eachPendingPage(.people, page) { rows in try ship(rows, serverMode, &run, &report) }
        try flush(serverMode, &run, &report)
        run.placedPeople = try vault.placedPeople(destination: destination.name)
        var high: [UUID] = [], medium: [UUID] = []
        try eachPendingPage(.others, page) { rows in
            let risks = try vault.statedRisks(rows.filter(\.entry.intact).map(\.entry.recordID))
            for row in rows {
                switch risks[row.entry.recordID] {
                case .high?: high.append(row.entry.recordID)
                case .medium?: medium.append(row.entry.recordID)
                default: break
                }
            }
        }
        for ids in [high, medium] {
            for start in stride(from: 0, to: ids.count, by: page) {
                try ship(try vault.pendingRows(destination: destination.name, records: Array(ids[start..<min(start + page, ids.count)])), serverMode, &run, &report)
            }
        }
        let urgent = Set(high + medium)
        try eachPendingPage(.others, page) { rows in
            try ship(rows.filter { !urgent.contains($0.entry.recordID) }, serverMode, &run, &report)
        }
        try flush(serverMode, &run, &report)
        // Later versions of what was just sent, a round at a time (few: amendments).
        while !run.later.isEmpty {
            let now = run.later
            (run.later, run.seen) = ([], [])
            run.placedPeople = try vault.placedPeople(destination: destination.name)
            let before = run.shipped
            for start in stride(from: 0, to: now.count, by: page) {
                try ship(try vault.pendingRows(destination: destination.name, records: Array(now[start..<min(start + page, now.count)])), serverMode, &run, &report)
            }
            try flush(serverMode, &run, &report)
            // An older version that did not go (it waits for its person) holds the newer ones.
            if run.shipped == before {
                run.waiting += run.later.count
                break
            }
        }
        if bundlesSent == 0 { reportHead(into: &report) }
        if run.waiting > 0 {
            report.why = "\(run.waiting) record\(run.waiting == 1 ? "" : "s") wait for their service user's record to reach \(destination.name) first (see queue)"
        }
    }

    /// What a streamed run keeps: small whatever the queue's length (people, amendments,
    /// the ids of high- and medium-risk records).
    struct StreamRun {
        let total: Int
        var settled = 0
        var waiting = 0
        /// Records handed to a bundle so far.
        var shipped = 0
        /// Resources with more than one version (chain roots and people), and each one's versions.
        var roots: Set<UUID> = []
        var versions: [UUID: [UUID]] = [:]
        /// Resources one of whose versions went this round; versions met after it wait for the next.
        var seen: Set<UUID> = []
        var later: [UUID] = []
        var placedPeople: Set<UUID> = []
        /// Opened records waiting to fill a bundle (never more than a bundle's worth).
        var buffer: [OutgoingRecord] = []

        init(total: Int) { self.total = total }
    }

    /// Each page of pending rows of `kinds`, oldest first, read after the previous one was handled.
    private func eachPendingPage(_ kinds: QueuedKinds, _ size: Int, _ body: ([QueuedRow]) throws -> Void) throws {
        var last: QueuedRow?
        while true {
            let rows = try vault.pendingPage(destination: destination.name, kinds, after: last, limit: size)
            guard let end = rows.last else { return }
            try body(rows)
            last = end
        }
    }

    /// Opens one page of rows for sending: a damaged row or record is quarantined, a later
    /// version of a resource sent this round waits for the next, a record whose person is
    /// not on the server waits; the rest join the buffer, sent whenever it fills a bundle.
    private func ship(_ rows: [QueuedRow], _ serverMode: WriteMode, _ run: inout StreamRun, _ report: inout DeliverySummary) throws {
        var ready: [QueuedRow] = []
        for row in rows {
            let id = row.entry.recordID
            guard row.entry.intact else {
                report.quarantined.append(.init(
                    record: id.uuidString.lowercased(), kind: "outbox row",
                    reason: "its route was changed outside Satchel; not sent (run `satchel check`)"))
                continue
            }
            // Of a resource's versions, the oldest still queued goes first, one a round.
            let key = resourceKeys[id] ?? id
            if key != id || run.roots.contains(id) {
                let queued = try vault.pendingRows(destination: destination.name, records: run.versions[key] ?? [id])
                let oldest = queued.min { ($0.createdAt, $0.entry.recordID.uuidString) < ($1.createdAt, $1.entry.recordID.uuidString) }
                guard oldest?.entry.recordID == id, run.seen.insert(key).inserted else {
                    run.later.append(id)
                    continue
                }
            }
            if row.kind != .serviceUser, !run.placedPeople.contains(row.subjectID) {
                run.waiting += 1
                continue
            }
            if row.entry.writeMode == .conditionalCreate { firstSentByConditionalCreate.insert(id) }
            ready.append(row)
        }
        guard !ready.isEmpty else { return }
        let opened = try vault.openForSending(ready.map(\.entry.recordID), reason: "sync \(destination.name)")
        for note in opened.exports { unaudited[note.record] = note }
        for row in ready { outboxStamps[row.entry.recordID] = row.stamp }
        for (id, problem) in opened.damaged {
            report.quarantined.append(.init(record: id.uuidString.lowercased(), kind: "record", reason: problem))
        }
        var records = opened.records.map { r in
            var o = OutgoingRecord(r, authorName: vault.workerName)
            if r.header.kind != .serviceUser { o.rootID = resourceKeys[r.header.id] }
            return o
        }
        try attachBases(&records, ready.map(\.entry), into: &report)
        let targets = try vault.receipts(destination: destination.name, records: records.flatMap { run.versions[resourceKeys[$0.id] ?? $0.id] ?? [] })
        records = records.map { r in
            var r = r
            let versions = run.versions[resourceKeys[r.id] ?? r.id] ?? []
            r.updateTarget = versions.lazy.compactMap { targets[$0] }.first ?? endorsedTarget(r)
            return r
        }
        run.shipped += records.count
        run.buffer += records
        while run.buffer.count >= destination.batchSize {
            let bundle = Array(run.buffer.prefix(destination.batchSize))
            run.buffer.removeFirst(bundle.count)
            try deliver(bundle, serverMode, &report, &run.settled, run.total)
        }
    }

    /// Sends what the buffer holds.
    private func flush(_ serverMode: WriteMode, _ run: inout StreamRun, _ report: inout DeliverySummary) throws {
        let bundle = run.buffer
        run.buffer = []
        try deliver(bundle, serverMode, &report, &run.settled, run.total)
    }

    /// PUT with client ids where every type Satchel writes allows update-as-create;
    /// otherwise conditional create, with references by identifier (the server picks ids).
    public static func writeMode(_ capabilities: ServerCapabilities) -> WriteMode {
        writtenTypes.allSatisfy { capabilities.writeMode(for: $0) == .putWithClientIDs } ? .putWithClientIDs : .conditionalCreate
    }

    /// How a record goes: by conditional create when it was first sent that way — a PUT
    /// under its own id would store it a second time beside the server-assigned copy —
    /// otherwise as the server now allows. A record first sent by PUT may go by
    /// conditional create: both carry its identifier, which finds the copy a lost reply hid.
    func writeMode(for record: OutgoingRecord, server: WriteMode) -> WriteMode {
        firstSentByConditionalCreate.contains(record.id) ? .conditionalCreate : server
    }

    /// Bundles of at most `batchSize` records in delivery order, each of one write mode.
    func bundles(_ records: [OutgoingRecord], _ serverMode: WriteMode) -> [(WriteMode, [OutgoingRecord])] {
        var out: [(WriteMode, [OutgoingRecord])] = []
        for r in records {
            let mode = writeMode(for: r, server: serverMode)
            if let last = out.last, last.0 == mode, last.1.count < destination.batchSize {
                out[out.count - 1].1.append(r)
            } else {
                out.append((mode, [r]))
            }
        }
        return out
    }

    private func deliver(
        _ records: [OutgoingRecord], _ serverMode: WriteMode, _ report: inout DeliverySummary,
        _ settled: inout Int, _ total: Int
    ) throws {
        var queue = bundles(records, serverMode)
        var attempt = 0
        while !queue.isEmpty {
            let (mode, chunk) = queue.removeFirst()
            switch try sendBundle(chunk, mode, &report) {
            case .split:
                let half = chunk.count / 2
                queue.insert(contentsOf: [(mode, Array(chunk[..<half])), (mode, Array(chunk[half...]))], at: 0)
            case .settled(let retry, let retryAfter, let reason):
                settled += chunk.count - retry.count
                progress(min(settled, total), total)
                guard !retry.isEmpty else {
                    attempt = 0
                    continue
                }
                guard attempt + 1 < maxAttempts else {
                    throw SyncError.notFHIR("gave up for now after \(maxAttempts) attempts (\(reason ?? "no reply")); the records stay queued")
                }
                // A server may ask for any wait, even years or infinity (found by fuzzing):
                // past the longest a shift-end sync should sit idle, stop and keep the records.
                if let after = retryAfter, !(after <= Self.longestRetryAfter) {
                    throw SyncError.notFHIR("\(destination.name) asked us to wait longer than \(Int(Self.longestRetryAfter / 60)) minutes before trying again; the records stay queued. Sync again later.")
                }
                clock.sleep(seconds: backoff.delay(attempt: attempt, retryAfter: retryAfter, random: random))
                attempt += 1
                queue.insert((mode, retry), at: 0)
            }
        }
    }

    /// Sends one batch Bundle and records what became of each record.
    private func sendBundle(_ chunk: [OutgoingRecord], _ mode: WriteMode, _ report: inout DeliverySummary) throws -> BundleOutcome {
        let references: ReferenceStyle = mode == .putWithClientIDs ? .clientIDs : .identifierOnly
        var mapped: [(OutgoingRecord, FHIRResource)] = []
        var unmappable: [(UUID, DeliveryResult)] = []
        for r in chunk {
            do { mapped.append((r, try FHIRMapper.resource(for: r, references: references).updating(r.updateTarget))) } catch {
                unmappable.append((r.id, .rejected(reason: "Satchel could not express this record as FHIR R4: \(error)")))
            }
        }
        let ids = chunk.map(\.id)
        let inFlight = try vault.markInFlight(
            ids, destination: destination.name, writeMode: mode == .putWithClientIDs ? .put : .conditionalCreate,
            stamps: outboxStamps, exports: ids.compactMap { unaudited[$0] })
        for id in ids { unaudited[id] = nil }
        outboxStamps.merge(inFlight) { _, new in new }
        if !unmappable.isEmpty {
            try settleRows(unmappable)
            report.rejected += unmappable.compactMap { id, r in
                guard case .rejected(let reason) = r else { return nil }
                return .init(record: Self.short(id), kind: chunk.first { $0.id == id }?.kind.rawValue ?? "?", reason: reason)
            }
        }
        guard !mapped.isEmpty else { return .settled(retry: [], retryAfter: nil, lastReason: nil) }
        let request = bundleRequest(BundleBuilder.batch(mapped.map(\.1), mode: mode, auditHead: auditHead))
        bundlesSent += 1
        let records = mapped.map(\.0)
        let response: HTTPResponse
        switch Result(catching: { () throws(SyncError) -> HTTPResponse in try perform(request) }) {
        case .success(let r):
            response = r
        case .failure(let failure):
            if failure.code.isTransport, failure.code != .tls, failure.code != .refusedURL {
                return try retryAll(records, "\(failure.code.rawValue): \(failure.message)")
            }
            _ = try retryAll(records, failure.message)
            throw failure
        }
        switch classify(response, now: clock.now()) {
        case .success:
            let parsed = Result(catching: { () throws(SyncError) -> [EntryOutcome] in
                try BundleResponseParser.parse(body: response.body, contentType: response.contentType, expectedEntries: records.count)
            })
            switch parsed {
            case .success(let outcomes):
                return try settle(records, mapped.map(\.1), outcomes, &report)
            case .failure(let error):
                guard case .notFHIR(let type)? = error.problem else {
                    return try retryAll(records, "the reply could not be read as a FHIR batch-response (\(error))")
                }
                _ = try retryAll(records, "the reply was not FHIR (\(type ?? "no content type"))")
                throw SyncError.notFHIR("\(destination.name) answered with a page that is not FHIR (\(type ?? "no content type")): a Wi-Fi login page or a proxy, probably. Nothing was counted as delivered; sign in to the network and sync again.")
            }
        case .throttled(let after):
            return try retryAll(records, "HTTP \(response.status): the server asked us to wait", after: after)
        case .server, .unexpected:
            return try retryAll(records, "HTTP \(response.status) from the server")
        case .rejected:
            guard records.count == 1, let only = records.first else {
                _ = try retryAll(records, "the bundle was refused as a whole; sending in smaller parts")
                return .split
            }
            let reason = "HTTP \(response.status): \(OperationOutcomeText.summary(body: response.body) ?? "no reason given")"
            try settleRows([(only.id, .rejected(reason: reason))])
            report.rejected.append(.init(record: Self.short(only.id), kind: only.kind.rawValue, reason: reason))
            return .settled(retry: [], retryAfter: nil, lastReason: nil)
        case .auth:
            _ = try retryAll(records, "credentials refused")
            throw SyncError.auth(authMessage(response.status))
        }
    }

    /// A batch Bundle POSTed to the FHIR base.
    private func bundleRequest(_ body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: destination.baseURL,
            headers: [("Content-Type", "application/fhir+json; charset=utf-8"), ("Accept", "application/fhir+json"), ("Prefer", "return=minimal")],
            body: body)
    }

    /// With no Bundle sent (nothing to deliver, or everything waiting for its Patient), one
    /// Bundle with no entries still reports the audit head: a vault put back to an older
    /// copy usually has nothing to send. Tried once, never retried: nothing but the report
    /// is at stake. A failure is noted in the summary; a TLS failure is the usual warning.
    private func reportHead(into report: inout DeliverySummary) {
        guard let auditHead else { return }
        bundlesSent += 1
        do {
            let response = try perform(bundleRequest(BundleBuilder.batch([], mode: .putWithClientIDs, auditHead: auditHead)))
            guard (200..<300).contains(response.status) else {
                report.why = report.why ?? "\(destination.name) did not take the audit head report (HTTP \(response.status))"
                return
            }
        } catch {
            if error.code == .tls {
                stop(&report, error)
            } else {
                report.why = report.why ?? "the audit head was not reported to \(destination.name): \(error.message)"
            }
        }
    }

    /// Every record of the bundle back to pending, with the reason, to be sent again.
    private func retryAll(_ records: [OutgoingRecord], _ reason: String, after: Double? = nil) throws -> BundleOutcome {
        try settleRows(records.map { ($0.id, .retry(reason: reason)) })
        return .settled(retry: records, retryAfter: after, lastReason: reason)
    }

    /// Records a bundle's results over the rows' stamps; a row back to pending keeps its
    /// new stamp for the next attempt, a finished one drops it.
    private func settleRows(_ results: [(UUID, DeliveryResult)]) throws {
        let written = try vault.settle(results, destination: destination.name, stamps: outboxStamps)
        for (id, result) in results {
            if case .retry = result { outboxStamps[id] = written[id] } else { outboxStamps[id] = nil }
        }
    }

    private func settle(
        _ records: [OutgoingRecord], _ resources: [FHIRResource], _ outcomes: [EntryOutcome], _ report: inout DeliverySummary
    ) throws -> BundleOutcome {
        var results: [(UUID, DeliveryResult)] = []
        var retry: [OutgoingRecord] = []
        var retryAfter: Double?
        var lastReason: String?
        for ((record, resource), outcome) in zip(zip(records, resources), outcomes) {
            switch outcome.status {
            case 200..<300:
                results.append((record.id, .delivered(serverID: outcome.serverID ?? "\(resource.type)/\(resource.id)", version: outcome.version)))
                report.delivered += 1
            case 429, 503, 500..<600, 408:
                let reason = "HTTP \(outcome.status) for this record"
                results.append((record.id, .retry(reason: reason)))
                retry.append(record)
                lastReason = reason
                if outcome.status == 429 || outcome.status == 503 { retryAfter = max(retryAfter ?? 0, 1) }
            default:
                let reason = "HTTP \(outcome.status): \(outcome.diagnostics ?? "no reason given")"
                results.append((record.id, .rejected(reason: reason)))
                report.rejected.append(.init(record: Self.short(record.id), kind: record.kind.rawValue, reason: reason))
            }
        }
        try settleRows(results)
        return .settled(retry: retry, retryAfter: retryAfter, lastReason: lastReason)
    }

    // MARK: - Requests

    /// The server's CapabilityStatement: FHIR version, and how to write each type.
    public func fetchCapabilities() throws(SyncError) -> ServerCapabilities {
        let request = HTTPRequest(method: "GET", url: destination.baseURL + "/metadata", headers: [("Accept", "application/fhir+json")], body: [])
        var attempt = 0
        var response: HTTPResponse
        // Transient failures are retried like a bundle's; TLS and refused credentials are not.
        while true {
            var retryAfter: Double?
            var transient = false
            switch Result(catching: { () throws(SyncError) -> HTTPResponse in try perform(request) }) {
            case .success(let r):
                response = r
                switch classify(r, now: clock.now()) {
                case .throttled(let after): (transient, retryAfter) = (true, after)
                case .server: transient = true
                default: break
                }
            case .failure(let failure):
                guard failure.code.isTransport, failure.code != .tls, failure.code != .refusedURL, attempt + 1 < maxAttempts else { throw failure }
                transient = true
                response = HTTPResponse(status: 0, headers: [:], body: [])
            }
            guard transient, attempt + 1 < maxAttempts else { break }
            clock.sleep(seconds: backoff.delay(attempt: attempt, retryAfter: retryAfter, random: random))
            attempt += 1
        }
        guard response.status == 200 else {
            throw SyncError.notFHIR("\(destination.name)/metadata answered HTTP \(response.status); a FHIR R4 server answers 200 with its CapabilityStatement.")
        }
        do { return try CapabilityParser.parse(response.body) } catch {
            throw SyncError.notFHIR("\(destination.name)/metadata is not a FHIR R4 CapabilityStatement (\(error)). Check the URL; a Wi-Fi login page answers like this too.")
        }
    }

    /// Sends with the Authorization header; on 401/403 fetches a fresh token once.
    func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        var refreshed = false
        while true {
            var r = request
            if let header = try tokens.header() { r.headers.append(("Authorization", header)) }
            let response = try transport.perform(r)
            if response.status == 401 || response.status == 403, !refreshed, tokens.invalidate() {
                refreshed = true
                continue
            }
            if response.status == 401 || response.status == 403 { throw .auth(authMessage(response.status)) }
            return response
        }
    }

    func authMessage(_ status: Int) -> String {
        "\(destination.name) refused Satchel's credentials (HTTP \(status)), even after a fresh token. Sync stopped for \(destination.name); nothing is lost. Check the sealed secret (destination secret \(destination.name)) with your team lead."
    }

    /// The longest `Retry-After` a sync waits out; a longer one ends the destination's sync.
    static let longestRetryAfter: Double = 300

    /// Every resource type the mapping produces, in the order of the kinds.
    public static let writtenTypes: [String] = RecordKind.allCases.flatMap(FHIRMapper.resourceTypes).reduce(into: []) { types, t in
        if !types.contains(t) { types.append(t) }
    }

    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
