import Foundation
import SatchelCore
import SatchelStore

/// A readable document of one record (a PDF), made by the layer that owns documents: the
/// use cases hand it to the engine for a folder destination, so SatchelSync needs no
/// renderer of its own.
public typealias ReadableRenderer = (OutgoingRecord) throws -> [UInt8]

/// A folder destination (a system without an API, e.g. a mounted shared drive): each
/// record becomes two files, its readable PDF and its FHIR JSON, put in place by
/// `FolderWriter`. Everything before the transport — the outbox, held rows, quarantine,
/// the order, Patients first — is the push engine's as for a FHIR server. docs/sync.md,
/// "Folder destinations".
extension PushEngine {
    /// An engine for a folder destination: no server, `readable` makes each record's PDF.
    public convenience init(vault: Vault, destination: Destination, readable: @escaping ReadableRenderer, clock: any SyncClock = SystemClock()) {
        self.init(vault: vault, destination: destination, transport: NoServer(), clock: clock)
        self.readable = readable
    }

    /// The two file names of a record's version, the same at every attempt and without
    /// personal data: `<day written, UTC>-<kind>-<record id>-v<version>.pdf` and `.json`.
    public static func fileStem(_ record: OutgoingRecord, version: Int) -> String {
        "\(FHIRDate.dateTime(record.createdAt).prefix(10))-\(record.kind.rawValue)-\(record.id.uuidString.lowercased())-v\(version)"
    }

    /// Writes each record's pair of files, Patients first; a record whose Patient has not
    /// reached the folder waits, as for a server. Each record is in flight on its own
    /// and settled as soon as its files are in place: the JSON file's name is the receipt.
    func deliver(_ ordered: [OutgoingRecord], toFolder path: String, into report: inout DeliverySummary) throws {
        let total = ordered.count
        var settled = 0
        progress(0, total)
        guard total > 0 else { return }
        var writer = try FolderWriter(path: path)
        let versions = try versionNumbers()
        var placed = try vault.placedPeople(destination: destination.name)
        var waiting = 0
        for record in ordered {
            guard record.kind == .serviceUser || placed.contains(record.subjectID) else {
                waiting += 1
                continue
            }
            if try deliver(record, version: versions[record.id] ?? 1, with: &writer, into: &report), record.kind == .serviceUser {
                placed.insert(record.subjectID)
            }
            settled += 1
            progress(settled, total)
        }
        if waiting > 0 {
            report.why = "\(waiting) record\(waiting == 1 ? "" : "s") wait for their service user's record to reach \(destination.name) first (see queue)"
        }
    }

    /// One record: in flight, mapped, rendered, its PDF then its JSON put in place, settled;
    /// true when delivered.
    /// A record that cannot be expressed as FHIR is rejected; anything else that fails
    /// puts it back to pending and stops the run (the folder went away, the disk is full).
    private func deliver(_ record: OutgoingRecord, version: Int, with writer: inout FolderWriter, into report: inout DeliverySummary) throws -> Bool {
        try vault.markInFlight([record.id], destination: destination.name)
        let resource: FHIRResource
        do { resource = try FHIRMapper.resource(for: record, references: .identifierOnly) } catch {
            let reason = "Satchel could not express this record as FHIR R4: \(error)"
            try vault.settle([(record.id, .rejected(reason: reason))], destination: destination.name)
            report.rejected.append(.init(record: Self.short(record.id), kind: record.kind.rawValue, reason: reason))
            return false
        }
        let stem = Self.fileStem(record, version: version)
        do throws(SyncError) {
            guard let readable else { throw SyncError(.other, "no renderer for the readable PDF") }
            let pdf: [UInt8]
            do { pdf = try readable(record) } catch {
                throw SyncError(.other, "could not make the readable PDF of \(record.kind.rawValue) \(Self.short(record.id)): \(error)")
            }
            _ = try writer.put(pdf, named: stem + ".pdf", expected: .pdf)
            _ = try writer.put(resource.json, named: stem + ".json", expected: .json(
                bytes: resource.json, resourceType: resource.type, identifierSystem: resource.identifierSystem,
                identifierValue: resource.identifierValue))
        } catch {
            try vault.settle([(record.id, .retry(reason: error.message))], destination: destination.name)
            throw error
        }
        try vault.settle([(record.id, .delivered(serverID: stem + ".json", version: nil))], destination: destination.name)
        report.delivered += 1
        return true
    }

    /// Each final record's version: 1, and one more for each record it amends in turn.
    func versionNumbers() throws -> [UUID: Int] {
        let amends = Dictionary(uniqueKeysWithValues: try vault.headers(state: .final).map { ($0.id, $0.amendsID) })
        var out: [UUID: Int] = [:]
        for id in amends.keys {
            var (version, next) = (1, amends[id] ?? nil)
            while let previous = next, version <= amends.count {
                version += 1
                next = amends[previous] ?? nil
            }
            out[id] = version
        }
        return out
    }
}

/// The transport of a folder destination's engine: there is no server to ask.
final class NoServer: HTTPTransport {
    func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        throw SyncError(.refusedURL, "a folder destination has no server")
    }
}
