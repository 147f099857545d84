import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

/// An unlocked vault and what the worker can do with it: the use cases both doors
/// (the shell and the REPL) share. It never prompts and never prints; it returns
/// values for the doors to render, and throws `UseCaseError` or `VaultError`.
///
/// The only place that combines the vault, the sharing policy and delivery.
public final class Session {
    public let vault: Vault
    let clock: @Sendable () -> Date
    /// The service user `open` made current; capture needs no `--user` then.
    public var openUser: UUID?
    private var index: [UUID: ServiceUser]?
    /// `FieldText.matchKey` of each indexed person's name, made once with the index: a
    /// name lookup compares keys, not every name split and lowercased again per command.
    private var nameKeys: [UUID: String] = [:]
    /// The Patients `caseload pull` stored, opened once per session to link pulled records
    /// to this device's people (every form asks); forgotten with the index, and after a
    /// pull or a drop.
    var pulledPatientsCache: [ReferenceResource]?
    /// Service-user records left out of the index because they failed their integrity check.
    private var damagedServiceUsers = 0

    /// Where the destinations are configured.
    public let configPath: URL?
    private var loadedConfig: SatchelConfig?
    /// Each destination's confirmation, read once per configuration read (`confirmationStates`).
    var confirmationCache: [String: DestinationConfirmation]?
    /// How sync reaches the destinations (libcurl unless a test says otherwise).
    let delivery: DeliveryEnvironment
    /// What the last `sync` purged (`[retention] purge-after-days`); nil when it purged nothing.
    public internal(set) var purgedBySync: PurgeReport?

