import Foundation

/// A risk assessment entry (record kind `risk`).
///
/// The grade is derived from likelihood × impact through the team's ``RiskMatrix`` and is
/// the entry's `currentRisk`; the entry keeps the matrix it was graded with (entries from
/// before it was kept were graded with ``RiskMatrix/satchel``). `authority` is derived from
/// the domain and the author's role (see ``Authority/forRisk(domain:author:)``).
///
/// JSON keys: `progress`, `mentalState`, `risk`, `plan`, `likelihood`, `impact`,
/// `grade`, `currentRisk`, `domain`, `authority`, `matrix`, and `endorses` for an
/// endorsement (`risk endorse`, SIM guide §43).
public struct RiskAssessmentEntry: RecordPayload {
    public static let recordKind = RecordKind.risk

    public let progress: String
    public let mentalState: String
    public let risk: String
    public let plan: String
    public let likelihood: Int
    public let impact: Int
    public let grade: RiskGrade
    public let domain: RiskDomain
    public let authority: Authority
    /// The matrix that turned likelihood × impact into the grade.
    public let matrix: RiskMatrix
    /// The colleague's contributory grade this entry makes final (`risk endorse`); nil for
    /// an entry of the author's own.
    public internal(set) var endorses: RiskEndorsement?

    /// Equal to ``grade``: a risk entry states the level it assesses.
    public var currentRisk: RiskGrade { grade }

    /// Validates and builds an entry. The four text fields are required
    /// (flags `progress`, `mental-state`, `risk`, `plan`).
    public init(progress: String, mentalState: String, risk: String, plan: String,
                likelihood: Int, impact: Int, domain: RiskDomain, author: Role,
                matrix: RiskMatrix = .satchel) throws(FieldError) {
        self.progress = try FieldText.required(progress, field: "progress", label: "progress")
        self.mentalState = try FieldText.required(mentalState, field: "mental-state", label: "the mental state")
        self.risk = try FieldText.required(risk, field: "risk", label: "the risk description")
        self.plan = try FieldText.required(plan, field: "plan", label: "the plan")
        self.grade = try matrix.grade(likelihood: likelihood, impact: impact)
        self.matrix = matrix
        self.likelihood = likelihood
        self.impact = impact
        self.domain = domain
        self.authority = Authority.forRisk(domain: domain, author: author)
    }

    /// "Risk raised from Medium to High" etc., relative to the previous entry's grade.
    public func change(from previous: RiskGrade?) -> String {
        grade.change(from: previous)
    }

    enum CodingKeys: String, CodingKey {
        case progress, mentalState, risk, plan, likelihood, impact, grade, currentRisk, domain, authority, matrix, endorses
    }

    /// Decoding re-checks the scores and that `grade` and `currentRisk` agree with the
    /// entry's matrix (Satchel's default when none is stored).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        progress = try c.decode(String.self, forKey: .progress)
        mentalState = try c.decode(String.self, forKey: .mentalState)
        risk = try c.decode(String.self, forKey: .risk)
        plan = try c.decode(String.self, forKey: .plan)
        likelihood = try c.decode(Int.self, forKey: .likelihood)
        impact = try c.decode(Int.self, forKey: .impact)
        grade = try c.decode(RiskGrade.self, forKey: .grade)
        domain = try c.decode(RiskDomain.self, forKey: .domain)
        authority = try c.decode(Authority.self, forKey: .authority)
        matrix = try c.decodeIfPresent(RiskMatrix.self, forKey: .matrix) ?? .satchel
        endorses = try c.decodeIfPresent(RiskEndorsement.self, forKey: .endorses)
        let stated = try c.decode(RiskGrade.self, forKey: .currentRisk)
        let derived: RiskGrade
        do {
            derived = try matrix.grade(likelihood: likelihood, impact: impact)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .likelihood, in: c, debugDescription: error.message)
        }
        guard derived == grade, stated == grade else {
            throw DecodingError.dataCorruptedError(forKey: .grade, in: c,
                                                   debugDescription: "grade does not match likelihood × impact")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(progress, forKey: .progress)
        try c.encode(mentalState, forKey: .mentalState)
        try c.encode(risk, forKey: .risk)
        try c.encode(plan, forKey: .plan)
        try c.encode(likelihood, forKey: .likelihood)
        try c.encode(impact, forKey: .impact)
        try c.encode(grade, forKey: .grade)
        try c.encode(grade, forKey: .currentRisk)
        try c.encode(domain, forKey: .domain)
        try c.encode(authority, forKey: .authority)
        try c.encode(matrix, forKey: .matrix)
        try c.encodeIfPresent(endorses, forKey: .endorses)
    }
}

