import Foundation
import SatchelCore
import SatchelStore

/// Where people stand with the team by their engagement decisions (SIM guide §22, §28),
/// and the consent ledgers of many people at once, for `status`, `queue` and `sync`.
extension Session {
    /// The people whose latest engagement decision is refused or withdrawn, by short id (`status`).
    public func disengagedPeople() throws -> [String] {
        try consentLedgers(reason: "engagement check")
            .filter { Engagement($0.value).isDisengaged }
            .map { Self.short($0.key) }.sorted()
    }

    /// Each person's consent ledger, from their intact final consents (opened once, the
    /// read audited with `reason`): everyone's, or only `subjects`'. A person with a
    /// consent that fails its integrity check has a damaged ledger; a person with no
    /// consent on record has none here.
    func consentLedgers(of subjects: Set<UUID>? = nil, reason: String) throws -> [UUID: ConsentLedger] {
        let headers = try vault.headers(state: .final, kind: .consent).filter { subjects?.contains($0.subjectID) ?? true }
        let damaged = Set(headers.filter { !$0.intact }.map(\.subjectID))
        let ids = headers.filter(\.intact).map(\.id)
        let records = ids.isEmpty ? [] : try vault.read(ids, reason: reason)
        let bySubject = Dictionary(grouping: records, by: \.header.subjectID)
        var out: [UUID: ConsentLedger] = [:]
        for subject in damaged.union(bySubject.keys) {
            out[subject] = Self.ledger(bySubject[subject] ?? [], damaged: damaged.contains(subject))
        }
        return out
    }
}
