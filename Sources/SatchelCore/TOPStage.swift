/// When in treatment the TOP interview happens.
public enum TOPStage: String, Codable, Sendable, FieldChoice {
    case start, review, exit
    case postExit = "post-exit"

    public static var choiceNoun: String { "a TOP stage" }
}
