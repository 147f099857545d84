import SatchelCore

/// service-user → Patient (UKCore-Patient).
enum PatientMapping {
    static let profile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"
    static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"
    static let policeReferenceSystem = "https://satchel.example/Id/police-reference"

    static func patient(_ user: ServiceUser, _ c: MappingContext) -> JSONValue {
        var identifiers: [JSONValue] = []
        if let nhs = user.nhsNumber {
            identifiers.append(["system": .string(nhsNumberSystem), "value": .string(nhs.digits)])
        }
        var local = MappingContext.localIdentifier(c.subjectID)
        if case .object(var o) = local { o["use"] = "usual"; local = .object(o) }
        identifiers.append(local)
        if let ref = user.policeRef {
            identifiers.append(["use": "secondary", "system": .string(policeReferenceSystem),
                                "type": ["text": "Police reference"], "value": .string(ref)])
        }
        var extensions = c.commonExtensions(currentRisk: nil, authority: nil)
        if let clinician = user.leadClinician {
            extensions.append(["url": .string(MappingContext.ext("lead-clinician")), "valueString": .string(clinician)])
        }
        if let cpa = user.cpa {
            extensions.append(["url": .string(MappingContext.ext("cpa")), "valueBoolean": .bool(cpa)])
        }
        if let coordinator = user.careCoordinator {
            extensions.append(["url": .string(MappingContext.ext("care-coordinator")), "valueString": .string(coordinator)])
        }
        if let tier = user.paveTier {
            extensions.append(["url": .string(MappingContext.ext("pave-tier")), "valueInteger": .int(tier.rawValue)])
        }
        return .members([
            "resourceType": "Patient",
            "id": .string(c.subjectID),
            "meta": c.meta(profile: profile),
            "extension": MappingContext.nonEmpty(extensions),
            "identifier": .array(identifiers),
            "active": true,
            "name": [humanName(user.name)],
            "birthDate": user.dob.map { .string($0.iso) },
            "address": user.address.map { [["text": .string($0)]] },
        ])
    }

    /// "Testy McTestface" → given ["Testy"], family "McTestface"; one word → family only.
    /// `text` always carries the name exactly as recorded.
    static func humanName(_ name: String) -> JSONValue {
        let words = name.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        let family = words.last.map { JSONValue.string($0) }
        let given = words.dropLast().map { JSONValue.string($0) }
        return .members([
            "use": "official",
            "text": .string(words.joined(separator: " ")),
            "family": family,
            "given": given.isEmpty ? nil : .array(Array(given)),
        ])
    }
}
