import Foundation
import GRDB

/// A resource pulled from a destination's central system (`caseload pull`): a
/// colleague's record, kept sealed as read-only reference. It is not a `record`: it has
/// no outbox or held row, so it is never sent back, and it cannot be amended.
public struct ReferenceResource: Sendable, Equatable {
    public var destination: String
    public var resourceType: String
    public var resourceID: String
    /// The id of the Patient it is about, on that server.
    public var subjectID: String
    public var versionID: String?
    public var lastUpdated: String?
    public var pulledAt: Date
    /// The FHIR resource as pulled (JSON).
    public var body: [UInt8]

    /// How `history`, `show` and the audit log name it: DEST/TYPE/ID.
    public var key: String { "\(destination)/\(resourceType)/\(resourceID)" }

    public init(
        destination: String, resourceType: String, resourceID: String, subjectID: String, versionID: String?,
        lastUpdated: String?, pulledAt: Date, body: [UInt8]
    ) {
        self.destination = destination
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.subjectID = subjectID
        self.versionID = versionID
        self.lastUpdated = lastUpdated
        self.pulledAt = pulledAt
        self.body = body
    }
}

/// Where a destination's caseload pull is: the server time the last complete pull
/// covers (`since`, asked as `_lastUpdated=gt…` next time), and a pull under way — the
/// time it will cover once complete and the next member of the caseload to fetch.
public struct PullCursor: Sendable, Equatable {
    public var since: String?
    public var pendingSince: String?
    public var nextMember: Int
    public var startedAt: Date?
    public var completedAt: Date?

    public init(since: String? = nil, pendingSince: String? = nil, nextMember: Int = 0, startedAt: Date? = nil, completedAt: Date? = nil) {
        self.since = since
        self.pendingSince = pendingSince
        self.nextMember = nextMember
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    /// True while a pull was started and not completed (cut, killed, offline).
    public var isUnderWay: Bool { pendingSince != nil }
}

/// What `references` found: the rows that open and match their MAC, and how many do not.
public struct ReferenceRead: Sendable {
    public var resources: [ReferenceResource]
    public var damaged: Int
}

extension Vault {
    static let referenceLabel = "satchel/reference-facts/v1"
    static let cursorLabel = "satchel/pull-cursor/v1"

    static func referenceAD(_ r: ReferenceResource, keyVersion: Int) -> [UInt8] {
        Array("satchel/reference/v1:\(r.destination):\(r.resourceType):\(r.resourceID):\(keyVersion)".utf8)
    }

    static func referenceFields(_ r: ReferenceResource, pulledAt: String, keyVersion: Int, sealed: [UInt8]) -> [String?] {
        let sealRef = sealed.count >= Sealer.overhead ? (Array(sealed.prefix(Sealer.nonceBytes)) + Array(sealed.suffix(Sealer.tagBytes))).hex : sealed.hex
        return [r.destination, r.resourceType, r.resourceID, r.subjectID, r.versionID, r.lastUpdated, pulledAt, String(keyVersion), sealRef]
    }

    static func cursorFields(_ destination: String, _ c: PullCursor) -> [String?] {
        cursorFields(destination, c, startedAt: c.startedAt.map(Timestamp.string), completedAt: c.completedAt.map(Timestamp.string))
    }

    /// The times as stored text: a timestamp parsed and formatted again can lose its last millisecond.
    static func cursorFields(_ destination: String, _ c: PullCursor, startedAt: String?, completedAt: String?) -> [String?] {
        [destination, c.since, c.pendingSince, String(c.nextMember), startedAt, completedAt]
    }

    /// Stores one page of pulled resources (each replacing the row of the same
    /// destination, type and id: a resource pulled twice is stored once) and the cursor,
    /// in one transaction: a pull cut at any moment resumes from the cursor and finds
    /// every page before it stored whole.
    public func storeReferences(_ resources: [ReferenceResource], cursor: PullCursor, destination: String) throws(VaultError) {
        let keys = try requireKeys()
        var rows: [(ReferenceResource, String, [UInt8], [UInt8])] = []
        for r in resources {
            let sealed = try Sealer.seal(r.body, associatedData: Self.referenceAD(r, keyVersion: keyVersion), key: keys.data)
            let at = Timestamp.string(r.pulledAt)
            rows.append((r, at, sealed, keys.mac(.record, Self.referenceLabel, Self.referenceFields(r, pulledAt: at, keyVersion: keyVersion, sealed: sealed))))
        }
        let version = keyVersion
        do {
            try db.write { db in
                let put = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO reference (destination, resource_type, resource_id, subject_id, version_id, last_updated,
                                                      pulled_at, key_version, body, mac)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (r, at, sealed, mac) in rows {
                    try put.execute(arguments: [
                        r.destination, r.resourceType, r.resourceID, r.subjectID, r.versionID, r.lastUpdated, at, version, Data(sealed), Data(mac),
                    ])
                }
                try Self.writeCursor(db, cursor, destination: destination, keys: keys)
            }
        } catch { throw error.asVaultError("storing pulled records") }
    }

