// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

@Suite("Network and server faults")
struct FaultTests {
    @Test("A stalled response times out after lowSpeedTime")
    func stall() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        try server.setFaults(#"{"rules": [{"fault": "stall", "seconds": 8, "then": "close", "match": {"method": "PUT"}}]}"#)
        let easy = try CurlEasy(settings: fixtureSettings(server) { $0.lowSpeedTime = 2 })
        let started = Date()
        let error = try #require(expectTransportFailure { try putPatient(easy, base: server.base) })
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.code == .timeout, "\(error)")
        #expect(elapsed >= 1.5 && elapsed < 6, "took \(elapsed) s")
    }

    /// Four bytes a second pass the low-speed limit and the stall check for ever; only
    /// the transfer time limit ends the request.
    @Test("A server trickling bytes times out after the transfer time limit")
    func trickle() throws {
        let server = try TricklingServer(interval: 0.25)
        defer { server.stop() }
        var settings = TransportSettings()
        settings.allowLoopbackHTTP = true
        settings.proxy = ""
        settings.lowSpeedTime = 10
        settings.totalTimeout = 2
        let easy = try CurlEasy(settings: settings)
        let started = Date()
        let error = try #require(expectTransportFailure { try easy.perform(HTTPRequest(url: server.base + "/metadata")) })
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.code == .timeout, "\(error)")
        #expect(error.curlCode == 28)
        #expect(error.detail?.contains("no data moved") == false, "\(error)")
        #expect(elapsed >= 1.8 && elapsed < 5, "took \(elapsed) s")
    }

    @Test("Truncated body, reset and commit-then-reset are .connectionLost", arguments: ["truncate", "reset", "commit-then-reset"])
    func connectionLost(fault: String) throws {
        let server = try FixtureServer()
        defer { server.stop() }
        try server.setFaults(#"{"rules": [{"fault": "\#(fault)", "match": {"method": "PUT"}}]}"#)
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let error = try #require(expectTransportFailure { try putPatient(easy, base: server.base) })
        #expect(error.code == .connectionLost, "\(fault): \(error)")
        let stored = try server.stats()["total"] as? Int
        #expect(stored == (fault == "reset" ? 0 : 1), "\(fault): stored \(String(describing: stored))")
        // The error never carries the body (personal data).
        #expect(!error.description.contains("McTestface"))
        #expect(!error.description.contains("/Patient/"))
    }

    /// libcurl silently re-sends a request once on a fresh connection when a
    /// *reused* connection dies before any response byte. Documented here so
    /// the sync layer knows a PUT/POST can arrive twice after a reset.
    @Test("A reset on a reused connection is retried once by libcurl")
    func resetOnReusedConnection() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        #expect(try easy.perform(HTTPRequest(url: server.base + "/metadata")).status == 200)
        try server.setFaults(#"{"rules": [{"fault": "reset", "match": {"method": "PUT"}}]}"#)
        let response = try putPatient(easy, base: server.base)
        #expect(response.status == 201)
        #expect(try server.writeRequests() == 2)
        #expect(easy.connectionsOpened == 2)
    }

    @Test("A captive portal's 200 text/html is returned with its content type")
    func captivePortal() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        try server.setFaults(#"{"rules": [{"fault": "captive-portal"}]}"#)
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let response = try easy.perform(HTTPRequest(url: server.base + "/metadata"))
        #expect(response.status == 200)
        #expect(response.contentType?.lowercased().hasPrefix("text/html") == true)
    }

    @Test("503 and 429 with Retry-After are throttled", arguments: [("503", 5), ("429", 7)])
    func throttled(fault: String, seconds: Int) throws {
        let server = try FixtureServer()
        defer { server.stop() }
        try server.setFaults(#"{"rules": [{"fault": "\#(fault)", "retry_after": \#(seconds)}]}"#)
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let response = try putPatient(easy, base: server.base)
        #expect(response.status == Int(fault))
        #expect(classify(response, now: Date()) == .throttled(retryAfter: Double(seconds)))
        #expect(try server.stats()["total"] as? Int == 0)
    }

    @Test("401 without a token is .auth; an invalid Patient is .rejected")
    func authAndRejected() throws {
        let server = try FixtureServer(arguments: ["--auth", "bearer"])
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server))
        let unauthorised = try putPatient(easy, base: server.base)
        #expect(unauthorised.status == 401)
        #expect(unauthorised.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(classify(unauthorised, now: Date()) == .auth)

        let open = try FixtureServer()
        defer { open.stop() }
        let easy2 = try CurlEasy(settings: fixtureSettings(open))
        let id = UUID().uuidString.lowercased()
        let invalid = #"{"resourceType":"Patient","id":"\#(id)","gender":"banana"}"#
        let rejected = try putPatient(easy2, base: open.base, id: id, body: Array(invalid.utf8))
        #expect(rejected.status == 422)
        #expect(classify(rejected, now: Date()) == .rejected)
    }
}
