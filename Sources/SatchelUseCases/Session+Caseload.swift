import Foundation
import SatchelCore
import SatchelStore
import SatchelSync

extension Session {
    /// `caseload pull`: from each destination configured to allow reading (or one),
    /// the team's caseload into the vault as sealed reference records. Expired ones go
    /// first. A destination not confirmed as configured is not read.
    public func pullCaseload(destination name: String? = nil) throws -> [CaseloadPullSummary] {
        let all = try name.map { [try destination(named: $0)] } ?? config().destinations
        let targets = all.filter { $0.caseload != nil && $0.folder == nil }
        guard !targets.isEmpty else {
            let which = name.map { "Destination \($0) is" } ?? "No destination is"
            throw UseCaseError(.config, "\(which) configured to allow reading: add caseload = \"Group/ID\" (the team's caseload on that server) to its [destination.NAME] table in config.toml.")
        }
        try dropExpiredReferences()
        defer { pulledPatientsCache = nil }
        let states = try destinationConfirmations()
        return try targets.map { d in
            if let unconfirmed = states[d.name]?.message(for: d.name) {
                var s = CaseloadPullSummary(destination: d.name)
                s.why = unconfirmed
                return s
            }
            do {
                return CaseloadPull(vault: vault, destination: d, transport: try delivery.transport(d), clock: delivery.clock).run()
            } catch let error as SyncError {
                var s = CaseloadPullSummary(destination: d.name)
                s.why = error.message
                return s
            }
        }
    }

    /// `caseload drop`: every pulled record (of one destination, or all) removed at once.
    public func dropCaseload(destination name: String? = nil) throws -> Int {
        pulledPatientsCache = nil
        return try vault.dropReferences(destination: name)
    }

    /// Pulled records older than their destination's keep period (`caseload-keep-days`).
    func dropExpiredReferences() throws {
        pulledPatientsCache = nil
        for d in try config().destinations where d.caseload != nil {
            try vault.dropReferences(destination: d.name, pulledBefore: delivery.clock.now().addingTimeInterval(-Double(d.caseloadKeepDays) * 86_400))
        }
    }
}
