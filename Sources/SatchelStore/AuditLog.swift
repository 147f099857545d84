import Foundation
import GRDB

/// What the audit log records. Identifiers only — never a record body, never a name.
public enum AuditAction: String, CaseIterable, Sendable {
    case vaultCreated = "vault-created"
    case unlockFailed = "unlock-failed"
    case passphraseChanged = "passphrase-changed"
    case create
    case discard
    case finalise
    case amend
    case view
    case export
    case deliver
    case reject
    case destinationAdded = "destination-added"
    case destinationConfirmed = "destination-confirmed"
    case vaultUpgraded = "vault-upgraded"
    case rekey
    case queue
    /// A held record released to a destination by a disclosure on a lawful basis (detail: destination and disclosure id).
    case disclose
    /// A queued record not yet sent, moved back to held: the consent it went on was withdrawn.
    case recall
    /// A caseload pull stored reference records from a destination (detail: destination and counts).
    case pull
    /// Reference records removed: `caseload drop`, or expired (detail: destination and count).
    case drop
    /// A delivered record's body removed from the device (detail: why: `purge`, or after a sync past the retention period).
    case purge
}

/// The append-only, hash-chained audit log. Each entry carries the hash of the one
/// before it and the hash of its own canonical content, so an edited, deleted or
/// reordered entry breaks the chain at that point. A keyed MAC over the head (the
/// anchor, updated whenever the vault is unlocked) also catches a log cut short.
public enum AuditLog {
    static let genesis = [UInt8](repeating: 0, count: 32)

    public struct Entry: Equatable, Sendable {
        public let seq: Int64
        public let at: String
        public let action: String
        public let actorID: String?
        public let recordID: String?
        public let detail: String
        public let prevHash: [UInt8]
        public let hash: [UInt8]

        init(seq: Int64, at: String, action: String, actorID: String?, recordID: String?, detail: String, prevHash: [UInt8], hash: [UInt8]) {
            self.seq = seq
            self.at = at
            self.action = action
            self.actorID = actorID
            self.recordID = recordID
            self.detail = detail
            self.prevHash = prevHash
            self.hash = hash
        }

        init(row r: Row) {
            self.init(
                seq: r["seq"], at: r["at"], action: r["action"], actorID: r["actor_id"], recordID: r["record_id"],
                detail: r["detail"], prevHash: [UInt8](r["prev_hash"] as Data), hash: [UInt8](r["hash"] as Data))
        }

        /// The entry's content and predecessor give its stored hash.
        var hashMatches: Bool {
            Sodium.constantTimeEqual(
                AuditLog.hash(prev: prevHash, canonical: AuditLog.canonical(seq: seq, at: at, action: action, actorID: actorID, recordID: recordID, detail: detail)),
                hash)
        }
    }

    /// The result of walking the chain.
    public struct Verification: Sendable, Equatable {
        public let length: Int
        public let head: String
        /// The first broken link and what is wrong with it; nil when intact.
        public let firstBreak: String?
        public var isIntact: Bool { firstBreak == nil }
    }

    /// The bytes an entry's hash covers: every field, length-prefixed so no two
    /// different entries can share a canonical form.
    static func canonical(seq: Int64, at: String, action: String, actorID: String?, recordID: String?, detail: String) -> [UInt8] {
        Canonical.encode("satchel/audit/v1", [String(seq), at, action, actorID, recordID, detail])
    }

    static func hash(prev: [UInt8], canonical: [UInt8]) -> [UInt8] {
        Sodium.sha256(prev + canonical)
    }

    /// Appends one entry in a transaction of its own making (`Batch` for several).
    @discardableResult
    static func append(
        _ db: Database, _ action: AuditAction, actor: String?, record: String? = nil, detail: String = "",
        at date: Date, keys: VaultKeys?
    ) throws -> Entry {
        var batch = Batch(keys: keys)
        let entry = try batch.append(db, action, actor: actor, record: record, detail: detail, at: date)
        try batch.seal(db)
        return entry
    }

    /// The entries one transaction appends. With the keys (the vault unlocked), the
    /// anchor moves to the last of them — but only after the anchored entry and every
    /// link from it to the head were checked, once, before the first: a log rewritten or
    /// cut short while the vault was closed is never blessed by the next action; the
    /// entries are still written and the anchor stays where the log was last known good,
    /// so `audit verify` and `satchel check` go on naming the break. The entries between
    /// are linked here, in the same transaction, so checking them again (as one `append`
    /// each would) proves nothing more. `seal` must run before the transaction commits.
    struct Batch {
        let keys: VaultKeys?
        /// The head the next entry follows, once the first entry read it.
        private var head: (seq: Int64, hash: [UInt8])?
        private var anchorHolds = false

        init(keys: VaultKeys?) { self.keys = keys }

        @discardableResult
        mutating func append(
            _ db: Database, _ action: AuditAction, actor: String?, record: String? = nil, detail: String = "", at date: Date
        ) throws -> Entry {
            let prevHead: (seq: Int64, hash: [UInt8])
            if let head {
                prevHead = head
            } else {
                let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
                prevHead = (last?["seq"] ?? 0, last.map { [UInt8]($0["hash"] as Data) } ?? genesis)
                anchorHolds = try keys.map { try anchoredSegmentIsIntact(db, keys: $0) } ?? false
            }
            let seq = prevHead.seq + 1
            let at = Timestamp.string(date)
            let h = hash(prev: prevHead.hash, canonical: canonical(seq: seq, at: at, action: action.rawValue, actorID: actor, recordID: record, detail: detail))
            try db.cachedStatement(sql: "INSERT INTO audit (seq, at, action, actor_id, record_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [seq, at, action.rawValue, actor, record, detail, Data(prevHead.hash), Data(h)])
            head = (seq, h)
            return Entry(seq: seq, at: at, action: action.rawValue, actorID: actor, recordID: record, detail: detail, prevHash: prevHead.hash, hash: h)
        }

        /// Moves the anchor to the last entry appended (when the log held before the first).
        func seal(_ db: Database) throws {
            if let keys, anchorHolds, let head {
                try anchor(db, seq: head.seq, hash: head.hash, keys: keys)
            }
        }
    }

