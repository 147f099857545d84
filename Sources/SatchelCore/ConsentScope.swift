/// What a consent decision covers.
public enum ConsentScope: String, Codable, Sendable, FieldChoice {
    /// Agreement to engage with the service.
    case engagement
    /// Sharing information with an agency (`with` is the agency).
    case share
    /// Involving a named person in the work, e.g. present at visits (`with` is the person).
    case involve
    /// Disclosing information to family; must be written (SIM guide §56).
    case discloseFamily = "disclose-family"
    /// The privacy notice has been given and explained.
    case privacyNotice = "privacy-notice"

    public static var choiceNoun: String { "a consent scope" }
}
