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
    case queue
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
        var out = Array("satchel/audit/v1".utf8)
        for field in [String(seq), at, action, actorID ?? "\u{0}", recordID ?? "\u{0}", detail] {
            let bytes = Array(field.utf8)
            out += Array("\(bytes.count):".utf8) + bytes + [0x3B]
        }
        return out
    }

    static func hash(prev: [UInt8], canonical: [UInt8]) -> [UInt8] {
        Sodium.sha256(prev + canonical)
    }

    @discardableResult
    static func append(
        _ db: Database, _ action: AuditAction, actor: String?, record: String? = nil, detail: String = "",
        at date: Date, anchorKey: SecretBytes?
    ) throws -> Entry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let prev: [UInt8] = last.map { [UInt8]($0["hash"] as Data) } ?? genesis
        let at = Timestamp.string(date)
        let h = hash(prev: prev, canonical: canonical(seq: seq, at: at, action: action.rawValue, actorID: actor, recordID: record, detail: detail))
        try db.cachedStatement(sql: "INSERT INTO audit (seq, at, action, actor_id, record_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [seq, at, action.rawValue, actor, record, detail, Data(prev), Data(h)])
        if let key = anchorKey {
            try anchor(db, seq: seq, hash: h, key: key)
        }
        return Entry(seq: seq, at: at, action: action.rawValue, actorID: actor, recordID: record, detail: detail, prevHash: prev, hash: h)
    }

    static func anchorMAC(seq: Int64, hash: [UInt8], key: SecretBytes) -> [UInt8] {
        Sodium.mac(Array("satchel/audit-anchor/v1:\(seq):".utf8) + hash, key: key)
    }

    static func anchor(_ db: Database, seq: Int64, hash: [UInt8], key: SecretBytes) throws {
        try db.cachedStatement(sql: "UPDATE vault SET anchor_seq = ?, anchor_mac = ? WHERE singleton = 1")
            .execute(arguments: [seq, Data(anchorMAC(seq: seq, hash: hash, key: key))])
    }

    /// Moves the anchor to the current head (at unlock, once the chain is known good).
    static func reanchor(_ db: Database, key: SecretBytes) throws {
        guard let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) else { return }
        try anchor(db, seq: last["seq"], hash: [UInt8](last["hash"] as Data), key: key)
    }

    static func entries(_ db: Database) throws -> [Entry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM audit ORDER BY seq")).map { r in
            Entry(
                seq: r["seq"], at: r["at"], action: r["action"], actorID: r["actor_id"], recordID: r["record_id"],
                detail: r["detail"], prevHash: [UInt8](r["prev_hash"] as Data), hash: [UInt8](r["hash"] as Data))
        }
    }

    /// Walks the chain from the first entry and names the first broken link.
    /// With the anchor key it also checks that nothing was cut from the end.
    static func verify(_ db: Database, anchorKey: SecretBytes?) throws -> Verification {
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
            let c = canonical(seq: e.seq, at: e.at, action: e.action, actorID: e.actorID, recordID: e.recordID, detail: e.detail)
            if !Sodium.constantTimeEqual(hash(prev: e.prevHash, canonical: c), e.hash) {
                return broken("entry \(e.seq) does not match its hash: it was edited")
            }
            prev = e.hash
            expectedSeq += 1
        }
        if let key = anchorKey, let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT anchor_seq, anchor_mac FROM vault")) {
            let anchorSeq: Int64 = row["anchor_seq"]
            if anchorSeq > 0 {
                guard anchorSeq <= all.count else {
                    let missing = all.count + 1 == anchorSeq ? "entry \(anchorSeq) is" : "entries \(all.count + 1) to \(anchorSeq) are"
                    return broken("\(missing) missing: the log was cut short")
                }
                let mac: Data? = row["anchor_mac"]
                let expected = anchorMAC(seq: anchorSeq, hash: all[Int(anchorSeq) - 1].hash, key: key)
                guard let mac, Sodium.constantTimeEqual([UInt8](mac), expected) else {
                    return broken("the sealed anchor at entry \(anchorSeq) does not match: the log was rewritten")
                }
            }
        }
        return Verification(length: all.count, head: prev.hex, firstBreak: nil)
    }
}

extension AuditLog {
    /// True when there is no anchor yet, or the anchored entry still matches it.
    static func anchoredEntryIsIntact(_ db: Database, key: SecretBytes) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT anchor_seq, anchor_mac FROM vault")),
              let seq: Int64 = row["anchor_seq"], seq > 0
        else { return true }
        guard let mac: Data = row["anchor_mac"],
              let h = try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit WHERE seq = ?"), arguments: [seq])
        else { return false }
        return Sodium.constantTimeEqual([UInt8](mac), anchorMAC(seq: seq, hash: [UInt8](h), key: key))
    }
}
