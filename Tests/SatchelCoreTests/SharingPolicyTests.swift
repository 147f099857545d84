import Foundation
import Testing
@testable import SatchelCore

@Suite("The sharing policy")
struct SharingPolicyTests {
    let now = Date(timeIntervalSince1970: 1_795_430_000)
    let rule = SharingRule(destination: "nhs-epr", kinds: [.contact, .risk], agencyNames: ["nhs-epr", "NHS"])

    func consent(_ with: String, _ decision: ConsentDecision, at offset: TimeInterval) throws -> ConsentLedger.Entry {
        let c = try Consent(scope: .share, with: with, decision: decision, method: .verbal, currentRisk: .low, now: now)
        return .init(consent: c, recordedAt: now.addingTimeInterval(offset))
    }

    @Test("a kind the destination does not take is held, naming its policy; the person's Patient is always taken")
    func kinds() throws {
        let ledger = ConsentLedger([try consent("NHS", .given, at: 0)])
        #expect(SharingPolicy.holdReason(kind: .boundary, rule: rule, consents: ledger) == "nhs-epr does not receive boundary records (its sharing policy)")
        #expect(SharingPolicy.holdReason(kind: .serviceUser, rule: rule, consents: ledger) == nil)
    }

    @Test(
        "only a latest decision of 'given', under any of the agency's names, lets a record go",
        arguments: [
            ([], "no consent on record to share with nhs-epr (consent add --scope share --with nhs-epr --decision given)"),
            ([("nhs-epr", ConsentDecision.given)], nil),
            ([("NHS", .given)], nil),
            ([("police", .given)], "no consent on record to share with nhs-epr (consent add --scope share --with nhs-epr --decision given)"),
            ([("NHS", .given), ("nhs-epr", .withdrawn)], "the service user withdrew consent to share with nhs-epr on 23/11/2026"),
            ([("NHS", .refused)], "the service user refused consent to share with nhs-epr on 23/11/2026"),
            ([("NHS", .withdrawn), ("nhs", .given)], nil),
        ] as [([(String, ConsentDecision)], String?)])
    func consents(decisions: [(String, ConsentDecision)], expected: String?) throws {
        let ledger = ConsentLedger(try decisions.enumerated().map { try consent($1.0, $1.1, at: Double($0)) })
        #expect(SharingPolicy.holdReason(kind: .contact, rule: rule, consents: ledger) == expected)
    }
}
