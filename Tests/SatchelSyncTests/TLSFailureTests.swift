// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

@Suite("TLS failures send nothing")
struct TLSFailureTests {
    @Test("Broken server TLS is .tls and no request reaches the server", arguments: ["self-signed", "expired", "wrong-host", "tls1.0"])
    func brokenServer(variant: String) throws {
        let server = try FixtureServer(tls: variant)
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let error = try #require(expectTransportFailure { try putPatient(easy, base: server.base) })
        #expect(error.code == .tls, "\(variant): \(error)")
        #expect(try server.writeRequests() == 0)
        #expect(try server.requests() == 0)
    }

    @Test("A wrong pin is .tls even with the right CA")
    func wrongPin() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let madeUp = "sha256//" + Data(repeating: 7, count: 32).base64EncodedString()
        let easy = try CurlEasy(settings: fixtureSettings(server) { $0.pinnedPublicKeys = [madeUp] })
        let error = try #require(expectTransportFailure { try putPatient(easy, base: server.base) })
        #expect(error.code == .tls, "\(error)")
        #expect(error.curlCode == 90)
        #expect(try server.writeRequests() == 0)
    }

    @Test("Without the CA the system store does not trust the fixture")
    func untrustedCA() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server) { $0.caFile = nil })
        let error = try #require(expectTransportFailure { try putPatient(easy, base: server.base) })
        #expect(error.code == .tls, "\(error)")
        #expect(try server.writeRequests() == 0)
    }

    @Test("Bad TLS configuration is refused at init")
    func badConfiguration() {
        var missingCA = TransportSettings()
        missingCA.caFile = "/nonexistent/ca.pem"
        #expect(#expect(throws: SyncError.self) { try CurlEasy(settings: missingCA) }?.code == .tls)
        var badPin = TransportSettings()
        badPin.pinnedPublicKeys = ["sha1//abc"]
        #expect(#expect(throws: SyncError.self) { try CurlEasy(settings: badPin) }?.code == .tls)
        var noStall = TransportSettings()
        noStall.lowSpeedTime = 0
        #expect(#expect(throws: SyncError.self) { try CurlEasy(settings: noStall) }?.code == .other)
    }
}
