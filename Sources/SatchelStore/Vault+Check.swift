import Foundation
import GRDB
import SatchelCore

/// One thing `satchel check` found wrong: what (ids and kinds, never content) and why.
public struct IntegrityFinding: Sendable, Equatable, Codable {
    public let what: String
    public let problem: String

    public init(what: String, problem: String) {
        self.what = what
        self.problem = problem
    }
}

extension Vault {
    /// Checks everything the vault authenticates, in one read: the header, the audit
    /// chain and its anchor, every record's MAC and body, every outbox and held row's
    /// MAC, that each final record has exactly one route per destination, and that every
    /// sealed reason, secret and destination definition opens. Writes nothing, audits
    /// nothing (no body is shown). An empty list means all of it holds.
    public func check() throws(VaultError) -> [IntegrityFinding] {
        let keys = try requireKeys()
        do {
            return try db.vaultRead { db in
                var found: [IntegrityFinding] = []
                func note(_ what: String, _ problem: String) { found.append(IntegrityFinding(what: what, problem: problem)) }

                do { try Self.checkHeader(db, keys: keys) } catch let e as VaultError { note("vault header", e.message) }
                let audit = try AuditLog.verify(db, keys: keys)
                if let broken = audit.firstBreak { note("audit log", broken) }

                var finals: [String: String] = [:]  // id → kind
                var purged: [String: String] = [:]  // id → purge time
                for row in try Row.fetchAll(db, sql: "SELECT * FROM record") {
                    let f = RecordFacts(row: row)
                    let label = "record \(f.id.prefix(8)) (\(f.kind))"
                    if let at = f.purgedAt { purged[f.id] = at }
                    if !f.isIntact(row, keys) {
                        note(label, "its clear facts (who it is about, author, role, dates, state, form version, amended record) or its body were changed outside Satchel")
                    } else if f.purgedAt == nil, let id = UUID(uuidString: f.id), let kind = RecordKind(rawValue: f.kind),
                              (try? Sealer.open([UInt8](f.body), associatedData: Self.bodyAD(id: id, kind: kind, keyVersion: f.keyVersion), key: keys.data)) == nil {
                        note(label, "its sealed body does not open")
                    }
                    if f.state == RecordState.final.rawValue { finals[f.id] = f.kind }
                }

                var queued: Set<String> = []  // "record|destination" with an outbox row
                var routes: [String: Set<String>] = [:]  // destination → record ids with a row
                for row in try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY destination, record_id") {
                    let recordID: String = row["record_id"], destination: String = row["destination"]
                    routes[destination, default: []].insert(recordID)
                    queued.insert("\(recordID)|\(destination)")
                    let label = "outbox row of record \(recordID.prefix(8)) for \(destination)"
                    if !OutboxFacts.isIntact(row, keys) {
                        note(label, "its route, state or receipt was changed outside Satchel (or it was added outside Satchel): it is not sent")
                    }
                    if finals[recordID] == nil { note(label, "the record it queues is not a final record") }
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM held ORDER BY destination, record_id") {
                    let recordID: String = row["record_id"], destination: String = row["destination"]
                    routes[destination, default: []].insert(recordID)
                    let label = "held row of record \(recordID.prefix(8)) for \(destination)"
                    if queued.contains("\(recordID)|\(destination)") {
                        note(label, "the record is also queued for \(destination): one of the two rows was added outside Satchel")
                    }
                    if !HeldFacts.isIntact(row, keys) {
                        note(label, "the hold was changed outside Satchel (or added outside Satchel): it is not released")
                    } else if openReason(row["reason"], .held, record: UUID(uuidString: recordID), destination: destination) == "(sealed)" {
                        note(label, "its sealed reason does not open")
                    }
                }
                // A purged body is gone for good: the audit log's `purge` entries say which.
                if audit.isIntact {
                    for id in try String.fetchAll(db, sql: "SELECT DISTINCT record_id FROM audit WHERE action = ? AND record_id IS NOT NULL ORDER BY record_id", arguments: [AuditAction.purge.rawValue])
                    where finals[id] != nil && purged[id] == nil {
                        note("record \(id.prefix(8)) (\(finals[id] ?? "?"))", "the audit log says its body was purged, yet the record is whole again: it was put back outside Satchel")
                    }
                }
                for row in try Row.fetchAll(db, sql: "SELECT name, added_at FROM destination ORDER BY name") {
                    let destination: String = row["name"], addedAt: String = row["added_at"]
                    // A destination added after a record was purged never had it: its body was gone.
                    let missing = finals.keys.filter { !(routes[destination]?.contains($0) ?? false) && !(purged[$0].map { addedAt > $0 } ?? false) }.sorted()
                    for id in missing {
                        note("record \(id.prefix(8)) (\(finals[id] ?? "?"))", "it has neither a queued nor a held row for \(destination): a route was removed outside Satchel")
                    }
                    if let sealed = try Data.fetchOne(db, sql: "SELECT definition FROM destination WHERE name = ?", arguments: [destination]),
                       (try? Sealer.open([UInt8](sealed), associatedData: Self.definitionAD(destination, keyVersion: keyVersion), key: keys.data)) == nil {
                        note("destination \(destination)", "its confirmed definition was changed outside Satchel")
                    }
                }
                // The counts `status` shows, kept by triggers: compared with a full count.
                let tallied = Set(try Row.fetchAll(db, sql: "SELECT what, a, b, n FROM tally WHERE n > 0").map { "\($0["what"] as String)|\($0["a"] as String)|\($0["b"] as String)|\($0["n"] as Int)" })
                let counted = Set(try Row.fetchAll(db, sql: """
                    SELECT 'record' AS what, kind AS a, state AS b, count(*) AS n FROM record GROUP BY kind, state
                    UNION ALL SELECT 'outbox', destination, state, count(*) FROM outbox GROUP BY destination, state
                    UNION ALL SELECT 'held', destination, '', count(*) FROM held GROUP BY destination
                    """).map { "\($0["what"] as String)|\($0["a"] as String)|\($0["b"] as String)|\($0["n"] as Int)" })
                if tallied != counted {
                    note("status counts", "the tallies behind `satchel status` do not match the records and routes: they were changed outside Satchel")
                }
                // Pulled records: a damaged one is left out wherever they are read; named here.
                for row in try Row.fetchAll(db, sql: "SELECT * FROM reference ORDER BY destination, resource_type, resource_id")
                where Self.openReference(row, keys) == nil {
                    let key = "\(row["destination"] as String? ?? "?")/\(row["resource_type"] as String? ?? "?")/\(row["resource_id"] as String? ?? "?")"
                    note("pulled record \(key)", "it was changed outside Satchel: it is left out (`caseload drop` and pull again)")
                }
                for row in try Row.fetchAll(db, sql: "SELECT name, sealed FROM secret ORDER BY name") {
                    let name: String = row["name"]
                    if (try? Sealer.open([UInt8](row["sealed"] as Data), associatedData: Self.secretAD(name, keyVersion: keyVersion), key: keys.data)) == nil {
                        note("secret \(name)", "it does not open: it was changed outside Satchel")
                    }
                }
                return found
            }
        } catch { throw error.asVaultError("checking the vault") }
    }
}
