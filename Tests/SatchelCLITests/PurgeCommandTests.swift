import Foundation
import SatchelTestSupport
import Testing

/// Retention through the real binary against the stand-in central system: a delivered
/// record's content leaves the device, its header, receipts and audit trail stay, and an
/// undelivered record is untouched.
@Suite("Purging delivered records, through the binary", .serialized)
struct PurgeCommandTests {
    static func contact(_ desk: CentralSystemDesk, _ summary: String) throws -> String {
        try desk.add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", summary, "--risk", "low"])
    }

    @Test("purge: show says delivered and purged, receipts and the audit entry remain, an undelivered record is untouched")
    func purge() throws {
        let desk = try CentralSystemDesk()
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        let sent = try Self.contact(desk, "Quokkaberg canary call, delivered.")
        try desk.ok(["sync"])
        let kept = try Self.contact(desk, "Quokkaberg second call, not sent yet.")

        let dry = try desk.ok(["purge", "--dry-run"]).stdout
        #expect(dry.contains("Would purge 1 delivered record (nothing changed):"), "\(dry)")
        #expect(dry.contains("\(sent) contact for T.M."))
        #expect(try desk.ok(["show", sent]).stdout.contains("Quokkaberg canary call"), "a dry run changes nothing")

        let purged = try desk.ok(["purge"]).stdout
        #expect(purged.contains("Purged 1 delivered record: their content is no longer on this device"), "\(purged)")
        #expect(purged.contains("\(sent) contact for T.M., delivered "))

        let shown = try desk.ok(["show", sent]).stdout
        #expect(shown.contains("Purged:"), "\(shown)")
        #expect(shown.contains("delivered and purged on"))
        #expect(shown.contains("fixture: delivered as Encounter/"), "the receipt stays: \(shown)")
        #expect(!shown.contains("Quokkaberg"))
        #expect(try desk.ok(["show", kept]).stdout.contains("Quokkaberg second call, not sent yet."))

        let history = try desk.ok(["history", "testy"]).stdout
        #expect(history.contains(sent) && history.contains("(delivered and purged on"), "\(history)")
        #expect(history.contains("Quokkaberg second call, not sent yet."))
        #expect(try desk.auditActions().filter { $0 == "purge" }.count == 1)
        #expect(try desk.ok(["check"]).stdout.hasPrefix("Vault intact"))

        let amend = try desk.run(["amend", sent, "--set", "summary=Another wording."])
        #expect(amend.status == 75)
        #expect(amend.stderr.contains("was delivered and purged on"), "\(amend.stderr)")
        #expect(amend.stderr.contains("It cannot be amended here"))

        let out = desk.dir.appendingPathComponent("export.txt").path
        let exported = try desk.ok(["export", "testy", "--out", out]).stdout
        #expect(exported.contains("Not in the file: 1 record(s) delivered and purged from this device"), "\(exported)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("delivered and purged from this device") && text.contains("contact \(sent)"))
        #expect(!text.contains("Quokkaberg canary") && text.contains("Quokkaberg second call"))

        // Sync sends the undelivered one, never the purged one again.
        try desk.ok(["sync"])
        #expect(try desk.stored("Encounter").count == 2)
        #expect(try desk.ok(["purge"]).stdout.contains("Purged 1 delivered record"))
        #expect(try desk.ok(["purge"]).stdout.contains("Nothing to purge"))
        #expect(try desk.ok(["check"]).stdout.hasPrefix("Vault intact"))
    }

    @Test("[retention] purge-after-days purges after a sync, audited; a bad value is refused naming the key")
    func afterSync() throws {
        let desk = try CentralSystemDesk()
        let config = desk.dir.appendingPathComponent("config.toml")
        let original = try String(contentsOf: config, encoding: .utf8)
        try (original + "\n[retention]\npurge-after-days = \"soon\"\n").write(to: config, atomically: true, encoding: .utf8)
        let badSync = try desk.run(["sync"])
        #expect(badSync.status == 78, "\(badSync.stderr)")
        #expect(badSync.stderr.contains("retention.purge-after-days: must be a whole number, not a string."), "\(badSync.stderr)")

        try (original + "\n[retention]\npurge-after-days = 0\n").write(to: config, atomically: true, encoding: .utf8)
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        let sent = try Self.contact(desk, "A fictional call, purged after sync.")
        let synced = try desk.ok(["sync"]).stdout
        #expect(synced.contains("Purged 1 delivered record(s) past the retention period"), "\(synced)")
        #expect(try desk.ok(["show", sent]).stdout.contains("delivered and purged on"))
        #expect(try desk.auditActions().contains("purge"))
        #expect(try desk.ok(["check"]).stdout.hasPrefix("Vault intact"))
    }
}
