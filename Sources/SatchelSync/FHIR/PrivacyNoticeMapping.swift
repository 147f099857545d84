import SatchelCore

/// consent with scope privacy-notice → Communication (a notice served is not a consent).
enum PrivacyNoticeMapping {
    static func communication(_ consent: Consent, _ c: MappingContext) -> JSONValue {
        var extensions = c.commonExtensions(currentRisk: consent.currentRisk, authority: nil)
        extensions.append(["url": .string(MappingContext.ext("consent-method")),
                           "valueCode": .string(consent.method.rawValue)])
        extensions += ConsentMapping.reasonExtension(consent)
        let done = consent.decision == .given
        let text: String
        switch consent.decision {
        case .given: text = "Privacy notice given and explained (\(consent.method.rawValue)) on behalf of \(consent.with)."
        case .refused: text = "The service user declined the privacy notice from \(consent.with)."
        case .withdrawn: text = "The service user withdrew their acknowledgement of the privacy notice from \(consent.with)."
        }
        return c.resource("Communication", extensions: extensions, [
            "status": .string(done ? "completed" : "not-done"),
            "statusReason": done ? nil : ["text": .string("Decision: \(consent.decision.rawValue)")],
            "category": [MappingContext.concept(MappingContext.codeSystem("communication-category"),
                                                "privacy-notice", "Privacy notice")],
            "subject": c.patientReference,
            "sent": done ? c.capturedAt : nil,
            "sender": c.authorReference,
            "recipient": [c.patientReference],
            "payload": [["contentString": .string(text)]],
        ])
    }
}
