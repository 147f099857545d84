import Foundation

/// A Treatment Outcomes Profile (record kind `top`).
///
/// Every questionnaire item may be `declined`; a form in which the client declined
/// everything (e.g. at exit) is still valid. The header (stage, interview date) is
/// administrative and cannot be declined. Totals are derived, never stored.
///
/// JSON keys: `formVersion`, `stage`, `interviewDate`, `substances`, `injecting`,
/// `crime`, `health`, `currentRisk`. After decoding, call ``validate()``.
public struct TOPForm: RecordPayload {
    public static let recordKind = RecordKind.top

    /// Version 2: the TOP with the tobacco row.
    public static let currentFormVersion = 2

    public let formVersion: Int
    public let stage: TOPStage
    public let interviewDate: FieldDay
    public let substances: TOPSubstances
    public let injecting: TOPInjecting
    public let crime: TOPCrime
    public let health: TOPHealth
    public let currentRisk: RiskGrade

    public static let dateWhat = "An interview date"

    /// Builds a form at ``currentFormVersion``; the interview date must not be after
    /// today (`--interview-date`).
    public init(stage: TOPStage, interviewDate: FieldDay, substances: TOPSubstances,
                injecting: TOPInjecting, crime: TOPCrime, health: TOPHealth,
                currentRisk: RiskGrade, now: Date, calendar: Calendar = .london) throws(FieldError) {
        try interviewDate.checkNotAfterToday(field: "interview-date", what: Self.dateWhat, now: now, calendar: calendar)
        self.formVersion = Self.currentFormVersion
        self.stage = stage
        self.interviewDate = interviewDate
        self.substances = substances
        self.injecting = injecting
        self.crime = crime
        self.health = health
        self.currentRisk = currentRisk
        try validate()
    }

    /// Parses `--interview-date` (today, yesterday, 23/11/2026, 2026-11-23; not in the future).
    public static func parseInterviewDate(_ text: String, now: Date,
                                          calendar: Calendar = .london) throws(FieldError) -> FieldDay {
        try FieldDay.notAfterToday(text, field: "interview-date", what: dateWhat, now: now, calendar: calendar)
    }

    /// Re-checks every section (ranges, skips, required follow-ups).
    public func validate() throws(FieldError) {
        if !(1...Self.currentFormVersion).contains(formVersion) {
            throw FieldError.on("form-version", "\(formVersion) is not a known TOP form version. Known: 1-\(Self.currentFormVersion).")
        }
        try substances.validate()
        try injecting.validate()
        try crime.validate()
        try health.validate()
    }

    /// A form in which the client declined every item.
    public static func allDeclined(stage: TOPStage, interviewDate: FieldDay, currentRisk: RiskGrade,
                                   now: Date, calendar: Calendar = .london) throws(FieldError) -> TOPForm {
        let d = WeeklyDays.declined
        return try TOPForm(
            stage: stage, interviewDate: interviewDate,
            substances: TOPSubstances(alcohol: .declined, opiates: .declined, crack: .declined,
                                      cocaine: .declined, amphetamines: .declined, cannabis: .declined,
                                      other: .declined, otherName: .declined, tobacco: d),
            injecting: TOPInjecting(days: d, sharedNeedles: .declined, sharedParaphernalia: .declined),
            crime: TOPCrime(shoplifting: d, drugSelling: d, vehicleTheft: .declined,
                            propertyTheft: .declined, fraud: .declined, assault: .declined),
            health: TOPHealth(psychHealth: .declined, physicalHealth: .declined, qualityOfLife: .declined,
                              paidWork: d, college: d, acuteHousing: .declined, evictionRisk: .declined),
            currentRisk: currentRisk, now: now, calendar: calendar)
    }
}

extension TOPForm {
    public static var form: FormSpec { .top }
    public static var formVersion: Int { currentFormVersion }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "TOP \(stage.rawValue), interview \(interviewDate)" }
}
