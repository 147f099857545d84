import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §45 gives no bands: the team sets them in config.toml, through the real binary.
@Suite("The team's risk matrix, through the binary")
struct RiskMatrixConfigTests {
    static let passphrase = "correct horse battery staple\n"

    static let risk = [
        "risk", "add", "--user", "testy", "--progress", "Fictional progress.", "--mental-state", "Fictional: settled.",
        "--risk", "Fictional risk.", "--plan", "Fictional plan.", "--likelihood", "3", "--impact", "4",
    ]

    @Test("a custom [risk-matrix] changes the grade; a bad one refuses the entry naming the key")
    func customMatrix() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        let config = dir.appendingPathComponent("config.toml")
        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(["--home", home, "--config", config.path, "--passphrase-fd", "3"] + arguments, fd3: Self.passphrase)
        }
        #expect(try run(["init", "--name", "Test Mentor", "--role", "clinician"]).status == 0)
        #expect(try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"]).status == 0)

        let standard = try run(Self.risk)
        #expect(standard.status == 0, "\(standard.stderr)")
        #expect(standard.stdout.contains("Clinical risk graded Medium (3 × 4)"))

        try Data("[risk-matrix]\nid = \"testshire-rqm\"\nversion = 2\nmedium-from = 4\nhigh-from = 10\n".utf8).write(to: config)
        let team = try run(Self.risk)
        #expect(team.status == 0, "\(team.stderr)")
        #expect(team.stdout.contains("Clinical risk graded High (3 × 4); risk raised from Medium to High."))
        #expect(team.stdout.contains("Graded on the team's matrix testshire-rqm-v2 (Low 1-3, Medium 4-9, High 10-25)."))

        try Data("[risk-matrix]\nid = \"testshire-rqm\"\nversion = 3\nmedium-from = 10\nhigh-from = 4\n".utf8).write(to: config)
        let bad = try run(Self.risk)
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("risk-matrix.high-from: 4 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25"))
    }
}
