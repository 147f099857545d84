import Foundation
import SatchelTestSupport

/// A worker's vault and one destination on the stand-in central system, driven through
/// the real binary: what the lawful-sharing and amendment tests share.
final class CentralSystemDesk {
    static let passphrase = "correct horse battery staple\n"
    let server: FixtureServer
    let dir: URL
    var base: [String] {
        ["--home", dir.appendingPathComponent("vault").path, "--config", dir.appendingPathComponent("config.toml").path, "--passphrase-fd", "3"]
    }

    /// `clientIDs` false: the server refuses update-as-create, so Satchel creates
    /// conditionally and the server picks the ids.
    init(role: String = "clinician", destination: String = "fixture", clientIDs: Bool = true) throws {
        server = try FixtureServer()
        dir = try TemporaryVault.makeDirectory()
        if !clientIDs { try server.controlRequest("POST", "/config", json: #"{"update_create": "no"}"#) }
        try ok(["init", "--name", "Test Mentor", "--role", role])
        try ok(["destination", "add", destination, "--url", server.base, "--ca-file", server.ca, "--agency", destination])
        try ok(["user", "add", "--name", "Testy McTestface", "--alias", "testy"])
    }

    func run(_ args: [String]) throws -> ChildProcess.Result {
        try ChildProcess.runSatchel(base + args, fd3: Self.passphrase)
    }

    @discardableResult
    func ok(_ args: [String]) throws -> ChildProcess.Result {
        let r = try run(args)
        guard r.status == 0 else { throw ChildProcess.Failure(message: "\(args.prefix(2).joined(separator: " ")): exit \(r.status): \(r.stderr)") }
        return r
    }

    /// Adds a record and returns its short id, read from "Saved and finalised KIND ID".
    func add(_ args: [String]) throws -> String {
        let out = try ok(args).stdout
        guard let range = out.range(of: #"finalised [a-z-]+ ([0-9a-f]{8})"#, options: .regularExpression) else {
            throw ChildProcess.Failure(message: "no record id in: \(out)")
        }
        return String(out[range].suffix(8))
    }

    /// The resources of a type the stand-in holds (their newest versions).
    func stored(_ type: String) throws -> [[String: Any]] {
        (try server.controlRequest("GET", "/resources?type=\(type)")["resources"] as? [[String: Any]]) ?? []
    }

    /// The actions in the vault's audit log (clear: identifiers and actions only).
    func auditActions() throws -> [String] {
        try VaultFileEditor.strings(dir.appendingPathComponent("vault/vault.sqlite").path, "SELECT action FROM audit ORDER BY seq")
    }

    /// The `view` entries of the audit log, each "RECORD REASON" (the record's key, or
    /// DEST/TYPE/ID for a pulled record).
    func auditViews() throws -> [String] {
        try VaultFileEditor.strings(dir.appendingPathComponent("vault/vault.sqlite").path,
                                    "SELECT record_id || ' ' || detail FROM audit WHERE action = 'view' ORDER BY seq")
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
