import SatchelCore

/// disclosure → Communication with the local category `disclosure-without-consent`: the
/// information went to `recipient` (a destination or a named person), `about` names the
/// records disclosed, `reasonCode` is the lawful basis (SIM guide §48-52, §56).
enum DisclosureMapping {
    static func communication(_ d: Disclosure, _ c: MappingContext) -> JSONValue {
        var extensions = c.commonExtensions(currentRisk: d.currentRisk, authority: nil)
        extensions.append(["url": .string(MappingContext.ext("decided-by")), "valueString": .string(d.decidedBy)])
        if let grade = d.matrixGrade {
            extensions.append(["url": .string(MappingContext.ext("disclosure-risk")), "valueCoding": MappingContext.gradeCoding(grade)])
        }
        var sections = ["Reason: \(d.reason)", "Decided by: \(d.decidedBy)"]
        if let l = d.likelihood, let i = d.impact, let grade = d.matrixGrade {
            sections.append("Risk matrix (SIM guide §50; \((d.matrix ?? .satchel).code)): likelihood \(l) × impact \(i) = \(grade.label)")
        }
        if let from = d.from { sections.append("Everything about the service user written from \(from.iso) up to the decision.") }
        return c.resource("Communication", extensions: extensions, [
            "status": "completed",
            "category": [MappingContext.concept(MappingContext.codeSystem("communication-category"),
                                                "disclosure-without-consent", "Disclosure without consent on a lawful basis")],
            "subject": c.patientReference,
            "about": .array(d.records.map { ["identifier": MappingContext.localIdentifier($0.uuidString.lowercased())] }),
            "sent": c.finalisedAt,
            "sender": c.authorReference,
            "recipient": [["display": .string(d.recipient == .destination ? "\(d.to) (destination)" : d.to)]],
            "reasonCode": [basisConcept(d.basis)],
            "payload": .array(sections.map { ["contentString": .string($0)] }),
        ])
    }

    static func basisCoding(_ basis: LawfulBasis) -> JSONValue {
        MappingContext.coding(MappingContext.codeSystem("lawful-basis"), basis.rawValue, "\(basis.label) (SIM guide \(basis.section))")
    }

    static func basisConcept(_ basis: LawfulBasis) -> JSONValue {
        ["coding": [basisCoding(basis)], "text": .string("Shared without consent: \(basis.label) (SIM guide \(basis.section))")]
    }
}
