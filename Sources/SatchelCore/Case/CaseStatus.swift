import Foundation

/// Where a case stands, from referral to discharge (PAVE SOP §7-10): referred (waiting
/// for the team's MDT outcome), accepted (at a tier, with a named worker), declined,
/// engaged (a review found the person engaging), discharged.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case referred, accepted, declined, engaged, discharged

    /// True while the case is open: a new referral waits until it is closed.
    public var isOpen: Bool { self != .declined && self != .discharged }
}

/// One change of a case's status and the day it happened.
public struct CaseStatusChange: Codable, Sendable, Equatable {
    public let status: CaseStatus
    public let on: FieldDay

    public init(status: CaseStatus, on: FieldDay) {
        self.status = status
        self.on = on
    }
}

/// The case as it stands after one of its steps: each step's record keeps it whole, so
/// the step alone is enough to deliver the case's episode (docs/fhir-mapping.md, "The case").
///
/// JSON keys: `referredOn`, `referrer`, `tier` (absent until accepted), `namedWorker`
/// (absent until accepted), `history` (oldest first; never empty).
public struct CaseSoFar: Codable, Sendable, Equatable {
    public let referredOn: FieldDay
    public let referrer: String
    public var tier: PaveTier?
    public var namedWorker: String?
    public var history: [CaseStatusChange]

    public init(referredOn: FieldDay, referrer: String) {
        self.referredOn = referredOn
        self.referrer = referrer
        self.history = [CaseStatusChange(status: .referred, on: referredOn)]
    }

    public var status: CaseStatus { history.last?.status ?? .referred }
    /// The day of the latest change (a later step may not be dated before it).
    public var since: FieldDay { history.last?.on ?? referredOn }

    /// The case moved to `status` on `day`; a step that leaves the status as it was adds nothing.
    func moving(to status: CaseStatus, on day: FieldDay) -> CaseSoFar {
        var next = self
        if status != self.status { next.history.append(CaseStatusChange(status: status, on: day)) }
        return next
    }

    /// Words for `open` and `status`: "accepted at tier 1 on 02/12/2026 (named worker: …)".
    public var summary: String {
        var text = "\(status.rawValue)"
        if status == .accepted || status == .engaged, let tier { text += " at tier \(tier.rawValue)" }
        text += " since \(since)"
        if status.isOpen, let namedWorker { text += "; named worker \(namedWorker)" }
        return text
    }

    /// Checks the day of a new step: not before the case's latest change, not in the future.
    static func checkStepDay(_ day: FieldDay, after earlier: FieldDay, field: String, what: String, now: Date, calendar: Calendar) throws(FieldError) {
        try day.checkNotAfterToday(field: field, what: what, now: now, calendar: calendar)
        if day < earlier {
            throw FieldError.on(field, "\(day) is before the case's last step (\(earlier)). \(what) must be on or after it.")
        }
    }
}

/// The record kinds of a case, in the order a case goes through them.
extension RecordKind {
    public static let caseSteps: Set<RecordKind> = [.outcome, .review, .discharge]
    public static let caseKinds: Set<RecordKind> = caseSteps.union([.referral])
}

/// A record of a case step: the case as it stands after it.
public protocol CaseRecord: RecordPayload {
    var episode: CaseSoFar { get }
}
