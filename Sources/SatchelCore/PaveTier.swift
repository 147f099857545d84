/// PAVE tier 1, 2 or 3. Encodes to JSON as the number.
public enum PaveTier: Int, Codable, Sendable, FieldChoice {
    case one = 1, two = 2, three = 3

    public var choiceName: String { String(rawValue) }
    public static var choiceNoun: String { "a PAVE tier" }

    /// The tier in words (PAVE SOP §7, "PAVE MDT outcome").
    public var words: String {
        switch self {
        case .one: "full tri-partnership, case-managed by the team"
        case .two: "a problem-solving plan owned by the neighbourhood team"
        case .three: "advice and guidance"
        }
    }
}
