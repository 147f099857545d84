import Foundation
import SatchelTestSupport
import Testing

/// SIM guide §54 through the real binary: "service users should have access to the records
/// made by their mentoring team … ideally in paper form or a summary can be sent by email
/// (with personal data that would identify the service user removed)".
@Suite("export: giving the person their records, through the binary")
struct ExportTests {
    static let passphrase = "correct horse battery staple\n"

    /// What identifies the (fictional) person, in every form it could be printed.
    static let identifying = [
        "Testy", "McTestface", "testy-m", "9434765919", "943 476 5919", "1 Fictional Street", "Testtown", "TE1 1ST",
        "23/11/1980", "1980-11-23", "PR-TEST-0001",
    ]

    /// A vault holding one person with a record of several kinds, and a runner for it.
    struct Fixture {
        let dir: URL
        var home: String { dir.appendingPathComponent("vault").path }

        init() throws {
            dir = try TemporaryVault.makeDirectory()
            try run(["init", "--name", "Test Mentor", "--role", "clinician"])
            try run(["user", "add", "--name", "Testy McTestface", "--alias", "testy-m", "--dob", "1980-11-23",
                     "--nhs-number", "943 476 5919", "--address", "1 Fictional Street, Testtown, TE1 1ST",
                     "--police-ref", "PR-TEST-0001", "--lead-clinician", "Dr Fictional Leadperson", "--cpa", "yes"])
            try run(["permission", "add", "--user", "testy-m", "--lead-clinician", "Dr Fictional Leadperson", "--given-on", "today"])
            try run(["consent", "add", "--user", "testy-m", "--scope", "engagement", "--with", "Example Mentoring Service",
                     "--decision", "given", "--risk", "low"])
            try run(["contact", "add", "--user", "testy-m", "--kind", "face-to-face", "--where", "Example Cafe", "--minutes", "40",
                     "--summary", "Testy McTestface talked about the allotment; Testy lives at 1 Fictional Street.", "--risk", "low"])
            try run(["risk", "add", "--user", "testy-m", "--progress", "Kept every appointment.", "--mental-state", "Calm and settled.",
                     "--risk", "Low mood at weekends.", "--plan", "Weekly walk to the allotment.", "--likelihood", "3", "--impact", "4",
                     "--domain", "clinical"])
            var top = ["top", "add", "--user", "testy-m", "--stage", "start", "--interview-date", "today", "--risk", "medium",
                       "--alcohol-amount", "4.5", "--psych-health", "12", "--physical-health", "14", "--quality-of-life", "9"]
            for prefix in ["alcohol", "opiates", "crack", "cocaine", "amphetamines", "cannabis", "other", "tobacco", "injecting",
                           "shoplifting", "drug-selling", "paid-work", "college"] {
                for week in 1...4 { top += ["--\(prefix)-week-\(week)", prefix == "alcohol" ? "2" : "0"] }
            }
            for item in ["vehicle-theft", "property-theft", "fraud", "assault", "acute-housing", "eviction-risk"] { top += ["--\(item)", "no"] }
            try run(top)
            try run(["contact", "add", "--user", "testy-m", "--kind", "phone", "--where", "phone", "--minutes", "5",
                     "--summary", "Draft call, never finalised.", "--risk", "low", "--draft"])
        }

        @discardableResult
        func run(_ arguments: [String], expecting status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> ChildProcess.Result {
            let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: ExportTests.passphrase)
            #expect(r.status == status, "\(arguments.prefix(2).joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
            return r
        }

        func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

