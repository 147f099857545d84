import Foundation

/// The death of a service user (record kind `death`), SIM guide §63: "If the service user
/// dies within 48 hours of having contact with the mentoring team and that contact
/// involved a police mentor, then an automatic referral has to be made to the Independent
/// Police Complaints Commission" (today the Independent Office for Police Conduct).
///
/// Whether the referral is required is worked out when the record is made, from the
/// person's contacts on this device that involved a police mentor (`FormContext.policeContacts`:
/// written by a police-role worker, or with a police mentor or officer recorded as present),
/// and kept in the record, so it is shown and delivered as it was decided.
///
/// JSON keys: `diedAt`, `source`, `note` (absent when none), `referralRequired`,
/// `policeContactAt` (the latest such contact in the 48 hours before, absent when none).
public struct DeathNotification: RecordPayload {
    public static let recordKind = RecordKind.death
    /// The window before a death in which a contact involving a police mentor triggers the referral.
    public static let referralWindow: TimeInterval = 48 * 3600
    static let timeRule = "A death can only be recorded at or before now."

    public let diedAt: Date
    public let source: String
    public let note: String?
    public let referralRequired: Bool
    public let policeContactAt: Date?

    /// Validates (the time is not in the future, how the team learnt of it is given) and
    /// decides the §63 referral from the times of contacts that involved a police mentor.
    public init(diedAt: Date, source: String, note: String?, policeContacts: [Date], now: Date, calendar: Calendar = .london) throws(FieldError) {
        try FieldDate.check(diedAt, notAfter: now, field: "died-at", rule: Self.timeRule, calendar: calendar)
        self.diedAt = diedAt
        self.source = try FieldText.required(source, field: "source", label: "how the team learnt of the death")
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.note = trimmed?.isEmpty == false ? trimmed : nil
        let within = policeContacts.filter { $0 <= diedAt && diedAt.timeIntervalSince($0) <= Self.referralWindow }
        self.policeContactAt = within.max()
        self.referralRequired = policeContactAt != nil
    }

    public static let referralText = "Referral to the police complaints body (IOPC) required: a contact involving a police mentor took place in the 48 hours before the death (SIM guide §63)."
}

extension DeathNotification {
    public static var form: FormSpec { .death }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String {
        "death on \(FieldDate.display(diedAt))" + (referralRequired ? "; IOPC referral required (SIM §63)" : "")
    }
}
