import Foundation
import SatchelCore
import SatchelStore

/// A finalised record as the sync engine hands it over: header facts plus its decoded payload JSON.
public struct OutgoingRecord: Sendable {
    public let id: UUID
    public let kind: RecordKind
    public let subjectID: UUID
    public let authorID: String
    public let authorRole: Role
    public let authorName: String
    public let createdAt: Date
    public let finalisedAt: Date
    public let amendsID: UUID?
    public let formVersion: Int
    /// The payload JSON exactly as sealed (dates ISO 8601).
    public let body: [UInt8]
    /// The disclosure it is sent under, when it goes on a lawful basis rather than consent.
    public var disclosure: (id: UUID, basis: LawfulBasis)?

    public init(id: UUID, kind: RecordKind, subjectID: UUID, authorID: String, authorRole: Role,
                authorName: String, createdAt: Date, finalisedAt: Date, amendsID: UUID? = nil,
                formVersion: Int = 1, body: [UInt8]) {
        self.id = id
        self.kind = kind
        self.subjectID = subjectID
        self.authorID = authorID
        self.authorRole = authorRole
        self.authorName = authorName
        self.createdAt = createdAt
        self.finalisedAt = finalisedAt
        self.amendsID = amendsID
        self.formVersion = formVersion
        self.body = body
    }
}

extension OutgoingRecord {
    /// A record opened from the vault, written by `authorName` (the vault's worker).
    public init(_ stored: StoredRecord, authorName: String) {
        let h = stored.header
        self.init(
            id: h.id, kind: h.kind, subjectID: h.subjectID, authorID: h.authorID, authorRole: h.authorRole,
            authorName: authorName, createdAt: h.createdAt, finalisedAt: h.finalisedOrCreatedAt, amendsID: h.amendsID,
            formVersion: h.formVersion, body: stored.body)
    }
}
