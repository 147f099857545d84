import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

extension Session {
    // MARK: - Pulled records about a person

    /// Every record `caseload pull` stored about one of this device's people: from each
    /// destination whose pulled Patient has their NHS number, or Satchel's record
    /// identifier for them (`PulledRecords.patients`). A pulled Patient that matches no one
    /// here stays in the vault, unused (docs/sync.md). Rows that fail their MAC are left out.
    func pulledRecords(for subject: UUID) throws -> [ReferenceResource] {
        guard let person = try serviceUsers()[subject] else { return [] }
        let patients = try pulledPatients()
        var out: [ReferenceResource] = []
        for (destination, serverID) in PulledRecords.patients(patients, matching: person, id: subject) {
            out += try vault.references(destination: destination, subjectID: serverID).resources
        }
        return out
    }

    /// The pulled Patients, opened once per session (a form is opened for every capture)
    /// to match them with this device's people; audited as views, reason "caseload match".
    func pulledPatients() throws -> [ReferenceResource] {
        if let cached = pulledPatientsCache { return cached }
        let patients = try vault.references(resourceType: "Patient").resources
        try vault.audit(vault.readNotes(pulled: patients, reason: "caseload match"))
        pulledPatientsCache = patients
        return patients
    }

    /// A colleague's risk grades (newest first) and involvement consents among `pulled`.
    static func pulledRisks(_ pulled: [ReferenceResource]) -> [PulledRecords.Risk] {
        pulled.compactMap(PulledRecords.risk).sorted { $0.assessedAt > $1.assessedAt }
    }

    /// `open`: one line per destination saying what was pulled about the person and how old
    /// it is ("caseload pulled 3 h ago from police: 2 risk assessments, 1 consent, plan").
    public func caseloadNotes(of subject: UUID) throws -> [String] {
        let pulled = try pulledRecords(for: subject)
        let now = clock()
        return Dictionary(grouping: pulled, by: \.destination).sorted { $0.key < $1.key }.map { destination, rows in
            let oldest = rows.map(\.pulledAt).min() ?? now
            let count = { (type: String) in rows.filter { $0.resourceType == type }.count }
            var parts: [String] = []
            for (type, one, many) in [("RiskAssessment", "risk assessment", "risk assessments"), ("Consent", "consent", "consents"),
                                      ("Flag", "flag", "flags"), ("Encounter", "encounter", "encounters")] where count(type) > 0 {
                parts.append("\(count(type)) \(count(type) == 1 ? one : many)")
            }
            if count("CarePlan") > 0 { parts.append("plan") }
            let what = parts.isEmpty ? "nothing but the person" : parts.joined(separator: ", ")
            return "caseload pulled \(Self.age(of: oldest, now: now)) from \(destination): \(what)"
        }
    }

    /// `open`: what a mentor on a doorstep needs of what was pulled — the newest grade in
    /// each domain (saying when a contributory one awaits endorsement), the active flags and
    /// the current response plan's items, each naming where it came from.
    public func caseloadDetails(of subject: UUID) throws -> [String] {
        let pulled = try pulledRecords(for: subject)
        try vault.audit(vault.readNotes(pulled: pulled, reason: "open"))
        var out: [String] = []
        var graded: Set<String> = []
        for r in pulled.sorted(by: { (PulledRecords.date($0) ?? .distantPast) > (PulledRecords.date($1) ?? .distantPast) }) {
            guard let risk = PulledRecords.risk(r) else { continue }
            let domain = risk.domain?.rawValue ?? "unstated"
            guard graded.insert(domain).inserted else { continue }
            let preliminary = (try? PulledRecords.contribution(r)) != nil
            out.append("latest \(risk.domain.map { "\($0.rawValue) " } ?? "")risk from \(r.destination): \(risk.grade.label), assessed \(FieldDate.display(risk.assessedAt))"
                + (preliminary ? " (contributory: `risk endorse \(r.key)`)" : ""))
        }
        for r in pulled {
            if let flag = PulledRecords.flag(r) { out.append("flag from \(r.destination): \(flag)") }
        }
        let plans = pulled.filter { $0.resourceType == "CarePlan" }.sorted { (PulledRecords.date($0) ?? .distantPast) > (PulledRecords.date($1) ?? .distantPast) }
        if let plan = plans.first, let lines = PulledRecords.planLines(plan) {
            out.append("response plan from \(plan.destination)\(PulledRecords.date(plan).map { ", \(FieldDate.display($0))" } ?? "") (show \(plan.key)):"
                + lines.map { "\n    \($0)" }.joined())
        }
        return out
    }

    /// `history`: what was pulled about the person, newest first (by when each says it
    /// happened), each with where it came from and how long ago it was pulled.
    public func pulledHistory(of subject: UUID, since: Date? = nil) throws -> [PulledEntry] {
        let now = clock()
        let listed = try pulledRecords(for: subject).filter { r in since.map { (PulledRecords.date(r) ?? .distantPast) >= $0 } ?? true }
        try vault.audit(vault.readNotes(pulled: listed, reason: "history"))
        return listed
            .map { r in
                PulledEntry(
                    key: r.key, destination: r.destination, resourceType: r.resourceType, resourceID: r.resourceID, date: PulledRecords.date(r),
                    summary: PulledRecords.summary(r), pulledAgo: Self.age(of: r.pulledAt, now: now))
            }
            .sorted { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }
    }

    /// "just now", "25 min ago", "3 h ago", "2 days ago".
    static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "just now"
        case ..<3_600: return "\(Int(seconds / 60)) min ago"
        case ..<172_800: return "\(Int(seconds / 3_600)) h ago"
        default: return "\(Int(seconds / 86_400)) days ago"
        }
    }
}

/// One pulled record in `history`: read-only, from a destination's central system.
public struct PulledEntry: Sendable, Equatable {
    /// What `show` takes: DEST/TYPE/ID.
    public let key: String
    public let destination: String
    public let resourceType: String
    public let resourceID: String
    /// When the record says it happened; nil when it does not say.
    public let date: Date?
    public let summary: String
    /// "3 h ago".
    public let pulledAgo: String
}

/// `show DEST/TYPE/ID`: one pulled record as it came, with where from and when.
public struct PulledView: Sendable, Equatable {
    public let key: String
    public let summary: String
    public let pulledAt: Date
    public let pulledAgo: String
    /// The server's `meta.lastUpdated`, as it sent it.
    public let lastUpdated: String?
    /// The FHIR resource as pulled (JSON).
    public let body: [UInt8]
}

extension Session {
    /// A pulled record by its reference key, `DEST/TYPE/ID` (as `history` lists it).
    public func showPulled(_ key: String) throws -> PulledView {
        let r = try pulledRecord(key)
        try vault.audit(vault.readNotes(pulled: [r], reason: "show"))
        return PulledView(
            key: key, summary: PulledRecords.summary(r), pulledAt: r.pulledAt, pulledAgo: Self.age(of: r.pulledAt, now: clock()),
            lastUpdated: r.lastUpdated, body: r.body)
    }

    /// A pulled record by its key, DEST/TYPE/ID; a clear error when there is none.
    func pulledRecord(_ key: String) throws -> ReferenceResource {
        let parts = key.split(separator: "/", maxSplits: 2).map(String.init)
        let found = parts.count == 3
            ? try vault.references(destination: parts[0], resourceType: parts[1]).resources.first { $0.resourceID == parts[2] }
            : nil
        guard let r = found else {
            throw UseCaseError(.badInput, "record: no pulled record \(FieldError.quote(key)). A pulled record is named DEST/TYPE/ID, as `history` lists it; `caseload pull` brings them.")
        }
        return r
    }
}
