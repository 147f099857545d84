import SatchelCore

/// One TOP item's answer as it goes into a QuestionnaireResponse item.
enum TOPItemValue: Equatable, Sendable {
    case integer(Int)
    case decimal(Double)
    case boolean(Bool)
    case string(String)
    case declined

    static func from(_ a: Answer<Int>) -> TOPItemValue { a.value.map { .integer($0) } ?? .declined }
    static func from(_ a: Answer<Double>) -> TOPItemValue { a.value.map { .decimal($0) } ?? .declined }
    static func from(_ a: Answer<Bool>) -> TOPItemValue { a.value.map { .boolean($0) } ?? .declined }
    static func from(_ a: Answer<String>) -> TOPItemValue { a.value.map { .string($0) } ?? .declined }

    /// The item's value as a QuestionnaireResponse answer.
    static func from(_ value: TOPValue) -> TOPItemValue {
        switch value {
        case .days(let a), .rating(let a): from(a)
        case .amount(let a): from(a)
        case .yesNo(let a): from(a)
        case .name(let a): from(a)
        }
    }

    /// Every asked item of the form by flag name (`TOPForm.itemAnswers`).
    static func answers(of form: TOPForm) -> [String: TOPItemValue] {
        form.itemAnswers.mapValues(from)
    }

    /// Derived 4-week totals by weekly prefix (`TOPForm.weeklyTotals`).
    static func totals(of form: TOPForm) -> [String: Int] {
        form.weeklyTotals
    }
}
