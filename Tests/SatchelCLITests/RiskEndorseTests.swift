import Foundation
import SatchelTestSupport
import Testing

/// `risk endorse` (SIM guide §43) through the real binary and the stand-in central system:
/// a police colleague's contributory clinical grade, pulled with `caseload pull`, is made
/// final by a clinician and reaches the server as the next version of the same
/// RiskAssessment.
@Suite("Endorsing a colleague's contributory risk grade, through the binary", .serialized)
struct RiskEndorseTests {
    static let satchel = CaseloadPullTests.satchel

    /// A police colleague's clinical grade as their device writes it: contributory, so preliminary.
    static func contribution(_ id: String, _ who: String, domain: String = "clinical", status: String = "preliminary") -> [String: Any] {
        var r = CaseloadPullTests.satchelRisk(id, who, "2026-11-20T10:00:00Z", "high", domain: domain)
        r["status"] = status
        r["performer"] = ["display": "Fictional Constable"]
        r["method"] = ["coding": [["system": "\(satchel)/CodeSystem/risk-method", "code": "satchel-5x5-v1"]]]
        r["mitigation"] = "Fictional plan: daily phone check."
        r["note"] = [["text": "Progress: Fictional progress."], ["text": "Mental state: Fictional mental state."], ["text": "Risk: Fictional risk to self."]]
        r["prediction"] = [[
            "extension": [
                ["url": "\(satchel)/StructureDefinition/risk-likelihood", "valueInteger": 4],
                ["url": "\(satchel)/StructureDefinition/risk-impact", "valueInteger": 4],
            ],
            "qualitativeRisk": ["coding": [["system": "\(satchel)/CodeSystem/risk-grade", "code": "high"]]],
        ]]
        return r
    }

