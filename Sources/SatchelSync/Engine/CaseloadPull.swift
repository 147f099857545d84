import Foundation
import SatchelCore
import SatchelStore

/// Reads a destination's caseload into the vault as sealed reference records.
///
/// The caseload (a Group or List of Patients) is read first; then, for each person in
/// order, their Patient, active CarePlans, RiskAssessments (newest first), Consents,
/// active Flags and the last N Encounters, each search followed through its `next`
/// links (the Encounters' first page only: it is the last N). After the first complete
/// pull, every search adds `_lastUpdated=gt` the server time the last one covered.
/// Each page is stored (and the cursor with it) in one transaction, and the cursor moves
/// to the next person once a person is done, so a pull cut at any point — a dropped
/// connection, `kill -9` — resumes at the person it was on, and a resource fetched
/// twice replaces its row: nothing is stored twice. Memory holds one page.
public final class CaseloadPull {
    let vault: Vault
    let destination: Destination
    let http: PushEngine
    let clock: any SyncClock
    /// Seconds taken off the server's clock for the watermark: resources written around
    /// the moment the pull starts are asked for again next time rather than missed.
    public var watermarkMargin: Double = 1
    /// Page size asked of the server.
    public var pageSize = 100

    public init(vault: Vault, destination: Destination, transport: any HTTPTransport, clock: any SyncClock = SystemClock()) {
        self.vault = vault
        self.destination = destination
        self.clock = clock
        http = PushEngine(vault: vault, destination: destination, transport: transport, clock: clock)
    }

    public func run() -> CaseloadPullSummary {
        var summary = CaseloadPullSummary(destination: destination.name)
        guard let caseload = destination.caseload else {
            summary.why = "\(destination.name) is not configured to allow reading: add caseload = \"Group/ID\" to [destination.\(destination.name)] in config.toml."
            return summary
        }
        do {
            var cursor = try vault.pullCursor(destination: destination.name)
            summary.resumed = cursor.isUnderWay
            let (list, date) = try get(destination.baseURL + "/" + caseload, into: &summary)
            let members = Self.members(of: list)
            summary.people = members.count
            if !cursor.isUnderWay {
                let serverNow = date ?? clock.now()
                cursor.pendingSince = Self.instant(serverNow.addingTimeInterval(-watermarkMargin))
                cursor.nextMember = 0
                cursor.startedAt = clock.now()
            }
            summary.incremental = cursor.since != nil
            try store(list.map { [$0] } ?? [], subject: "", cursor: cursor, into: &summary)
            while cursor.nextMember < members.count {
                let person = members[cursor.nextMember]
                for (query, follow) in queries(for: person, since: cursor.since) {
                    var url: String? = destination.baseURL + "/" + query
                    while let next = url {
                        let (bundle, _) = try get(next, into: &summary)
                        try store(Self.entries(of: bundle), subject: person, cursor: cursor, into: &summary)
                        url = follow ? Self.nextLink(of: bundle, base: destination.baseURL) : nil
                    }
                }
                cursor.nextMember += 1
                try vault.storeReferences([], cursor: cursor, destination: destination.name)
            }
            cursor.since = cursor.pendingSince
            cursor.pendingSince = nil
            cursor.nextMember = 0
            cursor.completedAt = clock.now()
            try vault.storeReferences([], cursor: cursor, destination: destination.name)
            try vault.dropReferences(destination: destination.name, keepingSubjects: Set(members))
            try vault.notePull(destination: destination.name, stored: summary.stored)
            summary.complete = true
        } catch let failure as SyncError {
            summary.why = failure.code.isTransport
                ? "Couldn't reach \(destination.name) (\(failure.code.rawValue)). What this device holds from it stays as it was; run `caseload pull` again when you have signal — it carries on where it stopped."
                : failure.message
        } catch let error as VaultError {
            summary.why = error.message
        } catch {
            summary.why = "\(error)"
        }
        return summary
    }

    /// The searches for one person: (query, follow `next` links).
    func queries(for person: String, since: String?) -> [(String, Bool)] {
        let p = Self.encode(person)
        let changed = since.map { "&_lastUpdated=gt" + Self.encode($0) } ?? ""
        return [
            ("Patient?_id=\(p)\(changed)", true),
            ("CarePlan?subject=Patient/\(p)&status=active&_count=\(pageSize)\(changed)", true),
            ("RiskAssessment?subject=Patient/\(p)&_sort=-date&_count=\(pageSize)\(changed)", true),
            ("Consent?patient=Patient/\(p)&_count=\(pageSize)\(changed)", true),
            ("Flag?patient=Patient/\(p)&status=active&_count=\(pageSize)\(changed)", true),
        ] + (destination.caseloadEncounters > 0 ? [("Encounter?subject=Patient/\(p)&_sort=-date&_count=\(destination.caseloadEncounters)\(changed)", false)] : [])
    }

