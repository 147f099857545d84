import Foundation
import SatchelCore

/// A `collection` Bundle of a person's records, as `export` writes it (SIM guide §54):
/// each record mapped exactly as sync maps it (`FHIRMapper`), with no requests.
public enum CollectionBundle {
    /// Keys whose values are identifiers, codes or links, never free text: redaction leaves them.
    static let structural: Set<String> = [
        "system", "url", "reference", "code", "id", "fullUrl", "resourceType", "linkId", "profile",
        "questionnaire", "status", "use", "valueCode",
    ]

    /// The Bundle (compact JSON, sorted keys), entries in the order given. With `redaction`,
    /// the Patient carries no name, birth date, address, NHS number or police reference,
    /// and every text value has the person's identifying data removed.
    public static func bundle(_ records: [OutgoingRecord], timestamp: Date, redaction: Redaction? = nil) throws(SyncError) -> [UInt8] {
        var entries: [JSONValue] = []
        for record in records {
            let mapped = try FHIRMapper.resource(for: record)
            guard var resource = JSONValue.parse(mapped.json) else {
                throw SyncError(.unreadableRecord, "The \(record.kind.rawValue) record \(record.id.uuidString.lowercased()) did not map to JSON.")
            }
            if let redaction {
                if mapped.type == "Patient" { resource = anonymousPatient(resource) }
                resource = redacted(resource, redaction)
            }
            entries.append(["fullUrl": .string("urn:uuid:\(mapped.id)"), "resource": resource])
        }
        return JSONValue.members([
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": .string(FHIRDate.dateTime(timestamp)),
            "entry": MappingContext.nonEmpty(entries),
        ]).encoded()
    }

    /// The Patient without what identifies the person: name, birth date, address, and the
    /// NHS-number and police-reference identifiers (the local record identifier stays).
    static func anonymousPatient(_ patient: JSONValue) -> JSONValue {
        guard case .object(var o) = patient else { return patient }
        for key in ["name", "birthDate", "address", "telecom", "photo"] { o[key] = nil }
        let identifying: Set<String> = [PatientMapping.nhsNumberSystem, PatientMapping.policeReferenceSystem]
        let kept = (o["identifier"]?.arrayValue ?? []).filter { !identifying.contains($0["system"]?.stringValue ?? "") }
        o["identifier"] = MappingContext.nonEmpty(kept)
        return .object(o)
    }

    /// Every free-text string with the identifying values removed.
    static func redacted(_ value: JSONValue, _ redaction: Redaction, key: String? = nil) -> JSONValue {
        switch value {
        case .string(let s): return key.map(structural.contains) == true ? value : .string(redaction.apply(s))
        case .array(let a): return .array(a.map { redacted($0, redaction, key: key) })
        case .object(let o): return .object(Dictionary(uniqueKeysWithValues: o.map { ($0.key, redacted($0.value, redaction, key: $0.key)) }))
        case .int, .double, .bool, .null: return value
        }
    }
}
