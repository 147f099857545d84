/// TOP section 1: substance use in the past 4 weeks.
///
/// Tobacco records days only. The other problem substance carries a name
/// (`otherName`), required (a value or declined) when its use is recorded, and
/// nil when there was none.
/// JSON keys: `alcohol`, `opiates`, `crack`, `cocaine`, `amphetamines`, `cannabis`,
/// `other`, `otherName`, `tobacco`.
public struct TOPSubstances: Equatable, Sendable, Codable {
    public let alcohol: TOPSubstanceUse
    public let opiates: TOPSubstanceUse
    public let crack: TOPSubstanceUse
    public let cocaine: TOPSubstanceUse
    public let amphetamines: TOPSubstanceUse
    public let cannabis: TOPSubstanceUse
    public let other: TOPSubstanceUse
    public let otherName: Answer<String>?
    public let tobacco: WeeklyDays

    public init(alcohol: TOPSubstanceUse = .none, opiates: TOPSubstanceUse = .none,
                crack: TOPSubstanceUse = .none, cocaine: TOPSubstanceUse = .none,
                amphetamines: TOPSubstanceUse = .none, cannabis: TOPSubstanceUse = .none,
                other: TOPSubstanceUse = .none, otherName: Answer<String>? = nil,
                tobacco: WeeklyDays = .zero) throws(FieldError) {
        self.alcohol = alcohol
        self.opiates = opiates
        self.crack = crack
        self.cocaine = cocaine
        self.amphetamines = amphetamines
        self.cannabis = cannabis
        self.other = other
        if case .value(let name)? = otherName {
            self.otherName = .value(try FieldText.required(name, field: "other-name", label: "the other substance's name"))
        } else {
            self.otherName = otherName
        }
        self.tobacco = tobacco
        try validate()
    }

    /// The row for a substance that has an amount (nil for tobacco).
    public func use(of substance: TOPSubstance) -> TOPSubstanceUse? {
        switch substance {
        case .alcohol: alcohol
        case .opiates: opiates
        case .crack: crack
        case .cocaine: cocaine
        case .amphetamines: amphetamines
        case .cannabis: cannabis
        case .other: other
        case .tobacco: nil
        }
    }

    /// Days for any substance, tobacco included.
    public func days(of substance: TOPSubstance) -> WeeklyDays {
        use(of: substance)?.days ?? tobacco
    }

    public func validate() throws(FieldError) {
        for substance in TOPSubstance.allCases {
            try use(of: substance)?.validate(substance: substance)
        }
        try tobacco.validate(flag: TOPSubstance.tobacco.flag)
        if other.days.none, otherName != nil {
            throw FieldError.on("other-name", "this item is skipped because no use of the other problem substance was recorded in the past 4 weeks. Leave it out.")
        }
        if other.days.any, otherName == nil {
            throw FieldError.on("other-name", "an answer is required because use of the other problem substance was recorded in the past 4 weeks. Give its name, or \"declined\".")
        }
    }
}
