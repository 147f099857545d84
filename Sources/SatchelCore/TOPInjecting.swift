/// TOP section 2: injecting in the past 4 weeks.
///
/// If the total is 0 the section ends: both sharing answers must be nil. If the
/// total is more than 0 both are required (a value or declined). If a week was
/// declined they are optional.
/// JSON keys: `days`, `sharedNeedles`, `sharedParaphernalia` (absent when skipped).
public struct TOPInjecting: Equatable, Sendable, Codable {
    public let days: WeeklyDays
    /// Needle or syringe shared.
    public let sharedNeedles: Answer<Bool>?
    /// Spoon, water or filter shared.
    public let sharedParaphernalia: Answer<Bool>?

    public init(days: WeeklyDays, sharedNeedles: Answer<Bool>? = nil,
                sharedParaphernalia: Answer<Bool>? = nil) throws(FieldError) {
        self.days = days
        self.sharedNeedles = sharedNeedles
        self.sharedParaphernalia = sharedParaphernalia
        try validate()
    }

    /// No injecting; sharing questions skipped.
    public static let none = TOPInjecting(unchecked: .zero)

    private init(unchecked days: WeeklyDays) {
        self.days = days
        sharedNeedles = nil
        sharedParaphernalia = nil
    }

    /// The NDTMS sharing flag: true if either sharing answer is yes; false if the
    /// section was skipped (no injecting) or both are no; nil when it cannot be
    /// known (declined or not asked after a declined week) and neither is yes.
    public var sharing: Bool? {
        if sharedNeedles == .value(true) || sharedParaphernalia == .value(true) { return true }
        if days.none { return false }
        if sharedNeedles == .value(false), sharedParaphernalia == .value(false) { return false }
        return nil
    }

    public func validate() throws(FieldError) {
        try days.validate(flag: "injecting")
        for (flag, answer) in [("shared-needles", sharedNeedles), ("shared-paraphernalia", sharedParaphernalia)] {
            if days.none, answer != nil {
                throw FieldError.on(flag, "this item is skipped because no injecting was recorded in the past 4 weeks. Leave it out.")
            }
            if days.any, answer == nil {
                throw FieldError.on(flag, "an answer is required because injecting was recorded in the past 4 weeks. Allowed: yes, no, declined.")
            }
        }
    }
}
