import Foundation

extension FormSpec {
    /// `risk add`: the four parts of SIM guide §46 and a grade from likelihood × impact
    /// (§45) on the team's matrix (``FormContext/riskMatrix``; the bands are not the
    /// guide's). Clinical risk is the clinician's final say and criminal risk the police
    /// officer's (§43): the other role's grade is contributory.
    public static let risk = FormSpec(
        kind: .risk, command: "risk add",
        fields: [
            .text("progress", question: "Progress notes", help: "SIM guide §46: progress since the last entry.", multiline: true),
            .text("mental-state", question: "Mental state", help: "SIM guide §46: presentation, mood, thoughts, insight.", multiline: true),
            .text("risk", question: "Risk", help: "SIM guide §46: the risks now, to self and to others, and what changed.", multiline: true),
            .text("plan", question: "Intervention plan", help: "SIM guide §46: what the team will do, by when.", multiline: true),
            score("likelihood", question: "Likelihood (1 rare … 5 almost certain)"),
            score("impact", question: "Impact (1 negligible … 5 catastrophic)"),
            .choice(
                "domain", RiskDomain.self, question: "Risk domain",
                help: "SIM guide §43: clinical risk (illness or disorder) is the clinician's final say; criminal risk the police officer's. A grade in the other role's domain is recorded as contributory.",
                default: { $0.role == .police ? RiskDomain.criminal.rawValue : RiskDomain.clinical.rawValue }),
        ],
        build: { a, c throws(FieldError) in
            let domain = try RiskDomain.parse(a["domain"] ?? "", field: "domain")
            let entry = try RiskAssessmentEntry(
                progress: a["progress"] ?? "", mentalState: a["mental-state"] ?? "", risk: a["risk"] ?? "", plan: a["plan"] ?? "",
                likelihood: try RiskMatrix.parseScore(a["likelihood"] ?? "", field: "likelihood"),
                impact: try RiskMatrix.parseScore(a["impact"] ?? "", field: "impact"),
                domain: domain, author: c.role, matrix: c.riskMatrix)
            var note = "\(domain.rawValue.capitalized) risk graded \(entry.grade.label) (\(entry.likelihood) × \(entry.impact)); "
                + entry.change(from: c.lastRiskByDomain[domain]).lowercasedFirst + "."
            if c.riskMatrix != .satchel {
                note += " Graded on the team's matrix \(c.riskMatrix.code) (\(c.riskMatrix.bands))."
            }
            if entry.authority == .contributory {
                note += " Recorded as contributory: the final say on \(domain.rawValue) risk is the \(domain == .clinical ? "clinician" : "police officer")'s (SIM guide §43)."
            }
            return BuiltRecord(payload: entry, note: note)
        })

    static func score(_ flag: String, question: String) -> FormField {
        FormField(
            flag: flag, question: question,
            help: "SIM guide §45 assesses risk as the product of likelihood and impact. Your team's matrix bands the score into High, Medium or Low (config.toml [risk-matrix]; without one, Satchel's own default, which awaits clinical sign-off: see docs/risk-matrix.md).",
            allowed: "1-5", choices: ["1", "2", "3", "4", "5"],
            check: { t, _ throws(FieldError) in _ = try RiskMatrix.parseScore(t, field: flag) })
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
