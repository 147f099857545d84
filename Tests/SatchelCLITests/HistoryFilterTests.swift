import Foundation
import GRDB
import SatchelTestSupport
import Testing

/// `history --kind`, `--since`, `--author` and `--all` through the real binary.
@Suite("history filters, through the binary")
struct HistoryFilterTests {
    static let passphrase = "correct horse battery staple\n"

    /// A vault of Test Mentor's with two people: Testy McTestface (a consent and two
    /// contacts) and Fakey McFakerson (one contact).
    final class Caseload {
        let dir: URL
        var home: String { dir.appendingPathComponent("vault").path }
        var database: String { dir.appendingPathComponent("vault/vault.sqlite").path }

        /// With `records` false, Testy McTestface alone and nothing on record.
        init(records: Bool = true) throws {
            dir = try TemporaryVault.makeDirectory()
            try ok(["init", "--name", "Test Mentor", "--role", "clinician"])
            try ok(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
            guard records else { return }
            try ok(["user", "add", "--name", "Fakey McFakerson", "--alias", "fakey"])
            try ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "NHS", "--decision", "given", "--risk", "low"])
            try ok(Self.contact("testy", "A short call."))
            try ok(Self.contact("testy", "Another call."))
            try ok(Self.contact("fakey", "A call to Fakey."))
        }

        static func contact(_ user: String, _ summary: String) -> [String] {
            ["contact", "add", "--user", user, "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", summary, "--risk", "low"]
        }

        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: HistoryFilterTests.passphrase)
        }

        @discardableResult
        func ok(_ arguments: [String]) throws -> ChildProcess.Result {
            let r = try run(arguments)
            guard r.status == 0 else { throw ChildProcess.Failure(message: "\(arguments.first ?? ""): \(r.stderr)") }
            return r
        }

        /// The records the audit log says were viewed, in order.
        func viewed() throws -> [String] {
            var config = Configuration()
            config.readonly = true
            let db = try DatabaseQueue(path: database, configuration: config)
            defer { try? db.close() }
            return try db.read { try String.fetchAll($0, sql: "SELECT record_id FROM audit WHERE action = 'view' ORDER BY seq") }
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    @Test("--kind, --since and --author narrow one person's history; only the records listed are opened, each audited as a view")
    func filters() throws {
        let c = try Caseload()
        let all = try c.ok(["history", "testy"])
        #expect(all.stdout.contains("T.M.: 3 records, newest first"))

        let before = try c.viewed().count
        let contacts = try c.ok(["history", "testy", "--kind", "contact"])
        #expect(contacts.stdout.contains("T.M.: 2 records, newest first"))
        #expect(contacts.stdout.contains("A short call.") && contacts.stdout.contains("Another call."))
        #expect(!contacts.stdout.contains("consent "))
        // Two contacts opened, and the two people for the service-user index: nothing more.
        #expect(try c.viewed().count - before == 4)

        #expect(try c.ok(["history", "testy", "--kind", "consent"]).stdout.contains("T.M.: 1 record, newest first"))
        #expect(try c.ok(["history", "testy", "--since", "today"]).stdout.contains("T.M.: 3 records"))
        #expect(try c.ok(["history", "testy", "--since", "01/01/2020 09:00"]).stdout.contains("T.M.: 3 records"))
        #expect(try c.ok(["history", "testy", "--since", "tomorrow"]).stdout.contains("T.M.: 0 records"))
        #expect(try c.ok(["history", "testy", "--author", "test mentor"]).stdout.contains("T.M.: 3 records"))
    }

    @Test("--all lists every person's records newest first, each line naming the person by initials")
    func everyone() throws {
        let c = try Caseload()
        let out = try c.ok(["history", "--all"]).stdout
        #expect(out.contains("Everyone: 4 records, newest first"))
        let lines = out.split(separator: "\n").dropFirst().map(String.init)
        #expect(lines.count == 4)
        #expect(lines.first?.contains("F.M. contact") == true, "\(out)")
        #expect(lines.first?.contains("A call to Fakey.") == true)
        #expect(lines.filter { $0.contains("T.M. ") }.count == 3)
        let contacts = try c.ok(["history", "--all", "--kind", "contact", "--author", "Test Mentor"]).stdout
        #expect(contacts.contains("Everyone: 3 records, newest first"))
        #expect(!contacts.contains("consent "))
    }

    @Test(
        "a value that is not allowed names the flag and what is allowed (exit 65)",
        arguments: [
            (["--kind", "phonecall"], "--kind: \"phonecall\" is not a kind of record. Allowed: "),
            (["--since", "last week"], "--since: \"last week\" is not a date. Allowed: a day (today, yesterday, 23/11/2026 or 2026-11-23) or a date and time (23/11/2026 14:30)."),
            (["--since", "31/02/2026"], "--since: \"31/02/2026\" is not a date. Allowed: "),
            (["--author", "Nobody Else"], "--author: \"Nobody Else\" is no author of records in this vault. Allowed: the author's name, or at least 4 characters of their id ("),
        ])
    func badValues(_ flags: [String], _ message: String) throws {
        let c = try Caseload(records: false)
        let r = try c.run(["history", "testy"] + flags)
        #expect(r.status == 65)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("--all with a person is a usage error")
    func allWithAPerson() throws {
        let c = try Caseload(records: false)
        let r = try c.run(["history", "testy", "--all"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--all lists every service user's records; give no user with it."))
    }
}
