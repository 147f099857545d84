/// A record that is sealed as JSON in the journal. Every payload states the
/// current risk level (SIM guide §46).
public protocol RecordPayload: Codable, Equatable, Sendable {
    static var recordKind: RecordKind { get }
    var currentRisk: RiskGrade { get }
}
