import Foundation
import Testing
@testable import SatchelSync

@Suite("Batch bundles")
struct BundleTests {
    func allResources(_ style: ReferenceStyle) throws -> [FHIRResource] {
        try [Fixtures.serviceUser(), Fixtures.contact(), Fixtures.risk(), Fixtures.top(), Fixtures.consent(),
             Fixtures.consent(scope: .privacyNotice, id: "5a5a5a5a-0000-4000-8000-000000000002"), Fixtures.boundary()]
            .map { try FHIRMapper.resource(for: $0, references: style) }
    }

    /// A fictional vault's audit head.
    static let head = AuditHead(
        workerID: "3f6c2a10-7b1e-4d5a-9c8e-2b7d4e1f0a99", sequence: 42,
        hash: "9f2c4e1ab7d05c3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6")

    @Test func putBatchIsValid() throws {
        let bundle = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs, auditHead: Self.head)
        try Validator.expectValid(bundle, name: "batch-put")
        try Golden.check(bundle, name: "batch-put")
        let b = try #require(JSONValue.parse(bundle))
        #expect(b["type"]?.stringValue == "batch")
        let first = b["entry"]?.arrayValue?.first?["request"]
        #expect(first == ["method": "PUT", "url": "Patient/6b5984af-60f6-4573-b59f-daa5b9938b23"])
        #expect(b["entry"]?.arrayValue?.count == 7)
    }

    @Test func conditionalCreateBatchIsValid() throws {
        let bundle = BundleBuilder.batch(try allResources(.identifierOnly), mode: .conditionalCreate, auditHead: Self.head)
        try Validator.expectValid(bundle, name: "batch-conditional")
        let b = try #require(JSONValue.parse(bundle))
        let request = (b["entry"]?.arrayValue ?? []).dropFirst(2).first?["request"]
        #expect(request == ["method": "POST", "url": "RiskAssessment",
                            "ifNoneExist": "identifier=https://satchel.example/Id/record|0f50368c-0e49-4625-91e1-25ab13f485fb"])
    }

    @Test func bundleIsByteStable() throws {
        let a = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs, auditHead: Self.head)
        let b = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs, auditHead: Self.head)
        #expect(a == b)
        let reparsed = try #require(JSONValue.parse(a))
        #expect(reparsed.encoded() == a) // the spliced bytes are already sorted-key compact JSON
    }

    @Test func emptyBatch() throws {
        let bundle = BundleBuilder.batch([], mode: .putWithClientIDs)
        #expect(String(decoding: bundle, as: UTF8.self) == #"{"resourceType":"Bundle","type":"batch"}"#)
    }

    @Test("the audit head is Bundle.meta.extension: worker, sequence and hash; valid R4, with entries or none")
    func auditHead() throws {
        let bundle = BundleBuilder.batch([], mode: .putWithClientIDs, auditHead: Self.head)
        try Validator.expectValid(bundle, name: "batch-head-only")
        #expect(String(decoding: bundle, as: UTF8.self) == #"{"meta":{"extension":[{"extension":[{"url":"worker","valueIdentifier":{"system":"https://satchel.example/Id/worker","value":"3f6c2a10-7b1e-4d5a-9c8e-2b7d4e1f0a99"}},{"url":"sequence","valueInteger":42},{"url":"hash","valueString":"9f2c4e1ab7d05c3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6"}],"url":"https://satchel.example/StructureDefinition/audit-head"}]},"resourceType":"Bundle","type":"batch"}"#)
        let full = try #require(JSONValue.parse(BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs, auditHead: Self.head)))
        #expect(full["meta"] == JSONValue.parse(bundle)?["meta"])
        // Past what an R4 integer holds (never reached by a vault) the extension is left out
        // rather than sent invalid.
        let huge = AuditHead(workerID: Self.head.workerID, sequence: Int64(Int32.max) + 1, hash: Self.head.hash)
        #expect(String(decoding: BundleBuilder.batch([], mode: .putWithClientIDs, auditHead: huge), as: UTF8.self)
            == #"{"resourceType":"Bundle","type":"batch"}"#)
    }
}
