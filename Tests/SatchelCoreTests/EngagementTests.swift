import Foundation
import Testing
@testable import SatchelCore

/// Minutes into the morning of `testNow`, for ordering decisions.
private func t(_ minutes: Double) -> Date { testNow.addingTimeInterval(minutes * 60 - 600 * 60) }

/// SIM guide §22 and §28: engagement is voluntary, a person may disengage and return,
/// and the reasons for a refusal are sought.
struct EngagementTests {
    static func ledger(_ decisions: [ConsentDecision]) throws -> ConsentLedger {
        var entries: [ConsentLedger.Entry] = []
        for (index, decision) in decisions.enumerated() {
            let c = try Consent(scope: .engagement, with: "Example Mentoring Service", decision: decision, method: .verbal,
                                currentRisk: .low, reason: decision == .given ? nil : "Fictional reason \(index)", now: testNow)
            entries.append(.init(consent: c, recordedAt: t(Double(index))))
        }
        return ConsentLedger(entries)
    }

    @Test(arguments: [
        ([ConsentDecision](), Engagement.unknown),
        ([.given], .engaged(since: t(0))),
        ([.given, .given], .engaged(since: t(0))),
        ([.refused], .disengaged(since: t(0), decision: .refused, reason: "Fictional reason 0")),
        ([.given, .withdrawn], .disengaged(since: t(1), decision: .withdrawn, reason: "Fictional reason 1")),
        ([.given, .withdrawn, .refused], .disengaged(since: t(1), decision: .refused, reason: "Fictional reason 2")),
        ([.refused, .given], .returned(since: t(1))),
        ([.given, .withdrawn, .given], .returned(since: t(2))),
        ([.given, .withdrawn, .given, .given], .returned(since: t(2))),
        ([.given, .withdrawn, .given, .withdrawn], .disengaged(since: t(3), decision: .withdrawn, reason: "Fictional reason 3")),
    ])
    func state(decisions: [ConsentDecision], expected: Engagement) throws {
        #expect(Engagement(try Self.ledger(decisions)) == expected)
    }

    @Test func otherScopesDoNotCount() throws {
        let share = try consent(.share, "Testshire Police", .withdrawn)
        let engaged = try consent(.engagement, "Example Mentoring Service", .given)
        let ledger = ConsentLedger([.init(consent: engaged, recordedAt: t(0)), .init(consent: share, recordedAt: t(1))])
        #expect(Engagement(ledger) == .engaged(since: t(0)))
        #expect(Engagement(ConsentLedger([.init(consent: share, recordedAt: t(0))])) == .unknown)
    }

    @Test func warningOnlyWhenDisengaged() throws {
        #expect(Engagement.unknown.warning == nil)
        #expect(Engagement.returned(since: testNow).warning == nil)
        let warning = try #require(Engagement.disengaged(since: testNow, decision: .withdrawn, reason: "Fictional: private words").warning)
        #expect(warning.hasPrefix("This person has disengaged: engagement was withdrawn on 23/11/2026. Recording is allowed"))
        #expect(!warning.contains("private words"), "the reason stays out of warnings")
        var standing = MentoringStanding()
        standing.engagement = .disengaged(since: testNow, decision: .refused, reason: nil)
        #expect(standing.warnings.count == 1)
    }

    // MARK: - The reason (§28)

    @Test(arguments: [ConsentDecision.refused, .withdrawn])
    func engagementRefusalNeedsReason(decision: ConsentDecision) {
        for reason in [nil, "", "   "] as [String?] {
            let error = fieldError {
                _ = try Consent(scope: .engagement, with: "Example Mentoring Service", decision: decision, method: .verbal,
                                currentRisk: .low, reason: reason, now: testNow)
            }
            #expect(error?.message == "--reason: required when engagement is refused or withdrawn (SIM guide §28: \"Reasons for their refusal should however be sought and explored\"). Allowed: free text: the reason in the person's words, or \"declined to give a reason\".")
        }
    }

    @Test func reasonIsTrimmedAndOptionalElsewhere() throws {
        let declined = try Consent(scope: .engagement, with: "Example Mentoring Service", decision: .withdrawn, method: .verbal,
                                   currentRisk: .low, reason: "  declined to give a reason \n", now: testNow)
        #expect(declined.reason == "declined to give a reason")
        #expect(try consent(.engagement, "Example Mentoring Service", .given).reason == nil)
        #expect(try consent(.share, "Testshire Police", .refused).reason == nil)
    }

    @Test func reasonOnTheRecordAndOldRecordsStillRead() throws {
        let c = try Consent(scope: .engagement, with: "Example Mentoring Service", decision: .refused, method: .verbal,
                            currentRisk: .low, reason: "Fictional: too busy", now: testNow)
        let json = String(decoding: try RecordCodec.encode(c), as: UTF8.self)
        #expect(json.contains("\"reason\":\"Fictional: too busy\""))
        #expect(try RecordCodec.decode(Consent.self, from: try RecordCodec.encode(c)) == c)
        let without = String(decoding: try RecordCodec.encode(try consent(.share, "Testshire Police", .given)), as: UTF8.self)
        #expect(!without.contains("reason"))
        let old = #"{"scope":"engagement","with":"Example Mentoring Service","decision":"withdrawn","method":"verbal","currentRisk":"low"}"#
        let decoded = try RecordCodec.decode(Consent.self, from: Array(old.utf8))
        #expect(decoded.reason == nil)
        #expect(Engagement(ConsentLedger([.init(consent: decoded, recordedAt: testNow)])) == .disengaged(since: testNow, decision: .withdrawn, reason: nil))
    }

    @Test func formAsksForTheReasonOnlyForAnEngagementRefusal() throws {
        let field = try #require(FormSpec.consent.field("reason"))
        #expect(field.required)
        #expect(field.applies(FormAnswers(values: ["scope": "engagement", "decision": "withdrawn"])))
        #expect(field.applies(FormAnswers(values: ["scope": "engagement", "decision": "refused"])))
        #expect(!field.applies(FormAnswers(values: ["scope": "engagement", "decision": "given"])))
        #expect(!field.applies(FormAnswers(values: ["scope": "share", "decision": "withdrawn"])))
        let context = FormContext(now: testNow, role: .clinician)
        let built = try FormSpec.consent.build(
            FormAnswers(values: ["scope": "engagement", "with": "Example Mentoring Service", "decision": "refused", "method": "verbal",
                                 "reason": "declined to give a reason", "risk": "low"]), context)
        #expect((built.payload as? Consent)?.reason == "declined to give a reason")
    }
}
