import Foundation

/// A referral to the team (record kind `referral`), PAVE SOP §7: "A referral form will be
/// completed in order for the team to understand how the individual is presenting to them
/// and what the demand is. The referral form will also ask for … what interventions have
/// already taken place." It opens a case; the MDT outcome follows (`outcome add`).
///
/// JSON keys: `referrer`, `receivedOn`, `demand`, `tried`, `episode`.
public struct Referral: CaseRecord {
    public static let recordKind = RecordKind.referral

    /// Who referred, with their team or organisation.
    public let referrer: String
    public let receivedOn: FieldDay
    /// How the person is presenting and the demand on services.
    public let demand: String
    /// The interventions that have already taken place.
    public let tried: String
    public let episode: CaseSoFar

    public init(referrer: String, receivedOn: FieldDay, demand: String, tried: String, now: Date, calendar: Calendar = .london) throws(FieldError) {
        self.referrer = try FieldText.required(referrer, field: "referrer", label: "who referred")
        try receivedOn.checkNotAfterToday(field: "received-on", what: "The day the referral was received", now: now, calendar: calendar)
        self.receivedOn = receivedOn
        self.demand = try FieldText.required(demand, field: "demand", label: "the demand on services")
        self.tried = try FieldText.required(tried, field: "tried", label: "what was already tried")
        self.episode = CaseSoFar(referredOn: receivedOn, referrer: self.referrer)
    }
}

extension Referral {
    public static var form: FormSpec { .referral }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String { "referral from \(referrer), received \(receivedOn)" }
}

/// The MDT's decision on a referral (PAVE SOP §7: "accepted and tiered" or declined).
public enum CaseDecision: String, Codable, Sendable, FieldChoice {
    case accepted, declined

    public static var choiceNoun: String { "a referral outcome" }
}

/// The MDT outcome of a referral (record kind `outcome`), PAVE SOP §7: accepted at tier
/// 1, 2 or 3 with a named worker ("At point of acceptance a named worker will be allocated
/// from the lead agency"), or declined, when "correspondence will be sent back to the
/// referrer with the rationale for declining the referral and advice about how they could
/// possibly resolve the issue without PAVE's involvement". Finalising it writes the
/// outcome letter to the referrer (a `letter`).
///
/// JSON keys: `decision`, `decidedOn`, `tier` and `namedWorker` (accepted only),
/// `rationale`, `advice` (absent when none), `episode`.
public struct CaseOutcome: CaseRecord {
    public static let recordKind = RecordKind.outcome

    public let decision: CaseDecision
    public let decidedOn: FieldDay
    public let tier: PaveTier?
    public let namedWorker: String?
    public let rationale: String
    public let advice: String?
    public let episode: CaseSoFar

    public init(decision: CaseDecision, decidedOn: FieldDay, tier: PaveTier?, namedWorker: String?, rationale: String,
                advice: String?, before: CaseSoFar, now: Date, calendar: Calendar = .london) throws(FieldError) {
        guard before.status == .referred else {
            throw FieldError.on("user", "this case already has its outcome (\(before.status.rawValue)). Correct it with `amend`, or record a review.")
        }
        try CaseSoFar.checkStepDay(decidedOn, after: before.since, field: "decided-on", what: "The day of the MDT outcome", now: now, calendar: calendar)
        self.decision = decision
        self.decidedOn = decidedOn
        self.rationale = try FieldText.required(rationale, field: "rationale", label: "the rationale")
        self.advice = FieldText.optional(advice)
        var episode = before.moving(to: decision == .accepted ? .accepted : .declined, on: decidedOn)
        if decision == .accepted {
            guard let tier else { throw FieldError.on("tier", "an accepted referral is placed at a tier. Allowed: \(PaveTier.allowedList).") }
            self.tier = tier
            self.namedWorker = try FieldText.required(namedWorker ?? "", field: "named-worker", label: "the named worker")
            episode.tier = tier
            episode.namedWorker = self.namedWorker
        } else {
            self.tier = nil
            self.namedWorker = nil
        }
        self.episode = episode
    }
}

extension CaseOutcome {
    public static var form: FormSpec { .outcome }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String {
        decision == .accepted
            ? "outcome: accepted at tier \(tier?.rawValue ?? 0), named worker \(namedWorker ?? "?")"
            : "outcome: declined (\(firstLine(rationale)))"
    }
}
