import Foundation

/// The likelihood × impact matrix that grades a risk assessment: score = likelihood ×
/// impact (each 1-5), and two thresholds band the score into Low, Medium and High.
///
/// SIM guide §45 teaches risk "as a product of two variables", the likelihood and the
/// impact, graded High-Medium-Low, but gives no bands. The bands are the team's to set
/// (config.toml `[risk-matrix]`); without them Satchel grades with its own default,
/// ``satchel`` (`satchel-5x5-v1`), which awaits clinical sign-off (docs/risk-matrix.md):
///
/// | Score    | Grade  |
/// |----------|--------|
/// | 1-4      | Low    |
/// | 5-12     | Medium |
/// | 15-25    | High   |
///
/// Each risk entry keeps the matrix it was graded with, and is delivered with the
/// matrix's ``code`` as the RiskAssessment method: a change of bands needs a new version.
///
/// JSON keys: `id`, `version`, `mediumFrom`, `highFrom`.
public struct RiskMatrix: Codable, Sendable, Equatable {
    public static let scale = 1...5
    /// Every product of two scores: the thresholds must be one of these to mean anything.
    public static let scores = 1...25

    /// Names the matrix, e.g. `satchel-5x5` or a team's `testshire-rqm`.
    public let id: String
    public let version: Int
    /// The lowest score graded Medium.
    public let mediumFrom: Int
    /// The lowest score graded High.
    public let highFrom: Int

    /// Satchel's own default, pending clinical sign-off: Low 1-4, Medium 5-12, High 15-25.
    public static let satchel = RiskMatrix(checkedID: "satchel-5x5", version: 1, mediumFrom: 5, highFrom: 15)

    /// What a team's matrix must be, for errors.
    public static let idRule = "1-40 lower-case letters, digits or -, starting with a letter"
    public static let thresholdRule = "2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)"

    private init(checkedID id: String, version: Int, mediumFrom: Int, highFrom: Int) {
        self.id = id
        self.version = version
        self.mediumFrom = mediumFrom
        self.highFrom = highFrom
    }

    /// A team's matrix. Throws naming the setting (`id`, `version`, `medium-from`,
    /// `high-from`) that breaks its rule; the caller adds where it was read from.
    public init(id: String, version: Int, mediumFrom: Int, highFrom: Int) throws(FieldError) {
        guard id.range(of: "^[a-z][a-z0-9-]{0,39}$", options: .regularExpression) != nil else {
            throw FieldError(field: "id", message: "\(FieldError.quote(id)) is not a matrix id. Allowed: \(Self.idRule).")
        }
        guard id != Self.satchel.id else {
            throw FieldError(field: "id", message: "\"\(id)\" is Satchel's own default matrix. Name your team's matrix, e.g. \"testshire-rqm\".")
        }
        guard version >= 1 else {
            throw FieldError(field: "version", message: "\(version) is not a version. Allowed: a whole number from 1; raise it whenever the bands change.")
        }
        guard (2...Self.scores.upperBound).contains(mediumFrom) else {
            throw FieldError(field: "medium-from", message: "\(mediumFrom) is out of range. Allowed: \(Self.thresholdRule).")
        }
        guard mediumFrom < highFrom, highFrom <= Self.scores.upperBound else {
            throw FieldError(field: "high-from", message: "\(highFrom) is out of range. Allowed: \(Self.thresholdRule).")
        }
        self.init(checkedID: id, version: version, mediumFrom: mediumFrom, highFrom: highFrom)
    }

    /// `satchel-5x5-v1`: the RiskAssessment method code.
    public var code: String { "\(id)-v\(version)" }

    /// "Low 1-4, Medium 5-12, High 15-25".
    public var bands: String {
        "Low 1-\(mediumFrom - 1), Medium \(mediumFrom)-\(highFrom - 1), High \(highFrom)-25"
    }

    /// The grade for a product score of 1-25.
    public func grade(score: Int) -> RiskGrade {
        if score >= highFrom { return .high }
        return score >= mediumFrom ? .medium : .low
    }

    /// The grade for a validated likelihood and impact.
    public func grade(likelihood: Int, impact: Int) throws(FieldError) -> RiskGrade {
        try Self.check(likelihood, field: "likelihood")
        try Self.check(impact, field: "impact")
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

    /// Decoding re-checks a stored matrix: the default as it is, a team's by its rules.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        let version = try c.decode(Int.self, forKey: .version)
        let mediumFrom = try c.decode(Int.self, forKey: .mediumFrom)
        let highFrom = try c.decode(Int.self, forKey: .highFrom)
        if id == Self.satchel.id {
            guard version == Self.satchel.version, mediumFrom == Self.satchel.mediumFrom, highFrom == Self.satchel.highFrom else {
                throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: "not Satchel's default matrix")
            }
            self = .satchel
            return
        }
        do {
            self = try RiskMatrix(id: id, version: version, mediumFrom: mediumFrom, highFrom: highFrom)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: error.message)
        }
    }
}
