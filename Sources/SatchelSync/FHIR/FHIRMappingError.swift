import SatchelCore

/// Why a record could not be mapped. Messages name the record and the failing
/// JSON path but never echo payload values (they may be personal data).
public enum FHIRMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload JSON could not be decoded as the record kind's payload.
    case unreadableBody(recordID: String, kind: RecordKind, reason: String)
    /// The payload decoded but failed the payload's own validation (e.g. TOP skips).
    case invalidPayload(recordID: String, kind: RecordKind, field: String)

    public var description: String {
        switch self {
        case .unreadableBody(let id, let kind, let reason):
            "The \(kind.rawValue) record \(id) cannot be sent as FHIR: its body is unreadable (\(reason))."
        case .invalidPayload(let id, let kind, let field):
            "The \(kind.rawValue) record \(id) cannot be sent as FHIR: field \(field) is invalid."
        }
    }
}
