import Foundation

/// Time for the sync engine: the real clock, or a fake one in tests so backoff and
/// Retry-After can be checked without waiting.
public protocol SyncClock: AnyObject {
    func now() -> Date
    func sleep(seconds: Double)
}

public final class SystemClock: SyncClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        Thread.sleep(forTimeInterval: seconds)
    }
}

/// Something that sends one HTTP request (libcurl's `CurlEasy`, or a test double).
public protocol HTTPTransport: AnyObject {
    func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse
}

/// Capped exponential backoff with full jitter, never shorter than the server asked.
public struct Backoff: Sendable {
    public var base: Double = 1
    public var cap: Double = 60

    public init(base: Double = 1, cap: Double = 60) {
        self.base = base
        self.cap = cap
    }

    /// The wait before retry number `attempt` (0 for the first retry).
    public func delay(attempt: Int, retryAfter: Double?, random: () -> Double) -> Double {
        let ceiling = min(cap, base * pow(2, Double(min(attempt, 30))))
        return max(ceiling * random(), retryAfter ?? 0)
    }
}

extension CurlEasy: HTTPTransport {}
