/// Days on which something happened in each of the four weeks before a TOP
/// interview, each 0-7 or declined. Week 1 is the most recent 7 days and week 4
/// the furthest back; the form asks them in printed order 4, 3, 2, 1.
///
/// The total (0-28) is derived, never stored. JSON keys: `week4`, `week3`, `week2`, `week1`.
public struct WeeklyDays: Equatable, Sendable, Codable {
    public let week4: Answer<Int>
    public let week3: Answer<Int>
    public let week2: Answer<Int>
    public let week1: Answer<Int>

    public static let range = 0...7
    static let rule = "Days in a week are 0-7, or \"declined\"."

    /// Validates each week against 0-7; errors name `<flag>-week-N`.
    public init(week4: Answer<Int>, week3: Answer<Int>, week2: Answer<Int>, week1: Answer<Int>,
                flag: String) throws(FieldError) {
        self.week4 = week4
        self.week3 = week3
        self.week2 = week2
        self.week1 = week1
        try validate(flag: flag)
    }

    /// Convenience for fully answered weeks, in printed order 4, 3, 2, 1.
    public init(_ w4: Int, _ w3: Int, _ w2: Int, _ w1: Int, flag: String) throws(FieldError) {
        try self.init(week4: .value(w4), week3: .value(w3), week2: .value(w2), week1: .value(w1), flag: flag)
    }

    /// All four weeks declined.
    public static let declined = WeeklyDays(unchecked: .declined)
    /// All four weeks zero.
    public static let zero = WeeklyDays(unchecked: .value(0))

    private init(unchecked all: Answer<Int>) {
        week4 = all
        week3 = all
        week2 = all
        week1 = all
    }

    /// Weeks in printed order with their week number: (4, w4), (3, w3), (2, w2), (1, w1).
    public var weeks: [(number: Int, answer: Answer<Int>)] {
        [(4, week4), (3, week3), (2, week2), (1, week1)]
    }

    /// Sum of the four weeks (0-28), or `declined` if any week was declined
    /// (a partial sum would understate use).
    public var total: Answer<Int> {
        var sum = 0
        for (_, answer) in weeks {
            guard case .value(let days) = answer else { return .declined }
            sum += days
        }
        return .value(sum)
    }

    /// True when the total is known to be more than zero.
    public var any: Bool { (total.value ?? 0) > 0 }

    /// True when the total is known to be zero.
    public var none: Bool { total == .value(0) }

    /// Re-checks the range (use after decoding).
    public func validate(flag: String) throws(FieldError) {
        for (number, answer) in weeks {
            if case .value(let days) = answer, !Self.range.contains(days) {
                throw FieldError.on("\(flag)-week-\(number)", "\(days) is out of range. \(Self.rule)")
            }
        }
    }
}
