import Foundation
import SatchelCore

/// Header facts and the pieces every mapped resource shares (id, identifier, meta,
/// Satchel extensions, references).
struct MappingContext: Sendable {
    let record: OutgoingRecord
    let references: ReferenceStyle

    static let base = "https://satchel.example"
    static func ext(_ name: String) -> String { "\(base)/StructureDefinition/\(name)" }
    static func codeSystem(_ name: String) -> String { "\(base)/CodeSystem/\(name)" }

    /// The resource's id and identifier: the first record of its chain of amendments, so
    /// every version is the same resource.
    var recordID: String { record.resourceID.lowercased }
    var subjectID: String { record.subjectID.lowercased }

    /// The local identifier `https://satchel.example/Id/record|<uuid>`.
    static func localIdentifier(_ value: String) -> JSONValue {
        ["system": .string(FHIRMapper.identifierSystem), "value": .string(value)]
    }

    /// The members every mapped resource starts with: type, id, meta, extensions and the
    /// local identifier. `rest` adds the resource's own.
    func resource(_ type: String, extensions: [JSONValue], _ rest: [String: JSONValue?]) -> JSONValue {
        let head: [String: JSONValue?] = [
            "resourceType": .string(type),
            "id": .string(recordID),
            "meta": meta(),
            "extension": Self.nonEmpty(extensions),
            "identifier": [Self.localIdentifier(recordID)],
        ]
        return .members(head.merging(rest) { _, own in own })
    }

    /// `meta`: the author's role as a tag (and a profile when given); for a record sent
    /// under a disclosure, the lawful basis and the disclosure as meta extensions.
    func meta(profile: String? = nil) -> JSONValue {
        let role = record.authorRole
        let basis: JSONValue? = record.disclosure.map { d in
            [
                ["url": .string(Self.ext("lawful-basis")), "valueCoding": DisclosureMapping.basisCoding(d.basis)],
                ["url": .string(Self.ext("released-by-disclosure")), "valueIdentifier": Self.localIdentifier(d.id.lowercased)],
            ]
        }
        return .members([
            "extension": basis,
            "profile": profile.map { [.string($0)] },
            "tag": [[
                "system": .string(Self.codeSystem("author-role")),
                "code": .string(role.rawValue),
                "display": .string(Self.roleDisplay(role)),
            ]],
        ])
    }

    static func roleDisplay(_ role: Role) -> String {
        switch role {
        case .clinician: "Mental-health clinician / mentor"
        case .police: "Police mentor"
        case .substanceMisuse: "Substance-misuse worker"
        }
    }

    /// Extensions shared by all record kinds: current risk (SIM §46), authority, amends.
    func commonExtensions(currentRisk: RiskGrade?, authority: Authority?) -> [JSONValue] {
        var out: [JSONValue] = []
        if let amends = record.amendsID {
            out.append(["url": .string(Self.ext("amends")),
                        "valueIdentifier": Self.localIdentifier(amends.lowercased)])
            out.append(["url": .string(Self.ext("version-record")),
                        "valueIdentifier": Self.localIdentifier(record.id.lowercased)])
        }
        if let authority {
            out.append(["url": .string(Self.ext("authority")), "valueCode": .string(authority.rawValue)])
        }
        if let currentRisk {
            out.append(["url": .string(Self.ext("current-risk")), "valueCoding": Self.gradeCoding(currentRisk)])
        }
        return out
    }

    static func gradeCoding(_ grade: RiskGrade) -> JSONValue {
        ["system": .string(codeSystem("risk-grade")), "code": .string(grade.rawValue), "display": .string(grade.label)]
    }

    /// The Patient reference for `subject` / `patient`.
    var patientReference: JSONValue {
        let identifier = Self.localIdentifier(subjectID)
        switch references {
        case .clientIDs: return ["reference": .string("Patient/\(subjectID)"), "identifier": identifier, "type": "Patient"]
        case .identifierOnly: return ["identifier": identifier, "type": "Patient"]
        }
    }

    /// The worker who wrote the record: display name plus worker identifier (no resource to point at).
    var authorReference: JSONValue {
        ["display": .string(record.authorName),
         "identifier": ["system": .string(FHIRMapper.workerSystem), "value": .string(record.authorID)]]
    }

    /// When the record was captured (FHIR dateTime, UTC).
    var capturedAt: JSONValue { .string(FHIRDate.dateTime(record.createdAt)) }
    /// When the record was finalised (FHIR dateTime, UTC).
    var finalisedAt: JSONValue { .string(FHIRDate.dateTime(record.finalisedAt)) }

    static func coding(_ system: String, _ code: String, _ display: String) -> JSONValue {
        ["system": .string(system), "code": .string(code), "display": .string(display)]
    }

    static func concept(_ system: String, _ code: String, _ display: String, text: String? = nil) -> JSONValue {
        .members(["coding": [coding(system, code, display)], "text": text.map { .string($0) }])
    }

    /// An array or nil when empty (FHIR forbids empty arrays).
    static func nonEmpty(_ values: [JSONValue]) -> JSONValue? { values.isEmpty ? nil : .array(values) }
}
