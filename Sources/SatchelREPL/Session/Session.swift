import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// An unlocked vault and the person in front of it. Every command that needs the
/// vault runs inside a session: a one-shot one from the shell, or the REPL's.
final class Session {
    let vault: Vault
    let prompter: any Prompter
    let clock: @Sendable () -> Date
    /// The service user `open` made current; commands need no `--user` then.
    var openUser: UUID?
    private var index: [UUID: ServiceUser]?

    /// Where the destinations are configured.
    let configPath: URL?
    private var loadedConfig: SatchelConfig?

    init(vault: Vault, prompter: any Prompter, configPath: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.vault = vault
        self.prompter = prompter
        self.configPath = configPath
        self.clock = clock
    }

    /// Unlocks with the global options, runs `body`, locks — whatever happens.
    static func oneShot(_ global: GlobalOptions, _ body: (Session) throws -> Void) throws {
        let vault = try global.unlock()
        defer { vault.lock() }
        let session = Session(vault: vault, prompter: StdioPrompter(), configPath: global.configPath)
        session.registerDestinations()
        try body(session)
    }

    func say(_ text: String) { prompter.say(text) }

    // MARK: - Configuration

    /// The destinations, read once. A broken file is an error naming the key.
    func config() throws -> SatchelConfig {
        if let loadedConfig { return loadedConfig }
        guard let configPath else { return SatchelConfig() }
        do {
            let c = try SatchelConfig.load(from: configPath)
            loadedConfig = c
            return c
        } catch {
            throw CommandFailure(status: .config, message: error.message)
        }
    }

    func forgetConfig() { loadedConfig = nil }

    /// Makes sure every configured destination is known to the vault (new ones hold
    /// what is already final until the policy is checked). A broken config is reported,
    /// not fatal: capture goes on, and new records are held until it is fixed.
    func registerDestinations() {
        do {
            let known = Set(try vault.destinations())
            for d in try config().destinations where !known.contains(d.name) {
                try vault.addDestination(d.name)
            }
        } catch {
            Console.error("Warning: \(error) Records you finalise are held, not queued, until this is fixed.")
        }
    }

    // MARK: - Service users

    /// Every service user, opened once per session (each read is audited).
    func serviceUsers() throws -> [UUID: ServiceUser] {
        if let index { return index }
        let ids = try vault.headers(state: .final, kind: .serviceUser).map(\.id)
        var loaded: [UUID: ServiceUser] = [:]
        for r in try vault.read(ids, reason: "service-user index") {
            if let u = PayloadJSON.decode(ServiceUser.self, from: r.body) { loaded[r.header.id] = u }
        }
        index = loaded
        return loaded
    }

    func forgetIndex() { index = nil }

    /// Adds a service user just saved to the index, if it is loaded, so the next command
    /// does not re-open (and re-audit) everyone.
    func remember(_ user: ServiceUser, id: UUID) {
        index?[id] = user
    }

    /// Finds a service user by alias, id prefix, or name (exact, else a unique prefix).
    func resolveUser(_ reference: String?) throws -> (id: UUID, user: ServiceUser) {
        let users = try serviceUsers()
        guard let reference = reference?.trimmingCharacters(in: .whitespaces), !reference.isEmpty else {
            if let id = openUser, let u = users[id] { return (id, u) }
            throw CommandFailure(status: .badInput, message: "--user: which service user? Give --user ALIAS, or open one first (open ALIAS).")
        }
        let key = FieldText.matchKey(reference)
        let byAlias = users.filter { $0.value.alias == reference.lowercased() }
        let byName = users.filter { FieldText.matchKey($0.value.name) == key }
        let byID = reference.count >= 4 ? users.filter { $0.key.uuidString.lowercased().hasPrefix(reference.lowercased()) } : [:]
        let byPrefix = users.filter { FieldText.matchKey($0.value.name).hasPrefix(key) }
        for candidates in [byAlias, byName, byID, byPrefix] where !candidates.isEmpty {
            guard candidates.count == 1, let hit = candidates.first else {
                let list = candidates.values.map { $0.alias ?? $0.initials }.sorted().joined(separator: ", ")
                throw CommandFailure(status: .badInput, message: "--user: \(FieldError.quote(reference)) matches \(candidates.count) service users (\(list)). Use the alias.")
            }
            return (hit.key, hit.value)
        }
        throw CommandFailure(status: .badInput, message: "--user: no service user matches \(FieldError.quote(reference)). See `user list`, or add them with `user add`.")
    }

    /// The initials shown at the prompt for the open service user.
    var openInitials: String? {
        guard let id = openUser else { return nil }
        return index?[id]?.initials
    }

    // MARK: - What is on record for a person

    /// Its reads are audited with the save that follows (`Vault.readForSave`): the
    /// caller flushes them before showing anything or when nothing is saved.
    func context(for subject: UUID?) throws -> FormContext {
        var c = FormContext(now: clock(), role: vault.role)
        guard let subject else { return c }
        let latest = try vault.headers(subject: subject, state: .final, excludingKind: .serviceUser, limit: 1)
        if let latest = latest.first, let r = try vault.readForSave([latest.id], reason: "risk default").first {
            c.lastRisk = PayloadJSON.decode(StatedRisk.self, from: r.body)?.currentRisk
        }
        for h in try vault.headers(subject: subject, state: .final, kind: .risk) {
            guard c.lastRiskByDomain.count < RiskDomain.allCases.count else { break }
            guard let r = try vault.readForSave([h.id], reason: "risk change").first,
                  let e = PayloadJSON.decode(RiskAssessmentEntry.self, from: r.body) else { continue }
            if c.lastRiskByDomain[e.domain] == nil { c.lastRiskByDomain[e.domain] = e.grade }
        }
        c.consents = try consents(for: subject, auditWithSave: true)
        return c
    }

    /// Every final consent decision on record for a person, oldest first (each read audited).
    func consents(for subject: UUID, auditWithSave: Bool = false) throws -> ConsentLedger {
        let ids = try vault.headers(subject: subject, state: .final, kind: .consent).map(\.id)
        let records = auditWithSave
            ? try vault.readForSave(ids, reason: "consent check") : try vault.read(ids, reason: "consent check")
        var entries: [ConsentLedger.Entry] = []
        for r in records {
            guard let consent = PayloadJSON.decode(Consent.self, from: r.body) else { continue }
            entries.append(.init(consent: consent, recordedAt: VaultTime.date(r.header.finalisedAt ?? r.header.createdAt)))
        }
        return ConsentLedger(entries.sorted { $0.recordedAt < $1.recordedAt })
    }
}

/// Any payload's stated risk (SIM guide §46), whatever its kind.
struct StatedRisk: Decodable {
    let currentRisk: RiskGrade
}

/// The vault's timestamps (ISO 8601, UTC, milliseconds) as dates.
enum VaultTime {
    static func date(_ text: String) -> Date {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? .distantPast
    }

    /// "23/11/2026 14:30", London time.
    static func display(_ text: String) -> String {
        FieldDate.display(date(text))
    }
}
