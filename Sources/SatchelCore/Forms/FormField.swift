import Foundation

/// One question of a guided form, named by its flag (`--kind` → `kind`).
///
/// The same field drives the shell door (a flag's value is checked by `check`), the
/// REPL's prompt (question, allowed values, default), `?` help and Tab completion.
public struct FormField: Sendable {
    public let flag: String
    /// What the prompt asks, e.g. "Kind of contact".
    public let question: String
    /// What `?` explains: why the field matters and how to fill it.
    public let help: String
    /// The allowed values in words, shown at the prompt and in errors.
    public let allowed: String
    /// Enumerated values, for Tab completion (empty for free text).
    public var choices: [String] = []
    public var required = true
    /// Free text that may span lines; a line holding a single `.` ends it.
    public var multiline = false
    /// The value offered when the user just presses Enter.
    public var defaultValue: @Sendable (FormContext) -> String? = { _ in nil }
    /// False when earlier answers make this question not apply (it is skipped).
    public var applies: @Sendable (FormAnswers) -> Bool = { _ in true }
    /// Checks one typed value on its own; cross-field rules are checked when the record is built.
    public var check: @Sendable (String, FormContext) throws(FieldError) -> Void = { _, _ in }

    /// A field whose value is one of a `FieldChoice`'s cases.
    public static func choice<C: FieldChoice>(
        _ flag: String, _ type: C.Type, question: String, help: String, required: Bool = true,
        default defaultValue: @escaping @Sendable (FormContext) -> String? = { _ in nil }
    ) -> FormField {
        FormField(
            flag: flag, question: question, help: help, allowed: C.allowedList,
            choices: C.allCases.map(\.choiceName), required: required, defaultValue: defaultValue,
            check: { text, _ throws(FieldError) in _ = try C.parse(text, field: flag) })
    }

    /// Free text; required text must not be blank.
    public static func text(_ flag: String, question: String, help: String, required: Bool = true, multiline: Bool = false) -> FormField {
        FormField(
            flag: flag, question: question, help: help,
            allowed: multiline ? "free text; end with a line holding a single ." : "free text",
            required: required, multiline: multiline,
            check: { text, _ throws(FieldError) in
                if required { _ = try FieldText.required(text, field: flag, label: question.lowercased()) }
            })
    }

    /// The current risk level every new entry states (SIM guide §46); the last grade is the default.
    public static var currentRisk: FormField {
        .choice(
            "risk", RiskGrade.self, question: "Current risk level",
            help: "SIM guide §46: every new entry states the current risk level, above all if it is High or has changed since the last entry. The last grade recorded for this person is offered.",
            default: { $0.lastRisk?.rawValue })
    }
}

/// The raw answers of a form, as typed, by flag. Kept as text so a draft can be
/// resumed exactly as it was left and re-checked when the record is built.
public struct FormAnswers: Codable, Sendable, Equatable {
    public var values: [String: String] = [:]

    public init(values: [String: String] = [:]) {
        self.values = values
    }

    public subscript(_ flag: String) -> String? {
        get { values[flag] }
        set { values[flag] = newValue }
    }

    /// The answer, or nil when missing or blank.
    public func given(_ flag: String) -> String? {
        guard let v = values[flag], !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return v
    }
}
