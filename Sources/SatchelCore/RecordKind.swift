/// What a record is about — and where a record kind is declared: a case here and its
/// payload type in `payloadType` (docs/architecture.md, "Adding a record kind"). The raw value is what the vault stores in clear and what
/// the user types; it never changes once records exist.
public enum RecordKind: String, CaseIterable, Codable, Sendable {
    case serviceUser = "service-user"
    case contact
    case risk
    case top
    case consent
    case boundary
    case capacity
    case permission
    case death
    case disclosure
    case plan
    case referral
    case outcome
    case review
    case discharge
    case letter
    case mds
    case enforcement
}

extension RecordKind {
    /// The payload each kind seals. Adding a case here makes the compiler name every
    /// switch over `RecordKind` that must learn it.
    public var payloadType: any RecordPayload.Type {
        switch self {
        case .serviceUser: ServiceUser.self
        case .contact: Contact.self
        case .risk: RiskAssessmentEntry.self
        case .top: TOPForm.self
        case .consent: Consent.self
        case .boundary: BoundaryDiscussion.self
        case .capacity: CapacityAssessment.self
        case .permission: MentoringPermission.self
        case .death: DeathNotification.self
        case .disclosure: Disclosure.self
        case .plan: ResponsePlan.self
        case .referral: Referral.self
        case .outcome: CaseOutcome.self
        case .review: CaseReview.self
        case .discharge: Discharge.self
        case .letter: Letter.self
        case .mds: MonthlyFigures.self
        case .enforcement: EnforcementOutcome.self
        }
    }

    /// True when the kind's records state the current risk level (SIM guide §46): the
    /// risk offered as the default comes from the latest of these.
    public var statesRisk: Bool {
        switch self {
        case .contact, .risk, .top, .consent, .boundary, .capacity, .disclosure, .plan, .review, .enforcement: true
        case .serviceUser, .permission, .death, .referral, .outcome, .discharge, .letter, .mds: false
        }
    }

    /// True when a delivered record of this kind may have its body purged (`purge`): the
    /// records of what happened. The other kinds are what Satchel reads to know where a
    /// person stands now — who they are, their consents and disclosures (routing), capacity,
    /// permission, a death (warnings), their case, plan and letters, the data set's figures
    /// and enforcement outcomes (counted by `mds due`, `chart`, `report team`) — and stay whole.
    public var isPurgeable: Bool {
        switch self {
        case .contact, .risk, .top, .boundary: true
        case .serviceUser, .consent, .capacity, .permission, .death, .disclosure, .plan, .referral, .outcome, .review, .discharge, .letter,
             .mds, .enforcement: false
        }
    }

    /// The guided form that captures this kind.
    public var form: FormSpec { payloadType.form }
}
