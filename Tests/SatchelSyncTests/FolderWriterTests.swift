import Foundation
import SatchelCore
import SatchelStore
import SatchelTestSupport
import Testing
@testable import SatchelSync

/// A folder destination's files: whole or not at all, never twice.
@Suite("Folder destinations: the writer")
struct FolderWriterTests {
    static let json = Array(#"{"identifier":[{"system":"https://satchel.example/Id/record","value":"abc"}],"resourceType":"Encounter"}"#.utf8)
    static let expected = FolderWriter.Expected.json(
        bytes: json, resourceType: "Encounter", identifierSystem: FHIRMapper.identifierSystem, identifierValue: "abc")

    final class Folder {
        let url: URL
        var path: String { url.path }
        init() throws { url = try TemporaryVault.makeDirectory() }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url.appendingPathComponent(name))) }
        func write(_ text: String, _ name: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    @Test("a file is put in place whole, mode 0640, with no temporary file left beside it")
    func writes() throws {
        let f = try Folder()
        var w = try FolderWriter(path: f.path)
        #expect(try w.put(Self.json, named: "a.json", expected: Self.expected) == .written)
        #expect(try f.names() == ["a.json"])
        #expect(try f.bytes("a.json") == Self.json)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: f.path + "/a.json")[.posixPermissions] as? Int)
        #expect(mode == 0o640)
    }

    @Test("a final file already there (killed after the rename, before the receipt) counts as delivered: no second copy")
    func alreadyThere() throws {
        let f = try Folder()
        var first = try FolderWriter(path: f.path)
        _ = try first.put(Self.json, named: "a.json", expected: Self.expected)
        _ = try first.put(Array("%PDF-1.5 first".utf8), named: "a.pdf", expected: .pdf)
        var retry = try FolderWriter(path: f.path)
        #expect(try retry.put(Self.json, named: "a.json", expected: Self.expected) == .alreadyThere)
        #expect(try retry.put(Array("%PDF-1.5 second".utf8), named: "a.pdf", expected: .pdf) == .alreadyThere)
        #expect(try f.names() == ["a.json", "a.pdf"])
        #expect(try f.bytes("a.pdf") == Array("%PDF-1.5 first".utf8), "the file in place is kept, not written over")
        // The same resource with other bytes (the worker's name changed since) is still this record's.
        try f.write(#"{"identifier":[{"system":"https://satchel.example/Id/record","value":"abc"}],"resourceType":"Encounter","x":1}"#, "b.json")
        #expect(try retry.put(Self.json, named: "b.json", expected: Self.expected) == .alreadyThere)
    }

    @Test("a file at the final name that is not this record's is never overwritten, and stops the run", arguments: [
        #"{"identifier":[{"system":"https://satchel.example/Id/record","value":"other"}],"resourceType":"Encounter"}"#,
        #"{"identifier":[{"system":"https://satchel.example/Id/record","value":"abc"}],"resourceType":"Patient"}"#,
        "half a fil",
    ])
    func foreignFile(content: String) throws {
        let f = try Folder()
        try f.write(content, "a.json")
        var w = try FolderWriter(path: f.path)
        let error = try #require(throws: SyncError.self) { try w.put(Self.json, named: "a.json", expected: Self.expected) }
        #expect(error.message == "the folder already holds a file named a.json that is not this record's; nothing was overwritten. Move that file away (ask whoever manages the shared drive), then sync again")
        #expect(try f.bytes("a.json") == Array(content.utf8))
        try f.write("not a pdf", "a.pdf")
        #expect(throws: SyncError.self) { try w.put(Array("%PDF-1.5".utf8), named: "a.pdf", expected: .pdf) }
    }

    @Test("a symbolic link at the final name is not followed and not counted")
    func symlink() throws {
        let f = try Folder()
        try f.write(String(decoding: Self.json, as: UTF8.self), "elsewhere.json")
        try FileManager.default.createSymbolicLink(atPath: f.path + "/a.json", withDestinationPath: f.path + "/elsewhere.json")
        var w = try FolderWriter(path: f.path)
        #expect(throws: SyncError.self) { try w.put(Self.json, named: "a.json", expected: Self.expected) }
    }

    @Test("atomic: until the rename, the final name holds nothing and the temporary file beside it holds every byte, 0640")
    func atomic() throws {
        let f = try Folder()
        var w = try FolderWriter(path: f.path)
        var seen: (temporary: String, final: Bool, bytes: [UInt8], mode: Int?)?
        w.beforeRename = { temporary in
            seen = (URL(fileURLWithPath: temporary).lastPathComponent, FileManager.default.fileExists(atPath: f.path + "/a.json"),
                    (try? Data(contentsOf: URL(fileURLWithPath: temporary))).map { Array($0) } ?? [],
                    (try? FileManager.default.attributesOfItem(atPath: temporary))?[.posixPermissions] as? Int)
        }
        _ = try w.put(Self.json, named: "a.json", expected: Self.expected)
        let s = try #require(seen)
        #expect(s.temporary.hasPrefix(".a.json.") && s.temporary.hasSuffix(".tmp"))
        #expect(!s.final, "the final name was there before the rename")
        #expect(s.bytes == Self.json)
        #expect(s.mode == 0o640)
    }

    @Test("killed before the rename: nothing final is there, and the next run writes the file whole and clears the leftover")
    func killedBeforeRename() throws {
        let f = try Folder()
        var killed = try FolderWriter(path: f.path)
        killed.beforeRename = { (_: String) throws(SyncError) in throw SyncError(.other, "killed") }
        #expect(throws: SyncError.self) { try killed.put(Self.json, named: "a.json", expected: Self.expected) }
        let left = try f.names()
        #expect(left.count == 1 && left.allSatisfy { $0.hasPrefix(".a.json.") && $0.hasSuffix(".tmp") }, "left: \(left)")
        var next = try FolderWriter(path: f.path)
        #expect(try next.put(Self.json, named: "a.json", expected: Self.expected) == .written)
        #expect(try f.names() == ["a.json"])
        #expect(try f.bytes("a.json") == Self.json)
    }

    @Test("temporary files left by a killed run never count as delivered, and go when their record is written")
    func leftovers() throws {
        let f = try Folder()
        try f.write(String(decoding: Self.json.prefix(20), as: UTF8.self), ".a.json.1234.tmp")
        try f.write("%PDF-1.5 half", ".a.pdf.99.tmp")
        try f.write("someone else's", ".other.json.5.tmp")
        var w = try FolderWriter(path: f.path)
        #expect(try w.put(Self.json, named: "a.json", expected: Self.expected) == .written)
        #expect(try w.put(Array("%PDF-1.5 whole".utf8), named: "a.pdf", expected: .pdf) == .written)
        #expect(try f.names() == [".other.json.5.tmp", "a.json", "a.pdf"])
        #expect(try f.bytes("a.json") == Self.json)
    }

    @Test("a folder that is not there is reported like a server that cannot be reached")
    func missingFolder() throws {
        let f = try Folder()
        let error = try #require(throws: SyncError.self) { try FolderWriter(path: f.path + "/not-mounted") }
        #expect(error.code == .offline)
        #expect(error.message == "the folder \(f.path)/not-mounted is not there (is the shared drive mounted?)")
        try f.write("x", "file")
        let notFolder = try #require(throws: SyncError.self) { try FolderWriter(path: f.path + "/file") }
        #expect(notFolder.code == .offline)
    }
}

@Suite("Folder destinations: the engine")
struct FolderEngineTests {
    final class Setup {
        let t: TemporaryVault
        let folder: URL
        let destination: Destination
        var rendered: [UUID] = []

        init() throws {
            t = try TemporaryVault(clock: { SampleRecords.now })
            folder = t.directory.appendingPathComponent("niche")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            destination = Destination(name: "police", endpoint: .folder(path: folder.path),
                                      rule: SharingRule(destination: "police", kinds: Set(RecordKind.allCases), agencyNames: []))
            try t.vault.addDestination("police")
        }

        func run() -> DeliverySummary {
            PushEngine(vault: t.vault, destination: destination, readable: { [unowned self] record in
                self.rendered.append(record.id)
                return Array("%PDF-1.5 \(record.kind.rawValue)".utf8)
            }).run()
        }

        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
        deinit { t.remove() }
    }

    @Test("each record becomes a PDF and its FHIR JSON; the JSON file's name is the receipt; references are by identifier")
    func pairs() throws {
        let s = try Setup()
        let user = try SampleRecords.serviceUser(s.t.vault)
        let contact = try SampleRecords.contact(s.t.vault, about: user)
        let report = s.run()
        #expect(report.delivered == 2)
        #expect(report.stillQueued == 0)
        let u = user.uuidString.lowercased(), c = contact.uuidString.lowercased()
        let day = "2026-11-23"
        #expect(try s.names() == ["\(day)-contact-\(c)-v1.json", "\(day)-contact-\(c)-v1.pdf", "\(day)-service-user-\(u)-v1.json", "\(day)-service-user-\(u)-v1.pdf"])
        let receipts = try s.t.vault.receipts(destination: "police")
        #expect(receipts[contact] == "\(day)-contact-\(c)-v1.json")
        let encounter = try #require(JSONValue.parse(Array(try Data(contentsOf: s.folder.appendingPathComponent("\(day)-contact-\(c)-v1.json")))))
        #expect(encounter["resourceType"]?.stringValue == "Encounter")
        #expect(encounter["subject"]?["reference"] == nil, "no Patient/<id> to resolve in a folder")
        #expect(encounter["subject"]?["identifier"]?["value"]?.stringValue == u)
        // Nothing is written twice: a second run finds nothing to do.
        #expect(s.run().delivered == 0)
        #expect(try s.names().count == 4)
    }

    @Test("an amended record is a new pair of files naming its version; the old pair stays as it was")
    func amendment() throws {
        let s = try Setup()
        let user = try SampleRecords.serviceUser(s.t.vault)
        let contact = try SampleRecords.contact(s.t.vault, about: user)
        _ = s.run()
        let before = try s.names()
        let old = try Data(contentsOf: s.folder.appendingPathComponent(before[0]))
        let c = try Contact(kind: .phone, at: SampleRecords.now, place: "phone", minutes: 5, present: [], summary: "Corrected.", currentRisk: .low, now: SampleRecords.now)
        let draft = RecordDraft(kind: .contact, subjectID: user, body: try SampleRecords.encode(c), amendsID: contact)
        try s.t.vault.saveFinal(draft, routes: .queueEverywhere)
        #expect(s.run().delivered == 1)
        let after = try s.names()
        #expect(Set(before).isSubset(of: after))
        #expect(after.filter { $0.hasSuffix("-v2.json") || $0.hasSuffix("-v2.pdf") }.count == 2)
        #expect(after.contains("2026-11-23-contact-\(draft.id.uuidString.lowercased())-v2.json"))
        #expect(try Data(contentsOf: s.folder.appendingPathComponent(before[0])) == old)
    }

    @Test("a folder that is not there leaves every record queued, with the reason; it goes once the folder is back")
    func unmounted() throws {
        let s = try Setup()
        let user = try SampleRecords.serviceUser(s.t.vault)
        _ = try SampleRecords.contact(s.t.vault, about: user)
        try FileManager.default.removeItem(at: s.folder)
        let report = s.run()
        #expect(report.delivered == 0)
        #expect(report.stillQueued == 2)
        #expect(report.why == "couldn't reach police (offline): the folder \(s.folder.path) is not there (is the shared drive mounted?)")
        #expect(try s.t.vault.outbox().allSatisfy { $0.state == .pending })
        try FileManager.default.createDirectory(at: s.folder, withIntermediateDirectories: false)
        #expect(s.run().delivered == 2)
    }

    @Test("killed after a record's files were put in place, before its receipt: the retry finds them and writes no second copy")
    func killedBeforeReceipt() throws {
        let s = try Setup()
        let user = try SampleRecords.serviceUser(s.t.vault)
        // What a run killed between the rename and `settle` leaves: the files in place,
        // the row in flight (put back to pending when the next run starts).
        let opened = try #require(try s.t.vault.readIntact([user], purpose: .export, reason: "test").records.first)
        let record = OutgoingRecord(opened, authorName: s.t.vault.workerName)
        let stem = PushEngine.fileStem(record, version: 1)
        let resource = try FHIRMapper.resource(for: record, references: .identifierOnly)
        try Data(resource.json).write(to: s.folder.appendingPathComponent(stem + ".json"))
        try Data("%PDF-1.5 the first run's".utf8).write(to: s.folder.appendingPathComponent(stem + ".pdf"))
        try s.t.vault.markInFlight([user], destination: "police")

        let report = s.run()
        #expect(report.delivered == 1)
        #expect(try s.names() == [stem + ".json", stem + ".pdf"], "no second copy")
        #expect(try Data(contentsOf: s.folder.appendingPathComponent(stem + ".pdf")) == Data("%PDF-1.5 the first run's".utf8))
        #expect(try s.t.vault.receipts(destination: "police")[user] == stem + ".json")
    }
}
