import Foundation
import SatchelTestSupport
import Testing

/// A case from referral to discharge through the real binary against the stand-in
/// central system (PAVE SOP §7-10, SIM guide §26): one response plan on the server in
/// its second version, one episode in its final status, the letters as documents; the
/// plan and the letters as PDFs whose text holds every item.
@Suite("A case walked from referral to discharge, through the binary", .serialized)
struct CaseWalkTests {
    static func pdfText(_ path: String) throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: ExternalTool.pdftotext),
                     "pdftotext missing at \(ExternalTool.pdftotext): run scripts/bootstrap (it installs poppler-utils)")
        let (status, output) = try ExternalTool.run(ExternalTool.pdftotext, [path, "-"])
        #expect(status == 0, "pdftotext: \(output)")
        // pdftotext breaks lines where the PDF wraps them: compare words, not lines.
        return output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The first 8-character id after `label` in a command's output.
    static func id(after label: String, in text: String) throws -> String {
        let range = try #require(text.range(of: label + #" ([0-9a-f]{8})"#, options: .regularExpression), "no \(label) id in: \(text)")
        return String(text[range].suffix(8))
    }

    @Test("referral → outcome → capacity → boundary → plan → plan update → review → discharge: one CarePlan (version 2), a finished episode and three documents on the server")
    func walkACase() throws {
        let desk = try CentralSystemDesk(role: "clinician", destination: "fixture")
        try desk.ok(["user", "update", "testy", "--address", "1 Example Row, Testtown", "--dob", "01/02/1990", "--nhs-number", "943 476 5919"])
        try desk.ok(["permission", "add", "--user", "testy", "--lead-clinician", "Dr Fictional Leadperson", "--given-on", "today"])
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "medium"])
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "involve", "--with", "Aunt Testy", "--decision", "given", "--risk", "medium"])

        let early = try desk.run(["outcome", "add", "--user", "testy", "--decision", "accepted", "--tier", "1", "--rationale", "r"])
        #expect(early.status != 0 && early.stderr.contains("no case"), "an outcome needs a referral: \(early.stderr)")

        try desk.ok(["referral", "add", "--user", "testy", "--referrer", "PC Example (Neighbourhood Team North)", "--received-on", "today",
                     "--demand", "Calls the control room most nights.", "--tried", "Street triage twice; a GP appointment."])
        let open = try desk.ok(["open", "testy"])
        #expect(open.stdout.contains("Case: referred"), "\(open.stdout)")
        let outcome = try desk.ok(["outcome", "add", "--user", "testy", "--decision", "accepted", "--tier", "1",
                                   "--rationale", "Frequent contact with three services; the MDT agreed tier one."])
        #expect(outcome.stdout.contains("Wrote the outcome-letter"), "\(outcome.stdout)")

        try desk.ok(["capacity", "add", "--user", "testy", "--communicate", "yes", "--communicate-note", "Talked it through.",
                     "--understand", "yes", "--understand-note", "Said it back.", "--retain", "yes", "--retain-note", "Remembered next day.",
                     "--employ", "yes", "--employ-note", "Chose a plan.", "--judgement", "sufficient", "--risk", "medium"])
        try desk.ok(["boundary", "add", "--user", "testy", "--behaviour", "Shouting at the station front desk",
                     "--boundary", "No shouting at the front desk", "--consequence", "Officers will ask them to leave",
                     "--legal-explained", "yes", "--response", "Agreed.", "--risk", "medium"])

        let items = ["--diagnosis", "Emotionally unstable personality disorder", "--diagnosis-explained", "Feelings can become very strong very fast.",
                     "--crisis-behaviours", "Calls 999 repeatedly", "--crisis-locations", "Testtown bridge", "--places-of-safety", "The crisis cafe on Example Street",
                     "--co-produced", "yes", "--risk", "medium"]
        let refused = try desk.run(["plan", "add", "--user", "testy", "--nominated", "Aunt Testy; Cousin Nobody"] + items)
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("--nominated: no involvement consent on record for \"Cousin Nobody\""), "\(refused.stderr)")
        let plan = try desk.add(["plan", "add", "--user", "testy", "--nominated", "Aunt Testy"] + items)
        let shown = try desk.ok(["show", plan]).stdout
        #expect(shown.contains("Testy McTestface, 1 Example Row, Testtown"), "name and address offered: \(shown)")
        #expect(shown.contains("sufficient (communicate, understand, retain, employ)"), "capacity offered: \(shown)")
        #expect(shown.contains("No shouting at the front desk (if breached: Officers will ask them to leave)"), "boundaries offered: \(shown)")
        #expect(shown.contains("Test Mentor"), "mentors offered: \(shown)")
        let twice = try desk.run(["plan", "add", "--user", "testy"] + items)
        #expect(twice.status != 0 && twice.stderr.contains("plan update"), "one plan per person: \(twice.stderr)")

        let update = try desk.add(["plan", "update", "testy", "--places-of-safety", "The crisis cafe on Example Street; the Sanctuary"])
        let updated = try desk.ok(["show", update]).stdout
        #expect(updated.contains("the Sanctuary") && updated.contains("amends \(plan)"), "\(updated)")

        try desk.ok(["review", "add", "--user", "testy", "--engagement", "engaged", "--decision", "discharge",
                     "--note", "Fewer calls; agreed to move on to the GP's care.", "--risk", "low"])
        let discharge = try desk.ok(["discharge", "add", "--user", "testy", "--gp", "Dr Example (Testtown Surgery)",
                                     "--overview", "Eight weeks of joint visits.", "--management-plan", "GP review monthly.",
                                     "--contacts", "Crisis line 0800 000 0000", "--contingency", "Call the crisis line first.",
                                     "--services-told", "Neighbourhood Team North, Turning Point"])
        let gpLetter = try Self.id(after: "Wrote the gp-letter", in: discharge.stdout)
        let sheet = try Self.id(after: "Wrote the contacts-and-contingency", in: discharge.stdout)
        #expect(try desk.ok(["status"]).stdout.contains("discharged since"))

        let synced = try desk.ok(["sync"])
        #expect(synced.stdout.contains(" 0 rejected"), "every resource passes the stand-in's strict R4 validator: \(synced.stdout)")
        let queue = try desk.ok(["queue"]).stdout
        #expect(synced.stdout.contains("1 held"), "only the involvement consent stays (it is not shared): \(queue)")
        let plans = try desk.stored("CarePlan")
        #expect(plans.count == 1, "one active plan per person")
        #expect((plans.first?["meta"] as? [String: Any])?["versionId"] as? String == "2", "the update is version 2 of the same CarePlan")
        #expect(plans.first?["status"] as? String == "active")
        let notes = ((plans.first?["note"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }.joined(separator: "\n")
        #expect(notes.contains("the Sanctuary"))
        let episodes = try desk.stored("EpisodeOfCare")
        #expect(episodes.count == 1, "one episode for the case")
        #expect(episodes.first?["status"] as? String == "finished")
        let history = ((episodes.first?["statusHistory"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String }
        #expect(history == ["waitlist", "active", "active", "finished"], "\(history)")
        #expect(((episodes.first?["meta"] as? [String: Any])?["versionId"] as? String) == "4", "referral, outcome, review, discharge: four versions")
        let documents = try desk.stored("DocumentReference")
        #expect(documents.count == 3, "the outcome letter, the GP letter and the contacts sheet")

        let dir = desk.dir.path
        try desk.ok(["plan", "print", "testy", "--out", "\(dir)/plan.pdf"])
        let planText = try Self.pdfText("\(dir)/plan.pdf")
        for item in ["Testy McTestface", "1 Example Row", "Emotionally unstable personality disorder", "Feelings can become very strong",
                     "sufficient", "Calls 999 repeatedly", "Testtown bridge", "No shouting at the front desk", "the Sanctuary",
                     "Aunt Testy", "Test Mentor"] {
            #expect(planText.contains(item), "plan print holds \(item)")
        }
        try desk.ok(["plan", "print", "testy", "--out", "\(dir)/plan-redacted.pdf", "--redact"])
        let redacted = try Self.pdfText("\(dir)/plan-redacted.pdf")
        for identifying in ["Testy", "McTestface", "Example Row", "Testtown,", "01/02/1990", "943 476 5919", "9434765919"] {
            #expect(!redacted.contains(identifying), "the redacted plan leaves out \(identifying)")
        }
        #expect(redacted.contains("Calls 999 repeatedly"))

        try desk.ok(["letter", "print", gpLetter, "--out", "\(dir)/gp.pdf"])
        let letter = try Self.pdfText("\(dir)/gp.pdf")
        for item in ["Dr Example (Testtown Surgery)", "Testy McTestface", "Eight weeks of joint visits.", "GP review monthly.",
                     "Neighbourhood Team North, Turning Point"] {
            #expect(letter.contains(item), "the GP letter holds \(item)")
        }
        try desk.ok(["letter", "print", sheet, "--out", "\(dir)/sheet.pdf"])
        let contacts = try Self.pdfText("\(dir)/sheet.pdf")
        #expect(contacts.contains("Crisis line 0800 000 0000") && contacts.contains("Call the crisis line first."))
    }

    @Test("a corrected outcome writes its letter as a new version: one outcome letter on the server, in its second version")
    func correctedOutcomeLetter() throws {
        let desk = try CentralSystemDesk(role: "clinician", destination: "fixture")
        try desk.ok(["consent", "add", "--user", "testy", "--scope", "share", "--with", "fixture", "--decision", "given", "--risk", "medium"])
        try desk.ok(["referral", "add", "--user", "testy", "--referrer", "PC Example (Neighbourhood Team North)", "--received-on", "today",
                     "--demand", "Calls the control room most nights.", "--tried", "Street triage twice."])
        let outcome = try desk.ok(["outcome", "add", "--user", "testy", "--decision", "accepted", "--tier", "2",
                                   "--rationale", "The MDT agreed tier two."])
        let first = try Self.id(after: "Wrote the outcome-letter", in: outcome.stdout)
        let step = try Self.id(after: "Saved and finalised outcome", in: outcome.stdout)
        let corrected = try desk.ok(["amend", step, "--set", "rationale=The MDT agreed tier two; the referrer is told why not tier one."])
        let second = try Self.id(after: "Wrote the outcome-letter", in: corrected.stdout)
        #expect(corrected.stdout.contains("a new version of \(first)"), "\(corrected.stdout)")
        #expect(try desk.ok(["show", second]).stdout.contains("amends \(first)"), "the new letter names the one it replaces")
        let again = try desk.run(["letter", "write", try Self.id(after: "Saved and finalised outcome", in: corrected.stdout)])
        #expect(again.status == 75 && again.stderr.contains("already written"), "the corrected outcome has its letter: \(again.stderr)")

        let synced = try desk.ok(["sync"])
        #expect(synced.stdout.contains(" 0 rejected"), "\(synced.stdout)")
        let documents = try desk.stored("DocumentReference")
        #expect(documents.count == 1, "one outcome letter, not two")
        #expect((documents.first?["meta"] as? [String: Any])?["versionId"] as? String == "2", "the corrected letter is version 2 of the same document")
        #expect(documents.first?["status"] as? String == "current")
    }
}
