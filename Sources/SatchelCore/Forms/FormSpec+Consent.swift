import Foundation

extension FormSpec {
    /// `consent add`: one decision, given, refused or withdrawn. The latest decision
    /// for a scope and person or agency wins, so a withdrawal takes effect for
    /// everything after it (SIM guide §22: consent "may be withdrawn at any time").
    public static let consent = FormSpec(
        kind: .consent, command: "consent add",
        fields: [
            .choice(
                "scope", ConsentScope.self, question: "Consent to what",
                help: "engagement = to be mentored (§22); share = to share information with an agency; involve = to involve a named family member or friend (§24); disclose-family = to disclose personal information to family, written only (§56); privacy-notice = the privacy notice was served (§53)."),
            .text("with", question: "With whom", help: "The agency (for share) or the named person (for involve and disclose-family)."),
            .choice("decision", ConsentDecision.self, question: "Decision", help: "given, refused or withdrawn. A withdrawal takes effect for everything recorded or queued after it."),
            .consentReason,
            .choice(
                "method", ConsentMethod.self, question: "How", help: "verbal or written. SIM guide §56: disclosure to family needs written consent.",
                default: { _ in ConsentMethod.verbal.rawValue }),
            FormField(
                flag: "review-date", question: "Review date", help: "When to check the decision again. Today or later.",
                allowed: "23/11/2027 or 2027-11-23, or empty", required: false,
                check: { t, c throws(FieldError) in _ = try FieldDay.reviewDate(t, now: c.now, calendar: c.calendar) }),
            FormField(
                flag: "covers-from", question: "Also covers records written from",
                help: "A consent given covers records written from now on. To share records written earlier (e.g. while sharing was refused), give the first day it covers.",
                allowed: "23/11/2026 or 2026-11-23, today or earlier, or empty", required: false,
                applies: { a in a["scope"]?.lowercased() == ConsentScope.share.rawValue && a["decision"]?.lowercased() == ConsentDecision.given.rawValue },
                check: { t, c throws(FieldError) in
                    _ = try FieldDay.notAfterToday(t, field: "covers-from", what: "The first day the consent covers", now: c.now, calendar: c.calendar)
                }),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            let consent = try Consent(
                scope: try ConsentScope.parse(a["scope"] ?? "", field: "scope"),
                with: a["with"] ?? "",
                decision: try ConsentDecision.parse(a["decision"] ?? "", field: "decision"),
                method: try ConsentMethod.parse(a["method"] ?? "", field: "method"),
                reviewDate: try a.given("review-date").map { t throws(FieldError) in try FieldDay.reviewDate(t, now: c.now, calendar: c.calendar) },
                coversFrom: try a.given("covers-from").map { t throws(FieldError) in try FieldDay.parse(t, field: "covers-from", now: c.now, calendar: c.calendar) },
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"),
                reason: a["reason"],
                now: c.now, calendar: c.calendar)
            return BuiltRecord(payload: consent)
        })

    /// `boundary add`: a boundary discussion (SIM guide §25 and §29), the police
    /// mentor's to make final; other roles' entries are contributory.
    public static let boundary = FormSpec(
        kind: .boundary, command: "boundary add",
        fields: [
            .text("behaviour", question: "Behaviour", help: "The behaviour the boundary is about.", multiline: true),
            .text("boundary", question: "Agreed boundary", help: "What was agreed.", multiline: true),
            .text("consequence", question: "Consequence if breached", help: "SIM guide §29: what happens if the boundary is breached, e.g. a positive arrest policy.", multiline: true),
            .choice("legal-explained", YesNo.self, question: "Legal consequences explained", help: "Whether the legal consequences were explained to the service user."),
            .text("response", question: "Service user's response", help: "What the service user said or did in response.", multiline: true),
            .currentRisk,
        ],
        build: { a, c throws(FieldError) in
            let b = try BoundaryDiscussion(
                behaviour: a["behaviour"] ?? "", boundary: a["boundary"] ?? "", consequence: a["consequence"] ?? "",
                legalExplained: try YesNo.parseBool(a["legal-explained"] ?? "", field: "legal-explained"),
                response: a["response"] ?? "", author: c.role,
                currentRisk: try RiskGrade.parse(a["risk"] ?? "", field: "risk"))
            let note = b.authority == .contributory
                ? "Recorded as contributory: boundaries are the police mentor's final say (SIM guide §43)." : nil
            return BuiltRecord(payload: b, note: note)
        })
}
