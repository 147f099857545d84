// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Testing
@testable import SatchelSync

@Suite("One loopback rule for the config file and the transport")
struct LoopbackTests {
    @Test("Only localhost, 127.0.0.0/8 and ::1 are loopback", arguments: [
        ("localhost", true), ("LocalHost", true), ("127.0.0.1", true), ("127.0.0.2", true),
        ("127.255.255.254", true), ("[::1]", true), ("::1", true), ("[0:0:0:0:0:0:0:1]", true),
        ("127.example.com", false), ("127.0.0.1.example.com", false), ("localhost.example.com", false),
        ("128.0.0.1", false), ("10.0.0.1", false), ("0.0.0.0", false), ("[::]", false), ("[::2]", false),
        ("[::ffff:192.0.2.1]", false), ("example.com", false), ("", false),
    ])
    func hosts(host: String, isLoopback: Bool) {
        #expect(Loopback.contains(host: host) == isLoopback)
    }

    @Test("config.toml and the transport agree on which http URLs are allowed", arguments: [
        ("http://127.0.0.2:8080/fhir", true), ("http://localhost/fhir", true), ("http://[::1]:8080/fhir", true),
        ("http://127.example.com/fhir", false), ("http://127.0.0.1.example.com/fhir", false),
        ("http://127.0.0.1@192.0.2.1/fhir", false), ("http://[::2]/fhir", false),
    ])
    func bothDoors(url: String, allowed: Bool) {
        let configAccepts = (try? SatchelConfig.parse("[destination.t]\nurl = \"\(url)\"\nallow-loopback-http = true")) != nil
        #expect(configAccepts == allowed, "config.toml: \(url)")
        let transportAccepts = (try? CurlURL(url).validate(allowLoopbackHTTP: true)) != nil
        #expect(transportAccepts == allowed, "transport: \(url)")
    }
}
