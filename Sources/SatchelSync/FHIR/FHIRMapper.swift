import Foundation
import SatchelCore

/// Maps finalised Satchel records to FHIR R4 resources. See docs/fhir-mapping.md.
public enum FHIRMapper {
    /// Local identifier for every resource: value = record UUID (lowercase).
    public static let identifierSystem = "https://satchel.example/Id/record"
    /// The worker's id (`OutgoingRecord.authorID`) on author references.
    public static let workerSystem = "https://satchel.example/Id/worker"

    /// Maps one record with `.clientIDs` references; throws ``FHIRMappingError`` for an unreadable body.
    public static func resource(for record: OutgoingRecord) throws -> FHIRResource {
        try resource(for: record, references: .clientIDs)
    }

    /// Maps one record; `references` says how the Patient is referenced.
    public static func resource(for record: OutgoingRecord, references: ReferenceStyle) throws -> FHIRResource {
        let context = MappingContext(record: record, references: references)
        let (type, id, body): (String, String, JSONValue)
        switch record.kind {
        case .serviceUser:
            let user = try decode(ServiceUser.self, record)
            (type, id, body) = ("Patient", context.subjectID, PatientMapping.patient(user, context))
        case .contact:
            let contact = try decode(Contact.self, record)
            (type, id, body) = ("Encounter", context.recordID, EncounterMapping.encounter(contact, context))
        case .risk:
            let entry = try decode(RiskAssessmentEntry.self, record)
            (type, id, body) = ("RiskAssessment", context.recordID, RiskAssessmentMapping.riskAssessment(entry, context))
        case .top:
            let form = try decode(TOPForm.self, record)
            do {
                try form.validate()
            } catch {
                throw FHIRMappingError.invalidPayload(recordID: context.recordID, kind: record.kind, field: error.field)
            }
            (type, id, body) = ("QuestionnaireResponse", context.recordID, TOPMapping.questionnaireResponse(form, context))
        case .consent:
            let consent = try decode(Consent.self, record)
            if consent.scope == .privacyNotice {
                (type, id, body) = ("Communication", context.recordID, PrivacyNoticeMapping.communication(consent, context))
            } else {
                (type, id, body) = ("Consent", context.recordID, ConsentMapping.consent(consent, context))
            }
        case .boundary:
            let discussion = try decode(BoundaryDiscussion.self, record)
            (type, id, body) = ("Communication", context.recordID, BoundaryMapping.communication(discussion, context))
        }
        return FHIRResource(type: type, id: id, identifierSystem: identifierSystem, identifierValue: id,
                            json: body.encoded())
    }

    static func decode<T: Decodable>(_ type: T.Type, _ record: OutgoingRecord) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(record.body))
        } catch let error as DecodingError {
            throw FHIRMappingError.unreadableBody(recordID: record.id.uuidString.lowercased(), kind: record.kind,
                                                  reason: describe(error))
        } catch {
            throw FHIRMappingError.unreadableBody(recordID: record.id.uuidString.lowercased(), kind: record.kind,
                                                  reason: "not JSON")
        }
    }

    /// The failing path and the kind of problem, never the offending value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the top level" : p
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "missing \(path(ctx.codingPath + [key]))"
        case .typeMismatch(_, let ctx): return "wrong type at \(path(ctx.codingPath))"
        case .valueNotFound(_, let ctx): return "null at \(path(ctx.codingPath))"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(ctx.codingPath))"
        @unknown default: return "undecodable"
        }
    }
}