        func text(ofPDF path: String) throws -> String {
            try #require(FileManager.default.isExecutableFile(atPath: ExternalTool.pdftotext),
                         "pdftotext missing at \(ExternalTool.pdftotext): run scripts/bootstrap (it installs poppler-utils)")
            let (status, output) = try ExternalTool.run(ExternalTool.pdftotext, ["-layout", path, "-"])
            #expect(status == 0, "pdftotext: \(output)")
            return output
        }
    }

    @Test("the PDF holds every final record's content, is 0600, and is never written over without --force")
    func pdf() throws {
        let f = try Fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let out = f.file("records.pdf")
        let r = try f.run(["export", "testy-m", "--out", out])
        #expect(r.stdout.contains("Wrote 6 records to \(out) (pdf, mode 0600)."))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let mode = try #require(FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int)
        #expect(mode == 0o600)

        let text = try f.text(ofPDF: out).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in [
            "Mentoring records: Testy McTestface", "NHS number: 943 476 5919", "Date of birth: 23/11/1980",
            "Address: 1 Fictional Street, Testtown, TE1 1ST", "Police reference: PR-TEST-0001",
            "Permission to mentor", "Lead clinician: Dr Fictional Leadperson",
            "Consent", "Scope: engagement", "With: Example Mentoring Service", "Decision: given",
            "Where: Example Cafe", "Minutes: 40", "talked about the allotment",
            "Risk assessment", "Mental state: Calm and settled.", "Plan: Weekly walk to the allotment.",
            "Likelihood × impact: 3 × 4 = 12", "Grade: medium",
            "Treatment Outcomes Profile (TOP)", "Alcohol: days used in week 4: 2", "4.5 UK units/day",
            "Psychological health", "12 of 20",
        ] {
            #expect(text.localizedCaseInsensitiveContains(expected), "PDF text lacks \(expected)")
        }
        #expect(!text.contains("Draft call"), "a draft was exported")

        let again = try f.run(["export", "testy-m", "--out", out], expecting: 65)
        #expect(again.stderr.contains("--out: a file is already there. Give --force to replace it"))
        try f.run(["export", "testy-m", "--out", out, "--force"])
    }

    @Test("with --redact, the PDF, the text and the Bundle carry no name, NHS number, address, date of birth or police reference")
    func redacted() throws {
        let f = try Fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let pdf = f.file("summary.pdf"), txt = f.file("summary.txt"), json = f.file("summary.json")
        #expect(try f.run(["export", "testy-m", "--out", pdf, "--redact"]).stdout.contains("identifying details removed"))
        try f.run(["export", "testy-m", "--out", txt, "--redact"])
        try f.run(["export", "testy-m", "--out", json, "--redact"])
        let outputs = [
            ("pdf", try f.text(ofPDF: pdf)),
            ("txt", try String(contentsOfFile: txt, encoding: .utf8)),
            ("json", try String(contentsOfFile: json, encoding: .utf8)),
        ]
        for (format, text) in outputs {
            let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for value in Self.identifying {
                #expect(!flat.localizedCaseInsensitiveContains(value), "\(format) still holds \(value)")
            }
            #expect(flat.contains("allotment"), "\(format) lost the record's content")
        }
        #expect(outputs[1].1.contains("Summary: [removed] talked about the allotment; [removed] lives at [removed]."))
        try Self.expectValidBundle(json)
    }

    @Test("the .json export is a FHIR R4 collection Bundle of the same records that passes the strict validator")
    func bundle() throws {
        let f = try Fixture()
        defer { try? FileManager.default.removeItem(at: f.dir) }
        let json = f.file("records.json")
        try f.run(["export", "testy-m", "--out", json])
        let bundle = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(bundle["type"] as? String == "collection")
        let types = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
        #expect(types == ["Patient", "Observation", "Consent", "Encounter", "RiskAssessment", "QuestionnaireResponse"])
        try Self.expectValidBundle(json)
    }

    @Test("a file name whose extension Satchel does not write is refused, naming --out", arguments: [
        ("records.doc", "--out: the extension .doc is not one Satchel writes. Allowed: .pdf, .json, .txt"),
        ("records", "--out: the file name has no extension. Allowed: .pdf, .json, .txt"),
    ])
    func badExtension(name: String, message: String) throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        _ = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "init", "--name", "Test Mentor", "--role", "clinician"], fd3: Self.passphrase)
        let out = dir.appendingPathComponent(name).path
        let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "export", "--out", out], fd3: Self.passphrase)
        #expect(r.status == 65)
        #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines) == message)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    static func expectValidBundle(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(FileManager.default.isExecutableFile(atPath: ExternalTool.python),
                     "validator venv missing at \(ExternalTool.python): run sync-fixtures/setup-venv.sh", sourceLocation: sourceLocation)
        let (status, output) = try ExternalTool.run(ExternalTool.python, [ExternalTool.validator, path])
        #expect(status == 0 && output.hasPrefix("valid"), "validator rejected the export: \(output)", sourceLocation: sourceLocation)
    }
}
