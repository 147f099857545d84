// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

/// Settings for talking to a fixture server: trust only its CA, ignore any proxy
/// the environment might set.
func fixtureSettings(_ server: FixtureServer, _ configure: (inout TransportSettings) -> Void = { _ in }) -> TransportSettings {
    var settings = TransportSettings()
    settings.caFile = server.ca
    settings.proxy = ""
    settings.lowSpeedTime = 10
    configure(&settings)
    return settings
}

func patientJSON(id: String, family: String = "McTestface") -> [UInt8] {
    Array(#"{"resourceType":"Patient","id":"\#(id)","name":[{"family":"\#(family)","given":["Testy"]}]}"#.utf8)
}

func putPatient(_ easy: CurlEasy, base: String, id: String = UUID().uuidString.lowercased(), body: [UInt8]? = nil) throws(SyncError) -> HTTPResponse {
    try easy.perform(HTTPRequest(
        method: "PUT", url: "\(base)/Patient/\(id)",
        headers: [("Content-Type", "application/fhir+json"), ("Accept", "application/fhir+json")],
        body: body ?? patientJSON(id: id)))
}

/// Runs `body`, which must throw a `SyncError` of a transfer (`code.isTransport`), and returns it.
func expectTransportFailure(_ body: () throws -> HTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) -> SyncError? {
    do {
        let response = try body()
        Issue.record("expected a failed transfer, got HTTP \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch let error as SyncError where error.code.isTransport {
        return error
    } catch {
        Issue.record("expected a failed transfer, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
