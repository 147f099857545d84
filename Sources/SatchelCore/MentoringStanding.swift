import Foundation

/// Where a person's mentoring stands by SIM guide §20, §21 and §22: whether the lead
/// clinician's permission is on record, whether the latest capacity assessment
/// suspended it, and whether the person has disengaged. Shown at `open`, in `status`, and with every mentoring record saved.
public struct MentoringStanding: Sendable, Equatable, Encodable {
    /// The lead clinician's permission to mentor is on record (§20).
    public var permitted = true
    /// When the latest capacity assessment judged capacity insufficient (§21): mentoring
    /// is suspended pending review since then. Nil when it is not.
    public var suspendedSince: Date?
    /// Where the person stands with the team by their engagement decisions (§22, §28).
    public var engagement = Engagement.unknown

    public init(permitted: Bool = true, suspendedSince: Date? = nil) {
        self.permitted = permitted
        self.suspendedSince = suspendedSince
    }

    /// The kinds that are mentoring itself (not the person's details, consent, capacity or permission).
    public static let mentoringKinds: Set<RecordKind> = [.contact, .risk, .top, .boundary]

    /// What to tell the worker, in words; empty when nothing stands in the way.
    public var warnings: [String] {
        var out: [String] = []
        if !permitted {
            out.append("No lead clinician's permission to mentor is on record for this person (SIM guide §20: \"Before mentoring can start, permission must first be gained from the Lead Clinician\"). Record it with `permission add`.")
        }
        if let since = suspendedSince {
            out.append("Mentoring is suspended pending review: capacity was judged insufficient on \(FieldDay.on(since)) (SIM guide §21). Record a new `capacity add` when it is reviewed.")
        }
        if let warning = engagement.warning { out.append(warning) }
        return out
    }
}
