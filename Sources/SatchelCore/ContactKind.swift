/// The seven record-keeping triggers: every one of these events gets a contact record.
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
        case .faceToFace: "A face-to-face contact with the service user."
        case .phone: "A telephone contact with the service user."
        case .phoneFamily: "A telephone contact with family, a carer or another involved person."
        case .didNotAttend: "The service user did not attend an arranged appointment."
        case .attempted: "An attempted contact that did not reach the service user."
        case .offence: "An offence committed by, or against, the service user."
        case .significantEvent: "A significant event in the service user's life or care."
        }
    }
}
