import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §48-52 and §22 through the real binary against the stand-in central system:
/// a record held because sharing was refused goes out under a disclosure with its basis;
/// a withdrawal holds back what was queued; a later consent covers only what is written
/// after it unless the worker says otherwise.
@Suite("Lawful sharing, through the binary", .serialized)
struct LawfulSharingTests {
    static let passphrase = "correct horse battery staple\n"

    final class Team {
        let server: FixtureServer
        let dir: URL
        var base: [String] {
            ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
        }

        init(role: String) throws {
            server = try FixtureServer()
            dir = try TemporaryVault.makeDirectory()
            try ok(["init", "--name", "Test Mentor", "--role", role])
            try ok(["destination", "add", "police", "--url", server.base, "--ca-file", server.ca, "--agency", "police"])
            try ok(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
            try ok(["permission", "add", "--user", "testy", "--lead-clinician", "Dr Fictional Leadperson", "--given-on", "today"])
        }

        func run(_ args: [String]) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(base + args, fd3: LawfulSharingTests.passphrase)
        }

        @discardableResult
        func ok(_ args: [String]) throws -> ChildProcess.Result {
            let r = try run(args)
            guard r.status == 0 else { throw ChildProcess.Failure(message: "\(args.prefix(2).joined(separator: " ")): exit \(r.status): \(r.stderr)") }
            return r
        }

        /// Adds a record and returns its short id, read from "Saved and finalised KIND ID".
        func add(_ args: [String]) throws -> String {
            let out = try ok(args).stdout
            guard let range = out.range(of: #"finalised [a-z-]+ ([0-9a-f]{8})"#, options: .regularExpression) else {
                throw ChildProcess.Failure(message: "no record id in: \(out)")
            }
            return String(out[range].suffix(8))
        }

        func contact(_ summary: String) throws -> String {
            try add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", summary, "--risk", "medium"])
        }

        func share(_ decision: String, _ extra: [String] = []) throws -> ChildProcess.Result {
            try ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "police", "--decision", decision, "--risk", "medium"] + extra)
        }

        /// The queue line of one record for the police destination.
        func queueLine(_ id: String) throws -> String {
            try ok(["queue"]).stdout.split(separator: "\n").map(String.init).first { $0.contains(id) } ?? ""
        }

        /// The actions in the vault's audit log (clear: identifiers and actions only).
        func auditActions() throws -> [String] {
            try VaultFileEditor.strings(dir.appendingPathComponent("vault/vault.sqlite").path, "SELECT action FROM audit ORDER BY seq")
        }

        func stored(_ type: String) throws -> [[String: Any]] {
            (try server.controlRequest("GET", "/resources?type=\(type)")["resources"] as? [[String: Any]]) ?? []
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    @Test("an offence record held because sharing was refused is delivered after disclose --basis prevent-detect-crime, with the basis on the wire and in the audit log")
    func disclosureReleasesARefusedRecord() throws {
        let team = try Team(role: "police")
        try team.share("refused")
        let offence = try team.contact("Damaged a neighbour's door during the visit.")
        #expect(try team.queueLine(offence).contains("held"))
        #expect(try team.queueLine(offence).contains("refused consent to share with police"))
        #expect(try team.queueLine(offence).contains("disclose --to police --records \(offence)"))
        _ = try team.ok(["sync"])
        #expect(try team.stored("Encounter").isEmpty, "a refused record must not arrive")

        let bad = try team.run(["disclose", "--user", "testy", "--to", "police", "--records", offence, "--basis", "gut-feeling", "--reason", "r", "--risk", "high"])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("--basis: \"gut-feeling\" is not a lawful basis. Allowed: vital-interests, prevent-detect-crime"))

        let disclosed = try team.ok([
            "disclose", "--user", "testy", "--to", "police", "--records", offence, "--basis", "prevent-detect-crime",
            "--reason", "Criminal damage reported during the visit.", "--risk", "high",
        ])
        #expect(disclosed.stdout.contains("released to police"))
        #expect(try team.queueLine(offence).contains("pending"))
        let synced = try team.ok(["sync"])
        #expect(synced.stdout.contains("police: 3 delivered"), "\(synced.stdout)")

        let encounters = try team.stored("Encounter")
        #expect(encounters.count == 1)
        let meta = try #require(encounters.first?["meta"] as? [String: Any])
        let extensions = (meta["extension"] as? [[String: Any]]) ?? []
        let basis = extensions.first { ($0["url"] as? String)?.hasSuffix("/lawful-basis") == true }
        #expect((basis?["valueCoding"] as? [String: Any])?["code"] as? String == "prevent-detect-crime")
        let communications = try team.stored("Communication")
        #expect(communications.contains { c in
            ((c["reasonCode"] as? [[String: Any]])?.first?["coding"] as? [[String: Any]])?.first?["code"] as? String == "prevent-detect-crime"
        }, "the disclosure itself is delivered")
        #expect(try team.stored("Patient").count == 1, "the person's own record goes with what is disclosed")
        #expect(try team.stored("Consent").isEmpty, "the refusal itself is not disclosed")
        #expect(try team.auditActions().contains("disclose"), "the release is audited as a disclosure")
    }

    @Test("a withdrawal holds a record that was queued but not yet sent, before the next sync")
    func withdrawalHoldsQueued() throws {
        let team = try Team(role: "clinician")
        try team.share("given")
        let visit = try team.contact("A visit while consent was given.")
        #expect(try team.queueLine(visit).contains("pending"))
        let withdrawn = try team.share("withdrawn")
        #expect(withdrawn.stdout.contains("held back again"), "\(withdrawn.stdout)")
        #expect(try team.queueLine(visit).contains("withdrew consent to share with police"))
        _ = try team.ok(["sync"])
        #expect(try team.stored("Encounter").isEmpty, "a withdrawn record must not arrive")
        #expect(try team.auditActions().contains("recall"))
    }

    @Test("a later consent does not release records written while sharing was refused, unless it says --covers-from")
    func laterConsentCoversFromNow() throws {
        let team = try Team(role: "clinician")
        try team.share("refused")
        let during = try team.contact("Written while sharing was refused.")
        try team.share("given")
        let line = try team.queueLine(during)
        #expect(line.contains("held"))
        #expect(line.contains("before the consent to share with police"), "\(line)")
        #expect(line.contains("--covers-from"))
        let after = try team.contact("Written after consent was given.")
        #expect(try team.queueLine(after).contains("pending"))

        let future = try team.run(["consent", "add", "--user", "testy", "--scope", "share", "--with", "police", "--decision", "given", "--covers-from", "tomorrow", "--risk", "low"])
        #expect(future.status == 65)
        #expect(future.stderr.contains("--covers-from:"))
        let covering = try team.share("given", ["--covers-from", "today"])
        #expect(covering.stdout.contains("now queued for delivery"), "\(covering.stdout)")
        #expect(try team.queueLine(during).contains("pending"))
        _ = try team.ok(["sync"])
        let consents = try team.stored("Consent")
        #expect(consents.contains { c in ((c["provision"] as? [String: Any])?["dataPeriod"] as? [String: Any])?["start"] as? String != nil })
        #expect(!consents.contains { c in (c["provision"] as? [String: Any])?["period"] != nil }, "a review date is never sent as the end of a consent")
    }
}
