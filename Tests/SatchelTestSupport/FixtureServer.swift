// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import SatchelSync

/// The sync-fixtures FHIR server (sync-fixtures/server.py) as a child process on
/// 127.0.0.1, for one test. Start fails loudly (throws) rather than skipping.
/// Self-contained: Foundation plus `CurlEasy` (plain http to its loopback control port).
public final class FixtureServer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public let port: Int
    public let base: String
    public let ca: String
    public let pin: String
    public let control: String
    public let cert: String
    /// With `--tls client-cert`: a client certificate and key from the server's CA (mutual TLS).
    public let clientCertificate: String?
    public let clientKey: String?
    public let directory: URL
    private let process: Process
    private let controlClient: CurlEasy

    /// This checkout's sync-fixtures directory.
    public static var fixturesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sync-fixtures").path
    }

    public init(tls: String = "normal", arguments: [String] = [], readyTimeout: Double = 20) throws {
        let fixtures = FixtureServer.fixturesDirectory
        let python = fixtures + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "sync-fixtures venv missing at \(python): run \(fixtures)/setup-venv.sh")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("satchel-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stderrURL = directory.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)

        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [fixtures + "/server.py", "--port", "0",
                             "--db", directory.appendingPathComponent("db.sqlite").path,
                             "--state-dir", directory.appendingPathComponent("state").path,
                             "--tls", tls] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        let child = process
        try FixtureServer.withTerminationSignalsUnblocked { try child.run() }

        let line: String
        do {
            line = try FixtureServer.readLine(stdout.fileHandleForReading.fileDescriptor, timeout: readyTimeout)
        } catch {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            throw Failure(description: "sync-fixture server (--tls \(tls)) did not start: \(error); exit \(process.terminationStatus); stderr: \(log)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            object["ready"] as? Bool == true,
            let port = object["port"] as? Int, let base = object["base"] as? String,
            let ca = object["ca"] as? String, let pin = object["pin"] as? String,
            let control = object["control"] as? String, let cert = object["cert"] as? String
        else {
            process.terminate()
            throw Failure(description: "sync-fixture server printed an unexpected ready line: \(line)")
        }
        (self.port, self.base, self.ca, self.pin, self.control, self.cert) = (port, base, ca, pin, control, cert)
        (clientCertificate, clientKey) = (object["client_cert"] as? String, object["client_key"] as? String)
        var settings = TransportSettings()
        settings.allowLoopbackHTTP = true
        settings.proxy = ""
        settings.lowSpeedTime = 10
        controlClient = try CurlEasy(settings: settings)
    }

    deinit { stop() }

    /// SIGTERM and wait (SIGKILL after 5 s); idempotent.
    public func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A child inherits the spawning thread's signal mask, and test-runner
    /// (dispatch) threads block SIGTERM, so the server would ignore `terminate()`.
    private static func withTerminationSignalsUnblocked(_ body: () throws -> Void) rethrows {
        var unblock = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try body()
    }

    /// Sends to `control + path` (e.g. "/stats") and decodes a JSON object.
    @discardableResult
    public func controlRequest(_ method: String, _ path: String, json: String? = nil) throws -> [String: Any] {
        var request = HTTPRequest(method: method, url: control + path)
        if let json {
            request.headers = [("Content-Type", "application/json")]
            request.body = Array(json.utf8)
        }
        let response = try controlClient.perform(request)
        guard (200...299).contains(response.status) else {
            throw Failure(description: "control \(method) \(path) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw Failure(description: "control \(method) \(path) did not answer a JSON object")
        }
        return object
    }

    /// Installs fault rules (replacing existing ones): the `{"rules": [...]}` JSON.
    public func setFaults(_ json: String) throws { try controlRequest("POST", "/faults", json: json) }

    public func stats() throws -> [String: Any] { try controlRequest("GET", "/stats") }

    /// PUT/POST requests that reached the FHIR endpoint.
    public func writeRequests() throws -> Int {
        guard let n = try stats()["write_requests"] as? Int else { throw Failure(description: "stats without write_requests") }
        return n
    }

    /// All requests that reached the FHIR endpoint (GET included).
    public func requests() throws -> Int {
        guard let n = try stats()["requests"] as? Int else { throw Failure(description: "stats without requests") }
        return n
    }

    private static func readLine(_ fd: Int32, timeout: Double) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var collected: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure(description: "no ready line within \(timeout) s") }
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(remaining * 1000))
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = read(fd, &byte, 1)
            guard n == 1 else { throw Failure(description: "stdout closed before the ready line") }
            if byte == 0x0A { return String(decoding: collected, as: UTF8.self) }
            collected.append(byte)
        }
    }
}
