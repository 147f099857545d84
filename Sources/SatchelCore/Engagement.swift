import Foundation

/// Where a person stands with the mentoring team by SIM guide §22 and §28, from their
/// `consent --scope engagement` decisions: "Participation with a high intensity
/// mentoring team is therefore voluntary at all times. A service user can engage and
/// disengage with the mentors at any time … If a patient wishes to return to the
/// programme, he/she must be allowed to do so at any time."
///
/// Every engagement decision counts, whatever its `with` (the person engages with the
/// mentoring team, however the service was named), oldest first as the ledger holds them;
/// on equal times the later in the list wins, as in `ConsentLedger`.
public enum Engagement: Sendable, Equatable {
    /// No engagement decision on record.
    case unknown
    /// The latest decision is given, and none before it was a refusal or withdrawal.
    case engaged(since: Date)
    /// The latest decision is refused or withdrawn: since the first of the refusals or
    /// withdrawals that followed the last `given` (or began the record), with the latest
    /// decision and its reason (§28: "Reasons for their refusal should however be sought").
    case disengaged(since: Date, decision: ConsentDecision, reason: String?)
    /// Given again after an earlier refusal or withdrawal (§22), since that `given`.
    case returned(since: Date)

    /// The state the engagement decisions in `ledger` come to.
    public init(_ ledger: ConsentLedger) {
        var state = Engagement.unknown
        for entry in ledger.entries where entry.consent.scope == .engagement {
            state = state.after(entry.consent, at: entry.recordedAt)
        }
        self = state
    }

    /// The state once `consent` (an engagement decision recorded at `at`) is on record.
    public func after(_ consent: Consent, at: Date) -> Engagement {
        switch (self, consent.decision) {
        case (.unknown, .given):
            .engaged(since: at)
        case (.engaged, .given), (.returned, .given):
            self
        case (.disengaged, .given):
            .returned(since: at)
        case (.disengaged(let since, _, _), let decision):
            .disengaged(since: since, decision: decision, reason: consent.reason)
        case (_, let decision):
            .disengaged(since: at, decision: decision, reason: consent.reason)
        }
    }

    /// The name `status --json` and the docs use: engaged, disengaged, returned or unknown.
    public var name: String {
        switch self {
        case .unknown: "unknown"
        case .engaged: "engaged"
        case .disengaged: "disengaged"
        case .returned: "returned"
        }
    }

    public var isDisengaged: Bool {
        if case .disengaged = self { return true }
        return false
    }

    /// What `open` says of a person who came back; nil unless returned.
    public var returnNote: String? {
        guard case .returned(let since) = self else { return nil }
        return "Returned to mentoring on \(FieldDay.on(since)) after disengaging (SIM guide §22: \"If a patient wishes to return to the programme, he/she must be allowed to do so at any time\")."
    }

    /// What to tell the worker at capture and at `open`; nil unless disengaged. The
    /// reason stays out of the warning (it is personal data; `history` has the record).
    public var warning: String? {
        guard case .disengaged(let since, let decision, _) = self else { return nil }
        return "This person has disengaged: engagement was \(decision.rawValue) on \(FieldDay.on(since)). Recording is allowed, but participation is voluntary (SIM guide §22: \"A service user can engage and disengage with the mentors at any time\"); seek and explore their reasons (§28). When they return, record it: consent add --scope engagement --with SERVICE --decision given"
    }
}

extension Consent {
    /// An engagement refused or withdrawn needs the reason sought (SIM guide §28); the
    /// worker may record that the person declined to give one.
    public static func needsReason(scope: ConsentScope, decision: ConsentDecision) -> Bool {
        scope == .engagement && decision != .given
    }

    static let reasonAllowed = "free text: the reason in the person's words, or \"declined to give a reason\""

    static let reasonRule = "required when engagement is refused or withdrawn (SIM guide §28: \"Reasons for their refusal should however be sought and explored\"). Allowed: \(reasonAllowed)."

    /// The reason trimmed, nil when blank; throws when an engagement refusal or
    /// withdrawal has none.
    static func checkedReason(_ reason: String?, scope: ConsentScope, decision: ConsentDecision) throws(FieldError) -> String? {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed?.isEmpty ?? true {
            if needsReason(scope: scope, decision: decision) { throw FieldError.on("reason", reasonRule) }
            return nil
        }
        return trimmed
    }
}

extension FormField {
    /// `--reason`: asked, and required, when engagement is refused or withdrawn (SIM guide
    /// §28). Given with another decision or scope, it is kept as it is.
    public static var consentReason: FormField {
        FormField(
            flag: "reason", question: "Reason for refusing or withdrawing",
            help: "SIM guide §28: \"Reasons for their refusal should however be sought and explored\". In the person's words; if they would not say, record that they declined to give a reason. Refusing is never held against them.",
            allowed: Consent.reasonAllowed,
            applies: { a in
                guard let scope = try? ConsentScope.parse(a["scope"] ?? "", field: "scope"),
                      let decision = try? ConsentDecision.parse(a["decision"] ?? "", field: "decision") else { return false }
                return Consent.needsReason(scope: scope, decision: decision)
            },
            check: { t, _ throws(FieldError) in
                if t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw FieldError.on("reason", Consent.reasonRule) }
            })
    }
}

extension Engagement: Encodable {
    enum Key: String, CodingKey { case state, since, decision, reason }

    /// `{"state": "disengaged", "since": …, "decision": "withdrawn", "reason": …}`; keys
    /// that do not apply are absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: .state)
        switch self {
        case .unknown:
            break
        case .engaged(let since), .returned(let since):
            try c.encode(since, forKey: .since)
        case .disengaged(let since, let decision, let reason):
            try c.encode(since, forKey: .since)
            try c.encode(decision, forKey: .decision)
            try c.encodeIfPresent(reason, forKey: .reason)
        }
    }
}
