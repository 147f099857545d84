import Foundation

/// A calendar day with no time and no time zone: date of birth, review date,
/// TOP interview date. Encodes to JSON as `"2026-11-23"`; displays as `23/11/2026`.
public struct FieldDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the day exists in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day that `now` falls on in `calendar`'s time zone.
    public static func on(_ date: Date, calendar: Calendar = .london) -> FieldDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return FieldDay(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? FieldDay.epoch
    }

    static let epoch = FieldDay(unchecked: 1970, 1, 1)

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// This day shifted by whole days (calendar arithmetic, DST-safe).
    public func adding(days: Int, calendar: Calendar = .london) -> FieldDay {
        var parts = DateComponents()
        parts.year = year
        parts.month = month
        parts.day = day
        parts.hour = 12
        guard let noon = calendar.date(from: parts),
              let shifted = calendar.date(byAdding: .day, value: days, to: noon) else { return self }
        return FieldDay.on(shifted, calendar: calendar)
    }

    /// Whole days from `earlier` to this day (negative when `earlier` is later).
    public func days(since earlier: FieldDay, calendar: Calendar = .london) -> Int {
        func noon(_ d: FieldDay) -> Date? { calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: 12)) }
        guard let a = noon(earlier), let b = noon(self) else { return 0 }
        return calendar.dateComponents([.day], from: a, to: b).day ?? 0
    }

    public static func < (lhs: FieldDay, rhs: FieldDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `23/11/2026`.
    public var description: String { "\(Self.pad(day))/\(Self.pad(month))/\(Self.pad4(year))" }

    /// `2026-11-23`.
    public var iso: String { "\(Self.pad4(year))-\(Self.pad(month))-\(Self.pad(day))" }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Years always have four digits (`0999`): the parsers read no other width.
    static func pad4(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Parsing

    static let forms = "today, yesterday, tomorrow, 23/11/2026 or 2026-11-23"

    /// Parses `today`, `yesterday`, `tomorrow`, `23/11/2026` or `2026-11-23`.
    public static func parse(_ text: String, field: String, now: Date,
                             calendar: Calendar = .london) throws(FieldError) -> FieldDay {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let today = FieldDay.on(now, calendar: calendar)
        switch key {
        case "today": return today
        case "yesterday": return today.adding(days: -1, calendar: calendar)
        case "tomorrow": return today.adding(days: 1, calendar: calendar)
        default: break
        }
        var cursor = TextCursor(key)
        guard let parts = readDate(&cursor), cursor.atEnd else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a date. Use one of: \(forms).")
        }
        guard let result = FieldDay(year: parts.year, month: parts.month, day: parts.day) else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a real date.")
        }
        return result
    }

    /// Reads `D/M/YYYY` or `YYYY-MM-DD` without checking that the day exists.
    static func readDate(_ cursor: inout TextCursor) -> (year: Int, month: Int, day: Int)? {
        var probe = cursor
        if let year = probe.number(min: 4, max: 4), probe.take("-"),
           let month = probe.number(min: 2, max: 2), probe.take("-"),
           let day = probe.number(min: 2, max: 2) {
            cursor = probe
            return (year, month, day)
        }
        probe = cursor
        if let day = probe.number(min: 1, max: 2), probe.take("/"),
           let month = probe.number(min: 1, max: 2), probe.take("/"),
           let year = probe.number(min: 4, max: 4) {
            cursor = probe
            return (year, month, day)
        }
        return nil
    }

    /// A TOP interview date or any day that must not be after today.
    /// `--date: 24/11/2026 is in the future. An interview date must be today or earlier.`
    public static func notAfterToday(_ text: String, field: String, what: String, now: Date,
                                     calendar: Calendar = .london) throws(FieldError) -> FieldDay {
        let day = try parse(text, field: field, now: now, calendar: calendar)
        try day.checkNotAfterToday(field: field, what: what, now: now, calendar: calendar)
        return day
    }

    /// Throws when this day is after today.
    public func checkNotAfterToday(field: String, what: String, now: Date,
                                   calendar: Calendar = .london) throws(FieldError) {
        if self > FieldDay.on(now, calendar: calendar) {
            throw FieldError.on(field, "\(self) is in the future. \(what) must be today or earlier.")
        }
    }

    /// Date of birth: not in the future and not more than 120 years ago.
    public static func dateOfBirth(_ text: String, field: String = "dob", now: Date,
                                   calendar: Calendar = .london) throws(FieldError) -> FieldDay {
        let day = try notAfterToday(text, field: field, what: "A date of birth", now: now, calendar: calendar)
        let today = FieldDay.on(now, calendar: calendar)
        if (day.year, day.month, day.day) < (today.year - 120, today.month, today.day) {
            throw FieldError.on(field, "\(day) is more than 120 years ago. A date of birth must be within the last 120 years.")
        }
        return day
    }

    /// Review date: today or later.
    public static func reviewDate(_ text: String, field: String = "review-date", now: Date,
                                  calendar: Calendar = .london) throws(FieldError) -> FieldDay {
        let day = try parse(text, field: field, now: now, calendar: calendar)
        try day.checkReview(field: field, now: now, calendar: calendar)
        return day
    }

    /// Throws when this review day is before today.
    public func checkReview(field: String = "review-date", now: Date, calendar: Calendar = .london) throws(FieldError) {
        if self < FieldDay.on(now, calendar: calendar) {
            throw FieldError.on(field, "\(self) is in the past. A review date must be today or later.")
        }
    }

    // MARK: Codable

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        var cursor = TextCursor(raw)
        guard let parts = Self.readDate(&cursor), cursor.atEnd,
              let day = FieldDay(year: parts.year, month: parts.month, day: parts.day) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a yyyy-MM-dd day.")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
