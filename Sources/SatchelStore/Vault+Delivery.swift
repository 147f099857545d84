import Foundation
import GRDB
import SatchelCore

/// What a central system's reply meant for one queued record.
public enum DeliveryResult: Sendable, Equatable {
    /// Stored by the server: its id ("Type/id") and version are the receipt.
    case delivered(serverID: String, version: String?)
    /// Refused for good (400/422 with the server's reason): quarantined, never retried.
    case rejected(reason: String)
    /// Not delivered this time (offline, throttled, a server error): stays queued.
    case retry(reason: String)
}

extension Vault {
    /// The outbox row of a record for a destination, refused when its MAC fails: a
    /// route forged outside Satchel is never sent nor settled.
    private func intactOutbox(_ db: Database, _ id: UUID, _ destination: String, keys: VaultKeys) throws -> OutboxFacts {
        let found = try Row.mapEach(db.cachedStatement(sql: "SELECT * FROM outbox WHERE record_id = ? AND destination = ?"), arguments: [id.key, destination]) { row in
            (facts: OutboxFacts(row: row), intact: OutboxFacts.isIntact(row, keys))
        }
        guard let row = found.first else {
            throw VaultError(.notFound, "Record \(id.key) is not queued for \(destination).")
        }
        guard row.intact else {
            throw VaultError(.integrity, "The outbox row of record \(id.key.prefix(8)) for \(destination) was changed outside Satchel; it is not sent. Run `satchel check`.")
        }
        return row.facts
    }

