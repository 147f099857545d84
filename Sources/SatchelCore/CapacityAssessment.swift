import Foundation

/// The overall judgement of a capacity assessment (SIM guide §21).
public enum CapacityJudgement: String, Codable, Sendable, FieldChoice {
    case sufficient
    case insufficient

    public static var choiceNoun: String { "a capacity judgement" }
}

/// A mental capacity assessment (record kind `capacity`): the four C-U-R-E questions of
/// SIM guide §21 — "A service user will be said to have sufficient mental capacity if
/// they can do all of the following: COMMUNICATE … UNDERSTAND … RETAIN … EMPLOY" — each
/// with a note, and the overall judgement. Insufficient capacity suspends the person's
/// mentoring pending review ("if any service user experiences a decrease in their
/// mental capacity … the mentors will immediately review the suitability … This may
/// result in either suspending the mentoring or stopping it altogether").
///
/// JSON keys: `communicate`, `understand`, `retain`, `employ` (each `{"able", "note"}`),
/// `judgement`, `currentRisk`.
public struct CapacityAssessment: RecordPayload {
    public static let recordKind = RecordKind.capacity

    /// One of the four questions: whether the person can, and what was seen.
    public struct Answer: Codable, Sendable, Equatable {
        public let able: Bool
        public let note: String

        public init(able: Bool, note: String) {
            self.able = able
            self.note = note
        }
    }

    public let communicate: Answer
    public let understand: Answer
    public let retain: Answer
    public let employ: Answer
    public let judgement: CapacityJudgement
    public let currentRisk: RiskGrade

    static let allFourRule = "sufficient needs all four: communicate, understand, retain and employ (SIM guide §21: \"if they can do all of the following\"). Answer insufficient, or correct the question that is no."

    /// Validates: each note is required, and `sufficient` needs all four answered yes.
    public init(communicate: Answer, understand: Answer, retain: Answer, employ: Answer,
                judgement: CapacityJudgement, currentRisk: RiskGrade) throws(FieldError) {
        self.communicate = Answer(able: communicate.able, note: try FieldText.required(communicate.note, field: "communicate-note", label: "what was seen of communicating"))
        self.understand = Answer(able: understand.able, note: try FieldText.required(understand.note, field: "understand-note", label: "what was seen of understanding"))
        self.retain = Answer(able: retain.able, note: try FieldText.required(retain.note, field: "retain-note", label: "what was seen of retaining"))
        self.employ = Answer(able: employ.able, note: try FieldText.required(employ.note, field: "employ-note", label: "what was seen of employing the information"))
        self.judgement = judgement
        self.currentRisk = currentRisk
        try validate()
    }

    public func validate() throws(FieldError) {
        if judgement == .sufficient, !missing.isEmpty { throw FieldError.on("judgement", Self.allFourRule) }
    }

    /// The questions answered no, in C-U-R-E order.
    public var missing: [String] {
        [("communicate", communicate), ("understand", understand), ("retain", retain), ("employ", employ)]
            .filter { !$0.1.able }.map(\.0)
    }

    /// Mentoring is suspended pending review while the latest judgement is insufficient.
    public var suspendsMentoring: Bool { judgement == .insufficient }
}

extension CapacityAssessment {
    public static var form: FormSpec { .capacity }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String {
        suspendsMentoring
            ? "capacity: insufficient (\(missing.isEmpty ? "judged so" : "cannot " + missing.joined(separator: ", "))): mentoring suspended pending review"
            : "capacity: sufficient (communicate, understand, retain, employ)"
    }
}

/// The lead clinician's permission to mentor a person (record kind `permission`),
/// SIM guide §20: "Before mentoring can start, permission must first be gained from the
/// Lead Clinician for that service user."
///
/// JSON keys: `leadClinician`, `givenOn`, `note` (absent when none).
public struct MentoringPermission: RecordPayload {
    public static let recordKind = RecordKind.permission

    public let leadClinician: String
    public let givenOn: FieldDay
    public let note: String?

    /// Validates: the lead clinician is named, and the permission was not given in the future.
    public init(leadClinician: String, givenOn: FieldDay, note: String?, now: Date, calendar: Calendar = .london) throws(FieldError) {
        self.leadClinician = try FieldText.required(leadClinician, field: "lead-clinician", label: "the lead clinician")
        try givenOn.checkNotAfterToday(field: "given-on", what: "The day permission was given", now: now, calendar: calendar)
        self.givenOn = givenOn
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.note = trimmed?.isEmpty == false ? trimmed : nil
    }
}

extension MentoringPermission {
    public static var form: FormSpec { .permission }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String { "permission to mentor from \(leadClinician), given \(givenOn)" }
}
