import Foundation
import SatchelCore
import SatchelStore

/// Where each person's mentoring stands (SIM guide §20 permission, §21 capacity, §22
/// engagement).
/// Permission is known from the record headers alone; a suspension needs the latest
/// capacity assessment opened (audited as a view, reason "capacity check").
extension Session {
    /// People whose mentoring needs attention, by short id: no permission on record, or
    /// suspended pending a capacity review. For `status`.
    public struct MentoringOverview: Sendable, Equatable, Encodable {
        public var withoutPermission: [String] = []
        public var suspended: [String] = []
        /// People whose latest engagement decision is refused or withdrawn (SIM §22, §28).
        public var disengaged: [String] = []
        /// People whose recorded death needs the referral to the police complaints body (SIM §63).
        public var policeComplaintsReferral: [String] = []
    }

    /// A person's standing; the capacity and consent bodies read are audited now.
    public func standing(of subject: UUID) throws -> MentoringStanding {
        var (standing, reads) = try standingForSave(of: subject)
        try vault.audit(reads)
        standing.engagement = Engagement(try consents(for: subject))
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

    /// Every person without permission, suspended, or disengaged (`status`).
    public func mentoringOverview() throws -> MentoringOverview {
        var overview = MentoringOverview()
        // Ids only: status must not open or MAC every person's row (their records are checked where they are read).
        let people = try vault.finalSubjects(kind: .serviceUser)
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
        let deaths = try vault.headers(state: .final, kind: .death).filter(\.intact).map(\.id)
        if !deaths.isEmpty {
            for r in try vault.read(deaths, reason: "SIM 63 check") {
                if let d = try? RecordCodec.decode(DeathNotification.self, from: r.body), d.referralRequired {
                    overview.policeComplaintsReferral.append(Self.short(r.header.subjectID))
                }
            }
        }
        overview.disengaged = try disengagedPeople()
        overview.policeComplaintsReferral.sort()
        overview.withoutPermission.sort()
        overview.suspended.sort()
        return overview
    }

    /// When the person's contacts that involved a police mentor took place (SIM guide §63):
    /// on this device, the contacts written by a worker in the police role, and the contacts
    /// by any worker with a police mentor or officer recorded as present. The bodies are
    /// opened for their times and who was present (audited with the save that follows).
    func policeContactTimes(of subject: UUID) throws -> (times: [Date], reads: [ReadNote]) {
        let headers = try vault.headers(subject: subject, state: .final, kind: .contact, purged: false).filter(\.intact)
        guard !headers.isEmpty else { return ([], []) }
        let byPolice = Set(headers.filter { $0.authorRole == .police }.map(\.id))
        let opened = try vault.readForSave(headers.map(\.id), reason: "SIM 63 check")
        let times = opened.records.compactMap { r -> Date? in
            guard let contact = try? RecordCodec.decode(Contact.self, from: r.body) else { return nil }
            return byPolice.contains(r.header.id) || contact.policePresent ? contact.at : nil
        }
        return (times, opened.reads)
    }

    static func short(_ id: UUID) -> String { String(id.uuidString.lowercased().prefix(8)) }
}
