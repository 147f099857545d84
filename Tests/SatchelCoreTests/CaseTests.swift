import Foundation
import Testing
@testable import SatchelCore

/// The case from referral to discharge (PAVE SOP §7-10), the response plan (SIM guide
/// §26) and the letters: the rules each step checks on its own.
struct CaseTests {
    func referral(on received: FieldDay = day(2026, 11, 2)) throws(FieldError) -> Referral {
        try Referral(referrer: "PC Example (Neighbourhood Team North)", receivedOn: received, demand: "Fictional demand.", tried: "Fictional: street triage.", now: testNow)
    }

    func accepted(_ r: Referral) throws(FieldError) -> CaseOutcome {
        try CaseOutcome(decision: .accepted, decidedOn: day(2026, 11, 9), tier: .two, namedWorker: "Mentor Example",
                        rationale: "Fictional rationale.", advice: nil, before: r.episode, now: testNow)
    }

    @Test("a referral opens a case; an accepted outcome places it at a tier with a named worker")
    func referralThenOutcome() throws {
        let r = try referral()
        #expect(r.episode.status == .referred)
        #expect(r.episode.history == [CaseStatusChange(status: .referred, on: day(2026, 11, 2))])
        let o = try accepted(r)
        #expect(o.episode.status == .accepted && o.episode.tier == .two && o.episode.namedWorker == "Mentor Example")
        #expect(o.episode.summary == "accepted at tier 2 since 09/11/2026; named worker Mentor Example")
    }

    @Test("an outcome needs an open referral, a tier when accepted, and a day not before the referral nor in the future")
    func outcomeRules() throws {
        let r = try referral()
        let noTier = fieldError { _ = try CaseOutcome(decision: .accepted, decidedOn: day(2026, 11, 9), tier: nil, namedWorker: "M", rationale: "r", advice: nil, before: r.episode, now: testNow) }
        #expect(noTier?.field == "tier")
        let early = fieldError { _ = try CaseOutcome(decision: .declined, decidedOn: day(2026, 11, 1), tier: nil, namedWorker: nil, rationale: "r", advice: nil, before: r.episode, now: testNow) }
        #expect(early?.field == "decided-on")
        #expect(early?.message.contains("before the case's last step (02/11/2026)") == true)
        let future = fieldError { _ = try CaseOutcome(decision: .declined, decidedOn: day(2026, 11, 24), tier: nil, namedWorker: nil, rationale: "r", advice: nil, before: r.episode, now: testNow) }
        #expect(future?.field == "decided-on")
        let twice = fieldError { _ = try accepted(try CaseTests().referral()).episode }
        #expect(twice == nil)
        let o = try accepted(r)
        let again = fieldError { _ = try CaseOutcome(decision: .declined, decidedOn: day(2026, 11, 10), tier: nil, namedWorker: nil, rationale: "r", advice: nil, before: o.episode, now: testNow) }
        #expect(again?.field == "user")
        let declined = try CaseOutcome(decision: .declined, decidedOn: day(2026, 11, 9), tier: nil, namedWorker: "ignored", rationale: "r", advice: "Try the liaison team.", before: r.episode, now: testNow)
        #expect(declined.episode.status == .declined && !declined.episode.status.isOpen && declined.namedWorker == nil)
    }

    @Test("a review finding engagement moves the case to engaged; none leaves it; a discharge closes it; a declined case takes neither")
    func reviewAndDischarge() throws {
        let o = try accepted(try referral())
        let none = try CaseReview(reviewedOn: day(2026, 11, 16), engagement: .none, decision: .continue, note: "n", currentRisk: .medium, before: o.episode, now: testNow)
        #expect(none.episode == o.episode)
        let engaged = try CaseReview(reviewedOn: day(2026, 11, 20), engagement: .partly, decision: .discharge, note: "n", currentRisk: .low, before: none.episode, now: testNow)
        #expect(engaged.episode.status == .engaged)
        let d = try Discharge(dischargedOn: day(2026, 11, 23), gp: "Dr Example", overview: "o", managementPlan: "m", contacts: "c",
                              contingency: "g", servicesTold: "s", before: engaged.episode, now: testNow)
        #expect(d.episode.history.map(\.status) == [.referred, .accepted, .engaged, .discharged])
        let closed = fieldError { _ = try CaseReview(reviewedOn: day(2026, 11, 23), engagement: .engaged, decision: .continue, note: "n", currentRisk: .low, before: d.episode, now: testNow) }
        #expect(closed?.field == "user")
    }

    @Test("a plan's nominated people each need an involvement consent (SIM §24), named in the error")
    func nominatedNeedConsent() throws {
        var context = FormContext(now: testNow, role: .clinician)
        context.consents = ConsentLedger([.init(consent: try consent(.involve, "Aunt Testy", .given), recordedAt: testNow.addingTimeInterval(-60))])
        let field = try #require(FormSpec.plan.field("nominated"))
        #expect(fieldError { try field.check("Aunt Testy", context) } == nil)
        let refused = fieldError { try field.check("Aunt Testy; Cousin Nobody", context) }
        #expect(refused?.field == "nominated")
        #expect(refused?.message.contains("no involvement consent on record for \"Cousin Nobody\"") == true)
    }

    @Test("a letter's body splits into headed sections; a one-line paragraph ending in ':' is a heading")
    func letterSections() throws {
        let l = try Letter(purpose: .gpLetter, to: "Dr Example", body: "Dear Dr Example,\n\nOverview of the work:\n\nEight weeks.\nTwo crises.\n\nManagement plan:\n\nMonthly review.")
        let sections = l.sections
        #expect(sections.map(\.heading) == ["", "Overview of the work", "Management plan"])
        #expect(sections.map(\.paragraphs) == [["Dear Dr Example,"], ["Eight weeks.\nTwo crises."], ["Monthly review."]])
    }

    @Test("the GP letter and the contacts sheet hold what the discharge says")
    func dischargeLetters() throws {
        let o = try accepted(try referral())
        let d = try Discharge(dischargedOn: day(2026, 11, 23), gp: "Dr Example (Testtown Surgery)", overview: "Fictional overview.", managementPlan: "Fictional plan.",
                              contacts: "Crisis line 0800 000 0000", contingency: "Call the crisis line.", servicesTold: "Turning Point", before: o.episode, now: testNow)
        let user = try ServiceUser(name: "Testy McTestface", now: testNow)
        let gp = try Letter.gp(d, about: user, from: "Mentor Example")
        for text in ["Dear Dr Example (Testtown Surgery)", "Testy McTestface", "Fictional overview.", "Fictional plan.", "Turning Point", "tier 2"] {
            #expect(gp.body.contains(text), "GP letter holds \(text)")
        }
        let sheet = try Letter.contacts(d, about: user, from: "Mentor Example")
        #expect(sheet.to == "Testy McTestface" && sheet.body.contains("Crisis line 0800 000 0000") && sheet.body.contains("Call the crisis line."))
    }
}
