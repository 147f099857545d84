import Foundation
import SatchelCore
import Testing
@testable import SatchelSync

extension Fixtures {
    static let referredOn = FieldDay(year: 2026, month: 11, day: 2) ?? FieldDay.on(now)
    static let caseID = "3d0c5e7a-1b2c-4d3e-8f40-5a6b7c8d9e01"

    static func plan() throws -> OutgoingRecord {
        var items = ResponsePlan.Items()
        items.nameAndAddress = "Testy McTestface, 1 Test Street, Testtown, TE5 7ST"
        items.diagnosis = "Fictional diagnosis for the tests"
        items.diagnosisExplained = "Fictional: feelings can become very strong very fast."
        items.capacity = "sufficient (communicate, understand, retain, employ), assessed 20/11/2026"
        items.crisisBehaviours = "Fictional: calls 999 repeatedly."
        items.crisisLocations = "Testtown bridge (fictional)"
        items.boundaries = "Calls only between 9am and 5pm (if breached: voicemail, logged)"
        items.placesOfSafety = "Testtown crisis cafe (fictional)"
        items.nominated = ["Aunt Testy-Jones"]
        items.mentors = "Mentor Example; PC Fictional"
        let p = try ResponsePlan(items, coProduced: true, reviewOn: try #require(FieldDay(year: 2027, month: 2, day: 22)), currentRisk: .medium)
        return record("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", .plan, body: try encode(p))
    }

    static func referral() throws -> Referral {
        try Referral(referrer: "PC Example (Neighbourhood Team North)", receivedOn: referredOn,
                     demand: "Fictional: calls the control room most nights.", tried: "Fictional: street triage twice.", now: now, calendar: calendar)
    }

    static func outcome(_ referral: Referral) throws -> CaseOutcome {
        try CaseOutcome(decision: .accepted, decidedOn: try #require(FieldDay(year: 2026, month: 11, day: 9)), tier: .one,
                        namedWorker: "Mentor Example", rationale: "Fictional: three services involved.", advice: nil,
                        before: referral.episode, now: now, calendar: calendar)
    }

    static func discharge() throws -> (Discharge, OutgoingRecord) {
        let outcome = try outcome(try referral())
        let review = try CaseReview(reviewedOn: try #require(FieldDay(year: 2026, month: 11, day: 16)), engagement: .engaged, decision: .discharge,
                                    note: "Fictional: fewer calls.", currentRisk: .low, before: outcome.episode, now: now, calendar: calendar)
        let d = try Discharge(dischargedOn: try #require(FieldDay(year: 2026, month: 11, day: 23)), gp: "Dr Example (Testtown Surgery)",
                              overview: "Fictional: eight weeks of joint visits.", managementPlan: "Fictional: GP review monthly.",
                              contacts: "Crisis line 0800 000 0000 (fictional)", contingency: "Fictional: call the crisis line first.",
                              servicesTold: "Neighbourhood Team North", before: review.episode, now: now, calendar: calendar)
        return (d, record("f0e1d2c3-b4a5-4968-8776-655443322110", .discharge, body: try encode(d), amends: uuid("e1d2c3b4-a596-4877-8665-544332211009")))
    }
}

/// Response plans, the case and its letters in FHIR: each passes the strict R4 validator.
@Suite("FHIR mapping: plans, the case and letters")
struct CaseMappingTests {
    @Test("a response plan is a CarePlan with the eight items of SIM §26 as notes, co-production and the review date as extensions")
    func planToCarePlan() throws {
        let record = try Fixtures.plan()
        let resource = try FHIRMapper.resource(for: record)
        #expect(resource.type == "CarePlan")
        try Validator.expectValid(resource.json, name: "careplan")
        try Golden.check(resource.json, name: "careplan")
        let plan = try #require(JSONValue.parse(resource.json))
        #expect(plan["status"]?.stringValue == "active" && plan["intent"]?.stringValue == "plan")
        let notes = plan["note"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        #expect(notes.count == 10)
        #expect(notes.first == "Name and address: Testy McTestface, 1 Test Street, Testtown, TE5 7ST")
        #expect(notes.contains("Nominated people: Aunt Testy-Jones"))
        let review = plan["extension"]?.arrayValue?.first { $0["url"]?.stringValue?.hasSuffix("plan-review-date") == true }
        #expect(review?["valueDate"]?.stringValue == "2027-02-22")
    }

    @Test("a referral is an EpisodeOfCare waiting; a discharge is the same episode finished, with its whole status history")
    func caseToEpisodeOfCare() throws {
        let referral = try Fixtures.referral()
        let first = try FHIRMapper.resource(for: Fixtures.record(Fixtures.caseID, .referral, body: try Fixtures.encode(referral)))
        try Validator.expectValid(first.json, name: "episode-referral")
        let referred = try #require(JSONValue.parse(first.json))
        #expect(referred["status"]?.stringValue == "waitlist")
        #expect(referred["period"]?["start"]?.stringValue == "2026-11-02")

        let (_, record) = try Fixtures.discharge()
        var last = record
        last.rootID = Fixtures.uuid(Fixtures.caseID)
        let resource = try FHIRMapper.resource(for: last)
        #expect(resource.id == Fixtures.caseID, "every step is the referral's resource")
        try Validator.expectValid(resource.json, name: "episode-discharge")
        try Golden.check(resource.json, name: "episodeofcare-discharge")
        let episode = try #require(JSONValue.parse(resource.json))
        #expect(episode["status"]?.stringValue == "finished")
        let history = episode["statusHistory"]?.arrayValue ?? []
        #expect(history.map { $0["status"]?.stringValue } == ["waitlist", "active", "active", "finished"])
        #expect(history.map { $0["period"]?["start"]?.stringValue } == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"])
        #expect(history.first?["period"]?["end"]?.stringValue == "2026-11-09")
        #expect(history.last?["period"]?["end"] == nil, "the current status has no end")
        #expect(episode["period"]?["end"]?.stringValue == "2026-11-23")
        #expect(episode["careManager"]?["display"]?.stringValue == "Mentor Example")
    }

    @Test("a letter is a DocumentReference carrying its PDF, the same bytes every time it is made")
    func letterToDocumentReference() throws {
        let (discharge, _) = try Fixtures.discharge()
        let user = try ServiceUser(name: "Testy McTestface", now: Fixtures.now, calendar: Fixtures.calendar)
        let letter = try Letter.gp(discharge, about: user, from: "Mentor Example")
        let record = Fixtures.record("0a1b2c3d-4e5f-4061-8728-394a5b6c7d8e", .letter, body: try Fixtures.encode(letter))
        let resource = try FHIRMapper.resource(for: record)
        #expect(resource.type == "DocumentReference")
        try Validator.expectValid(resource.json, name: "documentreference")
        let document = try #require(JSONValue.parse(resource.json))
        #expect(document["docStatus"]?.stringValue == "final")
        #expect(document["type"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "gp-letter")
        let attachment = document["content"]?.arrayValue?.first?["attachment"]
        #expect(attachment?["contentType"]?.stringValue == "application/pdf")
        let data = try #require(Data(base64Encoded: attachment?["data"]?.stringValue ?? ""))
        #expect(data.starts(with: Array("%PDF".utf8)))
        #expect(try FHIRMapper.resource(for: record).json == resource.json, "made again, the same bytes")
    }
}

/// The minimum data set and enforcement outcomes in FHIR: "not known" is absent with a
/// reason, never 0; both pass the strict R4 validator.
@Suite("FHIR mapping: the data set")
struct DataSetMappingTests {
    @Test("a month's figures are one Observation with a component per figure; not known has a dataAbsentReason")
    func figuresToObservation() throws {
        let month = try #require(FieldMonth(year: 2026, month: 10))
        var figures: [MDSMeasure: Figure] = [:]
        for m in MDSMeasure.allCases { figures[m] = .known(0) }
        figures[.policeIncidents] = .known(4)
        figures[.ambulance] = .notKnown
        let f = try MonthlyFigures(month: month, figures: figures, note: nil)
        let resource = try FHIRMapper.resource(for: Fixtures.record("9e8d7c6b-5a49-4837-8261-504f3e2d1c0b", .mds, body: try Fixtures.encode(f)))
        try Validator.expectValid(resource.json, name: "observation-mds")
        try Golden.check(resource.json, name: "observation-mds")
        let o = try #require(JSONValue.parse(resource.json))
        #expect(o["effectivePeriod"]?["start"]?.stringValue == "2026-10-01" && o["effectivePeriod"]?["end"]?.stringValue == "2026-10-31")
        let components = o["component"]?.arrayValue ?? []
        #expect(components.count == 6)
        let ambulance = components.first { $0["code"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "ambulance" }
        #expect(ambulance?["valueInteger"] == nil && ambulance?["dataAbsentReason"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "unknown")
        let ed = components.first { $0["code"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "ed" }
        #expect(ed?["valueInteger"] == .int(0))
    }

    @Test("an enforcement outcome is an Observation with the outcome as its value")
    func enforcementToObservation() throws {
        let e = try EnforcementOutcome(outcome: .caution, on: Fixtures.referredOn, note: "Fictional.", currentRisk: .medium, now: Fixtures.now)
        let resource = try FHIRMapper.resource(for: Fixtures.record("8d7c6b5a-4938-4726-9150-4f3e2d1c0b9a", .enforcement, body: try Fixtures.encode(e)))
        try Validator.expectValid(resource.json, name: "observation-enforcement")
        let o = try #require(JSONValue.parse(resource.json))
        #expect(o["valueCodeableConcept"]?["coding"]?.arrayValue?.first?["code"]?.stringValue == "caution")
    }

    @Test("a figure is a count or not known, never a negative or a word")
    func figureParsing() throws {
        #expect(try Figure.parse("12", field: "ed") == .known(12))
        #expect(try Figure.parse("Not known", field: "ed") == .notKnown)
        #expect(throws: FieldError.self) { try Figure.parse("-1", field: "ed") }
        #expect(throws: FieldError.self) { try Figure.parse("some", field: "ed") }
        let month = try #require(FieldMonth(year: 2026, month: 1))
        #expect(month.adding(months: -1).description == "2025-12")
        #expect(month.lastDay.iso == "2026-01-31")
    }
}
