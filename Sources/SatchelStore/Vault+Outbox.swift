import Foundation
import GRDB
import SatchelCore

/// Where an outbox row is on its way to one destination.
public enum OutboxState: String, CaseIterable, Codable, Sendable {
    case pending
    case inFlight = "in-flight"
    case delivered
    case rejected
}

/// How a record was first sent to a destination: the mode stays with the row, so a
/// record first sent by conditional create is never later written under its own id
/// (docs/sync.md, "Write modes").
public enum OutboxWriteMode: String, CaseIterable, Codable, Sendable {
    /// `PUT Type/<record id>`.
    case put
    /// `POST Type` with `If-None-Exist: identifier=…`; the server picks the id.
    case conditionalCreate = "conditional-create"
}

/// One record queued for one destination.
public struct OutboxEntry: Sendable, Equatable {
    public let recordID: UUID
    public let destination: String
    public let state: OutboxState
    public let attempts: Int
    public let lastError: String?
    public let serverID: String?
    public let serverVersion: String?
    /// The disclosure (a `disclosure` record) this row was released under, when it goes
    /// on a lawful basis rather than consent; covered by the row's MAC.
    public let disclosureID: UUID?
    /// How the record was first sent to this destination (nil until its first attempt);
    /// covered by the row's MAC.
    public let writeMode: OutboxWriteMode?
    /// False when the row's MAC fails: its route, state or receipt was changed outside
    /// Satchel (or the vault is locked and it could not be checked). Never sent.
    public let intact: Bool
}

/// An outbox row as Satchel last verified or wrote it: its MAC-covered facts and its MAC.
/// An update guarded by it (`markInFlight`, `settle`) changes the row only while every
/// covered column and the MAC are still exactly these — a row whose MAC held when it was
/// read or written, and unchanged since, still holds — so the row needs no second read
/// and MAC check. A row changed in between (outside Satchel) matches no stamp: it is read
/// and checked again, and refused as before.
public struct OutboxStamp: Sendable {
    let facts: OutboxFacts
    let mac: Data

    /// The stamp of a row read from the outbox, nil when its MAC fails.
    init?(row: Row, keys: VaultKeys) {
        let facts = OutboxFacts(row: row)
        guard let mac = row["mac"] as Data?, keys.verify(.route, OutboxFacts.label, facts.fields, against: [UInt8](mac)) else { return nil }
        self.facts = facts
        self.mac = mac
    }

    init(facts: OutboxFacts, mac: Data) {
        self.facts = facts
        self.mac = mac
    }
}

extension Vault {
    /// Queues or holds a just-finalised record for every registered destination, each
    /// row with its MAC, so a route cannot be forged or swapped outside Satchel.
    func route(_ db: Database, recordID: String, plan: RoutePlan, at date: Date, keys: VaultKeys, audit: inout AuditLog.Batch) throws {
        for name in try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM destination")) {
            switch plan.route(for: name) {
            case .queue: try insertOutbox(db, recordID: recordID, destination: name, at: date, keys: keys)
            case .disclose(let disclosure):
                try insertOutbox(db, recordID: recordID, destination: name, at: date, disclosure: disclosure, keys: keys)
                try audit.append(db, .disclose, actor: workerID, record: recordID, detail: "\(name) \(disclosure.key)", at: date)
            case .hold(let reason): try insertHeld(db, recordID: recordID, destination: name, reason: reason, at: date, keys: keys)
            }
        }
    }

    func insertOutbox(_ db: Database, recordID: String, destination: String, at date: Date, disclosure: UUID? = nil, keys: VaultKeys) throws {
        let facts = OutboxFacts(recordID: recordID, destination: destination, queuedAt: Timestamp.string(date), disclosureID: disclosure?.key)
        try db.cachedStatement(sql: "INSERT INTO outbox (record_id, destination, queued_at, disclosure_id, mac) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [recordID, destination, facts.queuedAt, facts.disclosureID, facts.mac(keys)])
    }

    /// The outbox rows (all, or one record's), each marked intact or not (a row whose MAC
    /// fails is never sent).
    public func outbox(destination: String? = nil, state: OutboxState? = nil, record: UUID? = nil) throws(VaultError) -> [OutboxEntry] {
        let keys = try? requireKeys()
        var sql = "SELECT * FROM outbox WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let record { sql += " AND record_id = ?"; args.append(record.key) }
        if let destination { sql += " AND destination = ?"; args.append(destination) }
        if let state { sql += " AND state = ?"; args.append(state.rawValue) }
        sql += " ORDER BY queued_at, record_id"
        do {
            return try db.vaultRead { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).compactMap { outboxEntry($0, keys) }
            }
        } catch { throw error.asVaultError("reading the outbox") }
    }

    /// An outbox row as an entry, its MAC checked when the vault is unlocked (or as
    /// `intact` says, when the caller has checked it).
    func outboxEntry(_ r: Row, _ keys: VaultKeys?, intact: Bool? = nil) -> OutboxEntry? {
        guard let id = UUID(text: r["record_id"]), let st = OutboxState(rawValue: r["state"]) else { return nil }
        return OutboxEntry(
            recordID: id, destination: r["destination"], state: st, attempts: r["attempts"],
            lastError: openReason(r["last_error"], .outbox, record: id, destination: r["destination"]),
            serverID: r["server_id"], serverVersion: r["server_version"],
            disclosureID: (r["disclosure_id"] as String?).flatMap(UUID.init(uuidString:)),
            writeMode: (r["write_mode"] as String?).flatMap(OutboxWriteMode.init(rawValue:)),
            intact: intact ?? keys.map { OutboxFacts.isIntact(r, $0) } ?? false)
    }

    // MARK: - Reasons

    /// Which column a sealed reason lives in (part of its associated data).
    enum ReasonColumn: String {
        case outbox = "outbox-reason"
        case held = "held-reason"
    }

    /// A server's reason (an OperationOutcome's diagnostics) may quote what it was sent,
    /// personal data included; a held reason names a consent decision and its date. Both
    /// are sealed like a body: "sealed:" + base64.
    func sealReason(_ reason: String, _ column: ReasonColumn, record: UUID, destination: String, keys: VaultKeys) throws(VaultError) -> String {
        let sealed = try Sealer.seal(Array(reason.utf8), associatedData: Self.reasonAD(column, record, destination, keyVersion), key: keys.data)
        return "sealed:" + Data(sealed).base64EncodedString()
    }

    /// The reason in words; "(sealed)" while the vault is locked or when it does not open.
    func openReason(_ stored: String?, _ column: ReasonColumn, record: UUID?, destination: String) -> String? {
        guard let stored, stored.hasPrefix("sealed:") else { return stored }
        guard let record, let keys = try? requireKeys(), let data = Data(base64Encoded: String(stored.dropFirst(7))),
              let plain = try? Sealer.open([UInt8](data), associatedData: Self.reasonAD(column, record, destination, keyVersion), key: keys.data)
        else { return "(sealed)" }
        return String(decoding: plain, as: UTF8.self)
    }

    static func reasonAD(_ column: ReasonColumn, _ record: UUID, _ destination: String, _ keyVersion: Int) -> [UInt8] {
        Array("satchel/\(column.rawValue)/v1:\(record.key):\(destination):\(keyVersion)".utf8)
    }
}
