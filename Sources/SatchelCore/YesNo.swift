/// A yes/no answer typed at the prompt (`cpa`, `legal-explained`).
public enum YesNo: String, Codable, Sendable, FieldChoice {
    case yes, no

    public static var choiceNoun: String { "a yes/no answer" }

    public var bool: Bool { self == .yes }

    public init(_ bool: Bool) { self = bool ? .yes : .no }

    /// Parses "yes"/"no" into a Bool with the uniform choice message.
    public static func parseBool(_ text: String, field: String) throws(FieldError) -> Bool {
        try parse(text, field: field).bool
    }
}
