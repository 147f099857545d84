/// The table of TOP items: flag name, section, question text and allowed values,
/// in the order the form asks them. The REPL prompts one field at a time from
/// ``all`` and shows ``question`` and ``allowed`` for `?` help.
public struct TOPField: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// 0-7 days in one week.
        case days
        /// Average amount on a using day, ≥ 0, in the substance's unit.
        case amount(TOPSubstance)
        case yesNo
        /// 0-20.
        case rating
        /// Free text (the other substance's name).
        case name
    }

    public let flag: String
    public let section: Int
    public let question: String
    public let allowed: String
    public let kind: Kind

    init(_ flag: String, _ section: Int, _ question: String, _ kind: Kind) {
        self.flag = flag
        self.section = section
        self.question = question
        self.kind = kind
        switch kind {
        case .days: allowed = "0-7, or declined"
        case .amount: allowed = "a number of 0 or more (e.g. 2.5), or declined"
        case .yesNo: allowed = "yes, no, declined"
        case .rating: allowed = "0-20 (0 = poor, 20 = good), or declined"
        case .name: allowed = "the substance's name, or declined"
        }
    }

    /// Parses typed text for this item.
    public func parse(_ text: String) throws(FieldError) -> TOPValue {
        try TOPValue.parse(text, kind: kind, flag: flag)
    }

    /// The item with this flag name, if any.
    public static func named(_ flag: String) -> TOPField? {
        all.first { $0.flag == flag }
    }

    static let weekNote = "week 1 is the 7 days before the interview, week 4 the furthest back"

    static func weeks(_ prefix: String, _ section: Int, _ subject: String) -> [TOPField] {
        [4, 3, 2, 1].map { n in
            TOPField("\(prefix)-week-\(n)", section, "\(subject) in week \(n) (\(weekNote))", .days)
        }
    }

    /// Every TOP item, in form order.
    public static let all: [TOPField] = {
        var fields: [TOPField] = []
        for substance in TOPSubstance.allCases {
            fields += weeks(substance.flag, 1, "\(substance.label): days used")
            if substance == .other {
                fields.append(TOPField("other-name", 1, "Other problem substance: which substance?", .name))
            }
            if let unit = substance.unit {
                fields.append(TOPField("\(substance.flag)-amount", 1,
                                       "\(substance.label): average amount on a using day, in \(unit)",
                                       .amount(substance)))
            }
        }
        fields += weeks("injecting", 2, "Injecting: days injected")
        fields.append(TOPField("shared-needles", 2, "Injecting: shared a needle or syringe in the past 4 weeks?", .yesNo))
        fields.append(TOPField("shared-paraphernalia", 2,
                               "Injecting: shared a spoon, water or filter in the past 4 weeks?", .yesNo))
        fields += weeks("shoplifting", 3, "Shoplifting: days")
        fields += weeks("drug-selling", 3, "Drug selling: days")
        fields.append(TOPField("vehicle-theft", 3, "Theft from or of a vehicle in the past 4 weeks?", .yesNo))
        fields.append(TOPField("property-theft", 3, "Other property theft or burglary in the past 4 weeks?", .yesNo))
        fields.append(TOPField("fraud", 3, "Fraud, forgery or handling stolen goods in the past 4 weeks?", .yesNo))
        fields.append(TOPField("assault", 3, "Committed assault or violence in the past 4 weeks?", .yesNo))
        fields.append(TOPField("psych-health", 4,
                               "Psychological health (anxiety, depression, problem emotions and feelings), 0 = poor, 20 = good",
                               .rating))
        fields.append(TOPField("physical-health", 4,
                               "Physical health (physical symptoms, bothered by illness), 0 = poor, 20 = good", .rating))
        fields.append(TOPField("quality-of-life", 4,
                               "Overall quality of life (able to enjoy life, gets on with family and partner), 0 = poor, 20 = good",
                               .rating))
        fields += weeks("paid-work", 4, "Paid work: days worked")
        fields += weeks("college", 4, "College or school: days attended")
        fields.append(TOPField("acute-housing", 4, "Acute housing problem (e.g. homeless) in the past 4 weeks?", .yesNo))
        fields.append(TOPField("eviction-risk", 4, "At risk of eviction in the past 4 weeks?", .yesNo))
        return fields
    }()
}
