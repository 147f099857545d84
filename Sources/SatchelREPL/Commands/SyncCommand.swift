import ArgumentParser
import Foundation
import SatchelCore
import SatchelUseCases

/// `sync`: deliver the outbox to every configured destination.
struct SyncCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Deliver queued records to each destination as FHIR R4 over HTTPS (or as files, to a folder destination), then summarise per destination.",
        discussion: "See docs/sync.md for the states, retries, ordering and the sharing policy.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Only this destination.", valueName: "name")) var destination: String?
    @Flag(name: .customLong("dry-run"), help: "List what would be sent, in order; send nothing.") var dryRun = false
    @Flag(help: "Print the summaries as JSON.") var json = false

    func run(in door: Door) throws {
        var bars: [String: ProgressBar] = [:]
        let showBars = !json && isatty(STDERR_FILENO) == 1
        var reports = try door.session.sync(destination: destination, dryRun: dryRun) { name, done, total in
            let bar = bars[name] ?? ProgressBar(label: name, enabled: showBars)
            bars[name] = bar
            bar.update(done, total)
            if done >= total { bar.finish() }
        }
        let gaps = Self.privacyNoticeGaps(door, &reports)
        if json {
            try door.sayJSON(reports)
        } else {
            for r in reports { door.say(Self.render(r)) }
        }
        for gap in gaps { Console.error("Warning: \(gap.warning)") }
        if let purged = door.session.purgedBySync {
            // On stderr with --json, so standard output stays one JSON document.
            let line = "Purged \(purged.items.count) delivered record(s) past the retention period ([retention] purge-after-days): their content is no longer on this device."
            if json { Console.error(line) } else { door.say(line) }
        }
        if !dryRun { Self.nameOpenDrafts(door, json: json) }
        if reports.contains(where: { $0.securityWarning != nil }) {
            throw CommandFailure(status: .security, message: reports.compactMap(\.securityWarning).joined(separator: "\n"))
        }
        if reports.contains(where: { !$0.quarantined.isEmpty }) {
            throw CommandFailure(
                status: .integrity,
                message: "Some queued records failed the vault's integrity check and were not sent; the rest were. Run `satchel check`, keep this vault as it is and tell your team lead.")
        }
        if !dryRun, reports.contains(where: { $0.unconfirmed != nil }) {
            // Not confirmed as configured: 78; a confirmed definition changed inside the vault: 70.
            let states = (try? door.session.destinationConfirmations()) ?? [:]
            let damaged = reports.contains { r in
                if case .damaged? = states[r.destination] { return true }
                return false
            }
            throw CommandFailure(status: damaged ? .integrity : .config, message: reports.compactMap(\.unconfirmed).joined(separator: "\n"))
        }
        if !dryRun, reports.contains(where: { $0.stillQueued > 0 || !$0.rejected.isEmpty }) {
            throw CommandFailure(status: .incomplete, message: "")
        }
    }

    /// SIM guide §53: the people whose records went to, or wait for, these destinations
    /// with no privacy notice on record, noted on each summary. The deliveries are done by
    /// now, so a check that cannot be made is a warning, never an error hiding the summaries.
    static func privacyNoticeGaps(_ door: Door, _ reports: inout [DeliverySummary]) -> [Session.PrivacyNoticeGap] {
        do {
            let gaps = try door.session.privacyNoticeGaps(destinations: reports.map(\.destination))
            for i in reports.indices { reports[i].withoutPrivacyNotice = gaps.people(for: reports[i].destination) }
            return gaps
        } catch {
            Console.error("Warning: the privacy-notice check (SIM guide §53) could not be made: \(error)")
            return []
        }
    }

    /// Drafts are never delivered: the summary names each one still open, with how to finish it.
    static func nameOpenDrafts(_ door: Door, json: Bool) {
        guard let drafts = try? door.session.openDrafts(), !drafts.isEmpty else { return }
        let lines = ["Not finalised, so not delivered: \(drafts.count) draft\(drafts.count == 1 ? "" : "s")"]
            + drafts.map { "  draft \($0.kind) \($0.record) (\($0.serviceUser)), started \($0.startedAt): drafts --resume \($0.record)" }
        for line in lines { json ? Console.error(line) : door.say(line) }
    }

    static func render(_ r: DeliverySummary) -> String {
        let name = r.folder.map { "\(r.destination) (folder \($0))" } ?? r.destination
        if let unconfirmed = r.unconfirmed {
            return "\(name): nothing sent, \(r.stillQueued) still queued, \(r.held) held: \(unconfirmed)"
        }
        if let would = r.wouldSend {
            return (["\(name): would send \(would.count), \(r.held) held by the sharing policy"] + would.map { "  \($0)" }).joined(separator: "\n")
        }
        var lines = ["\(name): \(r.delivered) delivered, \(r.rejected.count) rejected, \(r.stillQueued) still queued, \(r.held) held by the sharing policy"]
        for x in r.rejected { lines.append("  rejected \(x.kind) \(x.record): \(x.reason)") }
        for x in r.quarantined { lines.append("  quarantined \(x.kind) \(x.record.prefix(8)): \(x.reason)") }
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
        drawn = false
    }
}
