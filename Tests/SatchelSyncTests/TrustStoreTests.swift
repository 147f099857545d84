// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelTestSupport
import SatchelSync
import Testing

/// Debian's libcurl trusts CURLOPT_CAPATH=/etc/ssl/certs next to any CAINFO. A test
/// cannot move libcurl's default directory, so `caPath` stands in for it: a hashed
/// directory holding the only CA the fixture server chains to.
@Suite("ca-file replaces the system trust store")
struct TrustStoreTests {
    @Test("A CA found only in a CA directory is refused when ca-file names another CA, trusted without ca-file")
    func caFileReplacesCADirectory() throws {
        let server = try FixtureServer()
        defer { server.stop() }
        let files = try TrustFiles()
        defer { files.remove() }
        let directory = try files.hashedDirectory(holding: server.ca)
        let otherCA = try files.otherCA()

        let replaced = try CurlEasy(settings: fixtureSettings(server) {
            $0.caFile = otherCA
            $0.caPath = directory
        })
        let error = try #require(expectTransportFailure { try putPatient(replaced, base: server.base) })
        #expect(error.code == .tls, "\(error)")
        #expect(try server.requests() == 0)
        #expect(try server.writeRequests() == 0)

        let directoryOnly = try CurlEasy(settings: fixtureSettings(server) {
            $0.caFile = nil
            $0.caPath = directory
        })
        #expect(try putPatient(directoryOnly, base: server.base).status == 201)
    }

    @Test("An unreadable CA directory is refused at init")
    func unreadableCADirectory() {
        var settings = TransportSettings()
        settings.caPath = "/nonexistent/ca.d"
        let error = #expect(throws: SyncError.self) { try CurlEasy(settings: settings) }
        #expect(error?.code == .tls)
        #expect(error?.message == "The trusted certificate directory /nonexistent/ca.d cannot be read. Check the path in the sync settings.")
    }
}

/// Certificates made with the `openssl` CLI in a temporary directory.
struct TrustFiles {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A directory where OpenSSL finds `caPEM` by its subject hash (`<hash>.0`).
    func hashedDirectory(holding caPEM: String) throws -> String {
        let directory = root.appendingPathComponent("ca.d")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hash = try Self.openssl(["x509", "-subject_hash", "-noout", "-in", caPEM])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.copyItem(atPath: caPEM, toPath: directory.appendingPathComponent("\(hash).0").path)
        return directory.path
    }

    /// A self-signed CA that signed nothing the fixture server presents.
    func otherCA() throws -> String {
        let pem = root.appendingPathComponent("other-ca.pem").path
        _ = try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", root.appendingPathComponent("other-ca.key").path, "-out", pem, "-days", "2",
            "-subj", "/CN=Satchel Test Unrelated CA", "-addext", "basicConstraints=critical,CA:TRUE",
        ])
        return pem
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private static func openssl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
