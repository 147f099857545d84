import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// `risk endorse DEST/RiskAssessment/ID` (SIM guide §43: "the final risk decisions
/// relating to illness or disorder must be the responsibility of a qualified clinician …
/// decisions relating to the prevention or detection of crime … must be made by the police
/// officer"): the role with the final say makes a colleague's contributory grade, pulled by
/// `caseload pull`, final. The endorsement is a risk entry of the endorser's carrying the
/// colleague's assessment and naming it; it is delivered to the destination it came from as
/// the next version of the same RiskAssessment, status final (docs/fhir-mapping.md).
public struct EndorsementPreview: Sendable {
    /// DEST/RiskAssessment/ID.
    public let key: String
    /// The person's initials on this device.
    public let initials: String
    /// The assessment as it will be recorded (every field, as `show` prints it).
    public let lines: [(label: String, value: String)]
    let subject: UUID
    let entry: RiskAssessmentEntry
}

extension Session {
    /// Checks that the pulled record can be endorsed by this worker and says what would be
    /// recorded; nothing is written.
    public func prepareEndorsement(_ key: String) throws -> EndorsementPreview {
        let pulled = try pulledRecord(key)
        try vault.audit(vault.readNotes(pulled: [pulled], reason: "risk endorse"))
        let entry: RiskAssessmentEntry
        do {
            entry = try RiskAssessmentEntry.endorsing(PulledRecords.contribution(pulled), author: vault.role, matrix: try config().riskMatrix)
        } catch let error as FieldError {
            throw UseCaseError(.badInput, error.message)
        }
        let people = try serviceUsers()
        let patients = try pulledPatients()
        guard let (subject, person) = people.sorted(by: { $0.key.uuidString < $1.key.uuidString }).first(where: { id, person in
            PulledRecords.patients(patients, matching: person, id: id).contains { $0.destination == pulled.destination && $0.serverID == pulled.subjectID }
        }) else {
            throw UseCaseError(.badInput, "record: the person it is about (Patient/\(pulled.subjectID) at \(pulled.destination)) is no one on this device. Give them their NHS number (`user update USER --nhs-number …`) and pull again.")
        }
        if let earlier = try endorsement(of: entry.endorses, subject: subject) {
            throw UseCaseError(.refused, "record: \(key) is already endorsed by \(RecordRef.short(earlier)) (show \(RecordRef.short(earlier))).")
        }
        return EndorsementPreview(key: key, initials: person.initials, lines: RecordText.lines(for: entry).map { ($0.0, $0.1) }, subject: subject, entry: entry)
    }

    /// Records the endorsement: final at once, routed like any risk entry of this person's.
    public func endorse(_ preview: EndorsementPreview) throws -> CaptureReceipt {
        var capture = try capture(FormSpec.risk, id: UUID(), subject: preview.subject)
        let e = preview.entry
        let note = "Endorsed \(preview.key) as final: \(e.domain.rawValue) risk \(e.grade.label) (\(e.likelihood) × \(e.impact)). "
            + e.change(from: capture.context.lastRiskByDomain[e.domain]) + "."
        return try finalise(&capture, answers: FormAnswers(), built: BuiltRecord(payload: e, note: note))
    }

    /// The risk entry of this person's that already endorses the same pulled record.
    private func endorsement(of endorsed: RiskEndorsement?, subject: UUID) throws -> UUID? {
        guard let endorsed else { return nil }
        let risks = try vault.headers(subject: subject, state: .final, kind: .risk).filter(\.intact)
        for record in try vault.read(risks.map(\.id), reason: "risk endorse: already endorsed?") {
            if let entry = try? RecordCodec.decode(RiskAssessmentEntry.self, from: record.body), entry.endorses?.key == endorsed.key {
                return record.header.id
            }
        }
        return nil
    }
}