    static func anchorMAC(seq: Int64, hash: [UInt8], keys: VaultKeys) -> [UInt8] {
        keys.mac(.anchor, Array("satchel/audit-anchor/v2:\(seq):".utf8) + hash)
    }

    static func anchor(_ db: Database, seq: Int64, hash: [UInt8], keys: VaultKeys) throws {
        try db.cachedStatement(sql: "UPDATE vault SET anchor_seq = ?, anchor_mac = ? WHERE singleton = 1")
            .execute(arguments: [seq, Data(anchorMAC(seq: seq, hash: hash, keys: keys))])
    }

    /// Moves the anchor to the current head, when the anchored segment is intact
    /// (at unlock: the failed attempts appended while locked join the anchored log).
    static func reanchor(_ db: Database, keys: VaultKeys) throws {
        guard try anchoredSegmentIsIntact(db, keys: keys),
              let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        else { return }
        try anchor(db, seq: last["seq"], hash: [UInt8](last["hash"] as Data), keys: keys)
    }

    /// Anchors the head whatever the anchor said (only when a vault is created or
    /// upgraded to this format, where there is no anchor of this kind yet).
    static func anchorHead(_ db: Database, keys: VaultKeys) throws {
        guard let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) else { return }
        try anchor(db, seq: last["seq"], hash: [UInt8](last["hash"] as Data), keys: keys)
    }

    static func entries(_ db: Database) throws -> [Entry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit ORDER BY seq")).map(Entry.init(row:))
    }

    /// Walks the chain from the first entry and names the first broken link.
    /// With the anchor key it also checks that nothing was cut from the end.
    static func verify(_ db: Database, keys: VaultKeys?) throws -> Verification {
        let all = try entries(db)
        var prev = genesis
        var expectedSeq: Int64 = 1
        func broken(_ why: String) -> Verification {
            Verification(length: all.count, head: all.last?.hash.hex ?? genesis.hex, firstBreak: why)
        }
        for e in all {
            if e.seq != expectedSeq {
                return broken("entry \(expectedSeq) is missing (the next entry found is \(e.seq)): an entry was deleted")
            }
            if !Sodium.constantTimeEqual(e.prevHash, prev) {
                return broken("entry \(e.seq) does not follow entry \(e.seq - 1): entries were removed, inserted or reordered")
            }
            if !e.hashMatches {
                return broken("entry \(e.seq) does not match its hash: it was edited")
            }
            prev = e.hash
            expectedSeq += 1
        }
        if let keys, let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT anchor_seq, anchor_mac FROM vault")) {
            let anchorSeq: Int64 = row["anchor_seq"]
            guard anchorSeq > 0 || all.isEmpty else {
                return broken("the audit anchor was removed (anchor_seq is 0 with \(all.count) entries): the log cannot be trusted")
            }
            if anchorSeq > 0 {
                guard anchorSeq <= all.count else {
                    let missing = all.count + 1 == anchorSeq ? "entry \(anchorSeq) is" : "entries \(all.count + 1) to \(anchorSeq) are"
                    return broken("\(missing) missing: the log was cut short")
                }
                let mac: Data? = row["anchor_mac"]
                let expected = anchorMAC(seq: anchorSeq, hash: all[Int(anchorSeq) - 1].hash, keys: keys)
                guard let mac, Sodium.constantTimeEqual([UInt8](mac), expected) else {
                    return broken("the sealed anchor at entry \(anchorSeq) does not match: the log was rewritten")
                }
            }
        }
        return Verification(length: all.count, head: prev.hex, firstBreak: nil)
    }
}

extension AuditLog {
    /// True when the anchor's MAC matches the entry it names and every entry from there
    /// to the head hashes and links correctly. Cheap in use: the anchor is normally the
    /// head, or a few failed unlocks behind it.
    static func anchoredSegmentIsIntact(_ db: Database, keys: VaultKeys) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT anchor_seq, anchor_mac FROM vault")),
              let seq: Int64 = row["anchor_seq"], seq > 0,
              let mac: Data = row["anchor_mac"]
        else { return false }
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit WHERE seq >= ? ORDER BY seq"), arguments: [seq])
        guard let first = rows.first, (first["seq"] as Int64) == seq,
              Sodium.constantTimeEqual([UInt8](mac), anchorMAC(seq: seq, hash: [UInt8](first["hash"] as Data), keys: keys))
        else { return false }
        var expectedSeq = seq
        var prev: [UInt8]?
        for r in rows {
            let e = Entry(row: r)
            guard e.seq == expectedSeq, prev.map({ Sodium.constantTimeEqual($0, e.prevHash) }) ?? true, e.hashMatches else { return false }
            prev = e.hash
            expectedSeq += 1
        }
        return true
    }

    /// The last entry's number and hash (sent with each sync so the central system can
    /// see a vault rolled back to an older copy).
    static func head(_ db: Database) throws -> (seq: Int64, hash: String) {
        guard let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) else {
            return (0, genesis.hex)
        }
        return (last["seq"], [UInt8](last["hash"] as Data).hex)
    }
}
