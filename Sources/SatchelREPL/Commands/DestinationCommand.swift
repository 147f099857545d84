import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

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

        func run(in session: Session) throws {
            let path = try session.configPath.orThrow()
            var text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
            var lines = ["", "[destination.\(name)]", "url = \(TOMLSubset.quote(url))"]
            lines.append("kinds = [\((kind.isEmpty ? RecordKind.allCases.map(\.rawValue) : kind).map(TOMLSubset.quote).joined(separator: ", "))]")
            if !agency.isEmpty { lines.append("agency = [\(agency.map(TOMLSubset.quote).joined(separator: ", "))]") }
            lines.append("auth = \(TOMLSubset.quote(auth))")
            if let tokenURL { lines.append("token-url = \(TOMLSubset.quote(tokenURL))") }
            if let clientID { lines.append("client-id = \(TOMLSubset.quote(clientID))") }
            if let caFile { lines.append("ca-file = \(TOMLSubset.quote(caFile))") }
            if !pins.isEmpty { lines.append("pinned-keys = [\(pins.map(TOMLSubset.quote).joined(separator: ", "))]") }
            if let batchSize { lines.append("batch-size = \(batchSize)") }
            if allowLoopbackHTTP { lines.append("allow-loopback-http = true") }
            text += lines.joined(separator: "\n") + "\n"
            // Check the whole file as it would be, before writing anything.
            let config: SatchelConfig
            do { config = try SatchelConfig.parse(text) } catch { throw CommandFailure(status: .config, message: error.message) }
            guard config.destinations.filter({ $0.name == name }).count == 1 else {
                throw CommandFailure(status: .config, message: "destination \(name) already exists in \(path.path); edit it there.")
            }
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: path, options: .atomic)
            session.forgetConfig()
            session.registerDestinations()
            try session.reevaluateHeld()
            session.say("Added destination \(name) to \(path.path).")
            if auth != "none" { session.say("Now seal its \(auth == "bearer" ? "token" : "client secret") in the vault: destination secret \(name)") }
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the configured destinations and what they may receive.")
        @OptionGroup var global: GlobalOptions

        func run(in session: Session) throws {
            let config = try session.config()
            if config.destinations.isEmpty { session.say("No destinations configured.") }
            for d in config.destinations {
                session.say("\(d.name): \(d.baseURL)")
                session.say("  receives: \(d.rule.kinds.map(\.rawValue).sorted().joined(separator: ", "))")
                session.say("  consent names: \(d.rule.agencyNames.joined(separator: ", "))   auth: \(d.auth.name)   batch: \(d.batchSize)")
                let secrets = try Destination.SecretKind.allCases.filter { try session.vault.secret(d.secretName($0)) != nil }
                if !secrets.isEmpty { session.say("  sealed in the vault: \(secrets.map(\.rawValue).joined(separator: ", "))") }
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

        func run(in session: Session) throws {
            let d = try session.destination(named: name)
            let kind: Destination.SecretKind
            if let which {
                guard let k = Destination.SecretKind(rawValue: which) else {
                    throw CommandFailure(status: .badInput, message: "--which: \(FieldError.quote(which)) is not allowed. Allowed: token, client-secret, key-passphrase.")
                }
                kind = k
            } else {
                kind = d.auth == .bearer ? .token : .clientSecret
            }
            let value = try global.passphrases.read(prompt: "\(kind.rawValue) for \(name): ")
            defer { value.wipe() }
            try session.vault.setSecret(d.secretName(kind), value)
            session.say("Sealed the \(kind.rawValue) for \(name) in the vault.")
        }
    }
}

extension Optional where Wrapped == URL {
    func orThrow() throws -> URL {
        guard let self else { throw CommandFailure(status: .config, message: "No configuration file is known in this session.") }
        return self
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

        func run(in session: Session) throws {
            let d = try session.destination(named: name)
            let transport = try CurlEasy(settings: d.transportSettings(keyPassphrase: try session.vault.secret(d.secretName(.keyPassphrase))))
            let engine = PushEngine(vault: session.vault, destination: d, transport: transport)
            let capabilities: ServerCapabilities
            do {
                capabilities = try engine.fetchCapabilities()
            } catch let failure as SyncFailure {
                if case .transport(let e) = failure, e.kind == .tls {
                    throw CommandFailure(status: .security, message: "SECURITY: \(d.name) failed its TLS check: \(e.message)")
                }
                throw CommandFailure(status: .incomplete, message: "\(d.name): \(failure.message)")
            }
            session.say("\(d.name): \(d.baseURL)")
            session.say("  server:       \(capabilities.software ?? "unnamed"), FHIR \(capabilities.fhirVersion)")
            let put = PushEngine.writtenTypes.allSatisfy { capabilities.writeMode(for: $0) == .putWithClientIDs }
            session.say("  writes:       " + (put ? "PUT [type]/[record id] (update-as-create), batch Bundles" : "conditional create on the record identifier, batch Bundles"))
            session.say("  batch:        \(capabilities.batch ? "supported" : "NOT supported: sync will fail")")
            for (i, c) in transport.lastCertificateChain.enumerated() {
                session.say("  certificate \(i): \(c.subject)")
                session.say("                 issued by \(c.issuer), valid \(c.notBefore) to \(c.notAfter)\(c.publicKeyPin.map { ", key \($0)" } ?? "")")
            }
        }
    }
}
