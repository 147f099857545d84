import Foundation

/// FHIR date/time text. Instants are written in UTC with `Z`, whole seconds
/// (plus milliseconds when the date has them).
enum FHIRDate {
    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ v: Int?, _ width: Int = 2) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let millis = ((p.nanosecond ?? 0) + 500_000) / 1_000_000
        let fraction = millis > 0 && millis < 1000 ? "." + pad(millis, 3) : ""
        return "\(pad(p.year, 4))-\(pad(p.month))-\(pad(p.day))T\(pad(p.hour)):\(pad(p.minute)):\(pad(p.second))\(fraction)Z"
    }
}
