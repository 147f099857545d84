import Foundation
import Testing
@testable import SatchelCore

/// `amend` opens a record's form with its answers: for every kind, those answers build the
/// same record again (so an amendment changes only what the worker changes).
@Suite("A record's answers make it again")
struct PrefillTests {
    var context: FormContext {
        var c = FormContext(now: testNow, role: .clinician)
        c.consents = ConsentLedger([.init(consent: (try? consent(.involve, "Aunt Testy", .given)) ?? Self.unreachable, recordedAt: testNow)])
        c.destinations = ["police"]
        return c
    }

    static var unreachable: Consent {
        preconditionFailure("the fixture consent is valid")
    }

    func roundTrip<T: RecordPayload>(_ payload: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let answers = try #require(payload.formAnswers, sourceLocation: sourceLocation)
        var c = context
        if let d = payload as? Disclosure { c.records = d.records.map { RecordBrief(id: $0, kind: .contact, writtenAt: testNow) } }
        let built = try T.form.build(answers, c)
        #expect(built.payload as? T == payload, sourceLocation: sourceLocation)
    }

    @Test("for every kind, the answers build an equal record")
    func everyKind() throws {
        let at = testNow.addingTimeInterval(-3600)
        try roundTrip(try ServiceUser(
            name: "Testy McTestface", alias: "testy", dob: day(1990, 1, 1), nhsNumber: try NHSNumber(parsing: "943 476 5919"),
            address: "1 Test Street", policeRef: "TEST/1", leadClinician: "Dr Fictional", cpa: true,
            careCoordinator: "Dr Fictional Coordinator", paveTier: .two, now: testNow))
        try roundTrip(try Contact(
            kind: .faceToFace, at: at, place: "home", minutes: 45, present: ["Aunt Testy"],
            professionals: [Professional(name: "Dr Fictional", organisation: "Testshire Ambulance Service")],
            summary: "A fictional visit.\nSecond line.", currentRisk: .medium, now: testNow))
        try roundTrip(try RiskAssessmentEntry(
            progress: "p", mentalState: "m", risk: "r", plan: "q", likelihood: 3, impact: 4, domain: .clinical, author: .clinician))
        try roundTrip(try Consent(scope: .share, with: "police", decision: .given, method: .written, reviewDate: day(2027, 5, 23),
                                  coversFrom: day(2026, 11, 20), currentRisk: .low, now: testNow))
        try roundTrip(try BoundaryDiscussion(
            behaviour: "b", boundary: "c", consequence: "d", legalExplained: true, response: "e", author: .clinician, currentRisk: .high))
        try roundTrip(try CapacityAssessment(
            communicate: .init(able: true, note: "a"), understand: .init(able: false, note: "b"), retain: .init(able: true, note: "c"),
            employ: .init(able: true, note: "d"), judgement: .insufficient, currentRisk: .medium))
        try roundTrip(try MentoringPermission(leadClinician: "Dr Fictional", givenOn: day(2026, 11, 20), note: "n", now: testNow))
        try roundTrip(try DeathNotification(diedAt: at, source: "the ward", note: nil, policeContacts: [], now: testNow))
        try roundTrip(try Disclosure(
            to: "police", recipient: .destination, records: [UUID()], from: nil, basis: .preventSeriousHarm, reason: "r",
            likelihood: 4, impact: 4, decidedBy: "Test Mentor", currentRisk: .high))
        try roundTrip(try TOPForm.allDeclined(stage: .start, interviewDate: day(2026, 11, 20), currentRisk: .low, now: testNow))
        var items = ResponsePlan.Items()
        (items.nameAndAddress, items.diagnosis, items.diagnosisExplained, items.capacity) = ("Testy, 1 Test Street", "d", "e", "c")
        (items.crisisBehaviours, items.crisisLocations, items.boundaries, items.placesOfSafety) = ("b", "l", "x", "p")
        (items.nominated, items.mentors) = (["Aunt Testy"], "Test Mentor")
        try roundTrip(try ResponsePlan(items, coProduced: true, reviewOn: day(2027, 2, 1), currentRisk: .medium))
        let referral = try Referral(referrer: "PC Example", receivedOn: day(2026, 11, 2), demand: "d", tried: "t", now: testNow)
        try roundTrip(referral)
        // A case step is built against the case before it.
        func step<T: RecordPayload>(_ payload: T, after before: CaseSoFar) throws {
            var c = context
            c.caseSoFar = before
            c.workerName = "Test Mentor"
            let built = try T.form.build(try #require(payload.formAnswers), c)
            #expect(built.payload as? T == payload)
        }
        let outcome = try CaseOutcome(decision: .accepted, decidedOn: day(2026, 11, 9), tier: .one, namedWorker: "Test Mentor",
                                      rationale: "r", advice: nil, before: referral.episode, now: testNow)
        try step(outcome, after: referral.episode)
        let review = try CaseReview(reviewedOn: day(2026, 11, 16), engagement: .partly, decision: .continue, note: "n",
                                    currentRisk: .low, before: outcome.episode, now: testNow)
        try step(review, after: outcome.episode)
        try step(try Discharge(dischargedOn: day(2026, 11, 23), gp: "Dr Example", overview: "o", managementPlan: "m", contacts: "c",
                               contingency: "g", servicesTold: "s", before: review.episode, now: testNow), after: review.episode)
        try roundTrip(try Letter(purpose: .gpLetter, to: "Dr Example", body: "Dear Dr Example,\n\nOverview:\n\nText."))
        var figures: [MDSMeasure: Figure] = [:]
        for m in MDSMeasure.allCases { figures[m] = .known(2) }
        figures[.s136] = .notKnown
        try roundTrip(try MonthlyFigures(month: try #require(FieldMonth(year: 2026, month: 10)), figures: figures, note: "n"))
        try roundTrip(try EnforcementOutcome(outcome: .arrest, on: day(2026, 11, 20), note: nil, currentRisk: .high, now: testNow))
    }
}
