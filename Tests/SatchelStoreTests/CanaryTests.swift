import Foundation
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelStore

@Suite("Nothing personal in clear on disk")
struct CanaryTests {
    @Test("unique fictional names written to records are nowhere in the database, its WAL or its shared memory")
    func canary() throws {
        let tag = UUID().uuidString.prefix(8)
        let worker = "Canaryworker Zqx\(tag)"
        let person = "Testy Quokkaberg-\(tag)"
        let address = "\(tag) Nowhere Lane, Fictionton"
        let t = try TemporaryVault(workerName: worker)
        defer { t.remove() }
        try t.vault.addDestination("nhs-epr")

        let user = RecordDraft(kind: .serviceUser, body: Array(#"{"name":"\#(person)","address":"\#(address)"}"#.utf8))
        try t.vault.saveDraft(user)
        var contact = RecordDraft(kind: .contact, subjectID: user.id, body: Array(#"{"summary":"Saw \#(person)"}"#.utf8))
        try t.vault.finalise(user.id, routes: .queueEverywhere)
        for i in 0..<20 {  // many draft saves, as a guided form makes
            contact.body = Array(#"{"summary":"Saw \#(person) at \#(address), field \#(i)"}"#.utf8)
            try t.vault.saveDraft(contact)
        }
        try t.vault.finalise(contact.id, routes: .queueEverywhere)
        _ = try t.vault.read(contact.id)

        let needles = [worker, person, address, "Quokkaberg", "Canaryworker"].flatMap(FileSearch.encodings(of:))
        func hits() -> [String] { needles.flatMap { FileSearch.files(under: t.location.directory, containing: $0) } }

        // While the vault is open the WAL holds the recent pages: search it too.
        let files = try FileManager.default.contentsOfDirectory(atPath: t.location.directory.path)
        #expect(files.contains("vault.sqlite-wal"))
        #expect(files.contains("vault.sqlite-shm"))
        #expect(hits() == [])

        // And the record does read back, so the search was looking at real data.
        #expect(String(decoding: try t.vault.read(contact.id).body, as: UTF8.self).contains(person))
        #expect(t.vault.workerName == worker)

        // After a checkpoint folds the WAL into the main file.
        _ = try t.vault.db.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        #expect(hits() == [])
    }
}
