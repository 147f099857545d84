import Foundation

extension TimeZone {
    /// Europe/London, the default zone for every time typed at the prompt.
    public static var london: TimeZone {
        TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0) ?? TimeZone.current
    }
}

extension Calendar {
    /// Gregorian calendar in Europe/London; the default wherever a calendar is injected.
    public static var london: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar
    }
}
