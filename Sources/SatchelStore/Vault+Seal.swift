import Foundation
import GRDB
import SatchelCore

/// The facts of a record row — every clear column — and the MAC that binds them to
/// the sealed body. Whose a record is, who wrote it in which role, when it was made
/// and finalised, what it amends and which form version it follows all decide what it
/// means and where it goes; a change to any of them, or another sealed body put in
/// the row (an older one included), fails the MAC.
struct RecordFacts {
    var id: String
    var kind: String
    var subjectID: String
    var authorID: String
    var authorRole: String
    var createdAt: String
    var updatedAt: String
    var state: String
    var finalisedAt: String?
    var formVersion: Int
    var amendsID: String?
    var keyVersion: Int
    var body: Data
    /// When the body was purged (emptied) once delivered; nil while it is whole.
    var purgedAt: String?

    init(row: Row) {
        id = row["id"]
        kind = row["kind"]
        subjectID = row["subject_id"]
        authorID = row["author_id"]
        authorRole = row["author_role"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        state = row["state"]
        finalisedAt = row["finalised_at"]
        formVersion = row["form_version"]
        amendsID = row["amends_id"]
        keyVersion = row["key_version"]
        body = row["body"]
        purgedAt = row["purged_at"]
    }

    init(draft d: RecordDraft, authorID: String, authorRole: Role, at now: String, keyVersion: Int, body: [UInt8]) {
        id = d.id.key
        kind = d.kind.rawValue
        subjectID = d.subjectID.key
        self.authorID = authorID
        self.authorRole = authorRole.rawValue
        createdAt = now
        updatedAt = now
        state = RecordState.draft.rawValue
        finalisedAt = nil
        formVersion = d.formVersion
        amendsID = d.amendsID?.key
        self.keyVersion = keyVersion
        self.body = Data(body)
    }

    static let label = "satchel/record-facts/v2"

    /// The sealed body enters as its nonce and tag: unique to one sealing, and
    /// unforgeable without the data key. A purged record adds its purge time (its body
    /// is then empty); a record never purged keeps the fields it had before purges
    /// existed, so its MAC still holds. So a body emptied without the purge's new MAC,
    /// or a purge undone by putting the old row back, fails.
    var fields: [String?] {
        let b = [UInt8](body)
        let sealRef = b.count >= Sealer.overhead ? (Array(b.prefix(Sealer.nonceBytes)) + Array(b.suffix(Sealer.tagBytes))).hex : b.hex
        return [
            id, kind, subjectID, authorID, authorRole, createdAt, updatedAt, state, finalisedAt, String(formVersion), amendsID,
            String(keyVersion), sealRef,
        ] + (purgedAt.map { ["purged", $0] } ?? [])
    }

    func mac(_ keys: VaultKeys) -> Data { Data(keys.mac(.record, Self.label, fields)) }

    func isIntact(_ row: Row, _ keys: VaultKeys) -> Bool {
        keys.verify(.record, Self.label, fields, against: (row["mac"] as Data?).map { [UInt8]($0) })
    }
}

/// An outbox row's MAC: the route the policy decided (this record goes to this
/// destination), where it is on its way, and the server's receipt once delivered.
/// Attempts, the next attempt time and the (separately sealed) last error are not
/// covered: they change no route.
struct OutboxFacts {
    var recordID: String
    var destination: String
    var state: String
    var queuedAt: String
    var serverID: String?
    var serverVersion: String?
    var deliveredAt: String?
    /// The disclosure a row was released under (nil when it goes on consent).
    var disclosureID: String?
    /// The write mode the record was first sent with (nil until its first attempt).
    var writeMode: String?

    init(row: Row) {
        recordID = row["record_id"]
        destination = row["destination"]
        state = row["state"]
        queuedAt = row["queued_at"]
        serverID = row["server_id"]
        serverVersion = row["server_version"]
        deliveredAt = row["delivered_at"]
        disclosureID = row["disclosure_id"]
        writeMode = row["write_mode"]
    }

    init(recordID: String, destination: String, queuedAt: String, disclosureID: String? = nil) {
        self.recordID = recordID
        self.destination = destination
        state = OutboxState.pending.rawValue
        self.queuedAt = queuedAt
        self.disclosureID = disclosureID
    }

    static let label = "satchel/outbox-route/v2"

    /// A row released under a disclosure adds its id, and a row once sent its first write
    /// mode; a row with neither keeps the fields it had before both existed, so its MAC
    /// still holds.
    var fields: [String?] {
        [recordID, destination, state, queuedAt, serverID, serverVersion, deliveredAt]
            + (disclosureID.map { ["disclosure", $0] } ?? []) + (writeMode.map { ["write-mode", $0] } ?? [])
    }

    func mac(_ keys: VaultKeys) -> Data { Data(keys.mac(.route, Self.label, fields)) }

    static func isIntact(_ row: Row, _ keys: VaultKeys) -> Bool {
        keys.verify(.route, label, OutboxFacts(row: row).fields, against: (row["mac"] as Data?).map { [UInt8]($0) })
    }
}

/// A held row's MAC: this record is kept back from this destination, for the (sealed) reason.
enum HeldFacts {
    static let label = "satchel/held-route/v2"

    static func fields(recordID: String, destination: String, reason: String, heldAt: String) -> [String?] {
        [recordID, destination, reason, heldAt]
    }

    static func mac(recordID: String, destination: String, reason: String, heldAt: String, _ keys: VaultKeys) -> Data {
        Data(keys.mac(.route, label, fields(recordID: recordID, destination: destination, reason: reason, heldAt: heldAt)))
    }

    static func isIntact(_ row: Row, _ keys: VaultKeys) -> Bool {
        keys.verify(
            .route, label, fields(recordID: row["record_id"], destination: row["destination"], reason: row["reason"], heldAt: row["held_at"]),
            against: (row["mac"] as Data?).map { [UInt8]($0) })
    }
}

extension Vault {
    /// What a damaged record is called in messages: its short id and kind, never its content.
    public static func damagedRecordMessage(_ id: String, kind: String) -> String {
        "Record \(id.prefix(8)) (\(kind)) does not match its seal: who it is about, its author, its dates, its state "
            + "or its body were changed outside Satchel. It is not shown as valid and not sent. Run `satchel check`."
    }
}