    /// A clinician's desk that shares Testy's records with the stand-in, which holds Testy
    /// (by NHS number) and these risk assessments of a colleague's; pulled.
    static func desk(_ risks: [[String: Any]]) throws -> CentralSystemDesk {
        let desk = try CaseloadPullTests.readingDesk(members: ["colleague-testy"])
        try desk.ok(["user", "update", "testy", "--nhs-number", "943 476 5919"])
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        var testy = CaseloadPullTests.patient("colleague-testy")
        testy["identifier"] = [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"]]
        try CaseloadPullTests.seed([testy] + risks, desk)
        usleep(2_100_000)
        _ = try CaseloadPullTests.pull(desk)
        return desk
    }

    @Test("a clinician endorses a police colleague's contributory clinical grade: one RiskAssessment, version 2, final, by the clinician")
    func endorse() throws {
        let plan: [String: Any] = [
            "resourceType": "CarePlan", "id": "colleague-testy-plan", "status": "active", "intent": "plan",
            "subject": ["reference": "Patient/colleague-testy"], "created": "2026-11-18T10:00:00Z",
            "note": [["text": "Places of safety: the fictional day centre"], ["text": "Nominated people: Aunt Testy"]],
        ]
        let flag: [String: Any] = [
            "resourceType": "Flag", "id": "colleague-testy-flag", "status": "active",
            "subject": ["reference": "Patient/colleague-testy"], "code": ["text": "Fictional flag: visit in pairs"],
        ]
        let desk = try Self.desk([Self.contribution("colleague-testy-r1", "colleague-testy"), plan, flag])
        let key = "fixture/RiskAssessment/colleague-testy-r1"
        // On the doorstep, `open` shows the colleague's grade awaiting endorsement, the flag and the plan.
        let opened = try desk.ok(["open", "testy"]).stdout
        #expect(opened.contains("  latest clinical risk from fixture: High, assessed 20/11/2026 10:00 (contributory: `risk endorse \(key)`)"), "\(opened)")
        #expect(opened.contains("  flag from fixture: Fictional flag: visit in pairs"), "\(opened)")
        #expect(opened.contains("  response plan from fixture, 18/11/2026 10:00 (show fixture/CarePlan/colleague-testy-plan):\n    Places of safety: the fictional day centre\n    Nominated people: Aunt Testy"), "\(opened)")
        // Nobody at a terminal to confirm, and no --yes: a usage error, nothing saved.
        let unconfirmed = try desk.run(["risk", "endorse", key])
        #expect(unconfirmed.status == 64 && unconfirmed.stderr.contains("add --yes in a script"), "\(unconfirmed.stderr)")
        let out = try desk.ok(["risk", "endorse", key, "--yes"]).stdout
        #expect(out.contains("Endorse as final for T.M.: \(key)"), "\(out)")
        #expect(out.contains("Likelihood × impact: 4 × 4 = 16") && out.contains("Authority: final"), "\(out)")
        #expect(out.contains("Saved and finalised risk ") && out.contains("queued for delivery"), "\(out)")
        #expect(out.contains("Endorsed \(key) as final: clinical risk High (4 × 4)."), "\(out)")
        let id = try #require(out.range(of: #"finalised risk ([0-9a-f]{8})"#, options: .regularExpression).map { String(out[$0].suffix(8)) })
        let shown = try desk.ok(["show", id]).stdout
        #expect(shown.contains("the contributory grade \(key) (version 1) by Fictional Constable"), "\(shown)")

        // Endorsed once only.
        let again = try desk.run(["risk", "endorse", key, "--yes"])
        #expect(again.status == 75 && again.stderr.contains("record: \(key) is already endorsed by \(id)"), "\(again.stderr)")

        try desk.ok(["sync"])
        let risks = try desk.stored("RiskAssessment").filter { $0["id"] as? String == "colleague-testy-r1" }
        #expect(risks.count == 1)
        let stored = try #require(risks.first)
        #expect(stored["status"] as? String == "final")
        #expect((stored["meta"] as? [String: Any])?["versionId"] as? String == "2", "\(stored)")
        #expect((stored["performer"] as? [String: Any])?["display"] as? String == "Test Mentor", "\(stored)")
        let extensions = (stored["extension"] as? [[String: Any]]) ?? []
        let endorses = extensions.first { $0["url"] as? String == "\(Self.satchel)/StructureDefinition/endorses" }
        let display = ((endorses?["valueReference"] as? [String: Any])?["display"] as? String) ?? ""
        #expect(display.contains("RiskAssessment/colleague-testy-r1 version 1 at fixture, graded by Fictional Constable"), "\(extensions)")
        // Nothing else about Testy was written as a second risk assessment.
        #expect(try desk.stored("RiskAssessment").count == 1)
    }

    @Test("what cannot be endorsed is refused, naming why; nothing is saved")
    func refusals() throws {
        let desk = try Self.desk([
            Self.contribution("already-final", "colleague-testy", status: "final"),
            Self.contribution("criminal", "colleague-testy", domain: "criminal"),
        ])
        let before = try desk.ok(["history", "testy"]).stdout
        let final = try desk.run(["risk", "endorse", "fixture/RiskAssessment/already-final", "--yes"])
        #expect(final.status == 65 && final.stderr.contains("record: RiskAssessment/already-final is final, not a contributory (preliminary) grade"), "\(final.stderr)")
        let criminal = try desk.run(["risk", "endorse", "fixture/RiskAssessment/criminal", "--yes"])
        #expect(criminal.status == 65 && criminal.stderr.contains("record: the final say on criminal risk is the police officer's (SIM guide §43); a clinician cannot endorse it."), "\(criminal.stderr)")
        let unknown = try desk.run(["risk", "endorse", "fixture/RiskAssessment/nobody", "--yes"])
        #expect(unknown.status == 65 && unknown.stderr.contains("record: no pulled record"), "\(unknown.stderr)")
        #expect(try desk.ok(["history", "testy"]).stdout == before)
    }
}