    /// Writes `f` over a row with its new MAC. With `stamp`, only while the row is still
    /// exactly the stamp (every MAC-covered column and the MAC): nil when it is not.
    /// Returns the stamp of what was written.
    private func update(
        _ db: Database, _ f: OutboxFacts, over stamp: OutboxStamp? = nil, attempt: Bool = false, lastError: String?? = nil, keys: VaultKeys
    ) throws -> OutboxStamp? {
        let mac = f.mac(keys)
        var sql = "UPDATE outbox SET state = ?, server_id = ?, server_version = ?, delivered_at = ?, write_mode = ?, mac = ?"
        var args: [(any DatabaseValueConvertible)?] = [f.state, f.serverID, f.serverVersion, f.deliveredAt, f.writeMode, mac]
        if attempt { sql += ", attempts = attempts + 1" }
        if let lastError { sql += ", last_error = ?"; args.append(lastError) }
        sql += " WHERE record_id = ? AND destination = ?"
        args += [f.recordID, f.destination]
        if let old = stamp?.facts, let oldMAC = stamp?.mac {
            sql += """
                 AND state = ? AND queued_at = ? AND server_id IS ? AND server_version IS ? AND delivered_at IS ?
                 AND disclosure_id IS ? AND write_mode IS ? AND mac = ?
                """
            args += [old.state, old.queuedAt, old.serverID, old.serverVersion, old.deliveredAt, old.disclosureID, old.writeMode, oldMAC]
        }
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(args))
        guard stamp == nil || db.changesCount == 1 else { return nil }
        return OutboxStamp(facts: f, mac: mac)
    }

    /// The row's facts for an update: from its stamp when it is one of this record's for
    /// this destination in `state` (the update is then guarded by the stamp), otherwise
    /// read and MAC-checked now.
    private func current(
        _ db: Database, _ id: UUID, _ destination: String, _ state: OutboxState, _ stamp: OutboxStamp?, keys: VaultKeys
    ) throws -> (facts: OutboxFacts, stamp: OutboxStamp?) {
        if let stamp, stamp.facts.recordID == id.key, stamp.facts.destination == destination, stamp.facts.state == state.rawValue {
            return (stamp.facts, stamp)
        }
        return (try intactOutbox(db, id, destination, keys: keys), nil)
    }

    /// Applies one row's move: over its stamp when it has one, and when the row is no
    /// longer exactly that, read and MAC-checked again (a row changed outside Satchel is
    /// refused there, as without a stamp).
    private func move(
        _ db: Database, _ id: UUID, _ destination: String, from state: OutboxState, _ stamp: OutboxStamp?, keys: VaultKeys,
        _ change: (inout OutboxFacts) throws -> (attempt: Bool, lastError: String??)
    ) throws -> OutboxStamp? {
        var (f, guardStamp) = try current(db, id, destination, state, stamp, keys: keys)
        let refusal = VaultError(.refused, "Record \(id.key) is not \(state == .pending ? "pending" : "in flight") for \(destination).")
        guard f.state == state.rawValue else { throw refusal }
        let how = try change(&f)
        if let done = try update(db, f, over: guardStamp, attempt: how.attempt, lastError: how.lastError, keys: keys) { return done }
        // Changed since it was stamped: the row as it is now, checked.
        f = try intactOutbox(db, id, destination, keys: keys)
        guard f.state == state.rawValue else { throw refusal }
        let again = try change(&f)
        return try update(db, f, attempt: again.attempt, lastError: again.lastError, keys: keys)
    }

    /// pending → in-flight for a whole bundle, in one transaction, before it is sent.
    /// `writeMode` is kept on a row at its first attempt and never changed after. With
    /// `stamps` (the rows as a page of the queue read them, MAC checked), a row still
    /// exactly as stamped is not read again. The `exports` of the bundle's records (opened
    /// by `openForSending`) are audited in the same commit, before anything is sent.
    /// Returns each row's stamp in flight, for `settle`.
    @discardableResult
    public func markInFlight(
        _ ids: [UUID], destination: String, writeMode: OutboxWriteMode? = nil, stamps: [UUID: OutboxStamp] = [:], exports: [ExportNote] = []
    ) throws(VaultError) -> [UUID: OutboxStamp] {
        let keys = try requireKeys()
        let now = clock()
        do {
            return try db.write { db in
                var out: [UUID: OutboxStamp] = [:]
                for id in ids {
                    out[id] = try move(db, id, destination, from: .pending, stamps[id], keys: keys) { f in
                        f.state = OutboxState.inFlight.rawValue
                        f.writeMode = f.writeMode ?? writeMode?.rawValue
                        return (true, nil)
                    }
                }
                try appendExports(db, exports, at: now, keys: keys)
                return out
            }
        } catch { throw error.asVaultError("marking records in flight") }
    }

    /// Applies a bundle's results in one transaction: receipts kept, rejections
    /// quarantined with the reason, the rest back to pending — and the audit log says so.
    /// With `stamps` (as `markInFlight` returned them), a row still exactly as stamped is
    /// not read again. Returns the stamps of the rows as written.
    @discardableResult
    public func settle(
        _ results: [(UUID, DeliveryResult)], destination: String, stamps: [UUID: OutboxStamp] = [:]
    ) throws(VaultError) -> [UUID: OutboxStamp] {
        let keys = try requireKeys()
        let now = clock()
        do {
            return try db.write { db in
                var audit = AuditLog.Batch(keys: keys)
                var out: [UUID: OutboxStamp] = [:]
                for (id, result) in results {
                    out[id] = try move(db, id, destination, from: .inFlight, stamps[id], keys: keys) { f in
                        switch result {
                        case .delivered(let serverID, let version):
                            f.state = OutboxState.delivered.rawValue
                            f.serverID = serverID
                            f.serverVersion = version
                            f.deliveredAt = Timestamp.string(now)
                            return (false, .some(nil))
                        case .rejected(let reason):
                            f.state = OutboxState.rejected.rawValue
                            return (false, try sealReason(reason, .outbox, record: id, destination: destination, keys: keys))
                        case .retry(let reason):
                            f.state = OutboxState.pending.rawValue
                            return (false, try sealReason(reason, .outbox, record: id, destination: destination, keys: keys))
                        }
                    }
                    switch result {
                    case .delivered: try audit.append(db, .deliver, actor: workerID, record: id.key, detail: destination, at: now)
                    case .rejected: try audit.append(db, .reject, actor: workerID, record: id.key, detail: destination, at: now)
                    case .retry: break
                    }
                }
                try audit.seal(db)
                return out
            }
        } catch { throw error.asVaultError("recording the delivery results") }
    }

    /// After a crash mid-sync: rows left in flight go back to pending. Resending them is
    /// safe — the server recognises each record by its id. A row whose MAC fails stays
    /// as it is (and is named by `satchel check`).
    @discardableResult
    public func recoverInFlight(destination: String) throws(VaultError) -> Int {
        let keys = try requireKeys()
        do {
            return try db.write { db in
                var recovered = 0
                for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE destination = ? AND state = 'in-flight'"), arguments: [destination])
                where OutboxFacts.isIntact(row, keys) {
                    var f = OutboxFacts(row: row)
                    f.state = OutboxState.pending.rawValue
                    _ = try update(db, f, lastError: "interrupted: sent again", keys: keys)
                    recovered += 1
                }
                return recovered
            }
        } catch { throw error.asVaultError("recovering interrupted deliveries") }
    }

    /// The records delivered to a destination (to know which people it already has).
    /// Only rows whose MAC holds count: a delivery forged outside Satchel does not.
    public func delivered(destination: String) throws(VaultError) -> Set<UUID> {
        let keys = try requireKeys()
        do {
            return try db.vaultRead { db in
                Set(try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE destination = ? AND state = 'delivered'"), arguments: [destination])
                    .filter { OutboxFacts.isIntact($0, keys) }
                    .compactMap { UUID(uuidString: $0["record_id"]) })
            }
        } catch { throw error.asVaultError("reading deliveries") }
    }
}

