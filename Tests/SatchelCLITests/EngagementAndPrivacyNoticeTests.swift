import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §22 and §28 (engagement: disengage, return, reasons sought) and §53 (a
/// privacy notice whenever personal data is shared), through the real binary.
@Suite("Engagement and the privacy notice, through the binary")
struct EngagementAndPrivacyNoticeTests {
    /// A person, Testy McTestface, with a share consent and a contact queued for nhs-epr
    /// (and held from police); both destinations confirmed.
    typealias Shift = ReadsDoNotWriteTests.Shift

    static let contact = ["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A short call.", "--risk", "low"]

    static func engagement(_ decision: String) -> [String] {
        ["consent", "add", "--user", "testy", "--scope", "engagement", "--with", "Example Mentoring Service", "--decision", decision, "--risk", "low"]
    }

    @Test("a withdrawal needs --reason; then capture warns \"disengaged\", open warns, status lists them; a later given is a return")
    func engagement() throws {
        let c = try Shift()
        let refused = try ChildProcess.runSatchel(
            ["--home", c.home, "--config", c.config, "--passphrase-fd", "3"] + Self.engagement("withdrawn"), fd3: ReadsDoNotWriteTests.passphrase + "\n")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--reason: required (reason for refusing or withdrawing; allowed: free text: the reason in the person's words, or \"declined to give a reason\")"), "\(refused.stderr)")
        try c.run(Self.engagement("withdrawn") + ["--reason", "declined to give a reason"])

        let captured = try c.run(Self.contact)
        #expect(captured.stdout.contains("Saved and finalised contact"))
        #expect(captured.stderr.contains("Warning: This person has disengaged: engagement was withdrawn on "), "\(captured.stderr)")
        #expect(try c.run(["open", "testy"]).stderr.contains("disengaged"))
        #expect(try c.run(["status"]).stdout.contains("Disengaged from mentoring, by their engagement decision (SIM §22, §28): "))
        let status = try c.run(["status", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let mentoring = try #require(json["mentoring"] as? [String: [String]])
        #expect(mentoring["disengaged"]?.count == 1)

        try c.run(Self.engagement("given"))
        #expect(!(try c.run(Self.contact).stderr.contains("disengaged")))
        #expect(try c.run(["open", "testy"]).stdout.contains("Returned to mentoring on "))
        #expect(!(try c.run(["status"]).stdout.contains("Disengaged")))
    }

    @Test("a person with a queued record and no privacy notice is named at queue and sync; recording the notice ends it")
    func privacyNotice() throws {
        let c = try Shift()
        let queue = try c.run(["queue"])
        #expect(queue.stdout.contains("pending"))
        #expect(queue.stderr.contains("Warning: No privacy notice is on record for T.M. ("), "\(queue.stderr)")
        #expect(queue.stderr.contains("queued for or delivered to nhs-epr (SIM guide §53"))
        #expect(try c.run(["sync", "--dry-run"]).stderr.contains("No privacy notice is on record for T.M. ("))
        let json = try c.run(["queue", "--json"])
        let destinations = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect((destinations.first?["withoutPrivacyNotice"] as? [String])?.count == 1)
        #expect(destinations.last?["name"] as? String == "police")
        #expect(destinations.last?["withoutPrivacyNotice"] == nil, "records held from police are not shared")

        try c.run(["consent", "add", "--user", "testy", "--scope", "privacy-notice", "--with", "Example Mentoring Service", "--decision", "given", "--risk", "low"])
        let after = try c.run(["queue"])
        #expect(!after.stderr.contains("privacy notice"), "\(after.stderr)")
        let afterJSON = try JSONSerialization.jsonObject(with: Data(try c.run(["queue", "--json"]).stdout.utf8)) as? [[String: Any]]
        #expect(afterJSON?.first?["withoutPrivacyNotice"] == nil)
    }
}
