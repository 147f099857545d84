import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §63 through the real binary.
@Suite("A death after a police mentor's contact flags the IOPC referral")
struct DeathReferralTests {
    static let passphrase = "correct horse battery staple\n"

    /// "dd/MM/yyyy HH:mm" in Satchel's calendar (Europe/London), `hours` ago.
    static func ago(_ hours: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB_POSIX")
        f.timeZone = TimeZone(identifier: "Europe/London")
        f.dateFormat = "dd/MM/yyyy HH:mm"
        return f.string(from: Date().addingTimeInterval(-hours * 3600))
    }

    func vault(role: String) throws -> (URL, ([String]) throws -> ChildProcess.Result) {
        let dir = try TemporaryVault.makeDirectory()
        let home = dir.appendingPathComponent("vault").path
        let run = { (arguments: [String]) throws -> ChildProcess.Result in
            let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: Self.passphrase)
            #expect(r.status == 0, "\(arguments.first ?? ""): \(r.stderr)")
            return r
        }
        _ = try run(["init", "--name", "Test Mentor", "--role", role])
        _ = try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
        _ = try run(["contact", "add", "--user", "testy", "--kind", "face-to-face", "--at", Self.ago(31), "--where", "home",
                     "--minutes", "30", "--summary", "A fictional visit.", "--risk", "medium"])
        return (dir, run)
    }

    @Test("a police mentor's contact 30 hours before a recorded death raises the flag, in the record and in status")
    func police() throws {
        let (dir, run) = try vault(role: "police")
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = try run(["death", "add", "--user", "testy", "--died-at", Self.ago(1), "--source", "Fictional: the ward rang."])
        #expect(saved.stdout.contains("Referral to the police complaints body (IOPC) required"))
        #expect(try run(["status"]).stdout.contains("Referral to the police complaints body required after a death (SIM §63)"))
        #expect(try run(["history", "testy"]).stdout.contains("IOPC referral required (SIM §63)"))
    }

    @Test("a police mentor recorded as present on a clinician's contact 30 hours before a recorded death raises the flag")
    func policeMentorPresent() throws {
        let (dir, run) = try vault(role: "clinician")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try run(["contact", "add", "--user", "testy", "--kind", "face-to-face", "--at", Self.ago(31), "--where", "home",
                     "--minutes", "30", "--police-present", "PC Testy Officer (Testshire Police)",
                     "--summary", "A fictional joint visit.", "--risk", "medium"])
        let saved = try run(["death", "add", "--user", "testy", "--died-at", Self.ago(1), "--source", "Fictional: the ward rang."])
        #expect(saved.stdout.contains("Referral to the police complaints body (IOPC) required"))
        #expect(try run(["status"]).stdout.contains("Referral to the police complaints body required after a death (SIM §63)"))
    }

    @Test("the same contact by a clinician raises no flag")
    func clinician() throws {
        let (dir, run) = try vault(role: "clinician")
        defer { try? FileManager.default.removeItem(at: dir) }
        let saved = try run(["death", "add", "--user", "testy", "--died-at", Self.ago(1), "--source", "Fictional: the ward rang."])
        #expect(!saved.stdout.contains("IOPC"))
        #expect(saved.stdout.contains("Inform your Professional Standards team"))
        #expect(!(try run(["status"]).stdout.contains("SIM §63")))
    }
}
