import Foundation
import SatchelCore
import SatchelStore

/// Amendments on the wire: every version of a record is the same resource. A version is
/// written over the one the server already holds (PUT to the id in that version's
/// receipt, `PushEngine.ship`), so a receiving system sees one current resource with its
/// history, whether it lets clients choose ids or not. docs/fhir-mapping.md, "Amendments".
extension PushEngine {
    /// "RiskAssessment/ID" when `r` endorses a risk assessment pulled from this destination
    /// (`risk endorse`): not yet placed itself, it goes over the colleague's RiskAssessment,
    /// the next version of that resource, now final (SIM guide §43). Read from the entry
    /// decoded when the record was opened (`OutgoingRecord.riskEntry`), the one the mapper maps.
    func endorsedTarget(_ r: OutgoingRecord) -> String? {
        guard let endorsed = r.riskEntry?.endorses, endorsed.destination == destination.name else { return nil }
        return "RiskAssessment/\(endorsed.resourceID)"
    }
}
