import Foundation

/// The 5×5 likelihood × impact matrix that grades a risk assessment.
///
/// Score = likelihood × impact (each 1-5).
///
/// | Score    | Grade  |
/// |----------|--------|
/// | 1-4      | Low    |
/// | 5-12     | Medium |
/// | 15-25    | High   |
///
/// (Products 13 and 14 cannot occur.) In full, rows are likelihood, columns impact:
///
/// |   | 1 | 2 | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | 1 | L | L | L | L | M |
/// | 2 | L | L | M | M | M |
/// | 3 | L | M | M | M | H |
/// | 4 | L | M | M | H | H |
/// | 5 | M | M | H | H | H |
///
/// See `RiskMatrix.md` for the reasoning.
public enum RiskMatrix {
    public static let scale = 1...5

    /// The grade for a product score of 1-25.
    public static func grade(score: Int) -> RiskGrade {
        switch score {
        case ...4: .low
        case 5...12: .medium
        default: .high
        }
    }

    /// The grade for a validated likelihood and impact.
    public static func grade(likelihood: Int, impact: Int) throws(FieldError) -> RiskGrade {
        try check(likelihood, field: "likelihood")
        try check(impact, field: "impact")
        return grade(score: likelihood * impact)
    }

    static func rule(field: String) -> String {
        field == "likelihood"
            ? "Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."
            : "Impact is scored 1-5 (1 = negligible, 5 = catastrophic)."
    }

    /// Throws `--likelihood: 6 is out of range. Likelihood is scored 1-5 (...)`.
    public static func check(_ value: Int, field: String) throws(FieldError) {
        guard scale.contains(value) else {
            throw FieldError.on(field, "\(value) is out of range. \(rule(field: field))")
        }
    }

    /// Parses a typed score for `likelihood` or `impact`.
    public static func parseScore(_ text: String, field: String) throws(FieldError) -> Int {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(key) else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a score. \(rule(field: field))")
        }
        try check(value, field: field)
        return value
    }
}
