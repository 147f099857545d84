import Foundation
import GRDB
import SatchelCore

/// The clear columns of a record: enough to list, count and route it, nothing personal.
public struct RecordHeader: Sendable, Equatable {
    public let id: UUID
    public let kind: RecordKind
    public let subjectID: UUID
    public let authorID: String
    public let authorRole: Role
    public let createdAt: Date
    public let updatedAt: Date
    public let state: RecordState
    public let finalisedAt: Date?
    public let formVersion: Int
    public let amendsID: UUID?
    /// When its body was purged, once delivered everywhere it was due (`Vault.purge`):
    /// the header, receipts and audit trail stay; there is no body to open.
    public let purgedAt: Date?
    /// False when the row's clear facts or body no longer match its MAC (changed
    /// outside Satchel): such a record is never shown as valid nor sent.
    public private(set) var intact: Bool

    /// The same header, marked as failing its integrity check (its MAC held but its body
    /// did not open).
    public var markedDamaged: RecordHeader {
        var h = self
        h.intact = false
        return h
    }

    /// When it became final; a draft's creation time until then.
    public var finalisedOrCreatedAt: Date { finalisedAt ?? createdAt }

    init(row: Row, intact: Bool) throws(VaultError) {
        guard let id = UUID(text: row["id"]), let kind = RecordKind(rawValue: row["kind"]),
              let subject = UUID(text: row["subject_id"]), let role = Role(rawValue: row["author_role"]),
              let state = RecordState(rawValue: row["state"]),
              let created = Timestamp.date(row["created_at"]), let updated = Timestamp.date(row["updated_at"])
        else { throw VaultError(.integrity, "A record row has a damaged header.") }
        self.id = id
        self.kind = kind
        self.subjectID = subject
        self.authorID = row["author_id"]
        self.authorRole = role
        self.createdAt = created
        self.updatedAt = updated
        self.state = state
        self.finalisedAt = try Self.date(row["finalised_at"])
        self.formVersion = row["form_version"]
        self.amendsID = (row["amends_id"] as String?).flatMap(UUID.init(text:))
        self.purgedAt = try Self.date(row["purged_at"])
        self.intact = intact
    }
}

extension RecordHeader {
    /// An optional timestamp column: nil when NULL, refused when it is not a vault timestamp.
    private static func date(_ text: String?) throws(VaultError) -> Date? {
        guard let text else { return nil }
        guard let at = Timestamp.date(text) else { throw VaultError(.integrity, "A record row has a damaged header.") }
        return at
    }
}

/// A record with its body opened.
public struct StoredRecord: Sendable {
    public let header: RecordHeader
    public let body: [UInt8]
}

/// What a caller hands the vault to save.
public struct RecordDraft: Sendable {
    public var id: UUID
    public var kind: RecordKind
    /// The service user the record is about; a service-user record is its own subject.
    public var subjectID: UUID
    public var formVersion: Int
    public var body: [UInt8]
    public var amendsID: UUID?

    public init(id: UUID = UUID(), kind: RecordKind, subjectID: UUID? = nil, formVersion: Int = 1, body: [UInt8], amendsID: UUID? = nil) {
        self.id = id
        self.kind = kind
        self.subjectID = subjectID ?? id
        self.formVersion = formVersion
        self.body = body
        self.amendsID = amendsID
    }
}

/// Why a body is being opened: a person reading it is audited as a view, a body
/// leaving the device as an export.
public enum ReadPurpose: Sendable {
    case view
    case export
}

extension UUID {
    /// The vault stores ids lowercase.
    var key: String { lowercased }
}
