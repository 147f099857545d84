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

/// Decides whether a record may go to a destination. The PAVE SOP (§10) asks for every
/// contact on every agency's system; the SIM guide (§48-56) allows sharing only on a
/// lawful basis. So a record is queued only when the destination takes its kind **and**
/// the service user's latest decision about sharing with that agency is "given".
public enum SharingPolicy {
    /// nil when the record may be shared; otherwise the reason it is held back, in words
    /// a team lead can act on.
    public static func holdReason(kind: RecordKind, rule: SharingRule, consents: ConsentLedger, asOf: Date? = nil) -> String? {
        guard rule.kinds.contains(kind) else {
            return "\(rule.destination) does not receive \(kind.rawValue) records (its sharing policy)"
        }
        guard !consents.damaged else {
            return "a consent record for this person was changed outside Satchel (run `satchel check`)"
        }
        guard let latest = consents.latestEntry(scope: .share, withAnyOf: rule.agencyNames, asOf: asOf) else {
            return "no consent on record to share with \(rule.destination) (consent add --scope share --with \(rule.destination) --decision given)"
        }
        switch latest.consent.decision {
        case .given: return nil
        case .refused: return "the service user refused consent to share with \(rule.destination) on \(FieldDay.on(latest.recordedAt))"
        case .withdrawn: return "the service user withdrew consent to share with \(rule.destination) on \(FieldDay.on(latest.recordedAt))"
        }
    }
}
