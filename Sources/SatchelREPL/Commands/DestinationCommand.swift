import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `destination …`: the agencies' central systems.
struct DestinationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destination", abstract: "Configure the central systems records are delivered to.",
        subcommands: [Add.self, Confirm.self, List.self, Secret.self, Test.self])

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a destination to the configuration file (secrets go in the vault: see destination secret).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A short name: 1-64 letters, digits, - or _.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("The FHIR base URL (https only).", valueName: "url")) var url: String?
        @Option(help: ArgumentHelp("Instead of --url, for a system without an API: an absolute path to a folder (a mounted shared drive) that receives each record as a PDF and its FHIR JSON.", valueName: "path"))
        var folder: String?
        @Option(help: ArgumentHelp("The record kinds it may receive (repeatable): \(RecordKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
        var kind: [String] = []
        @Option(help: ArgumentHelp("A name a share consent may use for this agency (repeatable; default: the destination's name).", valueName: "name"))
        var agency: [String] = []
        @Option(help: ArgumentHelp("none, bearer or oauth2-client-credentials.", valueName: "auth")) var auth = "none"
        @Option(name: .customLong("token-url"), help: ArgumentHelp("The OAuth2 token endpoint.", valueName: "url")) var tokenURL: String?
        @Option(name: .customLong("client-id"), help: ArgumentHelp("The OAuth2 client id.", valueName: "id")) var clientID: String?
        @Option(name: .customLong("ca-file"), help: ArgumentHelp("A PEM file of certificate authorities to trust instead of the system's.", valueName: "file")) var caFile: String?
        @Option(name: .customLong("pin"), help: ArgumentHelp("A pinned public key, sha256//BASE64 (repeatable).", valueName: "pin")) var pins: [String] = []
        @Option(name: .customLong("batch-size"), help: ArgumentHelp("Records per bundle, 1-500 (default 25).", valueName: "n")) var batchSize: Int?
        @Flag(name: .customLong("allow-loopback-http"), help: "Allow plain http to a loopback address (tests only).") var allowLoopbackHTTP = false
        @Flag(help: "Do not ask: confirm a token URL on another host than the FHIR server (for scripts).") var yes = false

        func validate() throws {
            guard (url == nil) != (folder == nil) else {
                throw ValidationError("Give --url (a FHIR server) or --folder (a folder, for a system without an API): one of them.")
            }
        }

        func run(in door: Door) throws {
            var d = Session.NewDestination(name: name, url: url, folder: folder)
            (d.kinds, d.agencies, d.auth, d.tokenURL, d.clientID) = (kind, agency, auth, tokenURL, clientID)
            (d.caFile, d.pins, d.batchSize, d.allowLoopbackHTTP) = (caFile, pins, batchSize, allowLoopbackHTTP)
            let review = try door.session.reviewNewDestination(d)
            if let cross = review.crossHostTokenURL {
                door.say(Confirm.warning(cross))
                guard try door.confirm(yes: yes, command: "destination add") else {
                    throw CommandFailure(status: .refused, message: "Not added: nothing was written and nothing is sent to \(name).")
                }
            }
            let path = try door.session.addDestination(d)
            door.say("Added destination \(name) to \(path.path), confirmed as you typed it.")
            if auth != "none" { door.say("Now seal its \(auth == "bearer" ? "token" : "client secret") in the vault: destination secret \(name)") }
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the configured destinations and what they may receive.")
        @OptionGroup var global: GlobalOptions

        func run(in door: Door) throws {
            let listings = try door.session.destinationListings()
            if listings.isEmpty { door.say("No destinations configured.") }
            for d in listings {
                door.say("\(d.name): \(d.url)")
                door.say("  receives: \(d.kinds.joined(separator: ", "))")
                door.say("  consent names: \(d.agencyNames.joined(separator: ", "))" + (d.folder ? "" : "   auth: \(d.auth)   batch: \(d.batchSize)"))
                if !d.sealedSecrets.isEmpty { door.say("  sealed in the vault: \(d.sealedSecrets.joined(separator: ", "))") }
                if let unconfirmed = d.unconfirmed { door.say("  NOT CONFIRMED, nothing is sent to it: \(unconfirmed)") }
            }
        }
    }

    struct Secret: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "secret",
            abstract: "Seal a destination's token, client secret or key passphrase in the vault (read like a passphrase: never echoed, never an argument).",
            discussion: "With --passphrase-fd, the first line is your vault passphrase and the second the secret.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The destination.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("token, client-secret or key-passphrase (default: what the destination's auth needs).", valueName: "which")) var which: String?

        func run(in door: Door) throws {
            let kind = try door.session.secretKind(for: name, which: which)
            let value = try global.passphrases.read(prompt: "\(kind) for \(name): ")
            defer { value.wipe() }
            try door.session.sealSecret(destination: name, kind: kind, value)
            door.say("Sealed the \(kind) for \(name) in the vault.")
        }
    }
}

extension DestinationCommand {
    /// `destination confirm NAME`: the worker says this definition is where records go.
    struct Confirm: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: "Show a destination as config.toml defines it (or what changed since you confirmed it) and confirm it: until then nothing is sent to it.",
            discussion: "A destination new in config.toml, or whose URL, token URL, client id, auth, CA, pinned keys, proxy, client certificate, agency names, kinds or allow-loopback-http changed, receives nothing and gets no token request until you confirm it here. Held records are then asked about again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The destination.", valueName: "name")) var name: String
        @Flag(help: "Do not ask (for scripts): confirm what config.toml says now.") var yes = false

        func run(in door: Door) throws {
            let review = try door.session.reviewDestination(name)
            if review.state.isConfirmed {
                door.say("destination \(name) is confirmed as config.toml defines it; nothing to confirm.")
                return
            }
            door.say(Self.render(review))
            guard try door.confirm(yes: yes, command: "destination confirm") else {
                throw CommandFailure(status: .refused, message: "Not confirmed: nothing is sent to \(name) until you confirm it.")
            }
            let released = try door.session.confirmDestination(review)
            door.say("Confirmed destination \(name)." + (released > 0 ? " \(released) held record\(released == 1 ? "" : "s") released to its queue." : ""))
        }

        static func render(_ r: DestinationReview) -> String {
            var lines: [String] = []
            func table(_ rows: [(String, String)]) -> [String] {
                let width = (rows.map(\.0.count).max() ?? 0) + 2
                return rows.map { "  \($0.0.padding(toLength: width, withPad: " ", startingAt: 0))\($0.1)" }
            }
            switch r.state {
            case .changed(let changes) where !changes.isEmpty:
                lines.append("destination \(r.name) changed since you confirmed it:")
                lines += table(changes.map { ($0.key, "\($0.confirmed) → \($0.now)") })
            default:
                lines.append(r.state == .new
                    ? "destination \(r.name) is new. config.toml defines it as:"
                    : "destination \(r.name) has no confirmed definition to compare with. config.toml defines it as:")
                lines += table(r.settings.map { ($0.key, $0.value) })
            }
            if let cross = r.crossHostTokenURL { lines.append(warning(cross)) }
            return lines.joined(separator: "\n")
        }

        /// A token URL on another host than the FHIR server, in capitals.
        static func warning(_ cross: DestinationReview.CrossHost) -> String {
            "WARNING: the token URL is on another host (\(cross.tokenHost)) than the FHIR server (\(cross.fhirHost)): Satchel would send the OAuth2 client secret to \(cross.tokenHost). Confirm only if your team lead gave you this token URL."
        }
    }

    /// `destination test NAME`: can Satchel reach it, and what does it speak?
    struct Test: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Fetch the destination's /metadata and show its software, FHIR version, the capabilities Satchel will use, and the certificate it presented; for a folder, check it is there and writable.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The destination.", valueName: "name")) var name: String

        func run(in door: Door) throws {
            let p = try door.session.probe(destination: name)
            door.say("\(p.name): \(p.url)")
            if p.folder {
                door.say("  writes:       each record as a PDF and its FHIR R4 JSON, put in place whole (docs/sync.md)")
                return
            }
            door.say("  server:       \(p.software ?? "unnamed"), FHIR \(p.fhirVersion)")
            door.say("  writes:       " + (p.putWithClientIDs ? "PUT [type]/[record id] (update-as-create), batch Bundles" : "conditional create on the record identifier, batch Bundles"))
            door.say("  batch:        \(p.batch ? "supported" : "NOT supported: sync will fail")")
            for (i, c) in p.certificates.enumerated() {
                door.say("  certificate \(i): \(c.subject)")
                door.say("                 issued by \(c.issuer), valid \(c.notBefore) to \(c.notAfter)\(c.publicKeyPin.map { ", key \($0)" } ?? "")")
            }
        }
    }
}

extension Door {
    /// "Confirm? [y/N]" through the prompter: true for y or yes, false for n, no, Enter,
    /// Ctrl-C or Ctrl-D. With `yes` it does not ask; with nobody at a terminal and no
    /// `--yes` it is a usage error that says so.
    func confirm(yes: Bool, command: String) throws -> Bool {
        if yes { return true }
        guard prompter.isInteractive else {
            throw CommandFailure(
                status: .usage, message: "\(command): nobody is at a terminal to answer \"Confirm? [y/N]\". Run it from a terminal, or add --yes in a script.")
        }
        while true {
            guard case .answer(let line) = prompter.ask("Confirm? [y/N] ", completions: ["y", "n"]) else { return false }
            switch line.trimmingCharacters(in: .whitespaces).lowercased() {
            case "y", "yes": return true
            case "", "n", "no": return false
            default: say("Type y to confirm, or n (or Enter) to leave it as it is.")
            }
        }
    }
}