    public init(
        vault: Vault, configPath: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() },
        delivery: DeliveryEnvironment? = nil
    ) {
        self.vault = vault
        self.configPath = configPath
        self.clock = clock
        self.delivery = delivery ?? .live(secret: vault.secret)
    }

    // MARK: - Configuration

    /// The destinations, read once. A broken file is an error naming the key.
    func config() throws(UseCaseError) -> SatchelConfig {
        if let loadedConfig { return loadedConfig }
        guard let configPath else { return SatchelConfig() }
        do {
            let c = try SatchelConfig.load(from: configPath)
            loadedConfig = c
            return c
        } catch {
            throw UseCaseError(.config, error.message)
        }
    }

    func forgetConfig() {
        loadedConfig = nil
        confirmationCache = nil
    }

    /// A configured destination, or an error naming what was typed.
    func destination(named name: String) throws(UseCaseError) -> Destination {
        guard let d = try config().destinations.first(where: { $0.name == name }) else {
            throw UseCaseError(.badInput, "destination: no destination \(FieldError.quote(name)). See destination list.")
        }
        return d
    }

    // MARK: - Service users

    /// Every service user, opened once per session (each read is audited). A person's
    /// record that fails its integrity check is left out (`satchel check` names it):
    /// nothing can be recorded against facts that were changed outside Satchel.
    public func serviceUsers() throws -> [UUID: ServiceUser] {
        if let index { return index }
        let ids = try vault.headers(state: .final, kind: .serviceUser).map(\.id)
        var loaded: [UUID: ServiceUser] = [:]
        let opened = try vault.readIntact(ids, purpose: .view, reason: "service-user index")
        damagedServiceUsers = opened.damaged.count
        // A person updated (`user update`) has several records with one subject: the newest is who they are now.
        for r in opened.records.sorted(by: { $0.header.finalisedOrCreatedAt < $1.header.finalisedOrCreatedAt }) {
            if let u = try? RecordCodec.decode(ServiceUser.self, from: r.body) { loaded[r.header.subjectID] = u }
        }
        index = loaded
        nameKeys = loaded.mapValues { FieldText.matchKey($0.name) }
        return loaded
    }

    /// Forgets what was opened (the idle lock wipes it with the keys).
    public func forgetIndex() {
        index = nil
        nameKeys = [:]
        pulledPatientsCache = nil
    }

    /// Adds a service user just saved to the index, if it is loaded, so the next command
    /// does not re-open (and re-audit) everyone.
    func remember(_ user: ServiceUser, id: UUID) {
        guard index != nil else { return }
        index?[id] = user
        nameKeys[id] = FieldText.matchKey(user.name)
    }

    /// Finds a service user by alias, id prefix, or name (exact, else a unique prefix);
    /// without a reference, the open one.
    public func resolveUser(_ reference: String?) throws -> (id: UUID, user: ServiceUser) {
        let users = try serviceUsers()
        guard let reference = reference?.trimmingCharacters(in: .whitespaces), !reference.isEmpty else {
            if let id = openUser, let u = users[id] { return (id, u) }
            throw UseCaseError(.badInput, "--user: which service user? Give --user ALIAS, or open one first (open ALIAS).")
        }
        // Alias, exact name, id prefix, unique name prefix: the first kind that matches
        // anyone decides, and the later kinds are not tried.
        let lowered = reference.lowercased()
        let key = FieldText.matchKey(reference)
        let matches: [(UUID, ServiceUser) -> Bool] = [
            { $1.alias == lowered },
            { id, _ in self.nameKeys[id] == key },
            { id, _ in reference.count >= 4 && id.lowercased.hasPrefix(lowered) },
            { id, _ in self.nameKeys[id]?.hasPrefix(key) ?? false },
        ]
        for match in matches {
            let candidates = users.filter { match($0.key, $0.value) }
            guard !candidates.isEmpty else { continue }
            guard candidates.count == 1, let hit = candidates.first else {
                let list = candidates.values.map { $0.alias ?? $0.initials }.sorted().joined(separator: ", ")
                throw UseCaseError(.badInput, "--user: \(FieldError.quote(reference)) matches \(candidates.count) service users (\(list)). Use the alias.")
            }
            return (hit.key, hit.value)
        }
        if damagedServiceUsers > 0 {
            throw VaultError(
                .integrity,
                "--user: no service user matches \(FieldError.quote(reference)), and \(damagedServiceUsers) service-user record(s) in this vault were changed outside Satchel and are not shown. Run `satchel check`, keep this vault as it is and tell your team lead.")
        }
        throw UseCaseError(.badInput, "--user: no service user matches \(FieldError.quote(reference)). See `user list`, or add them with `user add`.")
    }

    /// The initials of the open service user, if the index is loaded.
    public var openInitials: String? {
        guard let id = openUser else { return nil }
        return index?[id]?.initials
    }

    /// Service users' initials by id, for listings (a record's subject, or itself).
    func initials(of header: RecordHeader, in users: [UUID: ServiceUser]) -> String {
        users[header.kind == .serviceUser ? header.id : header.subjectID]?.initials ?? "?"
    }

    // MARK: - What is on record for a person

    /// What a form about `subject` needs to know. The bodies opened for it are not
    /// audited yet: their notes come back with the context, for the save that follows.
    /// Each read is of the few kinds it needs (`record_by_subject_kind`), or the newest
    /// record only, never the person's whole history; the latest grade per risk domain is
    /// read only for a risk entry (`riskByDomain`), the one form that shows it.
    func context(for subject: UUID?, riskByDomain: Bool = false) throws -> (FormContext, [ReadNote]) {
        var c = FormContext(now: clock(), role: vault.role)
        guard let subject else { return (c, []) }
        var reads: [ReadNote] = []
        // Defaults come from intact records only; a damaged one is named by `satchel check`.
        // The latest record that states a risk level: a letter or a referral states none. A
        // purged record's body is gone: the defaults come from what is still on the device.
        let latest = try vault.headers(subject: subject, state: .final, kinds: RecordKind.allCases.filter(\.statesRisk), purged: false, limit: 1)
        var lastRiskAt = Date.distantPast
        if let latest = latest.first, latest.intact {
            let opened = try vault.readForSave([latest.id], reason: "risk default")
            reads += opened.reads
            c.lastRisk = opened.records.first.flatMap { RecordCodec.statedRisk($0.body) }
            lastRiskAt = latest.finalisedOrCreatedAt
        }
        var domainAt: [RiskDomain: Date] = [:]
        // Newest first until each domain has its grade: all of them when one domain was never graded.
        for h in try riskByDomain ? vault.headers(subject: subject, state: .final, kind: .risk, purged: false) : [] where h.intact {
            guard c.lastRiskByDomain.count < RiskDomain.allCases.count else { break }
            let opened = try vault.readForSave([h.id], reason: "risk change")
            reads += opened.reads
            guard let r = opened.records.first, let e = try? RecordCodec.decode(RiskAssessmentEntry.self, from: r.body) else { continue }
            if c.lastRiskByDomain[e.domain] == nil {
                c.lastRiskByDomain[e.domain] = e.grade
                domainAt[e.domain] = h.finalisedOrCreatedAt
            }
        }
        // A colleague's records pulled from a central system count when newer than this device's.
        let pulled = try pulledRecords(for: subject)
        // What the form uses of them (a colleague's grades and involvement consents) is
        // audited with the save, like this device's own records read for it.
        reads += vault.readNotes(pulled: pulled.filter { ["RiskAssessment", "Consent"].contains($0.resourceType) }, reason: "pulled risk and consent check")
        let pulledRisks = Self.pulledRisks(pulled)
        if let newest = pulledRisks.first, newest.assessedAt > lastRiskAt { c.lastRisk = newest.grade }
        for risk in pulledRisks.reversed() where riskByDomain {
            guard let domain = risk.domain, risk.assessedAt > domainAt[domain] ?? .distantPast else { continue }
            c.lastRiskByDomain[domain] = risk.grade
            domainAt[domain] = risk.assessedAt
        }
        let (ids, damaged) = try consentIDs(for: subject)
        let opened = try vault.readForSave(ids, reason: "consent check")
        c.consents = Self.ledger(opened.records, damaged: damaged, pulled: pulled.compactMap(PulledRecords.involvement))
        let disclosureIDs = try vault.headers(subject: subject, state: .final, kind: .disclosure).filter(\.intact).map(\.id)
        if !disclosureIDs.isEmpty {
            let grants = try vault.readForSave(disclosureIDs, reason: "disclosure check")
            c.disclosures = Self.grants(grants.records)
            reads += grants.reads
        }
        let standing = try standingForSave(of: subject)
        c.standing = standing.standing
        c.standing.engagement = Engagement(c.consents)
        return (c, reads + opened.reads + standing.reads)
    }

    /// Every final consent decision on record for a person, oldest first (each read audited).
    func consents(for subject: UUID) throws -> ConsentLedger {
        let (ids, damaged) = try consentIDs(for: subject)
        return Self.ledger(try vault.read(ids, reason: "consent check"), damaged: damaged)
    }

    /// A person's intact final consents, and whether any failed its integrity check
    /// (then nothing is shared on their ledger: `SharingPolicy`).
    private func consentIDs(for subject: UUID) throws -> (ids: [UUID], damaged: Bool) {
        let headers = try vault.headers(subject: subject, state: .final, kind: .consent)
        return (headers.filter(\.intact).map(\.id), headers.contains { !$0.intact })
    }

    /// `pulled`: a colleague's involvement consents (`PulledRecords.involvement`), for the
    /// present-person check; they name no agency, so sharing is decided by this device's.
    static func ledger(_ records: [StoredRecord], damaged: Bool = false, pulled: [ConsentLedger.Entry] = []) -> ConsentLedger {
        var entries: [ConsentLedger.Entry] = pulled
        for r in records {
            guard let consent = try? RecordCodec.decode(Consent.self, from: r.body) else { continue }
            entries.append(.init(consent: consent, recordedAt: r.header.finalisedOrCreatedAt))
        }
        return ConsentLedger(entries.sorted { $0.recordedAt < $1.recordedAt }, damaged: damaged)
    }
}

@available(*, unavailable)
extension Session: Sendable {}

extension Session {
    /// Where the configuration file is: `--config FILE`, else
    /// `$XDG_CONFIG_HOME/satchel/config.toml`, else `~/.config/satchel/config.toml`.
    public static func configPath(explicit: String?, environment: [String: String]) -> URL {
        SatchelConfig.path(explicit: explicit, environment: environment)
    }
}

extension Session {
    /// Wipes the keys and forgets every opened body (the REPL's `lock` and idle lock).
    public func lock() {
        vault.lock()
        forgetIndex()
    }

    /// Unlocks again after `lock()`.
    public func unlock(passphrase: SecretBytes) throws {
        try vault.unlock(passphrase: passphrase)
    }

    /// Aliases and names of the service users, for Tab completion (names escaped so
    /// they stay one word); empty when they cannot be read.
    public func userHandles() -> [String] {
        guard let users = try? serviceUsers() else { return [] }
        return users.values.flatMap { u in
            [u.alias, u.name.replacingOccurrences(of: " ", with: "\\ ")].compactMap { $0 }
        }.sorted()
    }
}