    func store(_ resources: [[String: Any]], subject: String, cursor: PullCursor, into summary: inout CaseloadPullSummary) throws(VaultError) {
        let now = clock.now()
        let rows: [ReferenceResource] = resources.compactMap { r in
            guard let type = r["resourceType"] as? String, let id = r["id"] as? String,
                  let body = try? JSONSerialization.data(withJSONObject: r, options: [.sortedKeys, .withoutEscapingSlashes])
            else { return nil }
            let meta = r["meta"] as? [String: Any]
            return ReferenceResource(
                destination: destination.name, resourceType: type, resourceID: id, subjectID: subject, versionID: meta?["versionId"] as? String,
                lastUpdated: meta?["lastUpdated"] as? String, pulledAt: now, body: Array(body))
        }
        try vault.storeReferences(rows, cursor: cursor, destination: destination.name)
        summary.stored += rows.count
    }

    /// One GET, retried on transient failures like a sync's; the body as JSON and the
    /// server's `Date`.
    func get(_ url: String, into summary: inout CaseloadPullSummary) throws(SyncError) -> ([String: Any]?, Date?) {
        let request = HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/fhir+json")], body: [])
        var attempt = 0
        while true {
            summary.requests += 1
            var retryAfter: Double?
            switch Result(catching: { () throws(SyncError) -> HTTPResponse in try http.perform(request) }) {
            case .success(let r):
                switch classify(r, now: clock.now()) {
                case .success:
                    guard let json = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else {
                        throw SyncError.notFHIR("\(destination.name) answered a read with something that is not FHIR JSON (a Wi-Fi login page answers like this). Nothing more was read; run `caseload pull` again later.")
                    }
                    return (json, r.headers["date"].flatMap(httpDate))
                case .throttled(let after): retryAfter = after
                case .server: break
                default:
                    throw SyncError.notFHIR("\(destination.name) refused a caseload read (HTTP \(r.status)). Check caseload in config.toml with your team lead.")
                }
            case .failure(let failure):
                // Offline (no route, refused) is said at once: on a doorstep, waiting does not help.
                guard failure.code.isTransport, ![.tls, .refusedURL, .offline].contains(failure.code) else { throw failure }
                if attempt + 1 >= http.maxAttempts { throw failure }
            }
            guard attempt + 1 < http.maxAttempts, (retryAfter ?? 0) <= PushEngine.longestRetryAfter else {
                throw SyncError.notFHIR("\(destination.name) kept failing caseload reads; run `caseload pull` again later: it carries on where it stopped.")
            }
            clock.sleep(seconds: http.backoff.delay(attempt: attempt, retryAfter: retryAfter, random: http.random))
            attempt += 1
        }
    }

    // MARK: - Reading the replies

    /// The Patient ids a Group (`member.entity`) or List (`entry.item`) names, in order, once each.
    static func members(of list: [String: Any]?) -> [String] {
        let group = (list?["member"] as? [[String: Any]])?.compactMap { $0["entity"] as? [String: Any] } ?? []
        let items = (list?["entry"] as? [[String: Any]])?.compactMap { $0["item"] as? [String: Any] } ?? []
        var seen = Set<String>()
        return (group + items).compactMap { ref -> String? in
            guard let text = ref["reference"] as? String, text.hasPrefix("Patient/") else { return nil }
            let id = String(text.dropFirst("Patient/".count))
            guard !id.isEmpty, !id.contains("/"), seen.insert(id).inserted else { return nil }
            return id
        }
    }

    static func entries(of bundle: [String: Any]?) -> [[String: Any]] {
        (bundle?["entry"] as? [[String: Any]])?.compactMap { $0["resource"] as? [String: Any] } ?? []
    }

    /// The `next` link, only when it stays on the destination's base URL.
    static func nextLink(of bundle: [String: Any]?, base: String) -> String? {
        let links = bundle?["link"] as? [[String: Any]] ?? []
        guard let url = links.first(where: { $0["relation"] as? String == "next" })?["url"] as? String, url.hasPrefix(base + "/") else { return nil }
        return url
    }

    static func instant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
