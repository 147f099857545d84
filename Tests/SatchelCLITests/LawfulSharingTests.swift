import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §48-52 and §22 through the real binary against the stand-in central system:
/// a record held because sharing was refused goes out under a disclosure with its basis;
/// a withdrawal holds back what was queued; a later consent covers only what is written
/// after it unless the worker says otherwise.
@Suite("Lawful sharing, through the binary", .serialized)
struct LawfulSharingTests {
    /// The desk with a police destination, the person's permission to mentor on record.
    static func team(role: String) throws -> CentralSystemDesk {
        let desk = try CentralSystemDesk(role: role, destination: "police")
        try desk.ok(["permission", "add", "--user", "testy", "--lead-clinician", "Dr Fictional Leadperson", "--given-on", "today"])
        return desk
    }

    static func contact(_ desk: CentralSystemDesk, _ summary: String) throws -> String {
        try desk.add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", summary, "--risk", "medium"])
    }

    @discardableResult
    static func share(_ desk: CentralSystemDesk, _ decision: String, _ extra: [String] = []) throws -> ChildProcess.Result {
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "police", "--decision", decision, "--risk", "medium"] + extra)
    }

    /// The queue line of one record.
    static func queueLine(_ desk: CentralSystemDesk, _ id: String) throws -> String {
        try desk.ok(["queue"]).stdout.split(separator: "\n").map(String.init).first { $0.contains(id) } ?? ""
    }

    @Test("an offence record held because sharing was refused is delivered after disclose --basis prevent-detect-crime, with the basis on the wire and in the audit log")
    func disclosureReleasesARefusedRecord() throws {
        let team = try Self.team(role: "police")
        try Self.share(team, "refused")
        let offence = try Self.contact(team, "Damaged a neighbour's door during the visit.")
        #expect(try Self.queueLine(team, offence).contains("held"))
        #expect(try Self.queueLine(team, offence).contains("refused consent to share with police"))
        #expect(try Self.queueLine(team, offence).contains("disclose --to police --records \(offence)"))
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
        #expect(try Self.queueLine(team, offence).contains("pending"))
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
        let team = try Self.team(role: "clinician")
        try Self.share(team, "given")
        let visit = try Self.contact(team, "A visit while consent was given.")
        #expect(try Self.queueLine(team, visit).contains("pending"))
        let withdrawn = try Self.share(team, "withdrawn")
        #expect(withdrawn.stdout.contains("held back again"), "\(withdrawn.stdout)")
        #expect(try Self.queueLine(team, visit).contains("withdrew consent to share with police"))
        _ = try team.ok(["sync"])
        #expect(try team.stored("Encounter").isEmpty, "a withdrawn record must not arrive")
        #expect(try team.auditActions().contains("recall"))
    }

    @Test("a later consent does not release records written while sharing was refused, unless it says --covers-from")
    func laterConsentCoversFromNow() throws {
        let team = try Self.team(role: "clinician")
        try Self.share(team, "refused")
        let during = try Self.contact(team, "Written while sharing was refused.")
        try Self.share(team, "given")
        let line = try Self.queueLine(team, during)
        #expect(line.contains("held"))
        #expect(line.contains("before the consent to share with police"), "\(line)")
        #expect(line.contains("--covers-from"))
        let after = try Self.contact(team, "Written after consent was given.")
        #expect(try Self.queueLine(team, after).contains("pending"))

        let future = try team.run(["consent", "add", "--user", "testy", "--scope", "share", "--with", "police", "--decision", "given", "--covers-from", "tomorrow", "--risk", "low"])
        #expect(future.status == 65)
        #expect(future.stderr.contains("--covers-from:"))
        let covering = try Self.share(team, "given", ["--covers-from", "today"])
        #expect(covering.stdout.contains("now queued for delivery"), "\(covering.stdout)")
        #expect(try Self.queueLine(team, during).contains("pending"))
        _ = try team.ok(["sync"])
        let consents = try team.stored("Consent")
        #expect(consents.contains { c in ((c["provision"] as? [String: Any])?["dataPeriod"] as? [String: Any])?["start"] as? String != nil })
        #expect(!consents.contains { c in (c["provision"] as? [String: Any])?["period"] != nil }, "a review date is never sent as the end of a consent")
    }
}