extension Vault {
    /// The resource a final record is a version of, for the records where it is not the
    /// record itself: a service user's record is a version of the person (its subject:
    /// every update of a person is the same Patient); an amendment of the first record of
    /// its chain. A record missing from the map is its own resource (`keys[id] ?? id`).
    /// Only a link whose record's MAC holds counts: an `amends_id` changed outside Satchel
    /// must not make one record a version of another's resource (and so overwrite it on
    /// the wire). Small whatever the vault's size: people and amendments only.
    public func resourceKeys() throws(VaultError) -> [UUID: UUID] {
        let keys = try requireKeys()
        do {
            return try db.vaultRead { db in
                var amends: [UUID: UUID] = [:]      // id -> the record it amends, intact links only
                var out: [UUID: UUID] = [:]
                let sql = "SELECT * FROM record WHERE state = 'final' AND (amends_id IS NOT NULL OR kind = 'service-user')"
                for row in try Row.fetchAll(db.cachedStatement(sql: sql)) where RecordFacts(row: row).isIntact(row, keys) {
                    guard let id = UUID(uuidString: row["id"]) else { continue }
                    if (row["kind"] as String?) == RecordKind.serviceUser.rawValue {
                        if let subject = UUID(uuidString: row["subject_id"]), subject != id { out[id] = subject }
                    } else if let earlier = UUID(uuidString: row["amends_id"]) {
                        amends[id] = earlier
                    }
                }
                for id in amends.keys {
                    var root = id
                    var seen: Set<UUID> = [id]
                    while let earlier = amends[root], seen.insert(earlier).inserted { root = earlier }
                    out[id] = root
                }
                return out
            }
        } catch { throw error.asVaultError("reading record versions") }
    }

    /// The server's id ("Type/id") of each record delivered to a destination, from rows
    /// whose MAC holds.
    public func receipts(destination: String) throws(VaultError) -> [UUID: String] {
        var out: [UUID: String] = [:]
        for o in try outbox(destination: destination, state: .delivered) where o.intact {
            if let server = o.serverID { out[o.recordID] = server }
        }
        return out
    }
}
