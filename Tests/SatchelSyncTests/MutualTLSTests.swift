// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelCore
import SatchelTestSupport
import Testing
@testable import SatchelSync

/// A server that requires a client certificate (mutual TLS), reached without one: TLS 1.3
/// ends the connection at the first read, which libcurl reports as a receive error. It
/// must read as a refusal that a setting fixes, naming the keys — never as a network
/// outage to retry. Whether libcurl reads the alert or fails first while sending the
/// request depends on timing, so both a GET and a PUT with a body are tried, TLS 1.3 and 1.2.
@Suite("A server that requires a client certificate")
struct MutualTLSTests {
    @Test("without a client certificate: .auth, naming client-cert and client-key, nothing sent", arguments: ["GET", "PUT"], ["client-cert", "client-cert-tls1.2"])
    func noCertificateOffered(method: String, variant: String) throws {
        let server = try FixtureServer(tls: variant)
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server) { $0.destination = "police" })
        let error = try #require(#expect(throws: SyncError.self) {
            method == "GET" ? try easy.perform(HTTPRequest(url: server.base + "/metadata")) : try putPatient(easy, base: server.base)
        })
        #expect(error.code == .auth, "\(error)")
        #expect(!error.code.isTransport)
        #expect(error.message == """
            \(server.base) requires a client certificate (mutual TLS) and ended the connection because none was offered, so nothing was sent. \
            Set client-cert and client-key in [destination.police] in config.toml to the certificate and key files your administrator gave you \
            (a passphrase for the key: `satchel destination secret police --which key-passphrase`), then run `satchel destination confirm police`. \
            The records stay queued; syncing again before then changes nothing.
            """)
        #expect(error.curlCode != nil && error.detail != nil, "the cause rides along for the log")
        #expect(try server.requests() == 0)
    }

    @Test("with the client certificate the same server takes the request")
    func certificateOffered() throws {
        let server = try FixtureServer(tls: "client-cert")
        defer { server.stop() }
        let easy = try CurlEasy(settings: fixtureSettings(server) {
            $0.clientCertificate = server.clientCertificate
            $0.clientKey = server.clientKey
        })
        #expect(try putPatient(easy, base: server.base).status == 201)
    }

    @Test("a sync stops at once for that destination: records stay queued, no retry, no outage, no security warning")
    func syncIsNotRetried() throws {
        let server = try FixtureServer(tls: "client-cert")
        defer { server.stop() }
        let t = try TemporaryVault()
        defer { t.remove() }
        var destination = Destination(
            name: "police", baseURL: server.base, rule: SharingRule(destination: "police", kinds: Set(RecordKind.allCases), agencyNames: []))
        destination.caFile = server.ca
        try t.vault.addDestination("police")
        let user = try SampleRecords.serviceUser(t.vault, name: "Testy McTestface", nhsNumber: "943 476 5919")
        _ = try SampleRecords.contact(t.vault, about: user, risk: .low)
        var settings = destination.transportSettings(keyPassphrase: nil)
        settings.proxy = ""
        let clock = FakeClock()
        let report = try PushEngine(vault: t.vault, destination: destination, transport: try CurlEasy(settings: settings), clock: clock, random: { 0.5 }).run()
        #expect(report.delivered == 0)
        #expect(report.securityWarning == nil)
        #expect(report.why?.hasPrefix("\(server.base) requires a client certificate (mutual TLS)") == true, "\(report)")
        #expect(report.why?.contains("couldn't reach") == false)
        #expect(report.stillQueued == 2)
        #expect(clock.sleeps.isEmpty, "a refusal that needs a fix is not retried")
        #expect(try server.writeRequests() == 0)
    }
}
