import Foundation
import SatchelCore
import SatchelStore

/// What `purge` removed, or would remove.
public struct PurgeReport: Sendable, Encodable {
    public struct Item: Sendable, Encodable {
        public let record: String
        public let kind: String
        public let serviceUser: String
        /// When the last destination acknowledged it.
        public let deliveredAt: String
    }

    public let items: [Item]
    public let dryRun: Bool
}

/// Retention: the bodies of records every destination due to receive them has
/// acknowledged leave the device (docs/security.md, "Retention"). The vault decides
/// what is delivered (`Vault.purgeCandidates`); here, which kinds may go.
extension Session {
    /// Purges every record delivered everywhere it was due, of a kind that may go
    /// (`RecordKind.isPurgeable`), delivered at least `olderThanDays` days ago when given.
    /// With `dryRun`, lists them and changes nothing.
    public func purge(olderThanDays: Int? = nil, dryRun: Bool, reason: String = "purge") throws -> PurgeReport {
        let cutoff = olderThanDays.map { clock().addingTimeInterval(-Double($0) * 86_400) }
        let due = try vault.purgeCandidates().filter { c in c.header.kind.isPurgeable && cutoff.map { c.deliveredAt <= $0 } ?? true }
        let users = try serviceUsers()
        let items = due.map { c in
            PurgeReport.Item(
                record: RecordRef.short(c.header.id), kind: c.header.kind.rawValue,
                serviceUser: initials(of: c.header, in: users), deliveredAt: FieldDate.display(c.deliveredAt))
        }
        if !dryRun { try vault.purge(due.map(\.header.id), reason: reason) }
        return PurgeReport(items: items, dryRun: dryRun)
    }

    /// After a sync: purges what `[retention] purge-after-days` says is due. Nothing when
    /// the setting is absent (the default).
    func purgeDue() throws -> PurgeReport? {
        guard let days = try config().purgeAfterDays else { return nil }
        return try purge(olderThanDays: days, dryRun: false, reason: "after sync: delivered \(days) days ago or more")
    }
}
