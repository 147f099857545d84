import Foundation
import Testing
@testable import SatchelCore

struct ConsentTests {
    @Test func discloseFamilyGivenMustBeWritten() throws {
        let error = fieldError { _ = try consent(.discloseFamily, "Aunt Testy", .given, method: .verbal) }
        #expect(error == FieldError(field: "method", message: "--method: disclose-family consent must be written (SIM guide §56: \"Written consent has been given by the service user\"). Use --method written."))
        #expect(try consent(.discloseFamily, "Aunt Testy", .given, method: .written).method == .written)
        #expect(try consent(.discloseFamily, "Aunt Testy", .withdrawn, method: .verbal).decision == .withdrawn)
    }

    @Test func blankWithAndPastReview() {
        #expect(fieldError { _ = try consent(.share, "   ", .given) }?.message
            == "--with: the person or agency is required and cannot be blank.")
        let error = fieldError {
            _ = try Consent(scope: .share, with: "GP", decision: .given, method: .written,
                            reviewDate: day(2026, 11, 1), currentRisk: .low, now: testNow)
        }
        #expect(error?.message == "--review-date: 01/11/2026 is in the past. A review date must be today or later.")
    }

    @Test func unknownScope() {
        let error = fieldError { _ = try ConsentScope.parse("family", field: "scope") }
        #expect(error?.message == "--scope: \"family\" is not a consent scope. Allowed: engagement, share, involve, disclose-family, privacy-notice.")
    }

    static func t(_ minutes: Double) -> Date { testNow.addingTimeInterval(minutes * 60 - 600 * 60) }

    @Test(arguments: [
        ([ConsentDecision.given], true),
        ([.given, .withdrawn], false),
        ([.given, .withdrawn, .given], true),
        ([.refused], false),
        ([.refused, .given], true),
        ([], false),
    ])
    func latestDecisionWins(decisions: [ConsentDecision], consented: Bool) throws {
        var entries: [ConsentLedger.Entry] = []
        for (index, decision) in decisions.enumerated() {
            // Alternate the spelling to check the name matching.
            let name = index % 2 == 0 ? "Aunt Testy" : "  aunt   TESTY "
            entries.append(.init(consent: try consent(.involve, name, decision), recordedAt: Self.t(Double(index))))
        }
        // Shuffle the list order: recordedAt, not list order, decides.
        let ledger = ConsentLedger(entries.reversed())
        #expect(ledger.isInvolvementConsented("aunt testy") == consented)
        #expect(ledger.isSharingConsented(with: "Aunt Testy") == false)
    }

    @Test func withdrawalOnlyAffectsWhatComesAfter() throws {
        let ledger = ConsentLedger([
            .init(consent: try consent(.share, "Testshire Police", .given), recordedAt: Self.t(0)),
            .init(consent: try consent(.share, "Testshire Police", .withdrawn), recordedAt: Self.t(10)),
        ])
        #expect(ledger.isSharingConsented(with: "testshire police", asOf: Self.t(5)))
        #expect(!ledger.isSharingConsented(with: "testshire police", asOf: Self.t(10)))
        #expect(!ledger.isSharingConsented(with: "testshire police"))
        #expect(!ledger.isSharingConsented(with: "Testshire GP"))
    }

    @Test func sameTimeLaterInListWins() throws {
        let ledger = ConsentLedger([
            .init(consent: try consent(.involve, "Aunt Testy", .given), recordedAt: testNow),
            .init(consent: try consent(.involve, "Aunt Testy", .withdrawn), recordedAt: testNow),
        ])
        #expect(ledger.decision(scope: .involve, with: "Aunt Testy") == .withdrawn)
    }
}
