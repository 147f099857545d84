import Foundation
import SatchelCore
import SatchelTestSupport
import SatchelUseCases
import Testing
@testable import SatchelREPL

/// `destination confirm` and `destination add` at the REPL: what is shown, and the
/// "Confirm? [y/N]" asked through the prompter.
@Suite("Confirming destinations at the REPL")
struct DestinationConfirmTests {
    final class Rig {
        let t: TemporaryVault
        let config: URL

        init(_ toml: String? = nil) throws {
            t = try TemporaryVault()
            config = t.directory.appendingPathComponent("config.toml")
            if let toml { try toml.write(to: config, atomically: true, encoding: .utf8) }
        }

        /// Runs a REPL whose prompter answers with `replies` (command lines and answers
        /// alike), then unlocks the vault again (the REPL locks it as it leaves). What the
        /// REPL said comes back without its banner and its "Locked." line.
        func repl(_ replies: [PromptReply], interactive: Bool = true) throws -> (SatchelREPL.ExitStatus, ScriptedPrompter, [String]) {
            let input = ScriptedPrompter(replies, interactive: interactive)
            let door = Door(session: Session(vault: t.vault, configPath: config), prompter: input)
            let status = Repl(door: door, input: input, bail: true).run()
            try t.vault.unlock(passphrase: try TemporaryVault.secret(TemporaryVault.passphrase))
            let said = input.said.dropFirst()
            return (status, input, Array(said.last == "Locked." ? said.dropLast() : said))
        }

        deinit { t.remove() }
    }

    static let toml = """
        [destination.nhs-epr]
        url = "https://fhir.example.invalid/R4"
        kinds = ["contact"]
        auth = "oauth2-client-credentials"
        token-url = "https://login.example.invalid/token"
        client-id = "satchel"
        """

    @Test("a new destination is shown in full, with the other-host token URL in a WARNING; y confirms it, after a reply that is neither")
    func confirmNew() throws {
        let rig = try Rig(Self.toml)
        let (status, out, said) = try rig.repl([.answer("destination confirm nhs-epr"), .answer("maybe"), .answer("y"), .answer("destination confirm nhs-epr")])
        #expect(status == .success)
        #expect(said.first == """
            destination nhs-epr is new. config.toml defines it as:
              url                  https://fhir.example.invalid/R4
              auth                 oauth2-client-credentials
              token-url            https://login.example.invalid/token
              client-id            satchel
              pinned-keys          (none)
              agency               nhs-epr
              kinds                contact, service-user
              allow-loopback-http  false
            WARNING: the token URL is on another host (login.example.invalid) than the FHIR server (fhir.example.invalid): Satchel would send the OAuth2 client secret to login.example.invalid. Confirm only if your team lead gave you this token URL.
            """)
        #expect(out.prompts.filter { $0 == "Confirm? [y/N] " }.count == 2)
        #expect(said.contains("Type y to confirm, or n (or Enter) to leave it as it is."))
        #expect(said.contains("Confirmed destination nhs-epr."))
        #expect(said.last == "destination nhs-epr is confirmed as config.toml defines it; nothing to confirm.")
        #expect(try rig.t.vault.destinations() == ["nhs-epr"])
    }

    @Test("a changed destination shows only what changed, old → new", arguments: ["y", "yes", "Y"])
    func confirmChanged(answer: String) throws {
        let rig = try Rig(Self.toml)
        #expect(try rig.repl([.answer("destination confirm nhs-epr --yes")]).0 == .success)
        try Self.toml.replacingOccurrences(of: "fhir.example.invalid", with: "fhir-new.example.invalid")
            .write(to: rig.config, atomically: true, encoding: .utf8)
        let (status, _, said) = try rig.repl([.answer("destination confirm nhs-epr"), .answer(answer)])
        #expect(status == .success)
        #expect(said.first == """
            destination nhs-epr changed since you confirmed it:
              url  https://fhir.example.invalid/R4 → https://fhir-new.example.invalid/R4
            WARNING: the token URL is on another host (login.example.invalid) than the FHIR server (fhir-new.example.invalid): Satchel would send the OAuth2 client secret to login.example.invalid. Confirm only if your team lead gave you this token URL.
            """)
        let session = Session(vault: rig.t.vault, configPath: rig.config)
        #expect(try session.destinationConfirmations() == ["nhs-epr": .confirmed])
    }

    @Test("n, Enter, Ctrl-C and Ctrl-D leave it unconfirmed and unregistered", arguments: [
        PromptReply.answer("n"), .answer(""), .answer("no"), .interrupted, .endOfInput,
    ])
    func declined(reply: PromptReply) throws {
        let rig = try Rig(Self.toml)
        let (status, _, _) = try rig.repl([.answer("destination confirm nhs-epr"), reply])
        #expect(status == .refused)
        #expect(try rig.t.vault.destinations() == [])
    }

    @Test("with nobody at a terminal and no --yes it asks nothing and confirms nothing; --yes confirms")
    func scripts() throws {
        let rig = try Rig(Self.toml)
        let (status, out, _) = try rig.repl([.answer("destination confirm nhs-epr")], interactive: false)
        #expect(status == .usage)
        #expect(out.prompts.allSatisfy { $0 != "Confirm? [y/N] " })
        #expect(try rig.t.vault.destinations() == [])
        #expect(try rig.repl([.answer("destination confirm nhs-epr --yes")], interactive: false).0 == .success)
        #expect(try rig.t.vault.destinations() == ["nhs-epr"])
    }

    @Test("destination add asks before a token URL on another host: no writes nothing, yes adds it confirmed")
    func addCrossHost() throws {
        let rig = try Rig()
        let add = "destination add police --url https://fhir.police.invalid/R4 --auth oauth2-client-credentials --token-url https://login.elsewhere.invalid/token --client-id satchel"
        let (declined, _, said) = try rig.repl([.answer(add), .answer("n")])
        #expect(declined == .refused)
        #expect(said.first?.hasPrefix("WARNING: the token URL is on another host (login.elsewhere.invalid) than the FHIR server (fhir.police.invalid)") == true)
        #expect(!FileManager.default.fileExists(atPath: rig.config.path))
        #expect(try rig.t.vault.destinations() == [])
        #expect(try rig.repl([.answer(add)], interactive: false).0 == .usage)
        let (added, _, _) = try rig.repl([.answer(add), .answer("y")])
        #expect(added == .success)
        let session = Session(vault: rig.t.vault, configPath: rig.config)
        #expect(try session.destinationConfirmations() == ["police": .confirmed])
        // The same host: nothing to ask.
        let (plain, quiet, _) = try rig.repl([.answer("destination add ambulance --url https://fhir.ambulance.invalid/R4")], interactive: false)
        #expect(plain == .success)
        #expect(quiet.prompts.allSatisfy { $0 != "Confirm? [y/N] " })
    }
}
