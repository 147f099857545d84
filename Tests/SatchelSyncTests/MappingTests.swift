import Foundation
import SatchelCore
import Testing
@testable import SatchelSync

@Suite("FHIR mapping")
struct MappingTests {
    func mapped(_ record: OutgoingRecord, golden: String, type: String) throws -> JSONValue {
        let resource = try FHIRMapper.resource(for: record)
        #expect(resource.type == type)
        #expect(resource.identifierSystem == FHIRMapper.identifierSystem)
        #expect(resource.identifierValue == resource.id)
        #expect(resource.id == resource.id.lowercased())
        try Validator.expectValid(resource.json, name: golden)
        try Golden.check(resource.json, name: golden)
        let value = try #require(JSONValue.parse(resource.json))
        #expect(value["resourceType"]?.stringValue == type)
        #expect(value["id"]?.stringValue == resource.id)
        return value
    }

    @Test func serviceUserToPatient() throws {
        let p = try mapped(try Fixtures.serviceUser(), golden: "patient", type: "Patient")
        let ids = p["identifier"]?.arrayValue ?? []
        #expect(ids.first?["system"]?.stringValue == "https://fhir.nhs.uk/Id/nhs-number")
        #expect(ids.first?["value"]?.stringValue == "9434765919")
        #expect(p["name"]?.arrayValue?.first?["family"]?.stringValue == "McTestface")
        #expect(p["birthDate"]?.stringValue == "1990-01-01")
    }

    @Test func serviceUserWithoutNHSNumber() throws {
        let p = try mapped(try Fixtures.serviceUserWithoutNHSNumber(), golden: "patient-minimal", type: "Patient")
        #expect(p["identifier"]?.arrayValue?.count == 1)
        #expect(p["name"]?.arrayValue?.first?["given"] == nil)
    }

