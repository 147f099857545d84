import Foundation
import SatchelCore
import SatchelStore

/// One consent decision whose review date has passed (`consent due`).
public struct ConsentDue: Sendable, Equatable, Encodable {
    public let record: String
    public let serviceUser: String
    public let scope: String
    public let with: String
    public let decision: String
    public let decidedOn: String
    public let reviewDate: String
    public let daysOverdue: Int
}

extension Session {
    /// The latest decision for each person, scope and party whose review date is before
    /// today, most overdue first. A review date never ends a consent (it is a reminder);
    /// this is the list of reminders due. Every consent opened is audited as a view.
    public func consentsDue() throws -> [ConsentDue] {
        let headers = try vault.headers(state: .final, kind: .consent).filter(\.intact)
        guard !headers.isEmpty else { return [] }
        let users = try serviceUsers()
        let today = FieldDay.on(clock())
        var due: [ConsentDue] = []
        // The latest decision per person, scope and party (the ledger's own matching and order).
        var latest: [String: (StoredRecord, Consent)] = [:]
        for r in try vault.read(headers.map(\.id), reason: "consent due") {
            guard let c = try? RecordCodec.decode(Consent.self, from: r.body) else { continue }
            let key = "\(r.header.subjectID)|\(c.scope.rawValue)|\(FieldText.matchKey(c.with))"
            if let kept = latest[key], kept.0.header.finalisedOrCreatedAt > r.header.finalisedOrCreatedAt { continue }
            latest[key] = (r, c)
        }
        for (r, c) in latest.values {
            guard let review = c.reviewDate, review < today else { continue }
            due.append(ConsentDue(
                record: Self.short(r.header.id), serviceUser: users[r.header.subjectID]?.initials ?? "?", scope: c.scope.rawValue,
                with: c.with, decision: c.decision.rawValue, decidedOn: FieldDay.on(r.header.finalisedOrCreatedAt).description,
                reviewDate: review.description, daysOverdue: today.days(since: review)))
        }
        return due.sorted { ($1.daysOverdue, $0.serviceUser) < ($0.daysOverdue, $1.serviceUser) }
    }
}
