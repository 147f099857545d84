import Foundation
import SatchelTestSupport
import Testing

/// A folder destination (a shared drive, PAVE SOP §8's NICHE) through the real binary:
/// records the sharing policy allows arrive once each, as a readable PDF and its FHIR
/// JSON, across `kill -9` mid-delivery; a folder that is not there keeps them queued.
@Suite("A folder destination, through the binary", .serialized)
struct FolderDestinationTests {
    static let passphrase = "correct horse battery staple\n"

    final class Desk {
        let dir: URL
        var folder: URL { dir.appendingPathComponent("niche") }
        var base: [String] {
            ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
        }

        init() throws {
            dir = try TemporaryVault.makeDirectory()
            try ok(["init", "--name", "Test Mentor", "--role", "police"])
            try ok(["destination", "add", "niche", "--folder", folder.path, "--agency", "police", "--kind", "contact", "--kind", "consent"])
        }

        @discardableResult
        func run(_ args: [String], stdin: String? = nil) throws -> ChildProcess.Result {
            try ChildProcess.runSatchel(base + args, fd3: FolderDestinationTests.passphrase, stdin: stdin)
        }

        @discardableResult
        func ok(_ args: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> ChildProcess.Result {
            let r = try run(args, stdin: stdin)
            guard r.status == 0 else { throw ChildProcess.Failure(message: "\(args.prefix(2).joined(separator: " ")): \(r.status) \(r.stderr)") }
            return r
        }

        /// The files in the folder: final names, and temporary ones (hidden, `.tmp`).
        func files() throws -> (final: [String], temporary: [String]) {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            return (names.filter { !$0.hasPrefix(".") }, names.filter { $0.hasPrefix(".") })
        }

        func bytes(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    /// Every final file whole: each PDF a whole PDF, each JSON a FHIR resource; at most one
    /// PDF and one JSON per record; no other names.
    static func expectWhole(_ desk: Desk, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Set<String>] {
        var byRecord: [String: Set<String>] = [:]
        for name in try desk.files().final {
            let parts = name.split(separator: ".")
            #expect(parts.count == 2 && ["pdf", "json"].contains(parts[1]), "unexpected file \(name)", sourceLocation: sourceLocation)
            let stem = String(parts[0])
            #expect(stem.range(of: #"^\d{4}-\d{2}-\d{2}-[a-z-]+-[0-9a-f-]{36}-v1$"#, options: .regularExpression) != nil, "name \(name)", sourceLocation: sourceLocation)
            let data = try desk.bytes(name)
            if name.hasSuffix(".pdf") {
                #expect(data.starts(with: Array("%PDF-".utf8)), "\(name) is not a PDF", sourceLocation: sourceLocation)
                #expect(String(decoding: data.suffix(16), as: UTF8.self).contains("%%EOF"), "\(name) is cut short", sourceLocation: sourceLocation)
            } else {
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                #expect(json?["resourceType"] is String, "\(name) is not a FHIR resource", sourceLocation: sourceLocation)
            }
            let inserted = byRecord[String(stem), default: []].insert(String(parts.last ?? "")).inserted
            #expect(inserted, "two files for \(name)", sourceLocation: sourceLocation)
        }
        return byRecord
    }

    @Test("each shared record arrives once as a PDF and its JSON, across kill -9 mid-delivery; a missing folder keeps them queued")
    func killedMidDelivery() throws {
        let desk = try Desk()
        var lines: [String] = []
        for (alias, name) in [("testy", "Testy McTestface"), ("fict", "Fictional Person"), ("held", "Heldback Testperson")] {
            lines.append("user add --name \"\(name)\" --alias \(alias)")
            if alias != "held" {
                lines.append("consent add --user \(alias) --scope share --with police --decision given --risk low")
            }
            for n in 1...5 {
                lines.append("contact add --user \(alias) --kind phone --where phone --minutes \(n) --summary \"\(alias) call \(n) about the allotment.\" --risk low")
            }
        }
        try desk.ok(["--bail"], stdin: lines.joined(separator: "\n") + "\n")
        let shared = 2 * 7  // per person with consent: Patient, Consent, 5 Encounters

        // Not mounted: reported like an unreachable server; everything stays queued.
        let unmounted = try desk.run(["sync"])
        #expect(unmounted.status == 69, "\(unmounted.stdout)\(unmounted.stderr)")
        #expect(unmounted.stdout.hasPrefix("niche (folder \(desk.folder.path)): 0 delivered, 0 rejected, \(shared) still queued, 6 held by the sharing policy"))
        #expect(unmounted.stdout.contains("still queued: couldn't reach niche (offline): the folder \(desk.folder.path) is not there (is the shared drive mounted?)"))
        #expect(try desk.ok(["queue"]).stdout.hasPrefix("niche (folder \(desk.folder.path)): \(shared) pending, 0 in flight, 0 rejected, 6 held"))

        let untested = try desk.run(["destination", "test", "niche"])
        #expect(untested.status == 69)
        #expect(untested.stderr.contains("niche: the folder \(desk.folder.path) is not there (is the shared drive mounted?)"))

        try FileManager.default.createDirectory(at: desk.folder, withIntermediateDirectories: false)
        #expect(try desk.ok(["destination", "list"]).stdout == "niche: folder \(desk.folder.path)\n  receives: consent, contact, service-user\n  consent names: police\n")
        let tested = try desk.ok(["destination", "test", "niche"])
        #expect(tested.stdout.hasPrefix("niche: folder \(desk.folder.path)\n  writes:"))
        #expect(try desk.files().final.isEmpty, "destination test writes nothing")
        // kill -9 as soon as a sync has put a new file in place: mid-delivery.
        var killedMidway = 0
        for _ in 0..<3 {
            let before = try desk.files().final.count
            guard before < 2 * shared else { break }
            let running = try ChildProcess.startSatchel(desk.base + ["sync"], fd3: Self.passphrase)
            let deadline = Date().addingTimeInterval(60)
            while try desk.files().final.count == before, Date() < deadline { usleep(500) }
            running.kill()
            let status = running.wait().status
            let after = try desk.files().final.count
            if status == 137, after < 2 * shared { killedMidway += 1 }
            _ = try Self.expectWhole(desk)
        }
        #expect(killedMidway >= 1, "no sync was killed mid-delivery")

        let final = try desk.run(["sync"])
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        let byRecord = try Self.expectWhole(desk)
        #expect(byRecord.count == shared)
        #expect(byRecord.values.allSatisfy { $0 == ["pdf", "json"] })
        let leftovers = try desk.files().temporary
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")

        let status = try #require(try JSONSerialization.jsonObject(with: Data(desk.ok(["status", "--json"]).stdout.utf8)) as? [String: Any])
        let outbox = try #require(status["outbox"] as? [String: [String: Int]])
        #expect(outbox["niche"] == ["pending": 0, "in-flight": 0, "delivered": shared, "rejected": 0, "held": 6])
        #expect(try desk.ok(["status"]).stdout.contains("  niche (folder \(desk.folder.path)): 0 pending, 0 in-flight, \(shared) delivered"))

        // The PDFs hold the records' content (the held person's is not there); the JSON is
        // the FHIR resource, its Patient by identifier.
        try #require(FileManager.default.isExecutableFile(atPath: ExternalTool.pdftotext),
                     "pdftotext missing at \(ExternalTool.pdftotext): run scripts/bootstrap (it installs poppler-utils)")
        var text = ""
        for stem in byRecord.keys {
            let (code, out) = try ExternalTool.run(ExternalTool.pdftotext, [desk.folder.appendingPathComponent(stem + ".pdf").path, "-"])
            #expect(code == 0, "pdftotext: \(out)")
            text += out.split(whereSeparator: \.isWhitespace).joined(separator: " ") + "\n"
        }
        for alias in ["testy", "fict"] {
            for n in 1...5 { #expect(text.contains("Summary: \(alias) call \(n) about the allotment."), "no PDF holds \(alias) call \(n)") }
        }
        #expect(text.contains("Contact: Testy McTestface"))
        #expect(!text.contains("held call"), "a held record reached the folder")
        let encounters = try byRecord.keys.filter { $0.contains("-contact-") }.map { stem in
            try #require(try JSONSerialization.jsonObject(with: desk.bytes(stem + ".json")) as? [String: Any])
        }
        #expect(encounters.count == 10)
        #expect(encounters.allSatisfy { $0["resourceType"] as? String == "Encounter" })
        #expect(encounters.allSatisfy { ($0["subject"] as? [String: Any])?["reference"] == nil && ($0["subject"] as? [String: Any])?["identifier"] != nil })

        // A second sync writes nothing more.
        #expect(try desk.ok(["sync"]).stdout.hasPrefix("niche (folder \(desk.folder.path)): 0 delivered"))
        #expect(try desk.files().final.count == 2 * shared)
    }

    @Test("destination add takes --url or --folder, one of them; a folder must be an absolute path", arguments: [
        (["--folder", "/mnt/niche/satchel", "--url", "https://x.invalid"], 64,
         "Give --url (a FHIR server) or --folder (a folder, for a system without an API): one of them."),
        ([], 64, "Give --url (a FHIR server) or --folder (a folder, for a system without an API): one of them."),
        (["--folder", "niche"], 78,
         "destination.niche.folder: must be an absolute path to a folder (starting with /, not / itself), e.g. /mnt/niche/satchel."),
        (["--folder", "/mnt/niche/satchel", "--auth", "bearer"], 78,
         "destination.niche.auth: not used by a folder destination (folder = …). Allowed with folder: agency, folder, kinds."),
    ])
    func addMistakes(arguments: [String], status: Int32, message: String) throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
        let made = try ChildProcess.runSatchel(base + ["init", "--name", "Test Mentor", "--role", "police"], fd3: Self.passphrase)
        #expect(made.status == 0, "\(made.stderr)")
        let r = try ChildProcess.runSatchel(base + ["destination", "add", "niche"] + arguments, fd3: Self.passphrase)
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("config.toml").path), "nothing was written")
    }
}
