import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §24 and §55 through the real binary: family and friends present need their
/// involvement consent, professionals present come with their organisation and need none,
/// and a phone-family contact names the relative called.
@Suite("Who was present, through the binary")
struct WhoWasPresentTests {
    static let passphrase = "correct horse battery staple\n"

    /// A vault with one service user; `run` returns the result whatever the exit status.
    func vault() throws -> (URL, ([String]) throws -> ChildProcess.Result) {
        let dir = try TemporaryVault.makeDirectory()
        let home = dir.appendingPathComponent("vault").path
        let config = dir.appendingPathComponent("config.toml").path
        let run = { (arguments: [String]) throws -> ChildProcess.Result in
            try ChildProcess.runSatchel(["--home", home, "--config", config, "--passphrase-fd", "3"] + arguments, fd3: Self.passphrase)
        }
        #expect(try run(["init", "--name", "Test Mentor", "--role", "clinician"]).status == 0)
        #expect(try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"]).status == 0)
        return (dir, run)
    }

    static func contact(_ kind: String, _ extra: [String]) -> [String] {
        ["contact", "add", "--user", "testy", "--kind", kind, "--where", "home", "--minutes", "30",
         "--summary", "A fictional meeting.", "--risk", "low"] + extra
    }

    static let consentAunt = ["consent", "add", "--user", "testy", "--scope", "involve", "--with", "Aunt Testy", "--decision", "given", "--risk", "low"]

    @Test("a professional present needs no involvement consent; a relative is refused until their consent is recorded")
    func professionalAndRelative() throws {
        let (dir, run) = try vault()
        defer { try? FileManager.default.removeItem(at: dir) }
        let professional = try run(Self.contact("face-to-face", ["--professional", "Dr Fictional (Testshire Ambulance Service)"]))
        #expect(professional.status == 0, "\(professional.stderr)")

        let withAunt = Self.contact("face-to-face", ["--present", "Aunt Testy", "--professional", "Dr Fictional (Testshire Ambulance Service)"])
        let refused = try run(withAunt)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains(#"--present: no involvement consent on record for "Aunt Testy". Record it first: consent add --scope involve --with "Aunt Testy" --decision given"#))

        #expect(try run(Self.consentAunt).status == 0)
        let accepted = try run(withAunt)
        #expect(accepted.status == 0, "\(accepted.stderr)")

        let malformed = try run(Self.contact("face-to-face", ["--professional", "Dr Fictional"]))
        #expect(malformed.status == 65)
        #expect(malformed.stderr.contains("--professional: one of the entries has no organisation in brackets. Give each professional as NAME (ORGANISATION)"))
    }

    @Test("a phone-family contact without the relative is refused; with a consented relative it is saved")
    func phoneFamily() throws {
        let (dir, run) = try vault()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nobody = try run(Self.contact("phone-family", []))
        #expect(nobody.status == 65)
        #expect(nobody.stderr.contains("--relative: required (relative or friend called;"))

        let unconsented = try run(Self.contact("phone-family", ["--relative", "Aunt Testy"]))
        #expect(unconsented.status == 65)
        #expect(unconsented.stderr.contains(#"--relative: no involvement consent on record for "Aunt Testy"."#))

        #expect(try run(Self.consentAunt).status == 0)
        let saved = try run(Self.contact("phone-family", ["--relative", "Aunt Testy"]))
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("Saved and finalised contact"))
    }
}
