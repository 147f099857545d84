/// The seven record-keeping triggers of the SIM guide, §25 ("a record is made of contact
/// with a high intensity service user in the following circumstances").
public enum ContactKind: String, Codable, Sendable, FieldChoice {
    case faceToFace = "face-to-face"
    case phone
    case phoneFamily = "phone-family"
    case didNotAttend = "did-not-attend"
    case attempted
    case offence
    case significantEvent = "significant-event"

    public static var choiceNoun: String { "a contact kind" }

    /// One line for `?` help at the prompt.
    public var summary: String {
        switch self {
        case .faceToFace: "A face-to-face meeting with the service user."
        case .phone: "A phone call with the service user (record it if a risk assessment changes or a decision about care is made)."
        case .phoneFamily: "A phone call with a member of family or a friend (record it if a risk assessment changes or a decision about care is made)."
        case .didNotAttend: "The service user failed to attend a session or engage with an arranged activity."
        case .attempted: "No contact was made, but an attempt to contact was."
        case .offence: "The service user committed a criminal or community offence."
        case .significantEvent: "Any other significant event."
        }
    }
}
