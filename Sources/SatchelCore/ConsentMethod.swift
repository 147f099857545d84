/// How the decision was recorded.
public enum ConsentMethod: String, Codable, Sendable, FieldChoice {
    case verbal, written

    public static var choiceNoun: String { "a consent method" }
}
