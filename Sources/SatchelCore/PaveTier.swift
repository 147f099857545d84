/// PAVE tier 1, 2 or 3. Encodes to JSON as the number.
public enum PaveTier: Int, Codable, Sendable, FieldChoice {
    case one = 1, two = 2, three = 3

    public var choiceName: String { String(rawValue) }
    public static var choiceNoun: String { "a PAVE tier" }
}
