import Foundation

/// A consent decision (record kind `consent`).
///
/// JSON keys: `scope`, `with`, `decision`, `method`, `reviewDate` (absent when
/// none), `coversFrom` (absent when none), `currentRisk`, `reason` (absent when none).
///
/// A `share` consent given covers the records written from the moment it is given;
/// with `coversFrom` it covers records written from the start of that day too (the
/// worker says the person agreed to share earlier records).
public struct Consent: RecordPayload {
    public static let recordKind = RecordKind.consent

    public let scope: ConsentScope
    /// The agency (for `share`) or named person (for `involve`, `disclose-family`);
    /// for `engagement` and `privacy-notice` usually the service name.
    public let with: String
    public let decision: ConsentDecision
    public let method: ConsentMethod
    public let reviewDate: FieldDay?
    public let coversFrom: FieldDay?
    public let currentRisk: RiskGrade
    /// Why the person refused or withdrew, in their words or "declined to give a reason"
    /// (SIM guide §28); required for an engagement refused or withdrawn. Nil when none.
    public let reason: String?

    static let coversRule = "only a share consent that is given covers earlier records. Leave --covers-from out for this decision."
    static let writtenRule = "disclose-family consent must be written (SIM guide §56: \"Written consent has been given by the service user\"). Use --method written."

    /// Validates and builds a consent record.
    ///
    /// - `with` must not be blank.
    /// - A `disclose-family` consent that is *given* must be `written`. Refusing or
    ///   withdrawing may be verbal: a withdrawal must never be blocked.
    /// - A review date, if any, must be today or later (checked against `now`).
    /// - An engagement refused or withdrawn needs a reason (SIM guide §28).
    public init(scope: ConsentScope, with: String, decision: ConsentDecision, method: ConsentMethod,
                reviewDate: FieldDay? = nil, coversFrom: FieldDay? = nil, currentRisk: RiskGrade,
                reason: String? = nil,
                now: Date, calendar: Calendar = .london) throws(FieldError) {
        self.with = try FieldText.required(with, field: "with", label: "the person or agency")
        if scope == .discloseFamily, decision == .given, method != .written {
            throw FieldError.on("method", Self.writtenRule)
        }
        try reviewDate?.checkReview(field: "review-date", now: now, calendar: calendar)
        if let coversFrom {
            guard scope == .share, decision == .given else { throw FieldError.on("covers-from", Self.coversRule) }
            try coversFrom.checkNotAfterToday(field: "covers-from", what: "The first day the consent covers", now: now, calendar: calendar)
        }
        self.coversFrom = coversFrom
        self.scope = scope
        self.decision = decision
        self.method = method
        self.reviewDate = reviewDate
        self.currentRisk = currentRisk
        self.reason = try Self.checkedReason(reason, scope: scope, decision: decision)
    }
}

extension Consent {
    public static var form: FormSpec { .consent }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "\(scope.rawValue) with \(with): \(decision.rawValue) (\(method.rawValue))" }
}
