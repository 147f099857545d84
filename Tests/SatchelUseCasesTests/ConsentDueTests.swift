import Foundation
import SatchelCore
import SatchelTestSupport
import SatchelUseCases
import Testing

/// `consent due`: the latest decision per person, scope and party whose review date has
/// passed. A review date is a reminder; nothing stops applying on it.
@Suite("Consents due for review")
struct ConsentDueTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_795_430_000)  // 23/11/2026
    }

    @Test("a decision past its review date is listed, most overdue first; a later decision for the same party replaces it")
    func due() throws {
        let clock = Clock()
        let t = try TemporaryVault(clock: { clock.now })
        defer { t.remove() }
        let session = Session(vault: t.vault, clock: { clock.now })
        func consent(_ flags: [String: String]) throws {
            var capture = try session.startCapture(.consent, userReference: "testy")
            _ = try session.save(&capture, given: FormAnswers(values: flags.merging(["risk": "low"]) { a, _ in a }), draftOnly: false)
        }
        var user = try session.startCapture(.serviceUser, userReference: nil)
        _ = try session.save(&user, given: FormAnswers(values: ["name": "Testy McTestface", "alias": "testy"]), draftOnly: false)
        try consent(["scope": "share", "with": "police", "decision": "given", "review-date": "2026-12-01"])
        try consent(["scope": "involve", "with": "Aunt Testy", "decision": "given", "review-date": "2026-11-30"])
        try consent(["scope": "engagement", "with": "Satchel mentoring service", "decision": "given", "review-date": "2027-06-01"])
        #expect(try session.consentsDue().isEmpty, "nothing is due yet")

        clock.now = clock.now.addingTimeInterval(10 * 86_400)  // 03/12/2026
        let due = try session.consentsDue()
        #expect(due.map(\.with) == ["Aunt Testy", "police"])
        #expect(due.map(\.daysOverdue) == [3, 2])
        #expect(due.first?.scope == "involve")

        try consent(["scope": "share", "with": "Police", "decision": "given", "review-date": "2027-06-01"])
        #expect(try session.consentsDue().map(\.with) == ["Aunt Testy"], "the renewed decision replaces the one due")
    }
}
