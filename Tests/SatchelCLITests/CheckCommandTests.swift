import Foundation
import GRDB
import SatchelTestSupport
import Testing

/// `satchel check` through the real binary: an intact vault, then one edited outside Satchel.
@Suite("satchel check names what was changed outside Satchel")
struct CheckCommandTests {
    static let passphrase = "correct horse battery staple\n"

    func run(_ home: String, _ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: Self.passphrase)
    }

    @Test("intact, then a contact moved to another person: check and history exit 70 and name it; the other records still show")
    func movedContact() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        for args in [
            ["init", "--name", "Test Mentor", "--role", "clinician"],
            ["user", "add", "--name", "Testy McTestface", "--alias", "testy"],
            ["user", "add", "--name", "Fictional Otherperson", "--alias", "other"],
            ["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A short call.", "--risk", "low"],
            ["contact", "add", "--user", "other", "--kind", "phone", "--where", "phone", "--minutes", "9", "--summary", "Another call.", "--risk", "low"],
        ] {
            let r = try run(home, args)
            #expect(r.status == 0, "\(args.first ?? ""): \(r.stderr)")
        }
        let intact = try run(home, ["check"])
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.hasPrefix("Vault intact"))

        let db = try DatabaseQueue(path: "\(home)/vault.sqlite")
        let ids = try db.read { try String.fetchAll($0, sql: "SELECT id FROM record WHERE kind = 'service-user' ORDER BY created_at") }
        let contact = try #require(try db.read { try String.fetchOne($0, sql: "SELECT id FROM record WHERE kind = 'contact' AND subject_id = ?", arguments: [ids[1]]) })
        try db.close()
        try VaultFileEditor.edit("\(home)/vault.sqlite", "UPDATE record SET subject_id = ? WHERE id = ?", [ids[0], contact])

        let found = try run(home, ["check"])
        #expect(found.status == 70)
        #expect(found.stdout.contains("record \(contact.prefix(8)) (contact): its clear facts"), "\(found.stdout)")
        #expect(found.stderr.contains("1 problem(s) found"))

        let history = try run(home, ["history", "testy"])
        #expect(history.status == 70)
        #expect(history.stdout.contains("A short call."))
        #expect(!history.stdout.contains("Another call."))
        #expect(history.stdout.contains("changed outside Satchel"))
    }
}
