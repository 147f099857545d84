import Foundation
import SatchelCore

/// contact → Encounter (R4: `class` is a single Coding). Everyone but the author is a
/// display-only participant whose type says how they took part (`present-as`).
enum EncounterMapping {
    static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    static let presentAs = MappingContext.codeSystem("present-as")

    static func encounter(_ contact: Contact, _ c: MappingContext) -> JSONValue {
        let held = isHeld(contact.kind)
        let start = contact.at
        var participants: [JSONValue] = [[
            "type": [MappingContext.concept(participationType, "PPRF", "primary performer")],
            "individual": c.authorReference,
        ]]
        if let relative = contact.relative {
            participants.append(participant(relative, "relative-called", "Relative or friend called", text: "Called: family or friend"))
        }
        for person in contact.present {
            participants.append(participant(person, "family-or-friend", "Family member or friend", text: "Present: family or friend"))
        }
        for p in contact.professionals {
            participants.append(p.police
                ? participant(p.display, "police", "Police mentor or officer", text: "Present: police mentor or officer")
                : participant(p.display, "professional", "Professional", text: "Present: professional"))
        }
        let end = start.addingTimeInterval(TimeInterval(contact.minutes * 60))
        return .members([
            "resourceType": "Encounter",
            "id": .string(c.recordID),
            "meta": c.meta(),
            "extension": MappingContext.nonEmpty(c.commonExtensions(currentRisk: contact.currentRisk, authority: nil)),
            "identifier": [MappingContext.localIdentifier(c.recordID)],
            "status": .string(held ? "finished" : "cancelled"),
            "class": encounterClass(contact.kind),
            "type": [MappingContext.concept(MappingContext.codeSystem("contact-kind"), contact.kind.rawValue,
                                            display(contact.kind))],
            "subject": c.patientReference,
            "participant": .array(participants),
            "period": .members([
                "start": .string(FHIRDate.dateTime(start)),
                "end": held ? .string(FHIRDate.dateTime(end)) : nil,
            ]),
            "length": held ? ["value": .int(contact.minutes), "unit": "min",
                              "system": "http://unitsofmeasure.org", "code": "min"] : nil,
            "reasonCode": [["text": .string(contact.summary)]],
            "location": [["location": ["display": .string(contact.place)]]],
        ])
    }

    /// A participant other than the author: v3 PART plus how they took part.
    static func participant(_ name: String, _ code: String, _ display: String, text: String) -> JSONValue {
        [
            "type": [[
                "coding": [MappingContext.coding(participationType, "PART", "Participation"), MappingContext.coding(presentAs, code, display)],
                "text": .string(text),
            ]],
            "individual": ["display": .string(name)],
        ]
    }

    /// False for kinds where no contact took place (`did-not-attend`, `attempted`): status cancelled.
    static func isHeld(_ kind: ContactKind) -> Bool {
        switch kind {
        case .didNotAttend, .attempted: false
        default: true
        }
    }

    /// v3 ActCode: VR for phone calls, FLD (field: outside a healthcare facility, e.g. a home visit) otherwise.
    static func encounterClass(_ kind: ContactKind) -> JSONValue {
        switch kind {
        case .phone, .phoneFamily: MappingContext.coding(actCode, "VR", "virtual")
        default: MappingContext.coding(actCode, "FLD", "field")
        }
    }

    static func display(_ kind: ContactKind) -> String {
        switch kind {
        case .faceToFace: "Face-to-face contact"
        case .phone: "Phone call with the service user"
        case .phoneFamily: "Phone call with family or a friend"
        case .didNotAttend: "Did not attend"
        case .attempted: "Attempted contact"
        case .offence: "Offence committed"
        case .significantEvent: "Significant event"
        }
    }
}
