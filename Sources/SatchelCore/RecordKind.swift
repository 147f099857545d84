/// What a record is about. The raw value is what the vault stores in clear and what
/// the user types; it never changes once records exist.
public enum RecordKind: String, CaseIterable, Codable, Sendable {
    case serviceUser = "service-user"
    case contact
    case risk
    case top
    case consent
    case boundary
}
