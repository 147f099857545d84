/// A TOP item's answer: a value, or `declined` (the client chose not to answer).
/// `declined` is distinct from zero and survives a JSON round trip.
///
/// JSON: `.value(x)` encodes as `x` itself; `.declined` encodes as the string
/// `"declined"`. (For `Answer<String>` the text "declined" therefore reads back as
/// `.declined`; it is only used for the other-substance name, where that is harmless.)
public enum Answer<T> {
    case value(T)
    case declined

    /// The value, or nil when declined.
    public var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var isDeclined: Bool {
        if case .declined = self { return true }
        return false
    }

    /// Transforms the value, keeping `declined`.
    public func map<U>(_ transform: (T) -> U) -> Answer<U> {
        switch self {
        case .value(let v): .value(transform(v))
        case .declined: .declined
        }
    }
}

extension Answer: Equatable where T: Equatable {}
extension Answer: Hashable where T: Hashable {}
extension Answer: Sendable where T: Sendable {}

extension Answer: Codable where T: Codable {
    static var declinedWord: String { "declined" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self), word == Self.declinedWord {
            self = .declined
        } else {
            self = .value(try container.decode(T.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let v): try container.encode(v)
        case .declined: try container.encode(Self.declinedWord)
        }
    }
}
