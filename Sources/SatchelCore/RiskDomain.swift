/// Which kind of risk an assessment addresses.
public enum RiskDomain: String, Codable, Sendable, FieldChoice {
    case clinical, criminal

    public static var choiceNoun: String { "a risk domain" }
}
