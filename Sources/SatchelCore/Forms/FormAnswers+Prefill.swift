import Foundation

/// The answers each kind's form would need to make a record again: what `amend` opens
/// the form with. Each is typed as a worker would type it, so the form checks it again.
extension FormAnswers {
    /// The answers given (nil ones are left out): flags on the command line, or a record's fields.
    public init(_ pairs: KeyValuePairs<String, String?>) {
        self.init()
        for (k, v) in pairs { if let v { values[k] = v } }
    }
}

extension YesNo {
    static func word(_ value: Bool) -> String { value ? "yes" : "no" }
}

extension Contact {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "kind": kind.rawValue, "at": FieldDate.display(at), "where": place, "minutes": String(minutes),
            "relative": relative, "present": present.isEmpty ? nil : present.joined(separator: "; "),
            "professional": Self.list(professionals.filter { !$0.police }), "police-present": Self.list(professionals.filter(\.police)),
            "summary": summary, "risk": currentRisk.rawValue,
        ])
    }

    static func list(_ people: [Professional]) -> String? {
        people.isEmpty ? nil : people.map(\.display).joined(separator: "; ")
    }
}

extension RiskAssessmentEntry {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "domain": domain.rawValue, "progress": progress, "mental-state": mentalState, "risk": risk, "plan": plan,
            "likelihood": String(likelihood), "impact": String(impact),
        ])
    }
}

extension Consent {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "scope": scope.rawValue, "with": with, "decision": decision.rawValue, "reason": reason, "method": method.rawValue,
            "review-date": reviewDate?.iso, "covers-from": coversFrom?.iso, "risk": currentRisk.rawValue,
        ])
    }
}

extension BoundaryDiscussion {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "behaviour": behaviour, "boundary": boundary, "consequence": consequence,
            "legal-explained": YesNo.word(legalExplained), "response": response, "risk": currentRisk.rawValue,
        ])
    }
}

extension CapacityAssessment {
    public var formAnswers: FormAnswers? {
        var values = ["judgement": judgement.rawValue, "risk": currentRisk.rawValue]
        for (flag, answer) in [("communicate", communicate), ("understand", understand), ("retain", retain), ("employ", employ)] {
            values[flag] = YesNo.word(answer.able)
            values["\(flag)-note"] = answer.note
        }
        return FormAnswers(values: values)
    }
}

extension MentoringPermission {
    public var formAnswers: FormAnswers? {
        FormAnswers(["lead-clinician": leadClinician, "given-on": givenOn.iso, "note": note])
    }
}

extension DeathNotification {
    public var formAnswers: FormAnswers? {
        FormAnswers(["died-at": FieldDate.display(diedAt), "source": source, "note": note])
    }
}

extension TOPForm {
    public var formAnswers: FormAnswers? {
        var values = ["stage": stage.rawValue, "interview-date": interviewDate.iso, "risk": currentRisk.rawValue]
        for (flag, value) in itemAnswers { values[flag] = value.typed }
        return FormAnswers(values: values)
    }
}

extension Disclosure {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "to": recipient == .destination ? to : nil, "to-person": recipient == .person ? to : nil,
            "records": records.map { $0.uuidString.lowercased() }.joined(separator: ","), "basis": basis.rawValue, "reason": reason,
            "likelihood": likelihood.map(String.init), "impact": impact.map(String.init), "decided-by": decidedBy,
            "risk": currentRisk.rawValue,
        ])
    }
}

extension ResponsePlan {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "name-address": nameAndAddress, "diagnosis": diagnosis, "diagnosis-explained": diagnosisExplained, "capacity": capacity,
            "crisis-behaviours": crisisBehaviours, "crisis-locations": crisisLocations, "boundaries": boundaries,
            "places-of-safety": placesOfSafety, "nominated": nominated.joined(separator: "; "), "mentors": mentors,
            "co-produced": YesNo.word(coProduced), "review-date": reviewOn.iso, "risk": currentRisk.rawValue,
        ])
    }
}

extension Referral {
    public var formAnswers: FormAnswers? {
        FormAnswers(["referrer": referrer, "received-on": receivedOn.iso, "demand": demand, "tried": tried])
    }
}

extension CaseOutcome {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "decision": decision.rawValue, "decided-on": decidedOn.iso, "tier": tier.map { String($0.rawValue) },
            "named-worker": namedWorker, "rationale": rationale, "advice": advice,
        ])
    }
}

extension CaseReview {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "reviewed-on": reviewedOn.iso, "engagement": engagement.rawValue, "decision": decision.rawValue, "note": note,
            "risk": currentRisk.rawValue,
        ])
    }
}

extension Discharge {
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "discharged-on": dischargedOn.iso, "gp": gp, "overview": overview, "management-plan": managementPlan,
            "contacts": contacts, "contingency": contingency, "services-told": servicesTold,
        ])
    }
}

extension Letter {
    public var formAnswers: FormAnswers? {
        FormAnswers(["purpose": purpose.rawValue, "to": to, "body": body])
    }
}
