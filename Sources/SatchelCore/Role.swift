/// The worker's role on the team. It decides which risk grades are theirs to make
/// final (SIM guide §43) and which record kinds they lead on.
public enum Role: String, CaseIterable, Codable, Sendable {
    case clinician
    case police
    case substanceMisuse = "substance-misuse"

    /// The allowed values, as a user types them.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
