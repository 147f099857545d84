/// The risk level stated on every record (SIM guide §46). Ordered low < medium < high.
public enum RiskGrade: String, Codable, Sendable, Comparable, FieldChoice {
    case high, medium, low

    public static var choiceNoun: String { "a risk grade" }

    /// `"High"`, `"Medium"`, `"Low"`.
    public var label: String {
        switch self {
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        }
    }

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (lhs: RiskGrade, rhs: RiskGrade) -> Bool { lhs.rank < rhs.rank }

    /// Describes the move from the previous grade to this one:
    /// "Risk raised from Medium to High", "Risk lowered from High to Low",
    /// "Risk unchanged at Medium", or "Risk first assessed as Low" with no previous grade.
    public func change(from previous: RiskGrade?) -> String {
        guard let previous else { return "Risk first assessed as \(label)" }
        if self > previous { return "Risk raised from \(previous.label) to \(label)" }
        if self < previous { return "Risk lowered from \(previous.label) to \(label)" }
        return "Risk unchanged at \(label)"
    }
}
