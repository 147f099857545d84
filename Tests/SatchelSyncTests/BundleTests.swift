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

    @Test func putBatchIsValid() throws {
        let bundle = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs)
        try Validator.expectValid(bundle, name: "batch-put")
        try Golden.check(bundle, name: "batch-put")
        let b = try #require(JSONValue.parse(bundle))
        #expect(b["type"]?.stringValue == "batch")
        let first = b["entry"]?.arrayValue?.first?["request"]
        #expect(first == ["method": "PUT", "url": "Patient/6b5984af-60f6-4573-b59f-daa5b9938b23"])
        #expect(b["entry"]?.arrayValue?.count == 7)
    }

    @Test func conditionalCreateBatchIsValid() throws {
        let bundle = BundleBuilder.batch(try allResources(.identifierOnly), mode: .conditionalCreate)
        try Validator.expectValid(bundle, name: "batch-conditional")
        let b = try #require(JSONValue.parse(bundle))
        let request = (b["entry"]?.arrayValue ?? []).dropFirst(2).first?["request"]
        #expect(request == ["method": "POST", "url": "RiskAssessment",
                            "ifNoneExist": "identifier=https://satchel.example/Id/record|0f50368c-0e49-4625-91e1-25ab13f485fb"])
    }

    @Test func bundleIsByteStable() throws {
        let a = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs)
        let b = BundleBuilder.batch(try allResources(.clientIDs), mode: .putWithClientIDs)
        #expect(a == b)
        let reparsed = try #require(JSONValue.parse(a))
        #expect(reparsed.encoded() == a) // the spliced bytes are already sorted-key compact JSON
    }

    @Test func emptyBatch() throws {
        let bundle = BundleBuilder.batch([], mode: .putWithClientIDs)
        #expect(String(decoding: bundle, as: UTF8.self) == #"{"resourceType":"Bundle","type":"batch"}"#)
    }
}
