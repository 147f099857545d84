/// The service user's decision. The latest decision for a (scope, with) pair wins.
public enum ConsentDecision: String, Codable, Sendable, FieldChoice {
    case given, refused, withdrawn

    public static var choiceNoun: String { "a consent decision" }
}
