import Foundation

/// A boundary discussion (record kind `boundary`): the behaviour, the boundary set,
/// the consequence if it is crossed, whether the legal position was explained, and
/// the service user's response. Final authority for the police role, contributory
/// for others.
///
/// JSON keys: `behaviour`, `boundary`, `consequence`, `legalExplained`, `response`,
/// `authority`, `currentRisk`.
public struct BoundaryDiscussion: RecordPayload {
    public static let recordKind = RecordKind.boundary

    public let behaviour: String
    public let boundary: String
    public let consequence: String
    public let legalExplained: Bool
    public let response: String
    public let authority: Authority
    public let currentRisk: RiskGrade

    /// Validates (all text required, flags `behaviour`, `boundary`, `consequence`,
    /// `response`) and derives authority from the author's role.
    public init(behaviour: String, boundary: String, consequence: String, legalExplained: Bool,
                response: String, author: Role, currentRisk: RiskGrade) throws(FieldError) {
        self.behaviour = try FieldText.required(behaviour, field: "behaviour", label: "the behaviour")
        self.boundary = try FieldText.required(boundary, field: "boundary", label: "the boundary")
        self.consequence = try FieldText.required(consequence, field: "consequence", label: "the consequence")
        self.response = try FieldText.required(response, field: "response", label: "the service user's response")
        self.legalExplained = legalExplained
        self.authority = Authority.forBoundary(author: author)
        self.currentRisk = currentRisk
    }
}

extension BoundaryDiscussion {
    public static var form: FormSpec { .boundary }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "boundary (\(authority.rawValue)): \(firstLine(boundary))" }
}
