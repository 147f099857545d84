import Foundation

/// What one destination may receive: the record kinds its agency takes, and the names
/// a share consent may use for that agency (a consent "with NHS" and one "with nhs-epr"
/// both speak of the same destination when both names are listed).
public struct SharingRule: Sendable, Equatable {
    public let destination: String
    public let kinds: Set<RecordKind>
    public let agencyNames: [String]

    /// A destination that receives anything about a person also receives the person
    /// (their Patient): every other record refers to it.
    public init(destination: String, kinds: Set<RecordKind>, agencyNames: [String]) {
        self.destination = destination
        self.kinds = kinds.isEmpty ? [] : kinds.union([.serviceUser])
        self.agencyNames = agencyNames.isEmpty ? [destination] : agencyNames
    }
}

/// A record without its body: what the sharing policy is asked about, and what a form
/// that names records (a disclosure) sees.
public struct RecordBrief: Sendable, Equatable {
    public let id: UUID
    public let kind: RecordKind
    /// When it was written (finalised): a consent covers what is written after it is given.
    public let writtenAt: Date

    public init(id: UUID, kind: RecordKind, writtenAt: Date) {
        self.id = id
        self.kind = kind
        self.writtenAt = writtenAt
    }
}

/// The policy's answer for one record and one destination.
public enum SharingDecision: Sendable, Equatable {
    /// The person's consent covers it.
    case share
    /// A disclosure on a lawful basis releases it (SIM guide §48-52): the outbox row
    /// carries the disclosure, and the record goes out with its basis.
    case disclose(DisclosureGrant)
    /// Held back, with the reason and what would release it, in words a team lead can act on.
    case hold(String)
}

/// Decides whether a record may go to a destination. The PAVE SOP (§10) asks for every
/// contact on every agency's system; the SIM guide (§48-56) allows sharing on consent or
/// on a lawful basis. So a record goes to a destination only when the destination takes
/// its kind **and** either the person's latest decision about sharing with that agency
/// is "given" and covers the time the record was written, or a disclosure to that
/// destination names it. The person's own record (their Patient) is covered by any
/// current consent or disclosure: every record shared refers to it.
public enum SharingPolicy {
    public static func decide(
        _ record: RecordBrief, rule: SharingRule, consents: ConsentLedger, disclosures: [DisclosureGrant] = [],
        calendar: Calendar = .london
    ) -> SharingDecision {
        let d = rule.destination
        guard rule.kinds.contains(record.kind) else {
            return .hold("\(d) does not receive \(record.kind.rawValue) records (its sharing policy)")
        }
        guard !consents.damaged else {
            return .hold("a consent record for this person was changed outside Satchel (run `satchel check`)")
        }
        let coverage = consents.shareCoverage(withAnyOf: rule.agencyNames, recordAt: record.writtenAt, calendar: calendar)
        if coverage == .covered || (record.kind == .serviceUser && isGiven(coverage)) { return .share }
        let grants = disclosures.filter { $0.destination == d && (record.kind == .serviceUser || $0.records.contains(record.id)) }
        if let grant = grants.last { return .disclose(grant) }
        let short = String(record.id.uuidString.lowercased().prefix(8))
        let disclose = "or, on a lawful basis (SIM §48-52): disclose --to \(d) --records \(short) --basis BASIS --reason TEXT"
        switch coverage {
        case .covered:
            return .share
        case .none:
            return .hold("no consent on record to share with \(d). To release: consent add --scope share --with \(d) --decision given, \(disclose)")
        case .refused(let on):
            return .hold("the service user refused consent to share with \(d) on \(FieldDay.on(on, calendar: calendar)). To release: \(disclose.dropFirst(4))")
        case .withdrawn(let on):
            return .hold("the service user withdrew consent to share with \(d) on \(FieldDay.on(on, calendar: calendar)). To release: \(disclose.dropFirst(4))")
        case .notYet(let given, let from):
            let written = FieldDay.on(record.writtenAt, calendar: calendar)
            let covers = from.map { "covers records from \($0)" } ?? "covers records written from then on"
            return .hold("written on \(written), before the consent to share with \(d) given on \(FieldDay.on(given, calendar: calendar)), which \(covers). To release: consent add --scope share --with \(d) --decision given --covers-from \(written.iso), \(disclose)")
        }
    }

    static func isGiven(_ coverage: ConsentLedger.ShareCoverage) -> Bool {
        if case .notYet = coverage { return true }
        return coverage == .covered
    }
}
