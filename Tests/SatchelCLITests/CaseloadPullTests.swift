import Foundation
import SatchelTestSupport
import Testing

/// `caseload pull` through the real binary against the stand-in central system: a
/// colleague's records arrive as sealed reference records, a second pull asks only for
/// what changed, a pull cut by kill -9 resumes without duplicates, offline says so.
@Suite("Caseload pull, through the binary", .serialized)
struct CaseloadPullTests {
    /// A desk whose destination allows reading `Group/team-north`, holding `people` fictional
    /// people, each with one risk assessment and one consent written by a colleague.
    static func desk(people: Int) throws -> CentralSystemDesk {
        let ids = (1...people).map { "colleague-p\($0)" }
        let desk = try readingDesk(members: ids)
        try seed(ids.flatMap { [patient($0), risk("\($0)-r1", $0, "2026-11-20T10:00:00Z", "high"), consent("\($0)-c1", $0)] }, desk)
        // The first pull's watermark is the server's clock less a second, to the second:
        // these seeds are older than it.
        usleep(2_100_000)
        return desk
    }

    /// A desk whose destination allows reading `Group/team-north`, with these members.
    static func readingDesk(members: [String]) throws -> CentralSystemDesk {
        let desk = try CentralSystemDesk()
        let config = desk.dir.appendingPathComponent("config.toml")
        let handle = try FileHandle(forWritingTo: config)
        handle.seekToEndOfFile()
        handle.write(Data("caseload = \"Group/team-north\"\n".utf8))
        try handle.close()
        try desk.server.controlRequest("POST", "/caseload", json: json(["kind": "Group", "id": "team-north", "members": members]))
        return desk
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    static func seed(_ resources: [[String: Any]], _ desk: CentralSystemDesk) throws {
        try desk.server.controlRequest("POST", "/seed", json: json(["resources": resources]))
    }

    static func patient(_ id: String) -> [String: Any] {
        ["resourceType": "Patient", "id": id, "name": [["family": "Fictional", "given": ["Colleague", id]]]]
    }

    static func risk(_ id: String, _ who: String, _ date: String, _ grade: String) -> [String: Any] {
        [
            "resourceType": "RiskAssessment", "id": id, "status": "final", "subject": ["reference": "Patient/\(who)"], "occurrenceDateTime": date,
            "prediction": [["qualitativeRisk": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/risk-probability", "code": grade]]]]],
        ]
    }

    static func consent(_ id: String, _ who: String) -> [String: Any] {
        [
            "resourceType": "Consent", "id": id, "status": "active",
            "scope": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"]]],
            "category": [["coding": [["system": "http://loinc.org", "code": "59284-0"]]]],
            "patient": ["reference": "Patient/\(who)"], "policyRule": ["text": "fictional"], "dateTime": "2026-11-19T10:00:00Z",
        ]
    }

    /// Satchel's own shapes, as a colleague's device writes them (RiskAssessmentMapping, ConsentMapping).
    static let satchel = "https://satchel.example"

    static func satchelRisk(_ id: String, _ who: String, _ date: String, _ grade: String, domain: String) -> [String: Any] {
        [
            "resourceType": "RiskAssessment", "id": id, "status": "final", "subject": ["reference": "Patient/\(who)"], "occurrenceDateTime": date,
            "extension": [["url": "\(satchel)/StructureDefinition/current-risk", "valueCoding": ["system": "\(satchel)/CodeSystem/risk-grade", "code": grade]]],
            "code": ["coding": [["system": "\(satchel)/CodeSystem/risk-domain", "code": domain]]],
            "prediction": [["qualitativeRisk": ["coding": [["system": "\(satchel)/CodeSystem/risk-grade", "code": grade]]]]],
        ]
    }

    static func involvement(_ id: String, _ who: String, with person: String, status: String = "active", date: String) -> [String: Any] {
        [
            "resourceType": "Consent", "id": id, "status": status, "dateTime": date,
            "scope": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"]]],
            "category": [["coding": [["system": "http://loinc.org", "code": "59284-0"]]], ["coding": [["system": "\(satchel)/CodeSystem/consent-scope", "code": "involve"]]]],
            "extension": [["url": "\(satchel)/StructureDefinition/consent-method", "valueCode": "verbal"]],
            "patient": ["reference": "Patient/\(who)"], "policy": [["uri": "\(satchel)/Policy/information-sharing"]],
            "provision": ["type": status == "active" ? "permit" : "deny", "actor": [["role": ["text": "Participation"], "reference": ["display": person]]]],
        ]
    }

    static func pull(_ desk: CentralSystemDesk) throws -> [String: Any] {
        let r = try desk.run(["caseload", "pull", "--json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return try #require(list.first)
    }

    /// (type, id) of every reference row in the vault file: clear columns only.
    static func stored(_ desk: CentralSystemDesk) throws -> [String] {
        try VaultFileEditor.strings(
            desk.dir.appendingPathComponent("vault/vault.sqlite").path,
            "SELECT resource_type || '/' || resource_id FROM reference ORDER BY 1")
    }

    @Test("a colleague's risk assessment and consent arrive; the second pull asks only for what changed; drop removes them")
    func pullIncrementalDrop() throws {
        let desk = try Self.desk(people: 2)
        let outbox = try VaultFileEditor.strings(desk.dir.appendingPathComponent("vault/vault.sqlite").path, "SELECT count(*) FROM outbox")
        let first = try Self.pull(desk)
        #expect(first["people"] as? Int == 2 && first["complete"] as? Bool == true && first["incremental"] as? Bool == false, "\(first)")
        #expect(try Self.stored(desk) == [
            "Consent/colleague-p1-c1", "Consent/colleague-p2-c1", "Group/team-north", "Patient/colleague-p1", "Patient/colleague-p2",
            "RiskAssessment/colleague-p1-r1", "RiskAssessment/colleague-p2-r1",
        ])
        // Nothing pulled is ever queued for sending.
        #expect(try VaultFileEditor.strings(desk.dir.appendingPathComponent("vault/vault.sqlite").path, "SELECT count(*) FROM outbox") == outbox)

        try Self.seed([Self.risk("colleague-p2-r2", "colleague-p2", "2026-11-25T10:00:00Z", "moderate")], desk)
        let second = try Self.pull(desk)
        // The caseload itself is read every time; of the rest, only the new assessment.
        #expect(second["incremental"] as? Bool == true && second["stored"] as? Int == 2, "\(second)")
        #expect(try Self.stored(desk).count == 8)
        #expect(try desk.auditActions().filter { $0 == "pull" }.count == 2)

        let drop = try desk.ok(["caseload", "drop"])
        #expect(drop.stdout == "Removed 8 pulled records from this device.\n")
        #expect(try Self.stored(desk).isEmpty)
    }

    @Test("a pull cut by kill -9 and resumed ends with the same records and no duplicates")
    func killedMidPull() throws {
        let people = 12
        let desk = try Self.desk(people: people)
        try desk.server.setFaults(#"{"rules": [{"fault": "delay", "seconds": 0.1, "match": {"method": "GET"}, "count": null}]}"#)
        var killed = 0
        for wait in [2_500_000, 3_500_000, 4_500_000] as [UInt32] {
            let running = try ChildProcess.startSatchel(desk.base + ["caseload", "pull"], fd3: CentralSystemDesk.passphrase)
            usleep(wait)
            running.kill()
            if running.wait().status == 137 { killed += 1 }
        }
        #expect(killed >= 2, "only \(killed) of 3 pulls were killed mid-pull")
        let partial = try Self.stored(desk).count
        #expect(partial < 1 + 3 * people, "the kills came too late to cut the pull")
        let final = try Self.pull(desk)
        #expect(final["complete"] as? Bool == true)
        #expect(final["resumed"] as? Bool == true, "\(final)")
        let rows = try Self.stored(desk)
        #expect(rows.count == 1 + 3 * people && Set(rows).count == rows.count)
    }

    @Test("offline: a clear message naming the destination; what was pulled before stays")
    func offline() throws {
        let desk = try Self.desk(people: 1)
        _ = try Self.pull(desk)
        // The server goes away; its CA file stays where the configuration names it.
        let ca = try Data(contentsOf: URL(fileURLWithPath: desk.server.ca))
        desk.server.stop()
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: desk.server.ca).deletingLastPathComponent(), withIntermediateDirectories: true)
        try ca.write(to: URL(fileURLWithPath: desk.server.ca))
        let r = try desk.run(["caseload", "pull"])
        #expect(r.status != 0)
        #expect(r.stdout.contains("fixture: caseload not pulled: Couldn't reach fixture (offline)."), "\(r.stdout)\(r.stderr)")
        #expect(try Self.stored(desk).count == 4)
    }

    @Test("a colleague's High risk assessment and involvement consent, pulled, set the risk default and pass the present-person check")
    func pulledRecordsAreUsed() throws {
        let desk = try Self.readingDesk(members: ["colleague-testy", "colleague-other"])
        try desk.ok(["user", "update", "testy", "--nhs-number", "943 476 5919"])
        // Testy's Patient on the central system carries their NHS number; the other person is no one on this device.
        var testy = Self.patient("colleague-testy")
        testy["identifier"] = [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"]]
        var other = Self.patient("colleague-other")
        other["identifier"] = [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": "4010232137"]]
        try Self.seed([
            testy, other,
            Self.satchelRisk("colleague-testy-r1", "colleague-testy", "2026-11-20T10:00:00Z", "high", domain: "clinical"),
            Self.involvement("colleague-testy-c1", "colleague-testy", with: "Aunt Testy", date: "2026-11-19T10:00:00Z"),
            Self.involvement("colleague-other-c1", "colleague-other", with: "Uncle Testy", date: "2026-11-19T10:00:00Z"),
        ], desk)
        let call = ["contact", "add", "--user", "testy", "--kind", "phone", "--where", "phone", "--minutes", "5", "--summary", "A fictional call."]
        let visit = ["contact", "add", "--user", "testy", "--kind", "face-to-face", "--where", "home", "--minutes", "30", "--summary", "A fictional visit.", "--risk", "low"]
        // Before the pull: no risk on record to default to, and no consent for Aunt Testy.
        let noRisk = try desk.run(call)
        #expect(noRisk.status != 0 && noRisk.stderr.contains("--risk: required"), "\(noRisk.stderr)")
        let noConsent = try desk.run(visit + ["--present", "Aunt Testy"])
        #expect(noConsent.status != 0 && noConsent.stderr.contains("--present: no involvement consent on record for \"Aunt Testy\""), "\(noConsent.stderr)")

        _ = try Self.pull(desk)
        let saved = try desk.add(call)
        let shown = try desk.ok(["show", saved, "--json"]).stdout
        #expect(shown.contains("\"Current risk\"") && shown.contains("\"High\""), "\(shown)")
        _ = try desk.add(visit + ["--present", "Aunt Testy"])
        // Another person's consent is theirs only.
        let notTheirs = try desk.run(visit + ["--present", "Uncle Testy"])
        #expect(notTheirs.status != 0 && notTheirs.stderr.contains("no involvement consent on record for \"Uncle Testy\""), "\(notTheirs.stderr)")
        let opened = try desk.ok(["open", "testy"]).stdout
        #expect(opened.contains("From the team: caseload pulled just now from fixture: 1 risk assessment, 1 consent."), "\(opened)")
        let history = try desk.ok(["history", "testy"]).stdout
        #expect(history.contains("From the team (read-only): 3 pulled records, newest first"), "\(history)")
        #expect(history.contains("  20/11/2026 10:00  risk assessment: High (clinical) — pulled from fixture, just now"), "\(history)")
        #expect(history.contains("  19/11/2026 10:00  consent: involve Aunt Testy, given — pulled from fixture, just now"), "\(history)")
        #expect(!history.contains("Uncle Testy"), "\(history)")
        #expect(history.contains("(show fixture/RiskAssessment/colleague-testy-r1)"), "\(history)")
        let pulledShown = try desk.ok(["show", "fixture/RiskAssessment/colleague-testy-r1"]).stdout
        #expect(pulledShown.contains("risk assessment: High (clinical) — pulled from the team, read-only"), "\(pulledShown)")
        #expect(pulledShown.contains("fixture/RiskAssessment/colleague-testy-r1, pulled "), "\(pulledShown)")
        // Every pulled record opened to be shown or used is audited as a view, named DEST/TYPE/ID.
        let views = try desk.auditViews()
        for expected in ["fixture/Patient/colleague-testy caseload match", "fixture/RiskAssessment/colleague-testy-r1 pulled risk and consent check",
                         "fixture/Consent/colleague-testy-c1 pulled risk and consent check", "fixture/RiskAssessment/colleague-testy-r1 open",
                         "fixture/Consent/colleague-testy-c1 history", "fixture/RiskAssessment/colleague-testy-r1 show"] {
            #expect(views.contains(expected), "audited: \(expected) in \(views)")
        }
        #expect(!views.contains { $0.contains("colleague-other-c1") }, "another person's pulled consent is never opened for Testy: \(views)")
        let unknown = try desk.run(["show", "fixture/RiskAssessment/nobody"])
        #expect(unknown.status != 0 && unknown.stderr.contains("record: no pulled record \"fixture/RiskAssessment/n…\". A pulled record is named DEST/TYPE/ID, as `history` lists it"), "\(unknown.stderr)")
    }

    @Test("a destination without caseload is not read")
    func notConfigured() throws {
        let desk = try CentralSystemDesk()
        let r = try desk.run(["caseload", "pull"])
        #expect(r.status == 78, "\(r.status)")
        #expect(r.stderr.contains("No destination is configured to allow reading: add caseload = \"Group/ID\""), "\(r.stderr)")
    }
}
