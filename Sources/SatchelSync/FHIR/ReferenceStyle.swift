/// How references to the service user's Patient are written.
public enum ReferenceStyle: Sendable, Equatable {
    /// `{"reference": "Patient/<subjectID>", "identifier": {...}}`: right when Patients are
    /// PUT with client ids (the Patient's id is the subject UUID).
    case clientIDs
    /// `{"identifier": {...}}` only (a logical reference): right when the server assigns ids
    /// (conditional create), where `Patient/<subjectID>` would dangle.
    case identifierOnly
}
