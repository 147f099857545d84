/// The substances in TOP section 1, in form order.
public enum TOPSubstance: String, CaseIterable, Codable, Sendable {
    case alcohol, opiates, crack, cocaine, amphetamines, cannabis, other, tobacco

    /// The flag prefix, e.g. `alcohol` for `alcohol-week-1` and `alcohol-amount`.
    public var flag: String { rawValue }

    /// Heading used in questions.
    public var label: String {
        switch self {
        case .alcohol: "Alcohol"
        case .opiates: "Opiates (illicit)"
        case .crack: "Crack"
        case .cocaine: "Cocaine"
        case .amphetamines: "Amphetamines"
        case .cannabis: "Cannabis"
        case .other: "Other problem substance"
        case .tobacco: "Tobacco"
        }
    }

    /// Used in sentences: "because alcohol use was recorded ...".
    public var useNoun: String {
        switch self {
        case .alcohol: "alcohol use"
        case .opiates: "opiate use"
        case .crack: "crack use"
        case .cocaine: "cocaine use"
        case .amphetamines: "amphetamine use"
        case .cannabis: "cannabis use"
        case .other: "use of the other problem substance"
        case .tobacco: "tobacco use"
        }
    }

    /// Unit of the average amount on a using day; nil for tobacco (days only).
    public var unit: String? {
        switch self {
        case .alcohol: "UK units/day"
        case .opiates, .crack, .cocaine, .amphetamines, .other: "g/day"
        case .cannabis: "spliffs/day"
        case .tobacco: nil
        }
    }
}
