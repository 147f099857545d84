/// One TOP item's answer as parsed from text, tagged by kind.
public enum TOPValue: Equatable, Sendable {
    case days(Answer<Int>)
    case amount(Answer<Double>)
    case yesNo(Answer<Bool>)
    case rating(Answer<Int>)
    case name(Answer<String>)

    static let ratingRule = "Ratings are 0-20 (0 = poor, 20 = good), or \"declined\"."
    static let yesNoRule = "Allowed: yes, no, declined."
    static let nameRule = "Give its name, or \"declined\"."

    static func amountRule(_ substance: TOPSubstance) -> String {
        "Give the average \(substance.unit ?? "amount") on a using day: a number of 0 or more (e.g. 2.5), or \"declined\"."
    }

    /// The sentence saying what is allowed for a kind of item.
    public static func rule(for kind: TOPField.Kind) -> String {
        switch kind {
        case .days: WeeklyDays.rule
        case .amount(let substance): amountRule(substance)
        case .yesNo: yesNoRule
        case .rating: ratingRule
        case .name: nameRule
        }
    }

    /// The answer as a worker types it (`3`, `2.5`, `yes`, `declined`): parsing it gives it back.
    public var typed: String {
        func shown<T>(_ a: Answer<T>, _ show: (T) -> String) -> String { a.value.map(show) ?? "declined" }
        switch self {
        case .days(let a), .rating(let a): return shown(a) { String($0) }
        case .amount(let a): return shown(a, Self.show)
        case .yesNo(let a): return shown(a) { $0 ? "yes" : "no" }
        case .name(let a): return shown(a) { $0 }
        }
    }

    /// `2.5`, `3`, `-2`.
    static func show(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return String(number)
    }

    /// Parses typed text for an item of `kind`; `declined` (any case) is accepted
    /// for every item. Errors name `flag`.
    public static func parse(_ text: String, kind: TOPField.Kind, flag: String) throws(FieldError) -> TOPValue {
        let key = FieldText.normalised(text)
        let rule = rule(for: kind)
        if key.isEmpty { throw FieldError.on(flag, "an answer is required. \(rule)") }
        if kind == .yesNo {
            switch try TOPYesNo.parse(key, field: flag) {
            case .yes: return .yesNo(.value(true))
            case .no: return .yesNo(.value(false))
            case .declined: return .yesNo(.declined)
            }
        }
        if key.lowercased() == "declined" {
            switch kind {
            case .days: return .days(.declined)
            case .amount: return .amount(.declined)
            case .yesNo: return .yesNo(.declined)
            case .rating: return .rating(.declined)
            case .name: return .name(.declined)
            }
        }
        switch kind {
        case .days, .rating:
            let isDays = kind == .days
            guard let number = Int(key) else {
                let noun = isDays ? "a number of days" : "a rating"
                throw FieldError.on(flag, "\(FieldError.quote(text)) is not \(noun). \(rule)")
            }
            let range = isDays ? WeeklyDays.range : TOPHealth.ratingRange
            guard range.contains(number) else {
                throw FieldError.on(flag, "\(number) is out of range. \(rule)")
            }
            return isDays ? .days(.value(number)) : .rating(.value(number))
        case .amount:
            guard let number = Double(key), number.isFinite else {
                throw FieldError.on(flag, "\(FieldError.quote(text)) is not an amount. \(rule)")
            }
            guard number >= 0 else { throw FieldError.on(flag, "\(key) is out of range. \(rule)") }
            return .amount(.value(number))
        case .name:
            return .name(.value(key))
        case .yesNo:
            throw FieldError.on(flag, "an answer is required. \(rule)")
        }
    }
}

/// The words accepted for a TOP yes/no item.
public enum TOPYesNo: String, Sendable, FieldChoice {
    case yes, no, declined

    public static var choiceNoun: String { "a yes/no answer" }
}
