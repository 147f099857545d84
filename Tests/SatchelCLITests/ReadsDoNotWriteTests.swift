import Foundation
import GRDB
import SatchelTestSupport
import Testing

/// Reads never write (docs/architecture.md): `queue`, `status`, `history`, `drafts`,
/// `user list`, `destination list` and `sync --dry-run`, through the real binary, leave every table of the
/// vault as it was — apart from the audit entries they add (views only) and the sealed
/// anchor over the audit head that moves with them.
@Suite("Reads leave the vault unchanged")
struct ReadsDoNotWriteTests {
    static let passphrase = "correct horse battery staple"

    /// A vault with a person, a consent, a contact queued for one destination and held
    /// from another, and an open draft; both destinations confirmed by the worker.
    final class Shift {
        let dir: URL
        var home: String { dir.appendingPathComponent("vault").path }
        var config: String { dir.appendingPathComponent("config.toml").path }
        var database: String { dir.appendingPathComponent("vault/vault.sqlite").path }

        init() throws {
            dir = try TemporaryVault.makeDirectory()
            try """
                [destination.nhs-epr]
                url = "https://nhs-epr.invalid/R4"
                kinds = ["service-user", "contact", "consent"]
                agency = ["nhs-epr", "NHS"]

                [destination.police]
                url = "https://police.invalid/R4"
                kinds = ["service-user", "contact"]
                """.write(toFile: config, atomically: true, encoding: .utf8)
            try run(["init", "--name", "Test Mentor", "--role", "clinician"])
            try run(["destination", "confirm", "nhs-epr", "--yes"])
            try run(["destination", "confirm", "police", "--yes"])
            try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
            try run(["consent", "add", "--user", "testy", "--scope", "share", "--with", "NHS", "--decision", "given", "--risk", "low"])
            try run(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5",
                     "--summary", "A short call.", "--risk", "low"])
            try run(["contact", "add", "--user", "testy", "--kind", "phone", "--draft"])
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            let r = try ChildProcess.runSatchel(
                ["--home", home, "--config", config, "--passphrase-fd", "3"] + arguments, fd3: ReadsDoNotWriteTests.passphrase + "\n")
            guard r.status == 0 else { throw ChildProcess.Failure(message: "\(arguments.first ?? ""): \(r.stderr)") }
            return r
        }

        /// Every row of every table, as text, by table; the audit log apart.
        func snapshot() throws -> (tables: [String: [String]], audit: [String]) {
            var config = Configuration()
            config.readonly = true
            let db = try DatabaseQueue(path: database, configuration: config)
            defer { try? db.close() }
            return try db.read { db in
                var tables: [String: [String]] = [:]
                let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                for name in names where name != "audit" {
                    tables[name] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(name)\"").map { row in
                        // The sealed anchor over the audit head moves with every audit entry.
                        row.columnNames.filter { !(name == "vault" && $0.hasPrefix("anchor_")) }
                            .map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: "|")
                    }.sorted()
                }
                let audit = try Row.fetchAll(db, sql: "SELECT seq, action FROM audit ORDER BY seq").map { "\($0["seq"] as Int) \($0["action"] as String)" }
                return (tables, audit)
            }
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    @Test("queue, status, history, drafts, user list, destination list and sync --dry-run change nothing but the audit log's views")
    func readsLeaveTheVaultAlone() throws {
        let shift = try Shift()
        let queue = try shift.run(["queue", "--json"])
        #expect(queue.stdout.contains("\"held\""), "the set-up should hold a record from police")
        #expect(queue.stdout.contains("\"pending\""), "the set-up should queue a record for nhs-epr")
        // A destination added to the file by hand: reads must not register it (only
        // `destination confirm` will).
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: shift.config))
        try file.seekToEnd()
        try file.write(contentsOf: Data("\n[destination.ambulance]\nurl = \"https://ambulance.invalid/R4\"\n".utf8))
        try file.close()
        #expect(try shift.run(["queue"]).stdout.contains("ambulance (new in the configuration)"))
        let before = try shift.snapshot()
        for command in [["queue"], ["queue", "--json"], ["status"], ["status", "--json"], ["history", "testy"],
                        ["history", "--all", "--kind", "contact", "--since", "today", "--author", "Test Mentor"], ["drafts"],
                        ["user", "list"], ["destination", "list"], ["sync", "--dry-run"]] {
            try shift.run(command)
            let after = try shift.snapshot()
            for (table, rows) in before.tables {
                #expect(after.tables[table] == rows, "`\(command.joined(separator: " "))` changed the table \(table)")
            }
            #expect(Set(after.tables.keys) == Set(before.tables.keys))
            #expect(Array(after.audit.prefix(before.audit.count)) == before.audit, "`\(command.joined(separator: " "))` rewrote the audit log")
            let added = after.audit.dropFirst(before.audit.count).map { $0.split(separator: " ").last.map(String.init) ?? "" }
            #expect(added.allSatisfy { $0 == "view" }, "`\(command.joined(separator: " "))` added \(added)")
        }
        let final = try shift.snapshot()
        #expect(final.audit.count > before.audit.count, "reading bodies is audited")
    }
}
