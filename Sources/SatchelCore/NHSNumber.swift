import Foundation

/// A validated NHS number: 10 digits whose last digit is the modulus-11 check digit.
///
/// Stored normalised as 10 digits (`"9434765919"`); displayed as `"943 476 5919"`.
/// Encodes to JSON as the normalised 10-digit string.
public struct NHSNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 10 digits, no spaces.
    public let digits: String

    static let rule = "An NHS number is 10 digits; spaces are allowed."

    /// Parses user input such as `"943 476 5919"` or `"9434765919"`.
    public init(parsing text: String, field: String = "nhs-number") throws(FieldError) {
        let compact = text.filter { !$0.isWhitespace }
        if compact.isEmpty {
            throw FieldError.on(field, "no NHS number was given. \(Self.rule)")
        }
        guard compact.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError.on(field, "that is not a valid NHS number (it contains characters other than digits and spaces). \(Self.rule)")
        }
        guard compact.count == 10 else {
            throw FieldError.on(field, "\(compact) is not a valid NHS number (it has \(compact.count) digits, not 10). \(Self.rule)")
        }
        let values = compact.compactMap { $0.wholeNumberValue }
        guard let check = Self.checkDigit(forFirstNine: values.prefix(9)), check == values[9] else {
            throw FieldError.on(field, "\(Self.format(compact)) is not a valid NHS number (the check digit does not match). \(Self.rule)")
        }
        self.digits = compact
    }

    /// The modulus-11 check digit for the first nine digits (weights 10 down to 2),
    /// or nil when the remainder makes 10, which no valid NHS number can have.
    public static func checkDigit(forFirstNine nine: ArraySlice<Int>) -> Int? {
        guard nine.count == 9 else { return nil }
        let sum = zip(nine, stride(from: 10, through: 2, by: -1)).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        switch check {
        case 11: return 0
        case 10: return nil
        default: return check
        }
    }

    /// `"943 476 5919"`.
    public var formatted: String { Self.format(digits) }

    public var description: String { formatted }

    static func format(_ ten: String) -> String {
        let chars = Array(ten)
        guard chars.count == 10 else { return ten }
        return String(chars[0..<3]) + " " + String(chars[3..<6]) + " " + String(chars[6..<10])
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        do {
            try self.init(parsing: raw)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
