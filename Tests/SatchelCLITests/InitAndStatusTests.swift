import Foundation
import SatchelTestSupport
import Testing

/// The real binary, driven the way a script drives it.
@Suite("satchel init and status, non-interactively")
struct InitAndStatusTests {
    let passphrase = "correct horse battery staple\n"

    @Test("init then status --json with the passphrase on descriptor 3")
    func initThenStatus() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        let created = try ChildProcess.runSatchel(
            ["--home", home, "--passphrase-fd", "3", "init", "--name", "Test Mentor", "--role", "clinician"], fd3: passphrase)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout == "Vault created in \(home) (role: clinician).\n")

        let status = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "status", "--json"], fd3: passphrase)
        #expect(status.status == 0, "\(status.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let worker = try #require(json["worker"] as? [String: Any])
        #expect(worker["name"] as? String == "Test Mentor")
        #expect(worker["role"] as? String == "clinician")
        #expect(json["vault"] as? String == home)
        let audit = try #require(json["audit"] as? [String: Any])
        #expect(audit["length"] as? Int == 1)
        #expect((audit["head"] as? String)?.count == 64)
        let records = try #require(json["records"] as? [String: [String: Int]])
        #expect(records["contact"] == ["draft": 0, "final": 0])

        let verify = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3", "audit", "verify"], fd3: passphrase)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("Audit log intact: 1 entries"))
    }

    @Test("every file satchel makes is the worker's alone (umask 077): the vault, its directory, config.toml")
    func filesArePrivate() throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        let config = dir.appendingPathComponent("conf/config.toml").path
        let made = try ChildProcess.runSatchel(
            ["--home", home, "--passphrase-fd", "3", "init", "--name", "Test Mentor", "--role", "clinician"], fd3: passphrase)
        #expect(made.status == 0, "\(made.stderr)")
        let added = try ChildProcess.runSatchel(
            ["--home", home, "--config", config, "--passphrase-fd", "3", "destination", "add", "nhs-epr", "--url", "https://nhs-epr.invalid/R4"],
            fd3: passphrase)
        #expect(added.status == 0, "\(added.stderr)")
        var paths = [home, config, dir.appendingPathComponent("conf").path]
        paths += try FileManager.default.contentsOfDirectory(atPath: home).map { "\(home)/\($0)" }
        for path in paths {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0, "\(path) is \(String(mode, radix: 8))")
        }
    }

    /// A police worker's vault made by `satchel init` in a fresh directory, and the
    /// options that reach it with the passphrase on descriptor 3.
    func initialised() throws -> (dir: URL, home: String, base: [String]) {
        let dir = try TemporaryVault.makeDirectory()
        let home = dir.appendingPathComponent("vault").path
        let base = ["--home", home, "--passphrase-fd", "3"]
        let made = try ChildProcess.runSatchel(base + ["init", "--name", "Test Mentor", "--role", "police"], fd3: passphrase)
        guard made.status == 0 else { throw ChildProcess.Failure(message: made.stderr) }
        return (dir, home, base)
    }

    @Test("a vault directory others can enter is refused (exit 74) with the chmod to run; after it, the vault opens")
    func looseDirectoryRefused() throws {
        let (dir, home, base) = try initialised()
        defer { try? FileManager.default.removeItem(at: dir) }
        chmod(home, 0o755)
        let refused = try ChildProcess.runSatchel(base + ["status"], fd3: passphrase)
        #expect(refused.status == 74)
        #expect(refused.stderr == "The vault directory \(home) has mode 0755; it must be 0700 (yours alone). Run: chmod 700 \(home)\n")
        chmod(home, 0o700)
        #expect(try ChildProcess.runSatchel(base + ["status"], fd3: passphrase).status == 0)
    }

    @Test("a one-shot command and the REPL both warn of the failed unlock attempts since the last unlock, once")
    func failedUnlockWarning() throws {
        let (dir, _, base) = try initialised()
        defer { try? FileManager.default.removeItem(at: dir) }
        let warning = "Warning: 2 failed unlock attempts since your last unlock (in the audit log; see `satchel audit verify`). "
            + "If they were not yours, tell your team lead.\n"
        for _ in 0..<2 { #expect(try ChildProcess.runSatchel(base + ["queue"], fd3: "not my passphrase at all\n").status == 77) }
        let shell = try ChildProcess.runSatchel(base + ["queue"], fd3: passphrase)
        #expect(shell.status == 0)
        #expect(shell.stderr == warning)
        #expect(try ChildProcess.runSatchel(base + ["queue"], fd3: passphrase).stderr == "")

        for _ in 0..<2 { #expect(try ChildProcess.runSatchel(base + ["queue"], fd3: "not my passphrase at all\n").status == 77) }
        let repl = try ChildProcess.runSatchel(base, fd3: passphrase, stdin: "status --json\n")
        #expect(repl.status == 0)
        #expect(repl.stderr == warning)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(repl.stdout.utf8)) as? [String: Any])
        #expect(json["failedUnlocksSinceLastUnlock"] as? Int == 2)
    }

    @Test("--idle-lock is taken by every command, checked, and refused inside the REPL")
    func idleLockOption() throws {
        let (dir, _, base) = try initialised()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try ChildProcess.runSatchel(base + ["queue", "--idle-lock", "5"], fd3: passphrase).status == 0)
        let outOfRange = try ChildProcess.runSatchel(base + ["queue", "--idle-lock", "0"], fd3: passphrase)
        #expect(outOfRange.status == 64)
        #expect(outOfRange.stderr.contains("--idle-lock: 0.0 is out of range. Allowed: more than 0 and at most 1440 minutes."))
        let inside = try ChildProcess.runSatchel(base, fd3: passphrase, stdin: "queue --idle-lock 5\n")
        #expect(inside.status == 64)
        #expect(inside.stderr == "--home, --passphrase-fd and --idle-lock are set when Satchel starts, not inside the REPL.\n")
    }

    @Test(
        "refusals have a clear message and a documented exit status",
        arguments: [
            (["init", "--name", "Test Mentor", "--role", "police"], "too short\n", Int32(65),
             "passphrase: too short (9 characters). Use at least 12 characters; a few unrelated words work well.\n"),
            (["init", "--role", "police"], "correct horse battery staple\n", Int32(65),
             "--name: required. Give it as a flag, or run from a terminal to be asked.\n"),
            (["status"], "correct horse battery staple\n", Int32(66), "No vault in HOME. Create one with `satchel init`.\n"),
        ])
    func refusals(arguments: [String], fd3: String, status: Int32, message: String) throws {
        let dir = try TemporaryVault.makeDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("vault").path
        let r = try ChildProcess.runSatchel(["--home", home, "--passphrase-fd", "3"] + arguments, fd3: fd3)
        #expect(r.status == status)
        #expect(r.stderr == message.replacingOccurrences(of: "HOME", with: home))
    }

    @Test("a wrong passphrase exits 77 with one message; passwd changes it")
    func wrongPassphraseAndPasswd() throws {
        let (dir, _, base) = try initialised()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrong = try ChildProcess.runSatchel(base + ["status"], fd3: "not my passphrase at all\n")
        #expect(wrong.status == 77)
        #expect(wrong.stderr == "Wrong passphrase. The vault stays locked; this failed attempt (1 since the last unlock) is in the audit log.\n")

        let changed = try ChildProcess.runSatchel(base + ["passwd"], fd3: passphrase + "another long passphrase\n")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("Warning: 1 failed unlock attempt since your last unlock"))
        #expect(try ChildProcess.runSatchel(base + ["status"], fd3: passphrase).status == 77)
        let ok = try ChildProcess.runSatchel(base + ["status"], fd3: "another long passphrase\n")
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("Worker:  Test Mentor (police)\n"))
        // passwd's successful unlock acknowledged the first failure; the old passphrase after it is the one that counts.
        #expect(ok.stderr.contains("Warning: 1 failed unlock attempt since your last unlock"))
    }
}
