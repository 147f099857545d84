import Foundation

/// TOP answers collected one item at a time (by the REPL or from flags), then
/// assembled into a ``TOPForm``.
///
/// ```
/// var answers = TOPAnswers()
/// while let field = answers.nextField { try answers.set(field.flag, prompt(field)) }
/// let form = try answers.form(stage: .exit, interviewDate: day, currentRisk: .low, now: now)
/// ```
public struct TOPAnswers: Equatable, Sendable {
    public private(set) var values: [String: TOPValue] = [:]

    public init() {}

    /// Parses and stores the answer for `flag` (replacing any earlier answer).
    public mutating func set(_ flag: String, _ text: String) throws(FieldError) {
        guard let field = TOPField.named(flag) else {
            throw FieldError.on(flag, "there is no TOP item with this name. Type ? for the list of items.")
        }
        values[flag] = try field.parse(text)
    }

    /// Parses many `flag: text` pairs, in table order so the first error is predictable.
    public init(parsing texts: [String: String]) throws(FieldError) {
        for flag in texts.keys.sorted() where TOPField.named(flag) == nil {
            throw FieldError.on(flag, "there is no TOP item with this name. Type ? for the list of items.")
        }
        for field in TOPField.all {
            if let text = texts[field.flag] { try set(field.flag, text) }
        }
    }

    /// False for follow-up items skipped by earlier answers: an amount (or the other
    /// substance's name) when that substance's total is 0, and the sharing questions
    /// when injecting total is 0.
    public func isAsked(_ field: TOPField) -> Bool {
        switch field.kind {
        case .amount(let substance): return !isZero(substance.flag)
        case .name: return !isZero(TOPSubstance.other.flag)
        case .yesNo where field.section == 2: return !isZero("injecting")
        default: return true
        }
    }

    /// The first item that is asked and not yet answered; nil when complete.
    public var nextField: TOPField? {
        TOPField.all.first { isAsked($0) && values[$0.flag] == nil }
    }

    func isZero(_ prefix: String) -> Bool {
        (try? weeks(prefix).none) ?? false
    }

    // MARK: Assembly

    /// Builds the form. Missing items that are asked raise
    /// `--<flag>: an answer is required. <rule>`; answers to skipped items raise the
    /// section's "this item is skipped" error.
    public func form(stage: TOPStage, interviewDate: FieldDay, currentRisk: RiskGrade,
                     now: Date, calendar: Calendar = .london) throws(FieldError) -> TOPForm {
        func use(_ s: TOPSubstance) throws(FieldError) -> TOPSubstanceUse {
            try TOPSubstanceUse(days: weeks(s.flag), amount: optional("\(s.flag)-amount")?.amountAnswer, substance: s)
        }
        let substances = try TOPSubstances(
            alcohol: use(.alcohol), opiates: use(.opiates), crack: use(.crack), cocaine: use(.cocaine),
            amphetamines: use(.amphetamines), cannabis: use(.cannabis), other: use(.other),
            otherName: optional("other-name")?.nameAnswer, tobacco: weeks("tobacco"))
        let injecting = try TOPInjecting(days: weeks("injecting"),
                                         sharedNeedles: optional("shared-needles")?.yesNoAnswer,
                                         sharedParaphernalia: optional("shared-paraphernalia")?.yesNoAnswer)
        let crime = try TOPCrime(shoplifting: weeks("shoplifting"), drugSelling: weeks("drug-selling"),
                                 vehicleTheft: yesNo("vehicle-theft"), propertyTheft: yesNo("property-theft"),
                                 fraud: yesNo("fraud"), assault: yesNo("assault"))
        let health = try TOPHealth(psychHealth: rating("psych-health"), physicalHealth: rating("physical-health"),
                                   qualityOfLife: rating("quality-of-life"), paidWork: weeks("paid-work"),
                                   college: weeks("college"), acuteHousing: yesNo("acute-housing"),
                                   evictionRisk: yesNo("eviction-risk"))
        return try TOPForm(stage: stage, interviewDate: interviewDate, substances: substances,
                           injecting: injecting, crime: crime, health: health,
                           currentRisk: currentRisk, now: now, calendar: calendar)
    }

    func optional(_ flag: String) -> TOPValue? { values[flag] }

    func required(_ flag: String) throws(FieldError) -> TOPValue {
        if let value = values[flag] { return value }
        let rule = TOPField.named(flag).map { TOPValue.rule(for: $0.kind) } ?? ""
        throw FieldError.on(flag, "an answer is required. \(rule)")
    }

    func weeks(_ prefix: String) throws(FieldError) -> WeeklyDays {
        var answers: [Answer<Int>] = []
        for n in [4, 3, 2, 1] {
            answers.append(try self.required("\(prefix)-week-\(n)").daysAnswer ?? .declined)
        }
        return try WeeklyDays(week4: answers[0], week3: answers[1], week2: answers[2], week1: answers[3], flag: prefix)
    }

    func yesNo(_ flag: String) throws(FieldError) -> Answer<Bool> {
        try required(flag).yesNoAnswer ?? .declined
    }

    func rating(_ flag: String) throws(FieldError) -> Answer<Int> {
        try required(flag).ratingAnswer ?? .declined
    }
}

extension TOPValue {
    var daysAnswer: Answer<Int>? { if case .days(let a) = self { a } else { nil } }
    var amountAnswer: Answer<Double>? { if case .amount(let a) = self { a } else { nil } }
    var yesNoAnswer: Answer<Bool>? { if case .yesNo(let a) = self { a } else { nil } }
    var ratingAnswer: Answer<Int>? { if case .rating(let a) = self { a } else { nil } }
    var nameAnswer: Answer<String>? { if case .name(let a) = self { a } else { nil } }
}