    @Test func serviceUserAmendmentUpdatesTheSamePatient() throws {
        let original = try Fixtures.serviceUser()
        let amendment = OutgoingRecord(
            id: Fixtures.uuid("9e9e9e9e-0000-4000-8000-000000000003"), kind: .serviceUser, subjectID: Fixtures.subject,
            authorID: "worker-test-01", authorRole: .clinician, authorName: "Mentor Example",
            createdAt: Fixtures.now, finalisedAt: Fixtures.now, amendsID: original.id, formVersion: 1, body: original.body)
        let resource = try FHIRMapper.resource(for: amendment)
        #expect(resource.id == "6b5984af-60f6-4573-b59f-daa5b9938b23")
        #expect(resource.identifierValue == resource.id)
        try Validator.expectValid(resource.json, name: "patient-amendment")
        let p = try #require(JSONValue.parse(resource.json))
        #expect(p["extension"]?.arrayValue?.first?["valueIdentifier"]?["value"]?.stringValue
                == "6b5984af-60f6-4573-b59f-daa5b9938b23")
    }

    @Test func contactToEncounter() throws {
        let e = try mapped(try Fixtures.contact(), golden: "encounter", type: "Encounter")
        #expect(e["status"]?.stringValue == "finished")
        #expect(e["class"]?["code"]?.stringValue == "FLD")
        #expect(e["length"]?["value"] == .int(60))
        #expect(e["subject"]?["reference"]?.stringValue == "Patient/6b5984af-60f6-4573-b59f-daa5b9938b23")
    }

    @Test(arguments: [ContactKind.faceToFace, .phone, .phoneFamily, .didNotAttend, .attempted, .offence, .significantEvent])
    func everyContactKindIsValid(kind: ContactKind) throws {
        let resource = try FHIRMapper.resource(for: try Fixtures.contact(kind: kind))
        try Validator.expectValid(resource.json, name: "encounter-\(kind.rawValue)")
        let e = try #require(JSONValue.parse(resource.json))
        let cancelled = kind == .didNotAttend || kind == .attempted
        #expect(e["status"]?.stringValue == (cancelled ? "cancelled" : "finished"))
        #expect(e["type"]?.arrayValue?.first?["coding"]?.arrayValue?.first?["code"]?.stringValue == kind.rawValue)
        let phone = kind == .phone || kind == .phoneFamily
        #expect(e["class"]?["code"]?.stringValue == (phone ? "VR" : "FLD"))
    }

    @Test("who was present: family by consent, professionals with their organisation, a police mentor marked (SIM §24, §55, §63)")
    func contactWithEveryonePresent() throws {
        let e = try mapped(try Fixtures.contactWithEveryonePresent(), golden: "encounter-present", type: "Encounter")
        let others = (e["participant"]?.arrayValue ?? []).dropFirst()
        let how = others.map { $0["type"]?.arrayValue?.first?["coding"]?.arrayValue?.last?["code"]?.stringValue }
        #expect(how == ["family-or-friend", "professional", "police"])
        #expect(others.map { $0["individual"]?["display"]?.stringValue } == [
            "Aunt Testy-Jones", "Dr Fictional (Testshire Ambulance Service)", "PC Testy Officer (Testshire Police)",
        ])
    }

    @Test func phoneFamilyNamesTheRelativeCalled() throws {
        let e = try #require(JSONValue.parse(try FHIRMapper.resource(for: try Fixtures.contact(kind: .phoneFamily)).json))
        let called = e["participant"]?.arrayValue?.dropFirst().first
        #expect(called?["individual"]?["display"]?.stringValue == "Uncle Testy-Jones")
        #expect(called?["type"]?.arrayValue?.first?["text"]?.stringValue == "Called: family or friend")
    }

    @Test("a team's matrix grades the entry and is sent as the method code, with its bands")
    func teamMatrixIsTheMethod() throws {
        let team = try RiskMatrix(id: "testshire-rqm", version: 2, mediumFrom: 4, highFrom: 10)
        let r = try mapped(try Fixtures.risk(id: "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", matrix: team),
                           golden: "riskassessment-team-matrix", type: "RiskAssessment")
        let method = r["method"]?["coding"]?.arrayValue?.first
        #expect(method?["code"]?.stringValue == "testshire-rqm-v2")
        #expect(method?["display"]?.stringValue == "Team likelihood × impact matrix testshire-rqm (5×5), version 2: Low 1-3, Medium 4-9, High 10-25")
        // 3 × 4 = 12: High on the team's matrix, Medium on Satchel's default.
        #expect(r["prediction"]?.arrayValue?.first?["qualitativeRisk"]?["text"]?.stringValue == "High")
        let standard = try #require(JSONValue.parse(try FHIRMapper.resource(for: try Fixtures.risk()).json))
        #expect(standard["method"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "satchel-5x5-v1")
    }

    @Test func riskToRiskAssessment() throws {
        let r = try mapped(try Fixtures.risk(), golden: "riskassessment", type: "RiskAssessment")
        #expect(r["status"]?.stringValue == "final")
        let coding = r["prediction"]?.arrayValue?.first?["qualitativeRisk"]?["coding"]?.arrayValue?.first
        #expect(coding?["code"]?.stringValue == "moderate")
        #expect(r["mitigation"]?.stringValue?.contains("weekly visits") == true)
    }

    @Test func contributoryRiskIsPreliminaryAndAmendmentIsNamed() throws {
        let amended = Fixtures.uuid("0f50368c-0e49-4625-91e1-25ab13f485fb")
        let record = try Fixtures.risk(domain: .clinical, role: .police,
                                       id: "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", amends: amended)
        let r = try mapped(record, golden: "riskassessment-contributory-amendment", type: "RiskAssessment")
        #expect(r["status"]?.stringValue == "preliminary")
        let exts = r["extension"]?.arrayValue ?? []
        let amends = exts.first { $0["url"]?.stringValue == "https://satchel.example/StructureDefinition/amends" }
        #expect(amends?["valueIdentifier"]?["value"]?.stringValue == "0f50368c-0e49-4625-91e1-25ab13f485fb")
        #expect(exts.contains { $0["valueCode"]?.stringValue == "contributory" })
    }

    @Test func topToQuestionnaireResponse() throws {
        let q = try mapped(try Fixtures.top(), golden: "questionnaireresponse", type: "QuestionnaireResponse")
        #expect(q["questionnaire"]?.stringValue == "https://satchel.example/Questionnaire/top|2")
        let items = (q["item"]?.arrayValue ?? []).flatMap { $0["item"]?.arrayValue ?? [] }
        func item(_ id: String) -> JSONValue? { items.first { $0["linkId"]?.stringValue == id } }
        #expect(item("alcohol-week-1")?["answer"]?.arrayValue?.first?["valueInteger"] == .int(0))
        #expect(item("alcohol-total")?["answer"]?.arrayValue?.first?["valueInteger"] == .int(6))
        #expect(item("alcohol-amount")?["answer"]?.arrayValue?.first?["valueDecimal"] == .double(6.5))
        #expect(item("cannabis-amount")?["answer"] == nil)
        #expect(item("cannabis-amount")?["extension"]?.arrayValue?.first?["valueCode"]?.stringValue == "asked-declined")
        #expect(item("crack-total") == nil)
        #expect(item("opiates-amount") == nil)
        #expect(item("assault")?["answer"]?.arrayValue?.first?["valueBoolean"] == .bool(true))
        #expect(item("other-name")?["answer"]?.arrayValue?.first?["valueString"]?.stringValue == "Fictional pills")
    }

    @Test func allDeclinedTOPIsValid() throws {
        let form = try TOPForm.allDeclined(stage: .exit, interviewDate: FieldDay.on(Fixtures.now), currentRisk: .low,
                                           now: Fixtures.now)
        let record = Fixtures.record("c0ffee00-0000-4000-8000-000000000001", .top, body: try Fixtures.encode(form))
        let resource = try FHIRMapper.resource(for: record)
        try Validator.expectValid(resource.json, name: "top-declined")
    }

    @Test func consentToConsent() throws {
        let c = try mapped(try Fixtures.consent(), golden: "consent", type: "Consent")
        #expect(c["status"]?.stringValue == "active")
        #expect(c["provision"]?["type"]?.stringValue == "permit")
        // The review date is a reminder, never the end of the consent (issue 12).
        #expect(c["provision"]?["period"] == nil)
        let review = c["extension"]?.arrayValue?.first { $0["url"]?.stringValue?.hasSuffix("/consent-review-date") == true }
        #expect(review?["valueDate"]?.stringValue == "2027-05-23")
        // One decision time: the finalisation time, which the device orders decisions by.
        #expect(c["dateTime"]?.stringValue == FHIRDate.dateTime(Fixtures.now))
        #expect(c["provision"]?["dataPeriod"]?["start"]?.stringValue == FHIRDate.dateTime(Fixtures.now))
        #expect(c["policy"] != nil || c["policyRule"] != nil) // R4 ppc-1
    }

    @Test(arguments: [ConsentScope.engagement, .share, .involve, .discloseFamily],
          [ConsentDecision.given, .refused, .withdrawn])
    func everyConsentIsValid(scope: ConsentScope, decision: ConsentDecision) throws {
        let resource = try FHIRMapper.resource(for: try Fixtures.consent(scope: scope, decision: decision))
        try Validator.expectValid(resource.json, name: "consent-\(scope.rawValue)-\(decision.rawValue)")
        let c = try #require(JSONValue.parse(resource.json))
        let expected = ["given": "active", "refused": "rejected", "withdrawn": "inactive"][decision.rawValue]
        #expect(c["status"]?.stringValue == expected)
        #expect(c["provision"]?["type"]?.stringValue == (decision == .given ? "permit" : "deny"))
        // SIM guide §28: an engagement refused or withdrawn carries the reason sought.
        let reason = c["extension"]?.arrayValue?.first { $0["url"]?.stringValue == "https://satchel.example/StructureDefinition/consent-reason" }
        #expect(reason?["valueString"]?.stringValue == (Consent.needsReason(scope: scope, decision: decision) ? "Fictional: wants a break from appointments." : nil))
    }

    @Test func privacyNoticeToCommunication() throws {
        let c = try mapped(try Fixtures.consent(scope: .privacyNotice), golden: "communication-privacy-notice",
                           type: "Communication")
        #expect(c["status"]?.stringValue == "completed")
        let refused = try FHIRMapper.resource(for: try Fixtures.consent(scope: .privacyNotice, decision: .refused))
        try Validator.expectValid(refused.json, name: "privacy-refused")
        #expect(JSONValue.parse(refused.json)?["status"]?.stringValue == "not-done")
    }

    @Test func boundaryToCommunication() throws {
        let c = try mapped(try Fixtures.boundary(), golden: "communication-boundary", type: "Communication")
        #expect(c["status"]?.stringValue == "completed")
        #expect(c["category"]?.arrayValue?.first?["coding"]?.arrayValue?.first?["code"]?.stringValue == "boundary-discussion")
        #expect(c["payload"]?.arrayValue?.count == 5)
    }

    @Test func capacityToObservation() throws {
        let o = try mapped(try Fixtures.capacity(), golden: "observation-capacity", type: "Observation")
        #expect(o["valueCodeableConcept"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "insufficient")
        let components = try #require(o["component"]?.arrayValue)
        #expect(components.map { $0["code"]?["coding"]?.arrayValue?.first?["code"]?.stringValue } == ["communicate", "understand", "retain", "employ"])
        #expect(components.map { $0["valueBoolean"]?.boolValue } == [true, true, false, false])
    }

    @Test func permissionToObservation() throws {
        let o = try mapped(try Fixtures.permission(), golden: "observation-permission", type: "Observation")
        #expect(o["effectiveDateTime"]?.stringValue == "2026-11-20")
        #expect(o["performer"]?.arrayValue?.first?["display"]?.stringValue == "Dr Fictional Leadperson")
    }

    @Test func deathToObservation() throws {
        let o = try mapped(try Fixtures.death(), golden: "observation-death", type: "Observation")
        #expect(o["valueDateTime"]?.stringValue == "2026-11-23T11:00:00Z")
        let flag = o["extension"]?.arrayValue?.first { $0["url"]?.stringValue?.hasSuffix("police-complaints-referral-required") == true }
        #expect(flag?["valueBoolean"]?.boolValue == true)
    }

    @Test func disclosureToCommunication() throws {
        let c = try mapped(try Fixtures.disclosure(), golden: "communication-disclosure", type: "Communication")
        #expect(c["reasonCode"]?.arrayValue?.first?["coding"]?.arrayValue?.first?["code"]?.stringValue == "prevent-serious-harm")
        #expect(c["about"]?.arrayValue?.first?["identifier"]?["value"]?.stringValue == "b7e1c2d3-4f50-4a61-8b72-c3d4e5f60718")
        #expect(c["recipient"]?.arrayValue?.first?["display"]?.stringValue == "police (destination)")
    }

    @Test("a record sent under a disclosure carries the lawful basis in meta.extension, and stays valid R4")
    func basisOnTheWire() throws {
        var record = try Fixtures.contact()
        let disclosure = UUID()
        record.disclosure = (disclosure, .preventDetectCrime)
        let resource = try FHIRMapper.resource(for: record)
        try Validator.expectValid(resource.json, name: "encounter-disclosed")
        let meta = try #require(JSONValue.parse(resource.json)?["meta"])
        let extensions = meta["extension"]?.arrayValue ?? []
        #expect(extensions.first { $0["url"]?.stringValue?.hasSuffix("/lawful-basis") == true }?["valueCoding"]?["code"]?.stringValue == "prevent-detect-crime")
        #expect(extensions.first { $0["url"]?.stringValue?.hasSuffix("/released-by-disclosure") == true }?["valueIdentifier"]?["value"]?.stringValue == disclosure.uuidString.lowercased())
        #expect(JSONValue.parse(try FHIRMapper.resource(for: try Fixtures.contact()).json)?["meta"]?["extension"] == nil, "absent on consent")
    }

    @Test func identifierOnlyReferences() throws {
        let resource = try FHIRMapper.resource(for: try Fixtures.risk(), references: .identifierOnly)
        try Validator.expectValid(resource.json, name: "risk-logical-ref")
        let r = try #require(JSONValue.parse(resource.json))
        #expect(r["subject"]?["reference"] == nil)
        #expect(r["subject"]?["identifier"]?["value"]?.stringValue == "6b5984af-60f6-4573-b59f-daa5b9938b23")
    }

    @Test func unreadableBodyThrowsClearError() throws {
        let bad = Fixtures.record("deadbeef-0000-4000-8000-000000000000", .risk, body: Array(#"{"progress": 3}"#.utf8))
        #expect(#expect(throws: SyncError.self) { try FHIRMapper.resource(for: bad) }?.code == .unreadableRecord)
        let garbage = Fixtures.record("deadbeef-0000-4000-8000-000000000001", .contact, body: Array("<html>".utf8))
        do {
            _ = try FHIRMapper.resource(for: garbage)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadableRecord)
            #expect(error.description.contains("contact record deadbeef-0000-4000-8000-000000000001"))
        }
    }
}
