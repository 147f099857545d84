import Foundation
import SatchelCore

/// Maps finalised Satchel records to FHIR R4 resources. See docs/fhir-mapping.md.
public enum FHIRMapper {
    /// Local identifier for every resource: value = record UUID (lowercase).
    public static let identifierSystem = "https://satchel.example/Id/record"
    /// The worker's id (`OutgoingRecord.authorID`) on author references.
    public static let workerSystem = "https://satchel.example/Id/worker"

    /// Maps one record with `.clientIDs` references; throws an `.unreadableRecord` ``SyncError`` for an unreadable body.
    public static func resource(for record: OutgoingRecord) throws(SyncError) -> FHIRResource {
        try resource(for: record, references: .clientIDs)
    }

    /// Maps one record; `references` says how the Patient is referenced. The switch
    /// is exhaustive: a new record kind does not compile until it has a mapping.
    public static func resource(for record: OutgoingRecord, references: ReferenceStyle) throws(SyncError) -> FHIRResource {
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
            let entry = if let decoded = record.riskEntry { decoded } else { try decode(RiskAssessmentEntry.self, record) }
            (type, id, body) = ("RiskAssessment", context.recordID, RiskAssessmentMapping.riskAssessment(entry, context))
        case .top:
            let form = try decode(TOPForm.self, record)
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
        case .capacity:
            let assessment = try decode(CapacityAssessment.self, record)
            (type, id, body) = ("Observation", context.recordID, CapacityMapping.observation(assessment, context))
        case .permission:
            let permission = try decode(MentoringPermission.self, record)
            (type, id, body) = ("Observation", context.recordID, CapacityMapping.observation(permission, context))
        case .death:
            let death = try decode(DeathNotification.self, record)
            (type, id, body) = ("Observation", context.recordID, DeathMapping.observation(death, context))
        case .disclosure:
            let disclosure = try decode(Disclosure.self, record)
            (type, id, body) = ("Communication", context.recordID, DisclosureMapping.communication(disclosure, context))
        case .plan:
            (type, id, body) = ("CarePlan", context.recordID, CarePlanMapping.carePlan(try decode(ResponsePlan.self, record), context))
        case .referral:
            (type, id, body) = ("EpisodeOfCare", context.recordID, CaseMapping.episode(try decode(Referral.self, record), context))
        case .outcome:
            (type, id, body) = ("EpisodeOfCare", context.recordID, CaseMapping.episode(try decode(CaseOutcome.self, record), context))
        case .review:
            (type, id, body) = ("EpisodeOfCare", context.recordID, CaseMapping.episode(try decode(CaseReview.self, record), context))
        case .discharge:
            (type, id, body) = ("EpisodeOfCare", context.recordID, CaseMapping.episode(try decode(Discharge.self, record), context))
        case .letter:
            (type, id, body) = ("DocumentReference", context.recordID, try LetterMapping.documentReference(try decode(Letter.self, record), context))
        case .mds:
            (type, id, body) = ("Observation", context.recordID, DataSetMapping.observation(try decode(MonthlyFigures.self, record), context))
        case .enforcement:
            (type, id, body) = ("Observation", context.recordID, DataSetMapping.observation(try decode(EnforcementOutcome.self, record), context))
        }
        return FHIRResource(type: type, id: id, identifierSystem: identifierSystem, identifierValue: id,
                            json: body.encoded())
    }

    /// The resource types a kind becomes (a consent is a Consent, or a Communication
    /// when it records a privacy notice served). Exhaustive like `resource(for:references:)`.
    public static func resourceTypes(_ kind: RecordKind) -> [String] {
        switch kind {
        case .serviceUser: ["Patient"]
        case .contact: ["Encounter"]
        case .risk: ["RiskAssessment"]
        case .top: ["QuestionnaireResponse"]
        case .consent: ["Consent", "Communication"]
        case .boundary, .disclosure: ["Communication"]
        case .capacity, .permission, .death, .mds, .enforcement: ["Observation"]
        case .plan: ["CarePlan"]
        case .referral, .outcome, .review, .discharge: ["EpisodeOfCare"]
        case .letter: ["DocumentReference"]
        }
    }

    /// The body through the one codec (`RecordCodec`), then the payload's own checks
    /// (e.g. TOP skips). The message names the record and the failing field, never a value
    /// (values may be personal data).
    static func decode<T: RecordPayload>(_ type: T.Type, _ record: OutgoingRecord) throws(SyncError) -> T {
        let unsendable = "The \(record.kind.rawValue) record \(record.id.uuidString.lowercased()) cannot be sent as FHIR"
        let payload: T
        do { payload = try RecordCodec.decode(T.self, from: record.body) } catch {
            throw SyncError(.unreadableRecord, "\(unsendable): its body is unreadable (\(error.message)).")
        }
        do { try payload.validate() } catch {
            throw SyncError(.unreadableRecord, "\(unsendable): field \(error.field) is invalid.")
        }
        return payload
    }
}
