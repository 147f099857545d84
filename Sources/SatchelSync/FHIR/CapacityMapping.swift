import SatchelCore

/// capacity → Observation (local code `mental-capacity-cure`): the judgement as the
/// value, each C-U-R-E question (SIM guide §21) as a component with a boolean, the notes
/// as annotations. permission → Observation (local code `mentoring-permission`), SIM
/// guide §20: who gave it in a note and the performer's display, when as the effective date.
enum CapacityMapping {
    static let observationCodes = MappingContext.codeSystem("observation")
    static let categorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"

    static func observation(_ a: CapacityAssessment, _ c: MappingContext) -> JSONValue {
        let questions: [(String, String, CapacityAssessment.Answer)] = [
            ("communicate", "Can communicate effectively about the topics discussed", a.communicate),
            ("understand", "Can understand what is said to them", a.understand),
            ("retain", "Can retain the information for a sufficient time", a.retain),
            ("employ", "Can use the information to make sound and safe decisions", a.employ),
        ]
        return .members([
            "resourceType": "Observation",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": .array(c.commonExtensions(currentRisk: a.currentRisk, authority: nil)),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": "final",
            "category": [MappingContext.concept(categorySystem, "survey", "Survey")],
            "code": MappingContext.concept(observationCodes, "mental-capacity-cure", "Mental capacity to engage with mentoring (C-U-R-E)"),
            "subject": c.patientReference,
            "effectiveDateTime": c.capturedAt,
            "issued": c.finalisedAt,
            "performer": [c.authorReference],
            "valueCodeableConcept": MappingContext.concept(
                MappingContext.codeSystem("capacity-judgement"), a.judgement.rawValue,
                a.judgement == .sufficient ? "Sufficient capacity" : "Insufficient capacity: mentoring suspended pending review"),
            "note": .array(questions.map { ["text": .string("\($0.0): \($0.2.note)")] }),
            "component": .array(questions.map { q in
                ["code": MappingContext.concept(MappingContext.codeSystem("capacity-question"), q.0, q.1), "valueBoolean": .bool(q.2.able)]
            }),
        ])
    }

    static func observation(_ p: MentoringPermission, _ c: MappingContext) -> JSONValue {
        var notes: [JSONValue] = [["text": .string("Permission to mentor given by the lead clinician \(p.leadClinician).")]]
        if let note = p.note { notes.append(["text": .string(note)]) }
        return .members([
            "resourceType": "Observation",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": MappingContext.nonEmpty(c.commonExtensions(currentRisk: nil, authority: nil)),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": "final",
            "code": MappingContext.concept(observationCodes, "mentoring-permission", "Lead clinician's permission to mentor"),
            "subject": c.patientReference,
            "effectiveDateTime": .string(p.givenOn.iso),
            "performer": [["display": .string(p.leadClinician)]],
            "valueBoolean": true,
            "note": .array(notes),
        ])
    }
}

/// death → Observation (local code `death-notified`), SIM guide §63: the time of death as
/// the value, how the team learnt of it in a note, and whether the referral to the police
/// complaints body is required as an extension and a note.
enum DeathMapping {
    static func observation(_ d: DeathNotification, _ c: MappingContext) -> JSONValue {
        var extensions = c.commonExtensions(currentRisk: nil, authority: nil)
        extensions.append(["url": .string(MappingContext.ext("police-complaints-referral-required")), "valueBoolean": .bool(d.referralRequired)])
        var notes: [JSONValue] = [["text": .string("Learnt from: \(d.source)")]]
        if d.referralRequired { notes.append(["text": .string(DeathNotification.referralText)]) }
        if let note = d.note { notes.append(["text": .string(note)]) }
        return .members([
            "resourceType": "Observation",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": .array(extensions),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": "final",
            "code": MappingContext.concept(CapacityMapping.observationCodes, "death-notified", "Death of the service user notified to the team"),
            "subject": c.patientReference,
            "effectiveDateTime": c.capturedAt,
            "performer": [c.authorReference],
            "valueDateTime": .string(FHIRDate.dateTime(d.diedAt)),
            "note": .array(notes),
        ])
    }
}
