import Foundation

/// What a form needs to know beyond its answers: the time, who is writing, and what
/// is already on record for the person (their consents and last risk grade).
public struct FormContext: Sendable {
    public var now: Date
    public var calendar: Calendar = .london
    public var role: Role
    /// The grade stated on this person's latest record, offered as the default.
    public var lastRisk: RiskGrade?
    /// The latest risk-entry grade in each domain, to show the change.
    public var lastRiskByDomain: [RiskDomain: RiskGrade] = [:]
    /// Every consent decision on record for this person.
    public var consents = ConsentLedger([])
    /// What this person's disclosures to destinations release (SIM guide §48-52).
    public var disclosures: [DisclosureGrant] = []
    /// Where this person's mentoring stands (SIM guide §20, §21).
    public var standing = MentoringStanding()
    /// When this person's contacts that involved a police mentor took place (for a death
    /// record: the SIM guide §63 referral). Filled only for the `death` form.
    public var policeContacts: [Date] = []
    /// The worker's name (the default for who decided a disclosure).
    public var workerName = ""
    /// The destinations in config.toml (a disclosure goes to one of them). Filled only for the `disclosure` form.
    public var destinations: [String] = []
    /// This person's final records, newest first: what a disclosure may name. Filled only for the `disclosure` form.
    public var records: [RecordBrief] = []
    /// The team's risk matrix (config.toml `[risk-matrix]`; Satchel's default without one).
    public var riskMatrix = RiskMatrix.satchel
    /// What a response plan's form offers from the records. Filled only for the `plan` form.
    public var planOffers = PlanOffers()
    /// The person's case as its latest step left it (nil when there is none). Filled only
    /// for the case-step forms (`outcome`, `review`, `discharge`).
    public var caseSoFar: CaseSoFar?

    public init(now: Date, role: Role) {
        self.now = now
        self.role = role
    }
}

/// A form's result: the payload to seal as the final body, and what to tell the user.
public struct BuiltRecord: Sendable {
    public let payload: any RecordPayload
    /// Shown after finalising, e.g. "Risk raised from Medium to High".
    public var note: String?

    public init(payload: any RecordPayload, note: String? = nil) {
        self.payload = payload
        self.note = note
    }

    public var formVersion: Int { type(of: payload).formVersion }
}
