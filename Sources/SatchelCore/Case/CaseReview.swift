import Foundation

/// How far the person engaged since the last review (PAVE SOP §10: "consider levels of engagement").
public enum EngagementLevel: String, Codable, Sendable, FieldChoice {
    case engaged, partly, none

    public static var choiceNoun: String { "an engagement level" }
}

/// What the review decided: carry on, or discharge (PAVE SOP §10).
public enum ReviewDecision: String, Codable, Sendable, FieldChoice {
    case `continue`, discharge

    public static var choiceNoun: String { "a review decision" }
}

/// The fortnightly review of a case (record kind `review`), PAVE SOP §10: "The team will
/// review each case on a bi-weekly basis and consider levels of engagement … the rationale
/// for discharge discussed as a multi-agency service." A review that finds the person
/// engaging (fully or partly) moves the case to engaged.
///
/// JSON keys: `reviewedOn`, `engagement`, `decision`, `note`, `currentRisk`, `episode`.
public struct CaseReview: CaseRecord {
    public static let recordKind = RecordKind.review
    /// PAVE SOP §10: reviews every two weeks.
    public static let interval = 14

    public let reviewedOn: FieldDay
    public let engagement: EngagementLevel
    public let decision: ReviewDecision
    public let note: String
    public let currentRisk: RiskGrade
    public let episode: CaseSoFar

    public init(reviewedOn: FieldDay, engagement: EngagementLevel, decision: ReviewDecision, note: String,
                currentRisk: RiskGrade, before: CaseSoFar, now: Date, calendar: Calendar = .london) throws(FieldError) {
        guard before.status == .accepted || before.status == .engaged else {
            throw FieldError.on("user", "only an accepted case is reviewed; this one is \(before.status.rawValue).")
        }
        try CaseSoFar.checkStepDay(reviewedOn, after: before.since, field: "reviewed-on", what: "The day of the review", now: now, calendar: calendar)
        self.reviewedOn = reviewedOn
        self.engagement = engagement
        self.decision = decision
        self.note = try FieldText.required(note, field: "note", label: "what the review found")
        self.currentRisk = currentRisk
        self.episode = engagement == .none ? before : before.moving(to: .engaged, on: reviewedOn)
    }
}

extension CaseReview {
    public static var form: FormSpec { .review }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "review: engagement \(engagement.rawValue), \(decision == .continue ? "continue" : "discharge")" }
}

/// A discharge (record kind `discharge`), PAVE SOP §10: "A letter to the GP will be
/// drafted by the named worker with an overview of the work carried out and a management
/// plan … The service user will be informed of the discharge and at the point of discharge
/// given an individualised list of contacts and contingency plan … All other services will
/// also be informed of the discharge". Finalising it writes the GP letter and the person's
/// contacts-and-contingency sheet (two `letter` records).
///
/// JSON keys: `dischargedOn`, `gp`, `overview`, `managementPlan`, `contacts`,
/// `contingency`, `servicesTold`, `episode`.
public struct Discharge: CaseRecord {
    public static let recordKind = RecordKind.discharge

    public let dischargedOn: FieldDay
    /// The GP the letter is for (name and practice).
    public let gp: String
    public let overview: String
    public let managementPlan: String
    /// The person's individualised list of contacts.
    public let contacts: String
    public let contingency: String
    /// The other services told of the discharge.
    public let servicesTold: String
    public let episode: CaseSoFar

    public init(dischargedOn: FieldDay, gp: String, overview: String, managementPlan: String, contacts: String,
                contingency: String, servicesTold: String, before: CaseSoFar, now: Date, calendar: Calendar = .london) throws(FieldError) {
        guard before.status == .accepted || before.status == .engaged else {
            throw FieldError.on("user", "only an accepted case is discharged; this one is \(before.status.rawValue).")
        }
        try CaseSoFar.checkStepDay(dischargedOn, after: before.since, field: "discharged-on", what: "The day of discharge", now: now, calendar: calendar)
        self.dischargedOn = dischargedOn
        self.gp = try FieldText.required(gp, field: "gp", label: "the GP the letter is for")
        self.overview = try FieldText.required(overview, field: "overview", label: "the overview of the work")
        self.managementPlan = try FieldText.required(managementPlan, field: "management-plan", label: "the management plan")
        self.contacts = try FieldText.required(contacts, field: "contacts", label: "the person's list of contacts")
        self.contingency = try FieldText.required(contingency, field: "contingency", label: "the contingency plan")
        self.servicesTold = try FieldText.required(servicesTold, field: "services-told", label: "the services told")
        self.episode = before.moving(to: .discharged, on: dischargedOn)
    }
}

extension Discharge {
    public static var form: FormSpec { .discharge }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String { "discharge on \(dischargedOn); GP letter to \(gp)" }
}