/// A colleague's contributory risk grade, pulled from a destination (`caseload pull`), that
/// the role with the final say endorses (SIM guide §43): the endorsement is a risk entry of
/// the endorser's with the colleague's assessment, delivered to that destination as the
/// next version of the same RiskAssessment, now final.
public struct RiskEndorsement: Codable, Sendable, Equatable {
    /// The destination it was pulled from and its id there.
    public let destination: String
    public let resourceID: String
    /// The server's version of it that was endorsed (`meta.versionId`), when it said.
    public let version: String?
    /// Who graded it, as the resource names them; nil when it does not.
    public let gradedBy: String?
    public let assessedAt: Date

    public init(destination: String, resourceID: String, version: String?, gradedBy: String?, assessedAt: Date) {
        self.destination = destination
        self.resourceID = resourceID
        self.version = version
        self.gradedBy = gradedBy
        self.assessedAt = assessedAt
    }

    /// The key `show` and `risk endorse` take: DEST/RiskAssessment/ID.
    public var key: String { "\(destination)/RiskAssessment/\(resourceID)" }
}

extension RiskAssessmentEntry {
    /// The colleague's contributory assessment `pulled`, endorsed by `author`: the same
    /// words, likelihood, impact and domain, graded on `matrix` (which must give the same
    /// grade), and final because the author's role has the final say in its domain.
    public static func endorsing(
        _ pulled: RiskAssessmentEntry.Contribution, author: Role, matrix: RiskMatrix
    ) throws(FieldError) -> RiskAssessmentEntry {
        guard Authority.forRisk(domain: pulled.domain, author: author) == .final else {
            throw FieldError(field: "record", message: "record: the final say on \(pulled.domain.rawValue) risk is the \(pulled.domain == .clinical ? "clinician" : "police officer")'s (SIM guide §43); a \(author.rawValue) cannot endorse it.")
        }
        var entry = try RiskAssessmentEntry(
            progress: pulled.progress, mentalState: pulled.mentalState, risk: pulled.risk, plan: pulled.plan,
            likelihood: pulled.likelihood, impact: pulled.impact, domain: pulled.domain, author: author, matrix: matrix)
        guard entry.grade == pulled.grade else {
            throw FieldError(field: "record", message: "record: it was graded \(pulled.grade.label) on \(pulled.method ?? "a matrix it does not name"), but \(pulled.likelihood) × \(pulled.impact) is \(entry.grade.label) on this device's matrix \(matrix.code); record your own grade with `risk add`.")
        }
        entry.endorses = pulled.endorsement
        return entry
    }

    /// A colleague's risk assessment as pulled: what `endorsing` needs of it.
    public struct Contribution: Sendable, Equatable {
        public var progress, mentalState, risk, plan: String
        public var likelihood, impact: Int
        public var grade: RiskGrade
        public var domain: RiskDomain
        /// The matrix's code as the resource names it (`method`).
        public var method: String?
        public var endorsement: RiskEndorsement

        public init(progress: String, mentalState: String, risk: String, plan: String, likelihood: Int, impact: Int,
                    grade: RiskGrade, domain: RiskDomain, method: String?, endorsement: RiskEndorsement) {
            (self.progress, self.mentalState, self.risk, self.plan) = (progress, mentalState, risk, plan)
            (self.likelihood, self.impact, self.grade, self.domain) = (likelihood, impact, grade, domain)
            self.method = method
            self.endorsement = endorsement
        }
    }
}

extension RiskAssessmentEntry {
    public static var form: FormSpec { .risk }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "\(domain.rawValue) risk \(grade.label) (\(authority.rawValue)): \(firstLine(risk))" }
}
