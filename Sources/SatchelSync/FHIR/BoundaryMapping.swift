import SatchelCore

/// boundary discussion → Communication with the local category `boundary-discussion`.
enum BoundaryMapping {
    static func communication(_ d: BoundaryDiscussion, _ c: MappingContext) -> JSONValue {
        var extensions = c.commonExtensions(currentRisk: d.currentRisk, authority: d.authority)
        extensions.append(["url": .string(MappingContext.ext("legal-explained")), "valueBoolean": .bool(d.legalExplained)])
        let sections = [
            "Behaviour: \(d.behaviour)",
            "Boundary: \(d.boundary)",
            "Consequence if crossed: \(d.consequence)",
            "Legal position explained: \(d.legalExplained ? "yes" : "no")",
            "Service user's response: \(d.response)",
        ]
        return c.resource("Communication", extensions: extensions, [
            "status": "completed",
            "category": [MappingContext.concept(MappingContext.codeSystem("communication-category"),
                                                "boundary-discussion", "Boundary discussion")],
            "subject": c.patientReference,
            "sent": c.capturedAt,
            "sender": c.authorReference,
            "recipient": [c.patientReference],
            "payload": .array(sections.map { ["contentString": .string($0)] }),
        ])
    }
}
