import SatchelCore

/// risk entry → RiskAssessment. `method` names the matrix the entry was graded with
/// (`<id>-v<version>`: Satchel's default `satchel-5x5-v1`, or the team's).
enum RiskAssessmentMapping {
    static let probabilitySystem = "http://terminology.hl7.org/CodeSystem/risk-probability"

    static func riskAssessment(_ entry: RiskAssessmentEntry, _ c: MappingContext) -> JSONValue {
        let score = entry.likelihood * entry.impact
        let rationale = "Likelihood \(entry.likelihood) (\(likelihoodWord(entry.likelihood))) × impact "
            + "\(entry.impact) (\(impactWord(entry.impact))) = \(score): \(entry.grade.label) on \(matrixName(entry.matrix))."
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
        var extensions = c.commonExtensions(currentRisk: entry.currentRisk, authority: entry.authority)
        var notes = [note("Progress", entry.progress, c), note("Mental state", entry.mentalState, c), note("Risk", entry.risk, c)]
        if let e = entry.endorses {
            let what = "the contributory risk assessment RiskAssessment/\(e.resourceID)\(e.version.map { " version \($0)" } ?? "") at \(e.destination)"
                + (e.gradedBy.map { ", graded by \($0)" } ?? "")
            extensions.append(["url": .string(MappingContext.ext("endorses")), "valueReference": ["display": .string(what)]])
            notes.append(note("Endorsed", "\(what), endorsed as final by \(c.record.authorName), whose role has the final say on \(entry.domain.rawValue) risk (SIM guide §43)", c))
        }
        return .members([
            "resourceType": "RiskAssessment",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": MappingContext.nonEmpty(extensions),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": .string(entry.authority == .final ? "final" : "preliminary"),
            "method": method(entry.matrix),
            "code": MappingContext.concept(MappingContext.codeSystem("risk-domain"), entry.domain.rawValue, domainText),
            "subject": c.patientReference,
            "occurrenceDateTime": c.capturedAt,
            "performer": c.authorReference,
            "prediction": [prediction],
            "mitigation": .string(entry.plan),
            "note": .array(notes),
        ])
    }

    /// The matrix as the method: Satchel's default keeps the wording it was first sent with;
    /// a team's names its bands, which the code alone cannot tell a receiver.
    static func method(_ m: RiskMatrix) -> JSONValue {
        let display = m == .satchel
            ? "Satchel likelihood × impact matrix (5×5), version 1"
            : "Team likelihood × impact matrix \(m.id) (5×5), version \(m.version): \(m.bands)"
        return MappingContext.concept(MappingContext.codeSystem("risk-method"), m.code, display)
    }

    static func matrixName(_ m: RiskMatrix) -> String {
        m == .satchel ? "the Satchel 5×5 matrix" : "the team's matrix \(m.code)"
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