    static func writeCursor(_ db: Database, _ c: PullCursor, destination: String, keys: VaultKeys) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO pull_cursor (destination, since, pending_since, next_member, started_at, completed_at, mac)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                destination, c.since, c.pendingSince, c.nextMember, c.startedAt.map(Timestamp.string), c.completedAt.map(Timestamp.string),
                Data(keys.mac(.route, cursorLabel, cursorFields(destination, c))),
            ])
    }

    /// A destination's pull cursor; an empty one when it was never pulled, or when the
    /// stored one fails its MAC (the next pull then starts over: it only costs time).
    public func pullCursor(destination: String) throws(VaultError) -> PullCursor {
        let keys = try requireKeys()
        do {
            return try db.vaultRead { db in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM pull_cursor WHERE destination = ?"), arguments: [destination]) else {
                    return PullCursor()
                }
                let c = PullCursor(
                    since: row["since"], pendingSince: row["pending_since"], nextMember: row["next_member"],
                    startedAt: (row["started_at"] as String?).flatMap(Timestamp.date), completedAt: (row["completed_at"] as String?).flatMap(Timestamp.date))
                let fields = Self.cursorFields(destination, c, startedAt: row["started_at"], completedAt: row["completed_at"])
                let intact = keys.verify(.route, Self.cursorLabel, fields, against: (row["mac"] as Data?).map { [UInt8]($0) })
                return intact ? c : PullCursor()
            }
        } catch { throw error.asVaultError("reading the pull cursor") }
    }

    /// Every pulled resource (of one destination, or all), opened; rows that fail their
    /// MAC or do not open are counted, never returned.
    public func references(destination: String? = nil, subjectID: String? = nil, resourceType: String? = nil) throws(VaultError) -> ReferenceRead {
        let keys = try requireKeys()
        let rows: [Row]
        do {
            rows = try db.vaultRead { db in
                try Row.fetchAll(
                    db, sql: """
                    SELECT * FROM reference WHERE (?1 IS NULL OR destination = ?1) AND (?2 IS NULL OR subject_id = ?2) AND (?3 IS NULL OR resource_type = ?3)
                    ORDER BY destination, subject_id, resource_type, resource_id
                    """,
                    arguments: [destination, subjectID, resourceType])
            }
        } catch { throw error.asVaultError("reading pulled records") }
        var read = ReferenceRead(resources: [], damaged: 0)
        for row in rows {
            if let r = Self.openReference(row, keys) { read.resources.append(r) } else { read.damaged += 1 }
        }
        return read
    }

    /// The audit notes of pulled records opened to be shown or used: a `view` entry each,
    /// naming it DEST/TYPE/ID (a pulled resource has no record id on this device), with the
    /// reason. Hand them to `audit(_:)`, or to the save they inform.
    public func readNotes(pulled resources: [ReferenceResource], reason: String) -> [ReadNote] {
        let at = clock()
        return resources.map { ReadNote(record: $0.key, reason: reason, at: at) }
    }

    /// A reference row opened: nil when its MAC fails or its body does not open (changed
    /// outside Satchel).
    static func openReference(_ row: Row, _ keys: VaultKeys) -> ReferenceResource? {
        let sealed = [UInt8](row["body"] as Data)
        let at: String = row["pulled_at"]
        let version: Int = row["key_version"]
        guard let pulledAt = Timestamp.date(at) else { return nil }
        var r = ReferenceResource(
            destination: row["destination"], resourceType: row["resource_type"], resourceID: row["resource_id"], subjectID: row["subject_id"],
            versionID: row["version_id"], lastUpdated: row["last_updated"], pulledAt: pulledAt, body: [])
        let fields = Self.referenceFields(r, pulledAt: at, keyVersion: version, sealed: sealed)
        guard keys.verify(.record, Self.referenceLabel, fields, against: (row["mac"] as Data?).map { [UInt8]($0) }),
              let body = try? Sealer.open(sealed, associatedData: Self.referenceAD(r, keyVersion: version), key: keys.data)
        else { return nil }
        r.body = body
        return r
    }

    /// Removes pulled resources: a destination's (or all), those pulled before `olderThan`,
    /// or those about people no longer in the caseload (`keepingSubjects`). Dropping all of
    /// a destination's also forgets its cursor, so the next pull is a full one. Audited.
    @discardableResult
    public func dropReferences(destination: String? = nil, pulledBefore olderThan: Date? = nil, keepingSubjects: Set<String>? = nil) throws(VaultError) -> Int {
        let keys = try requireKeys()
        let now = clock()
        do {
            return try db.write { db in
                var total = 0
                let targets = try destination.map { [$0] } ?? String.fetchAll(db, sql: "SELECT DISTINCT destination FROM reference UNION SELECT destination FROM pull_cursor")
                for name in targets {
                    var removed = 0
                    if let keep = keepingSubjects {
                        let subjects = try String.fetchAll(db, sql: "SELECT DISTINCT subject_id FROM reference WHERE destination = ?", arguments: [name])
                        for s in subjects where !keep.contains(s) && !s.isEmpty {
                            try db.execute(sql: "DELETE FROM reference WHERE destination = ? AND subject_id = ?", arguments: [name, s])
                            removed += db.changesCount
                        }
                    } else if let olderThan {
                        try db.execute(sql: "DELETE FROM reference WHERE destination = ? AND pulled_at < ?", arguments: [name, Timestamp.string(olderThan)])
                        removed += db.changesCount
                    } else {
                        try db.execute(sql: "DELETE FROM reference WHERE destination = ?", arguments: [name])
                        removed += db.changesCount
                        try db.execute(sql: "DELETE FROM pull_cursor WHERE destination = ?", arguments: [name])
                    }
                    if removed > 0 {
                        try AuditLog.append(db, .drop, actor: workerID, detail: "\(name) \(removed)", at: now, keys: keys)
                    }
                    total += removed
                }
                return total
            }
        } catch { throw error.asVaultError("removing pulled records") }
    }

    /// Audits a completed pull (identifiers and counts only).
    public func notePull(destination: String, stored: Int) throws(VaultError) {
        let keys = try requireKeys()
        let now = clock()
        do {
            try db.write { db in _ = try AuditLog.append(db, .pull, actor: workerID, detail: "\(destination) \(stored)", at: now, keys: keys) }
        } catch { throw error.asVaultError("auditing the pull") }
    }
}
