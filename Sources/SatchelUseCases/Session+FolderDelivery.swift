import Foundation
import SatchelCore
import SatchelDocuments
import SatchelSync

/// A folder destination receives each record as a readable PDF beside its FHIR JSON. The
/// engine (SatchelSync) writes the files; the PDF is made here, where documents are made
/// (SatchelDocuments), and handed to it as a `ReadableRenderer`. docs/sync.md.
extension Session {
    /// The engine that delivers to `d`: files for a folder, HTTP for a FHIR server.
    func engine(for d: Destination) throws -> PushEngine {
        guard d.folder != nil else {
            return PushEngine(vault: vault, destination: d, transport: try delivery.transport(d), clock: delivery.clock, random: delivery.random)
        }
        return PushEngine(vault: vault, destination: d, readable: { [unowned self] record in try self.folderPDF(record, for: d.name) }, clock: delivery.clock)
    }

    /// The configured folder destinations and their paths: `sync`, `queue` and `status`
    /// name a folder by its path (a FHIR destination by its name alone).
    public func folderDestinations() throws -> [String: String] {
        Dictionary(try config().destinations.compactMap { d in d.folder.map { (d.name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// One record as the PDF a folder destination keeps beside its JSON: the person's name
    /// in the title (the agency reading the folder receives the person's Patient too), the
    /// lawful basis when it goes under a disclosure, then the record as `export` shows it.
    func folderPDF(_ record: OutgoingRecord, for destination: String) throws -> [UInt8] {
        let person = try serviceUsers()[record.subjectID]?.name ?? "service user \(RecordRef.short(record.subjectID))"
        var preamble = [
            "Delivered by Satchel to \(destination) on \(FieldDate.display(clock())), from the vault of \(vault.workerName) (\(vault.role.rawValue)).",
            "Its FHIR R4 resource is the .json file of the same name beside this one.",
        ]
        if let d = record.disclosure {
            preamble.append("Shared without consent, on a lawful basis (\(d.basis.rawValue)), by disclosure \(RecordRef.short(d.id)).")
        }
        let document = ReadableDocument(
            title: "\(RecordText.title(of: record.kind)): \(person)", preamble: preamble, sections: [section(for: record, redaction: nil)])
        return try PDFWriter().render(document)
    }
}
