import Foundation

/// A closed set of choices typed at the prompt or as a flag value
/// (contact kinds, consent scopes, risk grades, ...).
///
/// Every choice parses through ``parse(_:field:)`` so that all messages look alike:
/// `--kind: "visit" is not a contact kind. Allowed: face-to-face, phone, ....`
public protocol FieldChoice: CaseIterable, Sendable {
    /// The word typed for this case, e.g. `"face-to-face"`.
    var choiceName: String { get }
    /// The noun with its article, e.g. `"a contact kind"`.
    static var choiceNoun: String { get }
}

extension FieldChoice where Self: RawRepresentable, RawValue == String {
    public var choiceName: String { rawValue }
}

extension FieldChoice {
    /// Comma-separated list of the allowed words, in declaration order.
    public static var allowedList: String {
        allCases.map(\.choiceName).joined(separator: ", ")
    }

    /// Parses a choice, ignoring case and surrounding whitespace.
    public static func parse(_ text: String, field: String) throws(FieldError) -> Self {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if key.isEmpty {
            throw FieldError.on(field, "\(choiceNoun) is required. Allowed: \(allowedList).")
        }
        if let match = allCases.first(where: { $0.choiceName.lowercased() == key }) {
            return match
        }
        throw FieldError.on(field, "\(FieldError.quote(text)) is not \(choiceNoun). Allowed: \(allowedList).")
    }
}

extension Role: FieldChoice {
    public static var choiceNoun: String { "a role" }
}
