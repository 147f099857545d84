import SatchelCore

/// risk entry → RiskAssessment.
enum RiskAssessmentMapping {
    static let probabilitySystem = "http://terminology.hl7.org/CodeSystem/risk-probability"
    static let methodCode = "satchel-5x5-v1"

    static func riskAssessment(_ entry: RiskAssessmentEntry, _ c: MappingContext) -> JSONValue {
        let score = entry.likelihood * entry.impact
        let rationale = "Likelihood \(entry.likelihood) (\(likelihoodWord(entry.likelihood))) × impact "
            + "\(entry.impact) (\(impactWord(entry.impact))) = \(score): \(entry.grade.label) on the Satchel 5×5 matrix."
        let prediction: JSONValue = [
            "extension": [
                ["url": .string(MappingContext.ext("risk-likelihood")), "valueInteger": .int(entry.likelihood)],
                ["url": .string(MappingContext.ext("risk-impact")), "valueInteger": .int(entry.impact)],
                ["url": .string(MappingContext.ext("risk-score")), "valueInteger": .int(score)],
            ],
            "outcome": ["text": .string(entry.risk)],
            "qualitativeRisk": [
                "coding": [probability(entry.grade), MappingContext.gradeCoding(entry.grade)],
                "text": .string(entry.grade.label),
            ],
            "rationale": .string(rationale),
        ]
        let domainText = entry.domain == .clinical ? "Clinical risk" : "Criminal risk"
        return .members([
            "resourceType": "RiskAssessment",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": MappingContext.nonEmpty(c.commonExtensions(currentRisk: entry.currentRisk,
                                                                    authority: entry.authority)),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": .string(entry.authority == .final ? "final" : "preliminary"),
            "method": MappingContext.concept(MappingContext.codeSystem("risk-method"), methodCode,
                                             "Satchel likelihood × impact matrix (5×5), version 1"),
            "code": MappingContext.concept(MappingContext.codeSystem("risk-domain"), entry.domain.rawValue, domainText),
            "subject": c.patientReference,
            "occurrenceDateTime": c.capturedAt,
            "performer": c.authorReference,
            "prediction": [prediction],
            "mitigation": .string(entry.plan),
            "note": [
                note("Progress", entry.progress, c),
                note("Mental state", entry.mentalState, c),
                note("Risk", entry.risk, c),
            ],
        ])
    }

    static func note(_ heading: String, _ text: String, _ c: MappingContext) -> JSONValue {
        ["text": .string("\(heading): \(text)"), "authorString": .string(c.record.authorName), "time": c.capturedAt]
    }

    /// Satchel High/Medium/Low → risk-probability high/moderate/low.
    static func probability(_ grade: RiskGrade) -> JSONValue {
        switch grade {
        case .high: MappingContext.coding(probabilitySystem, "high", "High likelihood")
        case .medium: MappingContext.coding(probabilitySystem, "moderate", "Moderate likelihood")
        case .low: MappingContext.coding(probabilitySystem, "low", "Low likelihood")
        }
    }

    static func likelihoodWord(_ value: Int) -> String {
        switch value {
        case 1: "rare"
        case 2: "unlikely"
        case 3: "possible"
        case 4: "likely"
        default: "almost certain"
        }
    }

    static func impactWord(_ value: Int) -> String {
        switch value {
        case 1: "negligible"
        case 2: "minor"
        case 3: "moderate"
        case 4: "major"
        default: "catastrophic"
        }
    }
}

