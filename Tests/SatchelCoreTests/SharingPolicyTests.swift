import Foundation
import Testing
@testable import SatchelCore

@Suite("The sharing policy")
struct SharingPolicyTests {
    let now = Date(timeIntervalSince1970: 1_795_430_000)
    let rule = SharingRule(destination: "nhs-epr", kinds: [.contact, .risk], agencyNames: ["nhs-epr", "NHS"])
    let record = UUID()

    func consent(_ with: String, _ decision: ConsentDecision, at offset: TimeInterval, coversFrom: FieldDay? = nil) throws -> ConsentLedger.Entry {
        let c = try Consent(scope: .share, with: with, decision: decision, method: .verbal, coversFrom: coversFrom, currentRisk: .low, now: now)
        return .init(consent: c, recordedAt: now.addingTimeInterval(offset))
    }

    func decide(_ ledger: ConsentLedger, _ grants: [DisclosureGrant] = [], kind: RecordKind = .contact, writtenAt offset: TimeInterval = 100) -> SharingDecision {
        SharingPolicy.decide(RecordBrief(id: record, kind: kind, writtenAt: now.addingTimeInterval(offset)), rule: rule, consents: ledger, disclosures: grants)
    }

    func reason(_ d: SharingDecision) -> String? {
        if case .hold(let r) = d { return r }
        return nil
    }

    @Test("a kind the destination does not take is held, naming its policy; the person's Patient is always taken")
    func kinds() throws {
        let ledger = ConsentLedger([try consent("NHS", .given, at: 0)])
        #expect(decide(ledger, kind: .boundary) == .hold("nhs-epr does not receive boundary records (its sharing policy)"))
        #expect(decide(ledger, kind: .serviceUser) == .share)
    }

    @Test(
        "only a latest decision of 'given', under any of the agency's names, lets a record go",
        arguments: [
            ([], "no consent on record to share with nhs-epr. To release: consent add --scope share --with nhs-epr --decision given, or"),
            ([("nhs-epr", ConsentDecision.given)], nil),
            ([("NHS", .given)], nil),
            ([("police", .given)], "no consent on record to share with nhs-epr."),
            ([("NHS", .given), ("nhs-epr", .withdrawn)], "the service user withdrew consent to share with nhs-epr on 23/11/2026. To release: on a lawful basis (SIM §48-52): disclose --to nhs-epr --records"),
            ([("NHS", .refused)], "the service user refused consent to share with nhs-epr on 23/11/2026."),
            ([("NHS", .withdrawn), ("nhs", .given)], nil),
        ] as [([(String, ConsentDecision)], String?)])
    func consents(decisions: [(String, ConsentDecision)], expected: String?) throws {
        let ledger = ConsentLedger(try decisions.enumerated().map { try consent($1.0, $1.1, at: Double($0)) })
        let d = decide(ledger)
        if let expected {
            #expect(reason(d)?.hasPrefix(expected) == true, "\(d)")
        } else {
            #expect(d == .share)
        }
    }

    @Test("a consent covers records written from when it is given; --covers-from reaches back to the start of that day")
    func coverage() throws {
        let refusedThenGiven = ConsentLedger([try consent("NHS", .refused, at: 0), try consent("NHS", .given, at: 200)])
        let before = try #require(reason(decide(refusedThenGiven, writtenAt: 100)))
        #expect(before.contains("before the consent to share with nhs-epr given on 23/11/2026"))
        #expect(before.contains("--covers-from 2026-11-23"))
        #expect(decide(refusedThenGiven, writtenAt: 200) == .share, "written at the moment of the decision")
        #expect(decide(refusedThenGiven, writtenAt: 300) == .share)
        #expect(decide(refusedThenGiven, kind: .serviceUser, writtenAt: 100) == .share, "the person's own record goes with any current consent")

        let today = FieldDay.on(now)
        let covering = ConsentLedger([try consent("NHS", .refused, at: 0), try consent("NHS", .given, at: 200, coversFrom: today)])
        #expect(decide(covering, writtenAt: 100) == .share)
        #expect(reason(decide(covering, writtenAt: -86_400 * 2))?.contains("covers records from \(today)") == true)

        // A consent renewed (given again, nothing between) keeps covering what the first one did.
        let renewed = ConsentLedger([try consent("NHS", .given, at: 0), try consent("nhs-epr", .given, at: 200)])
        #expect(decide(renewed, writtenAt: 100) == .share)
        #expect(reason(decide(renewed, writtenAt: -100)) != nil)

        // A later withdrawal wins over a consent that covered the record.
        let withdrawn = ConsentLedger([try consent("NHS", .given, at: 0), try consent("NHS", .withdrawn, at: 200)])
        #expect(reason(decide(withdrawn, writtenAt: 100))?.contains("withdrew") == true)
    }

    @Test("a disclosure releases exactly the records it names, the person's Patient and itself, to its destination only")
    func disclosures() throws {
        let refused = ConsentLedger([try consent("NHS", .refused, at: 0)])
        let disclosure = try Disclosure(
            to: "nhs-epr", recipient: .destination, records: [record], from: nil, basis: .preventDetectCrime,
            reason: "Fictional reason.", likelihood: nil, impact: nil, decidedBy: "Test Mentor", currentRisk: .high)
        let grant = DisclosureGrant(id: UUID(), disclosure: disclosure)
        #expect(decide(refused, [grant]) == .disclose(grant))
        #expect(decide(refused, [grant], kind: .serviceUser) == .disclose(grant))
        #expect(SharingPolicy.decide(RecordBrief(id: grant.id, kind: .contact, writtenAt: now), rule: rule, consents: refused, disclosures: [grant]) == .disclose(grant))
        let other = SharingPolicy.decide(RecordBrief(id: UUID(), kind: .contact, writtenAt: now), rule: rule, consents: refused, disclosures: [grant])
        #expect(reason(other) != nil, "a record it does not name stays held")
        let police = SharingRule(destination: "police", kinds: [.contact], agencyNames: [])
        #expect(reason(SharingPolicy.decide(RecordBrief(id: record, kind: .contact, writtenAt: now), rule: police, consents: refused, disclosures: [grant])) != nil)
        #expect(decide(refused, [grant], kind: .boundary) == .hold("nhs-epr does not receive boundary records (its sharing policy)"), "a disclosure does not override what an agency takes")
        #expect(decide(ConsentLedger([try consent("NHS", .given, at: 0)]), [grant]) == .share, "consent, when it covers, is the basis")
    }

    @Test("a disclosure to a person allows only the §56 bases; prevent-serious-harm needs the matrix")
    func disclosureRules() throws {
        func make(_ recipient: DisclosureRecipient, _ basis: LawfulBasis, _ l: Int? = nil, _ i: Int? = nil) throws(FieldError) -> Disclosure {
            try Disclosure(to: "Aunt Testy", recipient: recipient, records: [record], from: nil, basis: basis, reason: "r",
                           likelihood: l, impact: i, decidedBy: "Test Mentor", currentRisk: .high)
        }
        #expect(throws: FieldError.self) { try make(.person, .vitalInterests) }
        #expect(throws: FieldError.self) { try make(.destination, .preventSeriousHarm) }
        #expect(try make(.person, .preventSeriousHarm, 4, 5).matrixGrade == .high)
        #expect(try make(.person, .locateAbsconded).basis == .locateAbsconded)
        #expect(throws: FieldError.self) {
            try Disclosure(to: "police", recipient: .destination, records: [], from: nil, basis: .preventDetectCrime, reason: "r",
                           likelihood: nil, impact: nil, decidedBy: "x", currentRisk: .low)
        }
    }
}
