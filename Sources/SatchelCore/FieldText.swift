import Foundation

/// Helpers for free-text fields. Free text is trimmed; it is never echoed in errors.
public enum FieldText {
    /// Trims `text` and throws `--field: <label> is required and cannot be blank.` when empty.
    public static func required(_ text: String, field: String, label: String) throws(FieldError) -> String {
        let trimmed = normalised(text)
        if trimmed.isEmpty { throw FieldError.required(field, label) }
        return trimmed
    }

    /// Trims `text`; returns nil when nothing is left.
    public static func optional(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = normalised(text)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Trims surrounding whitespace (free text keeps its inner line breaks).
    public static func normalised(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Key used to compare names and agencies: trimmed, inner whitespace collapsed
    /// to one space, lowercased. "  Aunt   TESTY " and "aunt testy" are the same person.
    public static func matchKey(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
            .lowercased()
    }
}
