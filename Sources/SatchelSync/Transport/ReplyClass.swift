// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// What an HTTP reply means for a sync, per the project's rules.
public enum ReplyClass: Equatable, Sendable {
    /// 2xx. Note: status only; a captive portal's 200 text/html is also 2xx, so the
    /// caller must check `HTTPResponse.contentType` before trusting the body.
    case success
    /// 401, 403.
    case auth
    /// 429, 503; `retryAfter` in seconds from `now` when the server said.
    case throttled(retryAfter: Double?)
    /// Any other 5xx.
    case server
    /// 400, 404, 405, 409, 412, 422: the server will not take this as it is.
    case rejected
    case unexpected
}

public func classify(_ response: HTTPResponse, now: Date) -> ReplyClass {
    switch response.status {
    case 200...299:
        return .success
    case 401, 403:
        return .auth
    case 429, 503:
        return .throttled(retryAfter: response.headers["retry-after"].flatMap { retryAfterSeconds($0, now: now) })
    case 500...599:
        return .server
    case 400, 404, 405, 409, 412, 422:
        return .rejected
    default:
        return .unexpected
    }
}

/// Retry-After as delay-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime),
/// in seconds from `now`, never negative. nil when unparseable.
public func retryAfterSeconds(_ value: String, now: Date) -> Double? {
    let text = value.trimmingCharacters(in: .whitespaces)
    if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
        return Double(text)
    }
    return httpDate(text).map { max(0, $0.timeIntervalSince(now)) }
}

/// An HTTP-date (IMF-fixdate, RFC 850 or asctime), as in `Retry-After` and `Date`.
public func httpDate(_ value: String) -> Date? {
    let text = value.trimmingCharacters(in: .whitespaces)
    // An HTTP-date is printable ASCII. Anything else never reaches DateFormatter, which on
    // Linux traps on a combining mark ("Incorrect range CFRange", e.g. "M\u{33B}").
    guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
        formatter.dateFormat = format
        if let date = formatter.date(from: text) { return date }
    }
    return nil
}
