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

/// One record queued for one destination.
public struct OutboxEntry: Sendable, Equatable {
    public let recordID: UUID
    public let destination: String
    public let state: OutboxState
    public let attempts: Int
    public let lastError: String?
    public let serverID: String?
    public let serverVersion: String?
}

extension Vault {
    /// Registers a destination. Every final record already there is held for it until
    /// the sharing policy has been asked (`release`), in the same transaction, so every
    /// final record has exactly one row — queued or held — per destination.
    public func addDestination(_ name: String) throws(VaultError) {
        let key = try requireKey()
        let valid = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
        guard valid else {
            throw VaultError(.invalidInput, "destination name: \"\(name)\" is not allowed. Use 1-64 letters, digits, '-' or '_'.")
        }
        let now = clock()
        do {
            try db.write { db in
                guard try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM destination WHERE name = ?"), arguments: [name]) == 0 else {
                    throw VaultError(.refused, "Destination \(name) already exists.")
                }
                try db.cachedStatement(sql: "INSERT INTO destination (name, added_at) VALUES (?, ?)")
                    .execute(arguments: [name, Timestamp.string(now)])
                try db.cachedStatement(sql: "INSERT INTO held (record_id, destination, reason, held_at) SELECT id, ?, ?, ? FROM record WHERE state = 'final'")
                    .execute(arguments: [name, Route.notYetChecked, Timestamp.string(now)])
                try AuditLog.append(db, .destinationAdded, actor: workerID, detail: name, at: now, anchorKey: key)
            }
        } catch { throw error.asVaultError("adding the destination") }
    }

    public func destinations() throws(VaultError) -> [String] {
        do { return try db.vaultRead { try String.fetchAll($0.cachedStatement(sql: "SELECT name FROM destination ORDER BY name")) } } catch {
            throw error.asVaultError("listing destinations")
        }
    }

    func route(_ db: Database, recordID: String, plan: RoutePlan, at date: Date) throws {
        for name in try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM destination")) {
            switch plan.route(for: name) {
            case .queue:
                try db.cachedStatement(sql: "INSERT INTO outbox (record_id, destination, queued_at) VALUES (?, ?, ?)")
                    .execute(arguments: [recordID, name, Timestamp.string(date)])
            case .hold(let reason):
                try db.cachedStatement(sql: "INSERT INTO held (record_id, destination, reason, held_at) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [recordID, name, reason, Timestamp.string(date)])
            }
        }
    }

    public func outbox(destination: String? = nil, state: OutboxState? = nil) throws(VaultError) -> [OutboxEntry] {
        var sql = "SELECT * FROM outbox WHERE 1"
        var args: [any DatabaseValueConvertible] = []
        if let destination { sql += " AND destination = ?"; args.append(destination) }
        if let state { sql += " AND state = ?"; args.append(state.rawValue) }
        sql += " ORDER BY queued_at, record_id"
        do {
            return try db.vaultRead { db in
                try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).compactMap { r in
                    guard let id = UUID(uuidString: r["record_id"]), let st = OutboxState(rawValue: r["state"]) else { return nil }
                    return OutboxEntry(
                        recordID: id, destination: r["destination"], state: st, attempts: r["attempts"],
                        lastError: openReason(r["last_error"], record: id, destination: r["destination"]),
                        serverID: r["server_id"], serverVersion: r["server_version"])
                }
            }
        } catch { throw error.asVaultError("reading the outbox") }
    }

    // MARK: - Reasons

    /// A server's reason (an OperationOutcome's diagnostics) may quote what it was sent,
    /// personal data included, so it is sealed like a body: "sealed:" + base64.
    func sealReason(_ reason: String, record: UUID, destination: String) throws(VaultError) -> String {
        let sealed = try Sealer.seal(Array(reason.utf8), associatedData: Self.reasonAD(record, destination, keyVersion), key: try requireKey())
        return "sealed:" + Data(sealed).base64EncodedString()
    }

    /// The reason in words; "(sealed)" while the vault is locked.
    func openReason(_ stored: String?, record: UUID?, destination: String) -> String? {
        guard let stored, stored.hasPrefix("sealed:") else { return stored }
        guard let record, let key = try? requireKey(), let data = Data(base64Encoded: String(stored.dropFirst(7))),
              let plain = try? Sealer.open([UInt8](data), associatedData: Self.reasonAD(record, destination, keyVersion), key: key)
        else { return "(sealed)" }
        return String(decoding: plain, as: UTF8.self)
    }

    static func reasonAD(_ record: UUID, _ destination: String, _ keyVersion: Int) -> [UInt8] {
        Array("satchel/outbox-reason/v1:\(record.key):\(destination):\(keyVersion)".utf8)
    }
}
