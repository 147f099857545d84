import Foundation

/// Parses the moment something happened (e.g. `--at` on a contact).
///
/// Accepted forms (case-insensitive):
/// - `now`
/// - `today 14:30`, `yesterday 09:00` (H:MM or HH:MM)
/// - UK `23/11/2026 14:30`
/// - ISO 8601 `2026-11-23T14:30`, optionally with seconds (`:05`) and a `Z` or
///   `+01:00` / `+0100` / `-05` offset; a space may replace the `T`.
///
/// Times without an offset are read in the injected calendar's zone (default
/// Europe/London). A time that does not exist (a spring-forward gap) is rejected.
/// A plain date is refused with a hint to add a time.
public enum FieldDate {
    /// Clock-skew allowance for "not in the future": a device clock a little behind
    /// the worker's watch must not block recording a contact that just ended.
    public static let futureTolerance: TimeInterval = 60

    static let forms = "now, today 14:30, yesterday 09:00, 23/11/2026 14:30 or 2026-11-23T14:30"

    /// Parses a date and time; see the type documentation for the accepted forms.
    public static func parse(_ text: String, field: String, now: Date,
                             calendar: Calendar = .london) throws(FieldError) -> Date {
        let key = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
        if key == "now" { return now }
        var cursor = TextCursor(key)
        let today = FieldDay.on(now, calendar: calendar)
        var day: (year: Int, month: Int, day: Int)?
        var isISO = false
        if cursor.take(word: "today ") {
            day = (today.year, today.month, today.day)
        } else if cursor.take(word: "yesterday ") {
            let y = today.adding(days: -1, calendar: calendar)
            day = (y.year, y.month, y.day)
        } else {
            var probe = cursor
            if probe.number(min: 4, max: 4) != nil { isISO = true }
            day = FieldDay.readDate(&cursor)
            if day != nil, cursor.atEnd {
                let dayOnly = try FieldDay.parse(text, field: field, now: now, calendar: calendar)
                throw FieldError.on(field, "\(dayOnly) has no time. Add the time, e.g. \(dayOnly) 14:30.")
            }
            let separator: Set<Character> = isISO ? ["t", " "] : [" "]
            if day != nil, cursor.take(oneOf: separator) == nil { day = nil }
        }
        guard let day, let clock = cursor.clock() else { throw unparseable(text, field: field) }
        var second = 0
        var zoneCalendar = calendar
        if isISO {
            if cursor.take(":") {
                guard let s = cursor.number(min: 2, max: 2) else { throw unparseable(text, field: field) }
                second = s
            }
            if cursor.take("z") {
                zoneCalendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
            } else if let sign = cursor.take(oneOf: ["+", "-"]) {
                guard let hours = cursor.number(min: 2, max: 2) else { throw unparseable(text, field: field) }
                _ = cursor.take(":")
                let minutes = cursor.number(min: 2, max: 2) ?? 0
                let offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
                guard hours <= 18, minutes <= 59, let zone = TimeZone(secondsFromGMT: offset) else {
                    throw unparseable(text, field: field)
                }
                zoneCalendar.timeZone = zone
            }
        }
        guard cursor.atEnd else { throw unparseable(text, field: field) }
        // With an offset, the moment can fall on a day of `calendar` that is no FieldDay
        // (year 0 or 10000, a Julian 29 February): display would show 01/01/1970.
        guard let date = makeDate(day: day, hour: clock.hour, minute: clock.minute,
                                  second: second, calendar: zoneCalendar),
              isFieldDay(date, calendar: calendar) else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a real date and time.")
        }
        return date
    }

    static func unparseable(_ text: String, field: String) -> FieldError {
        FieldError.on(field, "\(FieldError.quote(text)) is not a date and time. Use one of: \(forms).")
    }

    /// Builds a date only if every component is in range and survives a round trip
    /// through the calendar (so 31/02 and times inside a DST gap are refused).
    static func makeDate(day: (year: Int, month: Int, day: Int), hour: Int, minute: Int,
                         second: Int, calendar: Calendar) -> Date? {
        guard FieldDay(year: day.year, month: day.month, day: day.day) != nil,
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        var parts = DateComponents()
        parts.year = day.year
        parts.month = day.month
        parts.day = day.day
        parts.hour = hour
        parts.minute = minute
        parts.second = second
        guard let date = calendar.date(from: parts) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.year == day.year, back.month == day.month, back.day == day.day,
              back.hour == hour, back.minute == minute else { return nil }
        return date
    }

    /// True when the day `date` falls on in `calendar` is a FieldDay (AD 1-9999, Gregorian).
    static func isFieldDay(_ date: Date, calendar: Calendar) -> Bool {
        let p = calendar.dateComponents([.era, .year, .month, .day], from: date)
        guard p.era == 1, let year = p.year, let month = p.month, let day = p.day else { return false }
        return FieldDay(year: year, month: month, day: day) != nil
    }

    /// Parses a time that must not be later than `now` (plus ``futureTolerance``).
    /// `rule` completes the message, e.g. "A contact can only be recorded at or before now."
    public static func notInFuture(_ text: String, field: String, rule: String, now: Date,
                                   calendar: Calendar = .london) throws(FieldError) -> Date {
        let date = try parse(text, field: field, now: now, calendar: calendar)
        try check(date, notAfter: now, field: field, rule: rule, calendar: calendar)
        return date
    }

    /// Throws `--field: 24/11/2026 10:00 is in the future. <rule>` when `date` is
    /// more than ``futureTolerance`` seconds after `now`.
    public static func check(_ date: Date, notAfter now: Date, field: String, rule: String,
                             calendar: Calendar = .london) throws(FieldError) {
        if date.timeIntervalSince(now) > futureTolerance {
            throw FieldError.on(field, "\(display(date, calendar: calendar)) is in the future. \(rule)")
        }
    }

    /// The time a contact happened: `--at`, never in the future.
    public static func contactTime(_ text: String, field: String = "at", now: Date,
                                   calendar: Calendar = .london) throws(FieldError) -> Date {
        try notInFuture(text, field: field, rule: Contact.timeRule, now: now, calendar: calendar)
    }

    /// `24/11/2026 10:00` in the calendar's zone.
    public static func display(_ date: Date, calendar: Calendar = .london) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = FieldDay.on(date, calendar: calendar)
        return "\(day) \(FieldDay.pad(p.hour ?? 0)):\(FieldDay.pad(p.minute ?? 0))"
    }
}
