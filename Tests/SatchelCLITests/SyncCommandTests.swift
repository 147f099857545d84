import Foundation
import SatchelTestSupport
import Testing

/// `satchel sync`, `queue` and `destination test` through the real binary against the
/// stand-in central system — including kill -9 at random moments mid-sync.
@Suite("satchel sync, end to end", .serialized)
struct SyncCommandTests {
    static let passphrase = "correct horse battery staple\n"

    final class Shift {
        let server: FixtureServer
        let dir: URL
        var base: [String] {
            ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
        }

        init(batchSize: Int = 3) throws {
            server = try FixtureServer()
            dir = try TemporaryVault.makeDirectory()
            let made = try run(["init", "--name", "Test Mentor", "--role", "clinician"])
            guard made.status == 0 else { throw ChildProcess.Failure(message: made.stderr) }
            let added = try run(["destination", "add", "fixture", "--url", server.base, "--ca-file", server.ca, "--agency", "fixture", "--batch-size", "\(batchSize)"])
            guard added.status == 0 else { throw ChildProcess.Failure(message: added.stderr) }
        }

        func run(_ args: [String], stdin: String? = nil) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(base + args, fd3: SyncCommandTests.passphrase, stdin: stdin)
        }

        func start(_ args: [String]) throws -> ChildProcess.Running {
            try ChildProcess.startSatchel(base + args, fd3: SyncCommandTests.passphrase, environment: ["no_proxy": "*"])
        }

        /// A visit's worth of records for two fictional people, consent to share included.
        func captureShift() throws -> Int {
            var lines: [String] = []
            for (alias, name) in [("testy", "Testy McTestface"), ("fict", "Fictional Person")] {
                lines += [
                    "user add --name \"\(name)\" --alias \(alias)",
                    "consent add --user \(alias) --scope share --with fixture --decision given --risk low",
                ]
                for n in 1...4 {
                    lines.append("contact add --user \(alias) --kind phone --where phone --minutes \(n) --summary \"Call \(n).\" --risk \(n == 4 ? "high" : "low")")
                }
                lines.append("risk add --user \(alias) --progress p --mental-state m --risk r --plan q --likelihood 3 --impact 3")
            }
            let r = try run(["--bail"], stdin: lines.joined(separator: "\n") + "\n")
            guard r.status == 0 else { throw ChildProcess.Failure(message: r.stderr) }
            return 2 * 7  // per person: Patient, Consent, 4 Encounters, RiskAssessment
        }

