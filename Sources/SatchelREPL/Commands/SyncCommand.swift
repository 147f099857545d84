import ArgumentParser
import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// `sync`: deliver the outbox to every configured destination.
struct SyncCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Deliver queued records to each destination as FHIR R4 over HTTPS, then summarise per destination.",
        discussion: "See docs/sync.md for the states, retries, ordering and the sharing policy.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only this destination.", valueName: "name")) var destination: String?
    @Flag(name: .customLong("dry-run"), help: "List what would be sent, in order; send nothing.") var dryRun = false
    @Flag(help: "Print the summaries as JSON.") var json = false

    func run(in session: Session) throws {
        try session.reevaluateHeld()
        let targets = try destination.map { [try session.destination(named: $0)] } ?? session.config().destinations
        guard !targets.isEmpty else {
            throw CommandFailure(status: .config, message: "No destinations are configured. Add one with: destination add NAME --url https://…")
        }
        var reports: [DestinationReport] = []
        for d in targets {
            let bar = ProgressBar(label: d.name, enabled: !json && isatty(STDERR_FILENO) == 1)
            let report: DestinationReport
            do {
                let transport = try CurlEasy(settings: d.transportSettings(keyPassphrase: try session.vault.secret(d.secretName(.keyPassphrase))))
                let engine = PushEngine(vault: session.vault, destination: d, transport: transport)
                engine.progress = { done, total in bar.update(done, total) }
                report = engine.run(dryRun: dryRun)
            } catch let error as TransportError {
                var r = DestinationReport(destination: d.name)
                r.why = error.message
                report = r
            }
            bar.finish()
            if !json { session.say(Self.render(report)) }
            reports.append(report)
        }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            session.say(String(decoding: try e.encode(reports), as: UTF8.self))
        }
        if reports.contains(where: { $0.securityWarning != nil }) {
            throw CommandFailure(status: .security, message: reports.compactMap(\.securityWarning).joined(separator: "\n"))
        }
        if !dryRun, reports.contains(where: { $0.stillQueued > 0 || !$0.rejected.isEmpty }) {
            throw CommandFailure(status: .incomplete, message: "")
        }
    }

    static func render(_ r: DestinationReport) -> String {
        if let would = r.wouldSend {
            return (["\(r.destination): would send \(would.count), \(r.held) held by the sharing policy"] + would.map { "  \($0)" }).joined(separator: "\n")
        }
        var lines = ["\(r.destination): \(r.delivered) delivered, \(r.rejected.count) rejected, \(r.stillQueued) still queued, \(r.held) held by the sharing policy"]
        for x in r.rejected { lines.append("  rejected \(x.kind) \(x.record): \(x.reason)") }
        if let why = r.why, r.stillQueued > 0 || r.securityWarning != nil { lines.append("  still queued: \(why)") }
        return lines.joined(separator: "\n")
    }
}

/// Records done of total on a terminal, redrawn in place; never past 100%.
final class ProgressBar {
    let label: String
    let enabled: Bool
    private var drawn = false

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let d = min(max(done, 0), total)
        let width = 30
        let filled = d * width / total
        let line = "\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(d)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if enabled && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
