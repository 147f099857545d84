import Foundation

/// Who a disclosure goes to: a configured destination (the named records are released
/// to it) or a named person, such as a relative (recorded; nothing is sent to them).
public enum DisclosureRecipient: String, Codable, Sendable {
    case destination
    case person
}

/// A disclosure without consent on a lawful basis (record kind `disclosure`), SIM guide
/// §48-52 and §56: to whom, exactly which records, on which basis, why, the risk behind
/// it and who decided. The records are resolved when it is made and kept in it, so it
/// releases exactly what it names and nothing written later.
///
/// JSON keys: `to`, `recipient`, `records` (record ids), `from` (absent unless given as
/// "everything from a date"), `basis`, `reason`, `likelihood` and `impact` (the risk
/// matrix, present for `prevent-serious-harm`, with `matrix`: the team's matrix that graded
/// them), `decidedBy`, `currentRisk`.
public struct Disclosure: RecordPayload {
    public static let recordKind = RecordKind.disclosure

    public let to: String
    public let recipient: DisclosureRecipient
    public let records: [UUID]
    public let from: FieldDay?
    public let basis: LawfulBasis
    public let reason: String
    public let likelihood: Int?
    public let impact: Int?
    /// The matrix that grades likelihood × impact (the team's, config.toml `[risk-matrix]`).
    public let matrix: RiskMatrix?
    public let decidedBy: String
    public let currentRisk: RiskGrade

    static let familyRule = "to family or friends, SIM guide §56 allows only \(LawfulBasis.toFamily.map(\.rawValue).joined(separator: ", ")) without consent; with the person's written consent, record `consent add --scope disclose-family --method written` instead."

    /// Validates: a recipient, at least one record, a reason and who decided; the §56
    /// bases for a person; a likelihood and impact for `prevent-serious-harm` (§50).
    public init(to: String, recipient: DisclosureRecipient, records: [UUID], from: FieldDay?, basis: LawfulBasis,
                reason: String, likelihood: Int?, impact: Int?, matrix: RiskMatrix = .satchel, decidedBy: String,
                currentRisk: RiskGrade) throws(FieldError) {
        self.to = try FieldText.required(to, field: recipient == .destination ? "to" : "to-person", label: "who the information goes to")
        self.recipient = recipient
        self.records = records
        self.from = from
        self.basis = basis
        self.reason = try FieldText.required(reason, field: "reason", label: "why it is shared without consent")
        self.likelihood = likelihood
        self.impact = impact
        self.matrix = likelihood == nil && impact == nil ? nil : matrix
        self.decidedBy = try FieldText.required(decidedBy, field: "decided-by", label: "who decided")
        self.currentRisk = currentRisk
        try validate()
    }

    public func validate() throws(FieldError) {
        if records.isEmpty { throw FieldError.on("records", "name at least one record: give --records ID,ID (from `history`) or --from DATE.") }
        if recipient == .person, !LawfulBasis.toFamily.contains(basis) { throw FieldError.on("basis", Self.familyRule) }
        if basis == .preventSeriousHarm {
            guard let likelihood, let impact else {
                throw FieldError.on("likelihood", "prevent-serious-harm needs the risk matrix (SIM guide §50: \"It is recommended that the Risk Quantification Matrix … is used\"): give --likelihood and --impact.")
            }
            _ = try (matrix ?? .satchel).grade(likelihood: likelihood, impact: impact)
        }
    }

    /// The matrix grade behind a `prevent-serious-harm` disclosure.
    public var matrixGrade: RiskGrade? {
        guard let likelihood, let impact else { return nil }
        return try? (matrix ?? .satchel).grade(likelihood: likelihood, impact: impact)
    }
}

extension Disclosure {
    public static var form: FormSpec { .disclosure }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String {
        "disclosed to \(to) without consent: \(records.count) record(s), \(basis.rawValue) (SIM \(basis.section))"
    }
}

/// What a disclosure to a destination releases: the records it names (and itself), to
/// that destination, under its basis. Built from a disclosure record on the device.
public struct DisclosureGrant: Sendable, Equatable {
    public let id: UUID
    public let destination: String
    public let basis: LawfulBasis
    public let records: Set<UUID>

    public init(id: UUID, disclosure: Disclosure) {
        self.id = id
        self.destination = disclosure.to
        self.basis = disclosure.basis
        self.records = Set(disclosure.records).union([id])
    }

    /// nil for a disclosure to a person: nothing is released to a destination.
    public static func of(id: UUID, _ disclosure: Disclosure) -> DisclosureGrant? {
        disclosure.recipient == .destination ? DisclosureGrant(id: id, disclosure: disclosure) : nil
    }
}
