/// Whether an entry is the author's final say or a contribution to someone else's
/// (SIM guide §43: clinical risk is the clinician's final say, criminal risk and
/// boundaries the police officer's).
public enum Authority: String, Codable, Sendable {
    case final
    case contributory

    /// Final when a clinician grades clinical risk or a police officer grades criminal risk.
    public static func forRisk(domain: RiskDomain, author: Role) -> Authority {
        switch (domain, author) {
        case (.clinical, .clinician), (.criminal, .police): .final
        default: .contributory
        }
    }

    /// Final for the police role; contributory for everyone else.
    public static func forBoundary(author: Role) -> Authority {
        author == .police ? .final : .contributory
    }
}
