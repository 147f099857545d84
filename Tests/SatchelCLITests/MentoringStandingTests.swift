import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §20 and §21 through the real binary: permission before mentoring, and a
/// capacity judgement that suspends it.
@Suite("Permission to mentor and capacity, through the binary")
struct MentoringStandingTests {
    static let passphrase = "correct horse battery staple\n"

    @Test("a contact before permission warns; after it does not; insufficient capacity suspends, shown at open and in status")
    func standing() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: Self.passphrase)
            #expect(r.status == 0, "\(arguments.first ?? ""): \(r.stderr)")
            return r
        }
        let contact = ["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A short call.", "--risk", "low"]
        _ = try run(["init", "--name", "Test Mentor", "--role", "clinician"])
        _ = try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])

        let before = try run(contact)
        #expect(before.stderr.contains("No lead clinician's permission to mentor is on record"))
        #expect(try run(["status"]).stdout.contains("Without the lead clinician's permission to mentor (SIM §20)"))

        _ = try run(["permission", "add", "--user", "testy", "--lead-clinician", "Dr Fictional Leadperson", "--given-on", "today"])
        let after = try run(contact)
        #expect(!after.stderr.contains("permission"), "\(after.stderr)")
        #expect(!(try run(["status"]).stdout.contains("SIM §20")))

        let capacity = try run([
            "capacity", "add", "--user", "testy", "--communicate", "yes", "--communicate-note", "Clear.",
            "--understand", "yes", "--understand-note", "Repeated the plan.", "--retain", "no", "--retain-note", "Forgot within minutes.",
            "--employ", "no", "--employ-note", "Not yet.", "--judgement", "insufficient", "--risk", "medium",
        ])
        #expect(capacity.stdout.contains("Mentoring is suspended pending review"))
        #expect(try run(["open", "testy"]).stderr.contains("Mentoring is suspended pending review"))
        #expect(try run(contact).stderr.contains("Mentoring is suspended pending review"))
        let status = try run(["status", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let mentoring = try #require(json["mentoring"] as? [String: [String]])
        #expect(mentoring["suspended"]?.count == 1)
        #expect(mentoring["withoutPermission"] == [])

        let refused = try ChildProcess.runSatchel(
            ["--home", home, "--passphrase-fd", "3", "capacity", "add", "--user", "testy", "--communicate", "yes", "--communicate-note", "a",
             "--understand", "no", "--understand-note", "b", "--retain", "yes", "--retain-note", "c", "--employ", "yes", "--employ-note", "d",
             "--judgement", "sufficient", "--risk", "low"], fd3: Self.passphrase)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--judgement: sufficient needs all four"))
    }
}