        func arrived() throws -> (total: Int, duplicates: Int) {
            let stats = try server.stats()
            return ((stats["total"] as? Int) ?? -1, (stats["duplicates"] as? Int) ?? -1)
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    @Test("destination test shows what the server speaks and the certificate it presented")
    func destinationTest() throws {
        let shift = try Shift()
        let r = try shift.run(["destination", "test", "fixture"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("FHIR 4.0.1"))
        #expect(r.stdout.contains("PUT [type]/[record id]"))
        #expect(r.stdout.contains("certificate 0:"))
        #expect(r.stdout.contains(shift.server.pin))
    }

    @Test("a shift syncs in one go: summary, JSON, and nothing left in the queue")
    func wholeShift() throws {
        let shift = try Shift()
        let total = try shift.captureShift()
        let dry = try shift.run(["sync", "--dry-run"])
        #expect(dry.stdout.hasPrefix("fixture: would send \(total), 0 held by the sharing policy\n  service-user "))
        #expect(try shift.arrived().total == 0)
        let r = try shift.run(["sync", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(reports.first?["delivered"] as? Int == total)
        #expect(reports.first?["stillQueued"] as? Int == 0)
        #expect(try shift.arrived() == (total, 0))
        let queue = try shift.run(["queue"])
        #expect(queue.stdout == "fixture: 0 pending, 0 in flight, 0 rejected, 0 held\n")
    }

    @Test("kill -9 at random moments during sync: the next sync neither loses nor duplicates anything")
    func killedMidSync() throws {
        let shift = try Shift(batchSize: 1)
        let total = try shift.captureShift()
        // Slow every bundle down so the kills land mid-sync, some after the server committed.
        try shift.server.setFaults(#"{"rules": [{"fault": "delay", "seconds": 0.3, "match": {"method": "POST"}, "count": null}]}"#)
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<6 {
            let running = try shift.start(["sync"])
            usleep(UInt32.random(in: 800_000...1_800_000, using: &generator))
            running.kill()
            let status = running.wait().status
            #expect(status == 137 || status == 0)
            if status == 137 { killed += 1 }
        }
        #expect(killed >= 4, "only \(killed) of 6 runs were killed mid-sync")
        let partial = try shift.arrived()
        #expect(partial.duplicates == 0)
        try shift.server.setFaults(#"{"rules": []}"#)
        let final = try shift.run(["sync"])
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        #expect(try shift.arrived() == (total, 0), "after kills: \(partial.total) had arrived")
        let status = try shift.run(["status", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let outbox = try #require(json["outbox"] as? [String: [String: Int]])
        #expect(outbox["fixture"] == ["pending": 0, "in-flight": 0, "delivered": total, "rejected": 0, "held": 0])
    }

    @Test("records held by the sharing policy are named in queue and are not sent")
    func heldNotSent() throws {
        let shift = try Shift()
        let r = try shift.run(["--bail"], stdin: """
            user add --name "Testy McTestface" --alias testy
            contact add --user testy --kind attempted --where phone --minutes 0 --summary "No answer." --risk low

            """)
        #expect(r.status == 0, "\(r.stderr)")
        let sync = try shift.run(["sync"])
        #expect(sync.stdout.hasPrefix("fixture: 0 delivered, 0 rejected, 0 still queued, 2 held by the sharing policy"))
        #expect(try shift.arrived().total == 0)
        let queue = try shift.run(["queue"])
        #expect(queue.stdout.contains("no consent on record to share with fixture"))
    }

    @Test("a destination pointed elsewhere in config.toml gets nothing until the worker confirms it; then it gets what waits")
    func changedURLNeedsConfirmation() throws {
        let shift = try Shift()
        let total = try shift.captureShift()
        #expect(try shift.run(["sync"]).status == 0)
        let elsewhere = try FixtureServer()
        defer { elsewhere.stop() }
        let config = shift.dir.appendingPathComponent("config.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: shift.server.base, with: elsewhere.base).replacingOccurrences(of: shift.server.ca, with: elsewhere.ca)
            .write(to: config, atomically: true, encoding: .utf8)
        let visit = try shift.run(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "3", "--summary", "Later call.", "--risk", "low"])
        #expect(visit.status == 0, "\(visit.stderr)")

        let why = "destination fixture changed since you confirmed it (url: \(shift.server.base) → \(elsewhere.base); ca-file: \(shift.server.ca) → \(elsewhere.ca)). Run `satchel destination confirm fixture`."
        let refused = try shift.run(["sync"])
        #expect(refused.status == 78)
        #expect(refused.stdout == "fixture: nothing sent, 0 still queued, 1 held: \(why)\n")
        #expect(refused.stderr.contains(why))
        #expect(try elsewhere.requests() == 0)
        #expect(try shift.run(["status"]).stdout.contains("Warning: \(why)"))
        #expect(try shift.run(["destination", "list"]).stdout.contains("  NOT CONFIRMED, nothing is sent to it: \(why)"))
        #expect(try shift.run(["destination", "test", "fixture"]).status == 78)
        #expect(try elsewhere.requests() == 0, "destination test does not contact it either")

        let noTerminal = try shift.run(["destination", "confirm", "fixture"])
        #expect(noTerminal.status == 64)
        #expect(noTerminal.stderr.contains("Run it from a terminal, or add --yes in a script."))
        let confirmed = try shift.run(["destination", "confirm", "fixture", "--yes"])
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect(confirmed.stdout.hasSuffix("Confirmed destination fixture. 1 held record released to its queue.\n"))
        let synced = try shift.run(["sync"])
        #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
        #expect((try elsewhere.stats()["total"] as? Int) == 1)
        #expect(try shift.arrived().total == total)
    }

    @Test("a vault put back to an older copy is reported by the central system as a rollback for that worker")
    func rollbackSeenCentrally() throws {
        let shift = try Shift()
        _ = try shift.captureShift()
        #expect(try shift.run(["sync"]).status == 0)
        let worker = try #require(try JSONSerialization.jsonObject(with: Data(shift.run(["status", "--json"]).stdout.utf8)) as? [String: Any])
        let workerID = try #require((worker["worker"] as? [String: Any])?["id"] as? String)
        func heads() throws -> (seq: Int, rollbacks: [[String: Any]]) {
            let h = try shift.server.controlRequest("GET", "/audit-heads")
            let mine = (h["workers"] as? [String: [String: Any]])?[workerID]
            return ((mine?["seq"] as? Int) ?? -1, (h["rollbacks"] as? [[String: Any]]) ?? [])
        }
        let first = try heads()
        #expect(first.seq > 0, "the sync reported this worker's audit head")

        let vault = shift.dir.appendingPathComponent("vault")
        let copy = shift.dir.appendingPathComponent("vault-copy")
        try FileManager.default.copyItem(at: vault, to: copy)
        let more = try shift.run(["contact", "add", "--user", "fict", "--kind", "phone", "--where", "phone", "--minutes", "2", "--summary", "Another call.", "--risk", "low"])
        #expect(more.status == 0, "\(more.stderr)")
        #expect(try shift.run(["sync"]).status == 0)
        let second = try heads()
        #expect(second.seq > first.seq)
        #expect(second.rollbacks.isEmpty)

        try FileManager.default.removeItem(at: vault)
        try FileManager.default.moveItem(at: copy, to: vault)
        let again = try shift.run(["sync"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let after = try heads()
        #expect(after.seq == second.seq, "the highest sequence seen is kept")
        let flagged = try #require(after.rollbacks.first)
        #expect(after.rollbacks.count == 1)
        #expect(flagged["worker"] as? String == workerID)
        #expect(flagged["kind"] as? String == "rollback")
        #expect((flagged["got_seq"] as? Int ?? .max) < second.seq)
        #expect((try shift.server.stats()["rollbacks"] as? Int) == 1)
    }
}
