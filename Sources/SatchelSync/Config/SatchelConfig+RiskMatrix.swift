import SatchelCore

/// `[risk-matrix]`: the team's bands for likelihood × impact (SIM guide §45 gives none).
///
/// ```toml
/// [risk-matrix]
/// id = "testshire-rqm"   # names the matrix; the method code is "<id>-v<version>"
/// version = 2            # raise it whenever the bands change
/// medium-from = 4        # the lowest score (likelihood × impact) graded Medium
/// high-from = 10         # the lowest score graded High
/// ```
///
/// Without the table, Satchel's own default (`satchel-5x5-v1`) applies. Every key is
/// required, so a half-written matrix is an error, never a silent default.
extension SatchelConfig {
    static let riskMatrixTable = "risk-matrix"
    static let riskMatrixKeys = ["high-from", "id", "medium-from", "version"]

    static func riskMatrix(_ t: [String: TOMLValue]) throws(SyncError) -> RiskMatrix {
        let p = riskMatrixTable
        if let unknown = t.keys.sorted().first(where: { !riskMatrixKeys.contains($0) }) {
            throw .config("\(p).\(unknown): unknown setting. Allowed: \(riskMatrixKeys.joined(separator: ", ")).")
        }
        let r = Reader(prefix: p, table: t)
        guard let id = try r.string("id") else { throw .config("\(p).id: required (the matrix's name: \(RiskMatrix.idRule)).") }
        guard let version = try r.integer("version") else { throw .config("\(p).version: required (a whole number from 1; raise it whenever the bands change).") }
        guard let medium = try r.integer("medium-from") else { throw .config("\(p).medium-from: required (the lowest score graded Medium; \(RiskMatrix.thresholdRule)).") }
        guard let high = try r.integer("high-from") else { throw .config("\(p).high-from: required (the lowest score graded High; \(RiskMatrix.thresholdRule)).") }
        do {
            return try RiskMatrix(id: id, version: version, mediumFrom: medium, highFrom: high)
        } catch {
            throw .config("\(p).\(error.field): \(error.message)")
        }
    }
}
