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
    /// The record whose resource this one is a version of: the first record of its chain
    /// of amendments (itself when it amends nothing). An amendment is a new version of
    /// the same resource, never a second resource.
    public var rootID: UUID?
    /// Where the resource already is on this destination's server ("Type/id" from an
    /// earlier version's receipt): an amendment is written there with PUT.
    public var updateTarget: String?
    /// A risk record's entry, decoded and validated once when the record is opened for
    /// sending: the mapper maps it, and the push engine reads what it endorses from it
    /// (`PushEngine.endorsedTarget`). Nil for other kinds, or when the body does not
    /// decode (the mapper then decodes it itself and names the problem).
    public var riskEntry: RiskAssessmentEntry?

    /// The id the resource is known by: the root of its amendments.
    public var resourceID: UUID { rootID ?? id }

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
        if kind == .risk { riskEntry = try? FHIRMapper.decode(RiskAssessmentEntry.self, self) }
    }
}
