import Foundation
import SatchelTestSupport
import Testing

/// The exact message for each class of bad input, through the shell door with no
/// terminal: the message names the field and what is allowed, the exit status is 65,
/// and nothing already stored is lost.
@Suite("Bad input gets a clear message")
struct BadInputMessageTests {
    static let passphrase = "correct horse battery staple\n"

    /// A vault with one service user (alias testy) and nothing else.
    final class Fixture {
        let dir: URL
        var base: [String] { ["--home", dir.appendingPathComponent("vault").path, "--passphrase-fd", "3"] }

        init() throws {
            dir = try TemporaryVault.makeDirectory()
            let made = try ChildProcess.runSatchel(base + ["init", "--name", "Test Mentor", "--role", "clinician"], fd3: BadInputMessageTests.passphrase)
            guard made.status == 0 else { throw ChildProcess.Failure(message: made.stderr) }
            let user = try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
            guard user.status == 0 else { throw ChildProcess.Failure(message: user.stderr) }
        }

        func run(_ args: [String]) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(base + args, fd3: BadInputMessageTests.passphrase)
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    static let contact = ["contact", "add", "--user", "testy", "--where", "home", "--minutes", "30", "--summary", "Fine.", "--risk", "low"]

    @Test(
        "each class of bad input has its exact message",
        arguments: [
            ("bad NHS number", ["user", "add", "--name", "Testy Two", "--nhs-number", "943 476 5918"],
             "--nhs-number: 943 476 5918 is not a valid NHS number (the check digit does not match). An NHS number is 10 digits; spaces are allowed."),
            ("NHS number of the wrong length", ["user", "add", "--name", "Testy Two", "--nhs-number", "12345"],
             "--nhs-number: 12345 is not a valid NHS number (it has 5 digits, not 10). An NHS number is 10 digits; spaces are allowed."),
            ("TOP rating out of range", ["top", "add", "--user", "testy", "--stage", "start", "--psych-health", "21"],
             "--psych-health: 21 is out of range. Ratings are 0-20 (0 = poor, 20 = good), or \"declined\"."),
            ("weekly days that don't fit", ["top", "add", "--user", "testy", "--stage", "start", "--alcohol-week-1", "8"],
             "--alcohol-week-1: 8 is out of range. Days in a week are 0-7, or \"declined\"."),
            ("weekly days that are not a number", ["top", "add", "--user", "testy", "--stage", "start", "--paid-work-week-2", "lots"],
             "--paid-work-week-2: \"lots\" is not a number of days. Days in a week are 0-7, or \"declined\"."),
            ("a future date", contact + ["--kind", "phone", "--at", "24/11/2099 10:00"],
             "--at: 24/11/2099 10:00 is in the future. A contact can only be recorded at or before now."),
            ("an unknown kind", contact + ["--kind", "visit"],
             "--kind: \"visit\" is not a contact kind. Allowed: face-to-face, phone, phone-family, did-not-attend, attempted, offence, significant-event."),
            ("a present family member without consent", contact + ["--kind", "face-to-face", "--present", "Aunt Testy"],
             "--present: no involvement consent on record for \"Aunt Testy\". Record it first: consent add --scope involve --with \"Aunt Testy\" --decision given"),
            ("a missing field with no terminal", ["contact", "add", "--user", "testy", "--kind", "phone"],
             "--where: required (where; allowed: free text). Give it as a flag, or run from a terminal to be asked."),
            ("a likelihood out of range", ["risk", "add", "--user", "testy", "--likelihood", "6"],
             "--likelihood: 6 is out of range. Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."),
        ])
    func message(_ label: String, args: [String], expected: String) throws {
        let f = try Fixture()
        let r = try f.run(args)
        #expect(r.status == 65, "\(label): \(r.stderr)")
        #expect(r.stderr == expected + "\n", "\(label)")
        // Nothing stored was lost, and nothing half-made was kept.
        let status = try f.run(["status", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let records = try #require(json["records"] as? [String: [String: Int]])
        #expect(records["service-user"] == ["draft": 0, "final": 1])
        #expect(records["contact"] == ["draft": 0, "final": 0])
    }

    @Test("an unknown TOP item is named, with a suggestion")
    func unknownTOPItem() throws {
        let f = try Fixture()
        let r = try f.run(["top", "add", "--user", "testy", "--alcohl-week-1", "3"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("Error: Unknown option '--alcohl-week-1'. It is not a TOP item. Did you mean '--alcohol-week-1'?\n"))
    }
}
