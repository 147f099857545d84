import Foundation
import SatchelTestSupport
import Testing
@testable import SatchelSync

@Suite("Batch response parsing")
struct ResponseParserTests {
    let fhirJSON = "application/fhir+json; charset=utf-8"

    static let mixed = """
    {"resourceType":"Bundle","id":"x","type":"batch-response","entry":[
     {"response":{"status":"201 Created","location":"Patient/6b5984af-60f6-4573-b59f-daa5b9938b23/_history/1",
       "etag":"W/\\"1\\"","lastModified":"2026-11-23T09:20:00.123+00:00"}},
     {"response":{"status":"200 OK","location":"https://fhir.example.nhs.uk/R4/Encounter/abc-123/_history/4",
       "etag":"W/\\"4\\""}},
     {"response":{"status":"422 Unprocessable Entity","outcome":{"resourceType":"OperationOutcome","issue":[
       {"severity":"error","code":"invalid","diagnostics":"RiskAssessment.status: field required"},
       {"severity":"error","code":"code-invalid","details":{"text":"unknown code"}}]}}}
    ]}
    """

    @Test func mixedOutcomes() throws {
        let out = try BundleResponseParser.parse(body: Array(Self.mixed.utf8), contentType: fhirJSON, expectedEntries: 3)
        #expect(out.map(\.status) == [201, 200, 422])
        #expect(out[0].serverID == "Patient/6b5984af-60f6-4573-b59f-daa5b9938b23")
        #expect(out[0].version == "1")
        #expect(out[0].lastModified == "2026-11-23T09:20:00.123+00:00")
        #expect(out[1].serverID == "Encounter/abc-123")
        #expect(out[1].version == "4")
        #expect(out[2].serverID == nil)
        #expect(out[2].version == nil)
        #expect(out[2].diagnostics == "RiskAssessment.status: field required; unknown code")
        #expect(!out[2].isSuccess && out[0].isSuccess)
    }

    @Test func versionFromLocationWhenNoETag() {
        let o = EntryOutcome(status: 200, location: "Consent/c1/_history/7", etag: nil, lastModified: nil, diagnostics: nil)
        #expect(o.version == "7")
        #expect(o.serverID == "Consent/c1")
    }

    @Test func fixtureGoldenResponse() throws {
        let url = URL(fileURLWithPath: ExternalTool.fixtures + "/golden/batch-bundle.response.json")
        let wrapper = try #require(JSONValue.parse(Array(try Data(contentsOf: url))))
        let body = try #require(wrapper["response"]?["body"])
        let out = try BundleResponseParser.parse(body: body.encoded(), contentType: fhirJSON, expectedEntries: 6)
        #expect(out.allSatisfy { $0.status == 201 && $0.version == "1" })
        #expect(out[5].serverID == "Communication/bcbe78c8-fc10-49a3-81fb-60b76027d106")
    }

    @Test func captivePortalIsNotFHIR() {
        let html = Array("<html><body>Please log in to the hotel Wi-Fi</body></html>".utf8)
        #expect(throws: SyncError.response(.notFHIR(contentType: "text/html; charset=utf-8"))) {
            try BundleResponseParser.parse(body: html, contentType: "text/html; charset=utf-8", expectedEntries: 1)
        }
    }

    @Test func transactionResponseIsWrongType() {
        let body = Array(#"{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"200 OK"}}]}"#.utf8)
        #expect(throws: SyncError.response(.wrongBundleType("transaction-response"))) {
            try BundleResponseParser.parse(body: body, contentType: "application/fhir+json", expectedEntries: 1)
        }
    }

    @Test func patientIsNotABundle() {
        let body = Array(#"{"resourceType":"Patient","id":"p1"}"#.utf8)
        #expect(throws: SyncError.response(.notABundle)) {
            try BundleResponseParser.parse(body: body, contentType: "application/json", expectedEntries: 1)
        }
        #expect(throws: SyncError.response(.notABundle)) {
            try BundleResponseParser.parse(body: Array("[1,2]".utf8), contentType: nil, expectedEntries: 1)
        }
    }

    @Test func wrongEntryCount() {
        #expect(throws: SyncError.response(.entryCountMismatch(expected: 4, got: 3))) {
            try BundleResponseParser.parse(body: Array(Self.mixed.utf8), contentType: fhirJSON, expectedEntries: 4)
        }
        let empty = Array(#"{"resourceType":"Bundle","type":"batch-response"}"#.utf8)
        #expect(throws: SyncError.response(.entryCountMismatch(expected: 1, got: 0))) {
            try BundleResponseParser.parse(body: empty, contentType: fhirJSON, expectedEntries: 1)
        }
    }

    @Test func truncatedJSONIsUnparseable() {
        let truncated = Array(Self.mixed.utf8.prefix(120))
        #expect(throws: SyncError.response(.unparseable)) {
            try BundleResponseParser.parse(body: truncated, contentType: fhirJSON, expectedEntries: 3)
        }
    }

    @Test func entryWithoutStatusIsUnparseable() {
        let body = Array(#"{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"location":"Patient/x"}}]}"#.utf8)
        #expect(throws: SyncError.response(.unparseable)) {
            try BundleResponseParser.parse(body: body, contentType: fhirJSON, expectedEntries: 1)
        }
    }

    @Test func operationOutcomeSummary() {
        let body = Array(#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"conflict","diagnostics":"version conflict: W/\"2\" is not current"},{"severity":"warning","code":"processing"}]}"#.utf8)
        #expect(OperationOutcomeText.summary(body: body) == #"version conflict: W/"2" is not current; processing"#)
        #expect(OperationOutcomeText.summary(body: Array("<html></html>".utf8)) == nil)
        #expect(OperationOutcomeText.summary(body: Array(#"{"resourceType":"Patient"}"#.utf8)) == nil)
    }
}
