// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

/// A listening TCP socket on 127.0.0.1 that never accepts, to prove nobody connected.
final class Listener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            if fd >= 0 { close(fd) }
            throw FixtureServer.Failure(description: "could not listen on 127.0.0.1")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }

    deinit { close(fd) }

    /// True when a connection is waiting to be accepted.
    func hasPendingConnection() -> Bool {
        let client = accept(fd, nil, nil)
        if client >= 0 { close(client); return true }
        return false
    }
}

@Suite("URLs are refused before any connection")
struct RefusedURLTests {
    @Test("http:// to loopback is refused unless allowed", arguments: ["127.0.0.1", "localhost", "[::1]"])
    func loopbackHTTPNeedsPermission(host: String) throws {
        let listener = try Listener()
        let easy = try CurlEasy(settings: TransportSettings())
        let error = try #require(expectTransportFailure {
            try easy.perform(HTTPRequest(method: "PUT", url: "http://\(host):\(listener.port)/Patient/1", body: Array("{}".utf8)))
        })
        #expect(error.code == .refusedURL)
        #expect(error.curlCode == nil)
        #expect(easy.connectionsOpened == 0)
        #expect(!listener.hasPendingConnection())
    }

    @Test("Plain http to a non-loopback host is refused even when loopback http is allowed", arguments: [
        "http://192.0.2.1/metadata", "http://example.com/metadata", "http://127.0.0.1.example.com/metadata",
        "http://127.0.0.1@192.0.2.1/metadata", "http://[::ffff:192.0.2.1]/metadata", "http://0.0.0.0/metadata",
    ])
    func nonLoopbackHTTP(url: String) throws {
        var settings = TransportSettings()
        settings.allowLoopbackHTTP = true
        let easy = try CurlEasy(settings: settings)
        let started = Date()
        let error = try #require(expectTransportFailure { try easy.perform(HTTPRequest(url: url)) })
        #expect(error.code == .refusedURL, "\(url): \(error)")
        #expect(easy.connectionsOpened == 0)
        #expect(Date().timeIntervalSince(started) < 0.5)
    }

    @Test("Other schemes and malformed URLs are refused", arguments: [
        "ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1/", "127.0.0.1/metadata", "https://", "HTTP://192.0.2.1/",
    ])
    func otherSchemes(url: String) throws {
        var settings = TransportSettings()
        settings.allowLoopbackHTTP = true
        let easy = try CurlEasy(settings: settings)
        let error = try #require(expectTransportFailure { try easy.perform(HTTPRequest(url: url)) })
        #expect(error.code == .refusedURL, "\(url): \(error)")
        #expect(easy.connectionsOpened == 0)
    }

    @Test("Loopback http works when allowed (the control port)")
    func loopbackAllowed() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let stats = try server.stats()
        #expect(stats["write_requests"] as? Int == 0)
    }

    @Test("Header injection is refused before sending")
    func headerInjection() throws {
        let listener = try Listener()
        var settings = TransportSettings()
        settings.allowLoopbackHTTP = true
        let easy = try CurlEasy(settings: settings)
        let error = try #require(expectTransportFailure {
            try easy.perform(HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", headers: [("X-A", "b\r\nEvil: 1")]))
        })
        #expect(error.code == .other)
        #expect(!listener.hasPendingConnection())
    }

    @Test("An unreachable port is .offline")
    func unreachable() throws {
        let easy = try CurlEasy(settings: TransportSettings())
        let error = try #require(expectTransportFailure { try easy.perform(HTTPRequest(url: "https://127.0.0.1:1/metadata")) })
        #expect(error.code == .offline, "\(error)")
        #expect(error.curlCode == 7)
    }
}
