import Foundation
import SatchelTestSupport
import Testing

/// Correcting what was recorded, through the real binary against the stand-in central
/// system: an amendment is a new record that names the one it amends, and on the wire a
/// new version of the same resource — with client ids or with server-assigned ones.
@Suite("Amending records and updating a person, through the binary", .serialized)
struct AmendTests {
    static func version(_ resource: [String: Any]?) -> String? {
        (resource?["meta"] as? [String: Any])?["versionId"] as? String
    }

    @Test("user update and amend are new versions of the same Patient and Encounter on the server", arguments: [true, false])
    func versions(clientIDs: Bool) throws {
        let desk = try CentralSystemDesk(clientIDs: clientIDs)
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        let saved = try desk.ok(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "First wording.", "--risk", "low"])
        let contact = try #require(saved.stdout.range(of: #"contact ([0-9a-f]{8})"#, options: .regularExpression).map { String(saved.stdout[$0].suffix(8)) })
        try desk.ok(["sync"])
        #expect(try desk.stored("Patient").count == 1)

        let refused = try desk.run(["user", "update", "testy", "--care-coordinator", "Dr Fictional Coordinator"])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("--care-coordinator: a care co-ordinator is named only for a person under CPA"))
        let updated = try desk.ok(["user", "update", "testy", "--nhs-number", "943 476 5919", "--cpa", "yes", "--care-coordinator", "Dr Fictional Coordinator"])
        #expect(updated.stdout.contains("Saved service user"), "\(updated.stdout)")
        let amended = try desk.ok(["amend", contact, "--set", "summary=Corrected wording."])
        #expect(amended.stdout.contains("Saved and finalised contact"))
        let badSet = try desk.run(["amend", contact, "--set", "colour=blue"])
        #expect(badSet.status == 65)
        #expect(badSet.stderr.contains("--set: \"colour\" is not a field of contact add; give FIELD=VALUE with one of: "))
        #expect(!badSet.stderr.contains("blue"), "the value typed is not repeated")
        try desk.ok(["sync"])

        let patients = try desk.stored("Patient")
        #expect(patients.count == 1, "the Patient is updated, not duplicated")
        #expect(Self.version(patients.first) == "2")
        let identifiers = (patients.first?["identifier"] as? [[String: Any]]) ?? []
        #expect(identifiers.contains { $0["value"] as? String == "9434765919" })
        let encounters = try desk.stored("Encounter")
        #expect(encounters.count == 1, "the amendment is a new version of the same Encounter")
        #expect(Self.version(encounters.first) == "2")
        #expect(((encounters.first?["extension"] as? [[String: Any]]) ?? []).contains { ($0["url"] as? String)?.hasSuffix("/amends") == true })
        // On the device the person is still one person, with the details as updated.
        let list = try desk.ok(["user", "list", "--json"]).stdout
        #expect(list.components(separatedBy: "\"initials\"").count == 2, "\(list)")
        #expect(list.contains("943 476 5919"))
        let history = try desk.ok(["history", "testy"]).stdout
        #expect(history.contains("details updated (amends "), "the update is in the person's history")
        #expect(history.contains("Corrected wording. (amends \(contact))"))
    }

    @Test("a refused Patient holds back what is behind it, says so with the fix, and user update releases it all; show renders a record with its delivery")
    func refusedPatient() throws {
        let desk = try CentralSystemDesk()
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        let contact = try desk.add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A fictional call.", "--risk", "low"])
        try desk.server.setFaults(#"{"rules": [{"fault": "reject", "diagnostics": "Patient.birthDate is required here", "match": {"resourceType": "Patient"}, "count": 1}]}"#)
        _ = try desk.run(["sync"])
        #expect(try desk.stored("Patient").isEmpty)
        let queue = try desk.ok(["queue"]).stdout
        #expect(queue.contains("waiting for T.M.'s Patient, refused by fixture: "), "\(queue)")
        #expect(queue.contains("fix with `user update`"))
        #expect(queue.contains("fix: user update"))

        let shown = try desk.ok(["show", contact]).stdout
        #expect(shown.contains("Summary"), "\(shown)")
        #expect(shown.contains("A fictional call."))
        #expect(shown.contains("fixture: pending"))

        try desk.ok(["user", "update", "testy", "--dob", "01/01/1990"])
        let synced = try desk.ok(["sync"])
        #expect(synced.stdout.contains("fixture: 3 delivered"), "the corrected Patient, the consent and the contact: \(synced.stdout)")
        #expect(try desk.stored("Patient").count == 1)
        #expect(try desk.stored("Encounter").count == 1)
        #expect(try desk.ok(["queue"]).stdout.contains("corrected by"))
        let list = try desk.ok(["user", "list", "--json"]).stdout
        let patient = try #require(list.range(of: #"[0-9a-f]{8}-"#, options: .regularExpression))
        let resolved = try desk.ok(["show", String(list[patient].prefix(8))]).stdout
        #expect(resolved.contains("fixture: rejected"), "\(resolved)")
        #expect(resolved.contains("to fix: resolved by "), "\(resolved)")
        let json = try JSONSerialization.jsonObject(with: Data(try desk.ok(["show", contact, "--json"]).stdout.utf8)) as? [String: Any]
        let delivery = (json?["deliveries"] as? [[String: Any]])?.first
        #expect(delivery?["state"] as? String == "delivered")
        #expect((delivery?["serverID"] as? String)?.hasPrefix("Encounter/") == true)
    }

    @Test("a record first sent by conditional create whose reply was lost is not stored twice when the server starts allowing update-as-create")
    func writeModeKept() throws {
        let desk = try CentralSystemDesk(clientIDs: false)
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "low"])
        _ = try desk.add(["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A fictional call.", "--risk", "low"])
        // The server stores the first Bundle, then the connection drops before the reply.
        try desk.server.setFaults(#"{"rules": [{"fault": "commit-then-reset", "match": {"method": "POST"}, "count": 1}]}"#)
        let lost = try desk.run(["sync"])
        #expect(lost.stdout.contains("still queued"), "\(lost.stdout)")
        #expect(try desk.stored("Patient").count == 1, "the first Bundle was stored")
        try desk.server.controlRequest("POST", "/config", json: #"{"update_create": "yes"}"#)
        try desk.ok(["sync"])
        #expect(try desk.stored("Patient").count == 1)
        #expect(try desk.stored("Encounter").count == 1)
        #expect(try desk.stored("Consent").count == 1)
        #expect((try desk.server.stats()["duplicates"] as? Int) == 0)
    }
}
