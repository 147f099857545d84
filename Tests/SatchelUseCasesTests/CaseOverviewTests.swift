import Foundation
import SatchelCore
import SatchelStore
import SatchelTestSupport
import SatchelUseCases
import Testing

/// `status`'s view of cases (issue 14 item 6): a plan past its review date, an accepted
/// case with no plan or no step for two weeks, a discharge without its GP letter; and a
/// step that is not the case's latest cannot be amended.
@Suite("Cases and plans in status")
struct CaseOverviewTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_430_000)  // 23/11/2026
    }

    struct Desk {
        let clock = Clock()
        let t: TemporaryVault
        let session: Session

        init() throws {
            let clock = self.clock
            t = try TemporaryVault(clock: { clock.now })
            session = Session(vault: t.vault, clock: { clock.now })
            var user = try session.startCapture(.serviceUser, userReference: nil)
            _ = try session.save(&user, given: FormAnswers(values: ["name": "Testy McTestface", "alias": "testy"]), draftOnly: false)
        }

        @discardableResult
        func add(_ kind: RecordKind, _ flags: [String: String]) throws -> CaptureReceipt {
            var capture = try session.startCapture(kind, userReference: "testy")
            guard case .finalised(let receipt) = try session.save(&capture, given: FormAnswers(values: flags), draftOnly: false) else {
                throw UseCaseError(.refused, "not finalised")
            }
            return receipt
        }

        var warnings: [String] { get throws { try session.caseOverview().warnings } }
    }

    static let plan = [
        "name-address": "Testy McTestface", "diagnosis": "d", "diagnosis-explained": "e", "capacity": "c", "crisis-behaviours": "b",
        "crisis-locations": "l", "boundaries": "none agreed yet", "places-of-safety": "p", "mentors": "Test Mentor",
        "co-produced": "no", "review-date": "2026-12-01", "risk": "low",
    ]

    @Test("an accepted case without a plan warns; the plan stops that warning; its review date passing and a fortnight without a step each warn")
    func warnings() throws {
        let desk = try Desk()
        defer { desk.t.remove() }
        try desk.add(.referral, ["referrer": "PC Example", "received-on": "2026-11-20", "demand": "d", "tried": "t"])
        #expect(try desk.warnings.isEmpty, "a referral waiting for its outcome needs no plan")
        #expect(try desk.session.caseOverview().cases.values.first?.hasPrefix("referred since 20/11/2026") == true)
        let outcome = try desk.add(.outcome, ["decision": "accepted", "tier": "2", "named-worker": "Test Mentor", "rationale": "r"])
        #expect(outcome.letters.map(\.purpose) == [.outcomeLetter], "the outcome letter is written with it")
        #expect(try desk.warnings.contains { $0.contains("case accepted but no response plan") })
        try desk.add(.plan, Self.plan)
        #expect(try desk.warnings.isEmpty)

        desk.clock.now = desk.clock.now.addingTimeInterval(16 * 86_400)  // 09/12/2026
        let late = try desk.warnings
        #expect(late.contains { $0.contains("response plan past its review date (01/12/2026)") }, "\(late)")
        #expect(late.contains { $0.contains("case review due") }, "\(late)")
        try desk.add(.review, ["reviewed-on": "today", "engagement": "engaged", "decision": "discharge", "note": "n", "risk": "low"])
        #expect(try !desk.warnings.contains { $0.contains("case review due") })
    }

    @Test("a discharge whose letters are missing is named, and `letter write` writes them once")
    func dischargeWithoutLetter() throws {
        let desk = try Desk()
        defer { desk.t.remove() }
        try desk.add(.referral, ["referrer": "PC Example", "received-on": "today", "demand": "d", "tried": "t"])
        try desk.add(.outcome, ["decision": "accepted", "tier": "1", "named-worker": "Test Mentor", "rationale": "r"])
        try desk.add(.plan, Self.plan)
        let discharge = try desk.add(.discharge, ["gp": "Dr Example", "overview": "o", "management-plan": "m", "contacts": "c",
                                                  "contingency": "g", "services-told": "s"])
        #expect(discharge.letters.map(\.purpose) == [.gpLetter, .contactsSheet])
        #expect(try !desk.warnings.contains { $0.contains("without a GP letter") })
        // As after a crash between the discharge and its letters: the letters' rows are not there.
        for id in discharge.letters.map(\.id) {
            for table in ["outbox", "held"] {
                try VaultFileEditor.edit(desk.t.databasePath, "DELETE FROM \(table) WHERE record_id = :id", ["id": id.uuidString.lowercased()])
            }
            try VaultFileEditor.edit(desk.t.databasePath, "DELETE FROM record WHERE id = :id", ["id": id.uuidString.lowercased()])
        }
        let short = String(discharge.header.id.uuidString.lowercased().prefix(8))
        #expect(try desk.warnings.contains { $0.contains("discharged without a GP letter (PAVE SOP §10): letter write \(short)") })
        #expect(try desk.session.writeMissingLetters(short).map(\.purpose) == [.gpLetter, .contactsSheet])
        #expect(try !desk.warnings.contains { $0.contains("without a GP letter") })
        #expect(throws: UseCaseError.self) { _ = try desk.session.writeMissingLetters(short) }
    }

    @Test("a step before the case's latest cannot be amended; the latest can")
    func onlyTheLatestStep() throws {
        let desk = try Desk()
        defer { desk.t.remove() }
        let referral = try desk.add(.referral, ["referrer": "PC Example", "received-on": "today", "demand": "d", "tried": "t"])
        let outcome = try desk.add(.outcome, ["decision": "declined", "rationale": "r", "advice": "Try the liaison team."])
        let error = #expect(throws: UseCaseError.self) {
            _ = try desk.session.startAmend(String(referral.header.id.uuidString.prefix(8)))
        }
        #expect(error?.message.contains("the case has moved on") == true)
        let (capture, answers) = try desk.session.startAmend(String(outcome.header.id.uuidString.prefix(8)))
        #expect(answers["decision"] == "declined" && capture.context.caseSoFar?.status == .referred, "the correction starts from the case before the outcome")
        let refer = #expect(throws: UseCaseError.self) {
            _ = try desk.session.startCapture(.review, userReference: "testy")
        }
        #expect(refer?.message.contains("closed") == true, "a declined case takes no review")
        #expect(throws: Never.self) { _ = try desk.session.startCapture(.referral, userReference: "testy") }
    }
}
