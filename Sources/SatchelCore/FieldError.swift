import Foundation

/// The single validation error of SatchelCore.
///
/// `field` is the command-line flag name without dashes (e.g. `"nhs-number"`).
/// `message` is a complete sentence, starting with `--field:`, that says what was
/// wrong and what is allowed. Messages never echo free-text personal data; only
/// short offending values (numbers, dates, choice words) are quoted back.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// Builds an error whose message is prefixed with `--field: `.
    public static func on(_ field: String, _ text: String) -> FieldError {
        FieldError(field: field, message: "--\(field): \(text)")
    }

    /// `--field: <label> is required and cannot be blank.`
    public static func required(_ field: String, _ label: String) -> FieldError {
        on(field, "\(label) is required and cannot be blank.")
    }

    public var description: String { message }

    /// Quotes a short user-typed value for an error message, cutting it to
    /// 24 characters so that a mistyped free-text value is not echoed whole.
    public static func quote(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = 24
        if trimmed.count <= limit { return "\"\(trimmed)\"" }
        return "\"\(trimmed.prefix(limit))…\""
    }
}
