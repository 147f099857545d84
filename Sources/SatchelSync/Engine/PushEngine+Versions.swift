import Foundation
import SatchelCore
import SatchelStore

/// Amendments on the wire: every version of a record is the same resource. A version is
/// written over the one the server already holds (PUT to the id in that version's
/// receipt), so a receiving system sees one current resource with its history, whether it
/// lets clients choose ids or not. docs/fhir-mapping.md, "Amendments".
extension PushEngine {
    /// The records in rounds with one version of each resource per round, oldest first:
    /// an amendment goes after the version before it has been settled.
    static func rounds(_ ordered: [OutgoingRecord], keys: [UUID: UUID]) -> [[OutgoingRecord]] {
        var rounds: [[OutgoingRecord]] = []
        var remaining = ordered
        while !remaining.isEmpty {
            var seen = Set<UUID>()
            var now: [OutgoingRecord] = []
            var later: [OutgoingRecord] = []
            for r in remaining {
                if seen.insert(keys[r.id] ?? r.id).inserted { now.append(r) } else { later.append(r) }
            }
            rounds.append(now)
            remaining = later
        }
        return rounds
    }

    func rounds(_ ordered: [OutgoingRecord]) -> [[OutgoingRecord]] { Self.rounds(ordered, keys: resourceKeys) }

    /// Each record whose resource is already on the server, pointed at it. An endorsement
    /// (`risk endorse`) not yet placed goes over the colleague's RiskAssessment it endorses
    /// when this is the destination it was pulled from: the next version of that resource,
    /// now final (SIM guide §43).
    func withUpdateTargets(_ records: [OutgoingRecord]) throws -> [OutgoingRecord] {
        let held = try placed()
        return records.map { r in
            var r = r
            r.updateTarget = held[resourceKeys[r.id] ?? r.id] ?? endorsedTarget(r)
            return r
        }
    }

    /// "RiskAssessment/ID" when `r` endorses a risk assessment pulled from this destination.
    func endorsedTarget(_ r: OutgoingRecord) -> String? {
        guard r.kind == .risk, let entry = try? RecordCodec.decode(RiskAssessmentEntry.self, from: r.body),
              let endorsed = entry.endorses, endorsed.destination == destination.name
        else { return nil }
        return "RiskAssessment/\(endorsed.resourceID)"
    }

    /// The resources on this destination's server and where ("Type/id"), from the receipts
    /// of delivered versions.
    func placed() throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        for (id, server) in try vault.receipts(destination: destination.name) { out[resourceKeys[id] ?? id] = server }
        return out
    }

    /// The people whose Patient is on the server (any version of it).
    func placedResources() throws -> Set<UUID> { Set(try placed().keys) }
}
