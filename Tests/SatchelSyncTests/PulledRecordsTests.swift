import Foundation
import SatchelCore
import SatchelStore
import Testing
@testable import SatchelSync

/// What a colleague's Satchel writes (FHIRMapper) reads back as the same values here:
/// the Patient links by NHS number, a risk entry gives its grade and domain, an
/// involvement consent its decision; other consent scopes are not read.
@Suite("Pulled records read back")
struct PulledRecordsTests {
    static func pulled(_ record: OutgoingRecord, destination: String = "police") throws -> ReferenceResource {
        let resource = try FHIRMapper.resource(for: record)
        return ReferenceResource(
            destination: destination, resourceType: resource.type, resourceID: resource.id, subjectID: "server-p1", versionID: nil,
            lastUpdated: nil, pulledAt: Fixtures.now, body: resource.json)
    }

    @Test func patientLinksByNHSNumberOrOwnRecordID() throws {
        let record = try Fixtures.serviceUser()
        let user = try RecordCodec.decode(ServiceUser.self, from: record.body)
        let patient = try Self.pulled(record)
        // A colleague's device: its own id for the person, the same NHS number.
        #expect(PulledRecords.patients([patient], matching: user, id: UUID()).map(\.serverID) == [patient.resourceID])
        let noNumber = try Fixtures.serviceUserWithoutNHSNumber()
        let cher = try RecordCodec.decode(ServiceUser.self, from: noNumber.body)
        let cherPatient = try Self.pulled(noNumber)
        #expect(PulledRecords.patients([cherPatient], matching: cher, id: UUID()).isEmpty)
        #expect(PulledRecords.patients([cherPatient], matching: cher, id: noNumber.subjectID).count == 1)
    }

    @Test(arguments: [RiskDomain.clinical, .criminal])
    func riskReadsBack(domain: RiskDomain) throws {
        let record = try Fixtures.risk(domain: domain)
        let entry = try RecordCodec.decode(RiskAssessmentEntry.self, from: record.body)
        let risk = try #require(PulledRecords.risk(try Self.pulled(record)))
        #expect(risk.grade == entry.currentRisk && risk.domain == domain)
        #expect(abs(risk.assessedAt.timeIntervalSince(Fixtures.now)) < 3_600)
    }

    @Test(arguments: [ConsentDecision.given, .refused, .withdrawn])
    func involvementReadsBack(decision: ConsentDecision) throws {
        let entry = try #require(PulledRecords.involvement(try Self.pulled(try Fixtures.consent(scope: .involve, decision: decision))))
        #expect(entry.consent.scope == .involve && entry.consent.with == "Aunt Testy-Jones" && entry.consent.decision == decision)
        #expect(abs(entry.recordedAt.timeIntervalSince(Fixtures.now)) < 1)
    }

    @Test(arguments: [ConsentScope.share, .engagement, .discloseFamily])
    func otherScopesAreNotRead(scope: ConsentScope) throws {
        #expect(PulledRecords.involvement(try Self.pulled(try Fixtures.consent(scope: scope))) == nil)
    }
}
