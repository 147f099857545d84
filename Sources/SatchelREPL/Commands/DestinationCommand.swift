import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `destination …`: the agencies' central systems.
struct DestinationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destination", abstract: "Configure the central systems records are delivered to.",
        subcommands: [Add.self, List.self, Secret.self, Test.self])

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a destination to the configuration file (secrets go in the vault: see destination secret).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A short name: 1-64 letters, digits, - or _.", valueName: "name")) var name: String
        @Option(help: ArgumentHelp("The FHIR base URL (https only).", valueName: "url")) var url: String
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

        func run(in door: Door) throws {
            var d = Session.NewDestination(name: name, url: url)
            (d.kinds, d.agencies, d.auth, d.tokenURL, d.clientID) = (kind, agency, auth, tokenURL, clientID)
            (d.caFile, d.pins, d.batchSize, d.allowLoopbackHTTP) = (caFile, pins, batchSize, allowLoopbackHTTP)
            let path = try door.session.addDestination(d)
            door.say("Added destination \(name) to \(path.path).")
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
                door.say("  consent names: \(d.agencyNames.joined(separator: ", "))   auth: \(d.auth)   batch: \(d.batchSize)")
                if !d.sealedSecrets.isEmpty { door.say("  sealed in the vault: \(d.sealedSecrets.joined(separator: ", "))") }
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
    /// `destination test NAME`: can Satchel reach it, and what does it speak?
    struct Test: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Fetch the destination's /metadata and show its software, FHIR version, the capabilities Satchel will use, and the certificate it presented.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The destination.", valueName: "name")) var name: String

        func run(in door: Door) throws {
            let p = try door.session.probe(destination: name)
            door.say("\(p.name): \(p.url)")
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
