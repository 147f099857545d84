// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

@Suite("HTTPS transport against the fixture server")
struct HTTPSTransportTests {
    @Test("GET /metadata: CA trust, keep-alive, certificate chain")
    func metadataKeepAlive() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        for _ in 0..<2 {
            let response = try easy.perform(HTTPRequest(url: server.base + "/metadata", headers: [("Accept", "application/fhir+json")]))
            #expect(response.status == 200)
            #expect(response.contentType?.hasPrefix("application/fhir+json") == true)
            #expect(String(decoding: response.body, as: UTF8.self).contains("Satchel Sync Fixture Server"))
        }
        #expect(easy.connectionsOpened == 1)
        let chain = easy.lastCertificateChain
        let leaf = try #require(chain.first)
        #expect(leaf.subject.contains("127.0.0.1"))
        #expect(leaf.issuer.contains("Satchel Sync Fixture Throwaway CA"))
        #expect(!leaf.notBefore.isEmpty && !leaf.notAfter.isEmpty)
        #expect(leaf.publicKeyPin == server.pin)
    }

    @Test("The right pin is accepted")
    func rightPin() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server) { $0.pinnedPublicKeys = [server.pin] })
        #expect(try easy.perform(HTTPRequest(url: server.base + "/metadata")).status == 200)
    }

    @Test("PUT a Patient: 201, then 200, on one connection")
    func putPatientTwice() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let id = UUID().uuidString.lowercased()
        let first = try putPatient(easy, base: server.base, id: id)
        #expect(first.status == 201)
        #expect(first.headers["etag"] == #"W/"1""#)
        #expect(classify(first, now: Date()) == .success)
        let second = try putPatient(easy, base: server.base, id: id, body: patientJSON(id: id, family: "McTestface-Smith"))
        #expect(second.status == 200)
        #expect(second.headers["etag"] == #"W/"2""#)
        #expect(easy.connectionsOpened == 1)
        let stats = try server.stats()
        #expect(stats["write_requests"] as? Int == 2)
        #expect(stats["total"] as? Int == 1)
    }

    @Test("POST with an empty body and a large body")
    func postBodies() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        // Empty body: the server must answer (400, not valid JSON), not hang waiting.
        let empty = try easy.perform(HTTPRequest(method: "POST", url: server.base + "/Patient", headers: [("Content-Type", "application/fhir+json")]))
        #expect(empty.status == 400)
        // A body with a NUL-free but large payload, sent by size, not strlen.
        let id = UUID().uuidString.lowercased()
        let family = String(repeating: "x", count: 200_000)
        let big = try putPatient(easy, base: server.base, id: id, body: patientJSON(id: id, family: family))
        #expect(big.status == 201)
    }
}
