import Foundation
import SatchelCore
import SatchelStore

/// Where each person's mentoring stands (SIM guide §20 permission, §21 capacity).
/// Permission is known from the record headers alone; a suspension needs the latest
/// capacity assessment opened (audited as a view, reason "capacity check").
extension Session {
    /// People whose mentoring needs attention, by short id: no permission on record, or
    /// suspended pending a capacity review. For `status`.
    public struct MentoringOverview: Sendable, Equatable, Encodable {
        public var withoutPermission: [String] = []
        public var suspended: [String] = []
    }

    /// A person's standing; the capacity body read is audited now.
    public func standing(of subject: UUID) throws -> MentoringStanding {
        let (standing, reads) = try standingForSave(of: subject)
        try vault.audit(reads)
        return standing
    }

    /// A person's standing, with the audit notes of what was opened (for the save that follows).
    func standingForSave(of subject: UUID) throws -> (standing: MentoringStanding, reads: [ReadNote]) {
        var standing = MentoringStanding()
        standing.permitted = try vault.headers(subject: subject, state: .final, kind: .permission).contains(where: \.intact)
        guard let latest = try vault.headers(subject: subject, state: .final, kind: .capacity, limit: 1).first, latest.intact else {
            return (standing, [])
        }
        let opened = try vault.readForSave([latest.id], reason: "capacity check")
        if let body = opened.records.first?.body, let assessment = try? RecordCodec.decode(CapacityAssessment.self, from: body),
           assessment.suspendsMentoring {
            standing.suspendedSince = latest.finalisedOrCreatedAt
        }
        return (standing, opened.reads)
    }

    /// Every person without permission, and every person suspended (`status`).
    public func mentoringOverview() throws -> MentoringOverview {
        var overview = MentoringOverview()
        let people = try vault.headers(state: .final, kind: .serviceUser).map(\.id)
        let permitted = Set(try vault.headers(state: .final, kind: .permission).filter(\.intact).map(\.subjectID))
        overview.withoutPermission = people.filter { !permitted.contains($0) }.map(Self.short)
        var latestCapacity: [UUID: UUID] = [:]  // headers come newest first
        for h in try vault.headers(state: .final, kind: .capacity) where h.intact && latestCapacity[h.subjectID] == nil {
            latestCapacity[h.subjectID] = h.id
        }
        if !latestCapacity.isEmpty {
            for r in try vault.read(Array(latestCapacity.values), reason: "capacity check") {
                if let a = try? RecordCodec.decode(CapacityAssessment.self, from: r.body), a.suspendsMentoring {
                    overview.suspended.append(Self.short(r.header.subjectID))
                }
            }
        }
        overview.withoutPermission.sort()
        overview.suspended.sort()
        return overview
    }

    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
