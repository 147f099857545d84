/// One substance row of TOP section 1: days used per week and, when there was use,
/// the average amount on a using day.
///
/// `amount` is nil when not asked. It is required (a value or declined) when the
/// total is more than 0, must be nil when the total is 0, and is optional when
/// the total is unknown because a week was declined.
/// JSON keys: `days`, `amount` (absent when not asked).
public struct TOPSubstanceUse: Equatable, Sendable, Codable {
    public let days: WeeklyDays
    public let amount: Answer<Double>?

    public init(days: WeeklyDays, amount: Answer<Double>?, substance: TOPSubstance) throws(FieldError) {
        self.days = days
        self.amount = amount
        try validate(substance: substance)
    }

    /// No use in any of the four weeks.
    public static let none = TOPSubstanceUse(unchecked: .zero, nil)
    /// Every item declined.
    public static let declined = TOPSubstanceUse(unchecked: .declined, .declined)

    private init(unchecked days: WeeklyDays, _ amount: Answer<Double>?) {
        self.days = days
        self.amount = amount
    }

    /// Checks days, amount range and whether the amount should be present.
    public func validate(substance: TOPSubstance) throws(FieldError) {
        try days.validate(flag: substance.flag)
        let flag = "\(substance.flag)-amount"
        let rule = TOPValue.amountRule(substance)
        if case .value(let amount)? = amount, !(amount.isFinite && amount >= 0) {
            throw FieldError.on(flag, "\(TOPValue.show(amount)) is out of range. \(rule)")
        }
        if days.none, amount != nil {
            throw FieldError.on(flag, "this item is skipped because no \(substance.useNoun) was recorded in the past 4 weeks. Leave it out.")
        }
        if days.any, amount == nil {
            throw FieldError.on(flag, "an answer is required because \(substance.useNoun) was recorded in the past 4 weeks. \(rule)")
        }
    }
}
