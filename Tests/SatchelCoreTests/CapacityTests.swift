import Foundation
import Testing
@testable import SatchelCore

/// SIM guide §20 (permission) and §21 (C-U-R-E capacity).
struct CapacityTests {
    func assessment(_ able: [Bool], _ judgement: CapacityJudgement, note: String = "Fictional observation.") throws(FieldError) -> CapacityAssessment {
        try CapacityAssessment(
            communicate: .init(able: able[0], note: note), understand: .init(able: able[1], note: note),
            retain: .init(able: able[2], note: note), employ: .init(able: able[3], note: note),
            judgement: judgement, currentRisk: .low)
    }

    @Test func sufficientNeedsAllFour() throws {
        let error = fieldError { _ = try assessment([true, true, false, true], .sufficient) }
        #expect(error?.field == "judgement")
        #expect(error?.message.contains("sufficient needs all four") == true)
        #expect(try assessment([true, true, true, true], .sufficient).suspendsMentoring == false)
    }

    @Test func insufficientSuspendsAndNamesWhatIsMissing() throws {
        let a = try assessment([true, false, false, true], .insufficient)
        #expect(a.suspendsMentoring)
        #expect(a.missing == ["understand", "retain"])
        #expect(a.summaryLine == "capacity: insufficient (cannot understand, retain): mentoring suspended pending review")
        // A worker may judge capacity insufficient even when each question was yes.
        #expect(try assessment([true, true, true, true], .insufficient).suspendsMentoring)
    }

    @Test func eachQuestionNeedsANote() {
        let error = fieldError { _ = try assessment([true, true, true, true], .sufficient, note: "  ") }
        #expect(error?.field == "communicate-note")
    }

    @Test func permissionNamesTheLeadClinicianAndIsNotInTheFuture() throws {
        let future = try #require(FieldDay.on(testNow).adding(days: 1) as FieldDay?)
        #expect(fieldError { _ = try MentoringPermission(leadClinician: "Dr Fictional", givenOn: future, note: nil, now: testNow) }?.field == "given-on")
        #expect(fieldError { _ = try MentoringPermission(leadClinician: " ", givenOn: FieldDay.on(testNow), note: nil, now: testNow) }?.field == "lead-clinician")
        let p = try MentoringPermission(leadClinician: "Dr Fictional", givenOn: FieldDay.on(testNow), note: "  ", now: testNow)
        #expect(p.note == nil)
    }

    @Test func standingWarnsWithTheRule() {
        #expect(MentoringStanding().warnings.isEmpty)
        let w = MentoringStanding(permitted: false, suspendedSince: testNow).warnings
        #expect(w.count == 2)
        #expect(w[0].contains("SIM guide §20") && w[0].contains("permission add"))
        #expect(w[1].contains("suspended pending review") && w[1].contains("§21"))
    }
}

/// SIM guide §63: a death within 48 hours of a contact that involved a police mentor.
struct DeathNotificationTests {
    func death(_ hoursAgo: Double, police contacts: [Double]) throws(FieldError) -> DeathNotification {
        let diedAt = testNow.addingTimeInterval(-hoursAgo * 3600)
        return try DeathNotification(
            diedAt: diedAt, source: "Fictional: the ward rang.", note: nil,
            policeContacts: contacts.map { diedAt.addingTimeInterval(-$0 * 3600) }, now: testNow)
    }

    @Test func aPoliceContactWithin48HoursRequiresTheReferral() throws {
        let d = try death(1, police: [30])
        #expect(d.referralRequired)
        #expect(d.policeContactAt == testNow.addingTimeInterval(-31 * 3600))
        #expect(d.summaryLine.hasSuffix("IOPC referral required (SIM §63)"))
    }

    @Test func outsideTheWindowOrAfterTheDeathItDoesNot() throws {
        #expect(try death(1, police: [49]).referralRequired == false)
        #expect(try death(1, police: [-0.5]).referralRequired == false)
        #expect(try death(1, police: []).referralRequired == false)
        #expect(try death(1, police: [48]).referralRequired)
    }

    @Test func aDeathCannotBeInTheFuture() {
        #expect(fieldError { _ = try death(-2, police: []) }?.field == "died-at")
        #expect(fieldError { _ = try DeathNotification(diedAt: testNow, source: " ", note: nil, policeContacts: [], now: testNow) }?.field == "source")
    }
}
