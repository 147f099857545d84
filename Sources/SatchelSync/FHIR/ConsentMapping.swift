import SatchelCore

/// consent (every scope but privacy-notice) → Consent, R4 shape.
enum ConsentMapping {
    static let scopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope"
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    /// The local policy every Satchel consent is recorded under (satisfies R4 invariant ppc-1).
    static let policyURI = "https://satchel.example/Policy/information-sharing"

    static func consent(_ consent: Consent, _ c: MappingContext) -> JSONValue {
        let permit = consent.decision == .given
        var extensions = c.commonExtensions(currentRisk: consent.currentRisk, authority: nil)
        extensions.append(["url": .string(MappingContext.ext("consent-method")),
                           "valueCode": .string(consent.method.rawValue)])
        // A review date is a reminder, not the end of the consent: never provision.period.end.
        if let review = consent.reviewDate {
            extensions.append(["url": .string(MappingContext.ext("consent-review-date")), "valueDate": .string(review.iso)])
        }
        extensions += reasonExtension(consent)
        let role = consent.scope == .involve
            ? MappingContext.concept(participationType, "PART", "Participation")
            : MappingContext.concept(participationType, "IRCP", "information recipient")
        let provision: JSONValue = .members([
            "type": .string(permit ? "permit" : "deny"),
            "dataPeriod": dataPeriod(consent, c),
            "actor": [["role": role, "reference": ["display": .string(consent.with)]]],
        ])
        return .members([
            "resourceType": "Consent",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": .array(extensions),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": .string(status(consent.decision)),
            "scope": scope(consent.scope),
            "category": [
                MappingContext.concept("http://loinc.org", "59284-0", "Patient Consent"),
                MappingContext.concept(MappingContext.codeSystem("consent-scope"), consent.scope.rawValue,
                                       scopeDisplay(consent.scope)),
            ],
            "patient": c.patientReference,
            // The time of the decision: when it was finalised, the time the device orders decisions by.
            "dateTime": c.finalisedAt,
            "performer": [c.patientReference],
            "policy": [["uri": .string(policyURI)]],
            "policyRule": permit ? MappingContext.concept(actCode, "OPTIN", "opt-in")
                                 : MappingContext.concept(actCode, "OPTOUT", "opt-out"),
            "provision": provision,
        ])
    }

    /// A share consent given covers the records written from the moment it is given, or
    /// from the start of its covers-from day: `provision.dataPeriod.start` says which.
    static func dataPeriod(_ consent: Consent, _ c: MappingContext) -> JSONValue? {
        guard consent.scope == .share, consent.decision == .given else { return nil }
        return ["start": consent.coversFrom.map { .string($0.iso) } ?? c.finalisedAt]
    }

    /// The reason for a refusal or withdrawal (SIM guide §28), when one is on record:
    /// extension `consent-reason` valueString. None when the record has no reason.
    static func reasonExtension(_ consent: Consent) -> [JSONValue] {
        guard let reason = consent.reason else { return [] }
        return [["url": .string(MappingContext.ext("consent-reason")), "valueString": .string(reason)]]
    }

    /// given → active, refused → rejected, withdrawn → inactive.
    static func status(_ decision: ConsentDecision) -> String {
        switch decision {
        case .given: "active"
        case .refused: "rejected"
        case .withdrawn: "inactive"
        }
    }

    /// engagement → treatment; share, involve, disclose-family → patient-privacy.
    static func scope(_ scope: ConsentScope) -> JSONValue {
        switch scope {
        case .engagement: MappingContext.concept(scopeSystem, "treatment", "Treatment")
        default: MappingContext.concept(scopeSystem, "patient-privacy", "Privacy Consent")
        }
    }

    static func scopeDisplay(_ scope: ConsentScope) -> String {
        switch scope {
        case .engagement: "Engagement with the service"
        case .share: "Sharing information with an agency"
        case .involve: "Involving a named person"
        case .discloseFamily: "Disclosure to family"
        case .privacyNotice: "Privacy notice given"
        }
    }
}
