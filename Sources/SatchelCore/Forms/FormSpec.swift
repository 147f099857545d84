import Foundation

/// What each kind of guided form is: its fields, and how its answers become a record.
/// A kind's form is reached from its payload type (`RecordPayload.form`).
public struct FormSpec: Sendable {
    public let kind: RecordKind
    /// The command that fills it, e.g. "contact add".
    public let command: String
    public let fields: [FormField]
    public let build: @Sendable (FormAnswers, FormContext) throws(FieldError) -> BuiltRecord

    public init(
        kind: RecordKind, command: String, fields: [FormField],
        build: @escaping @Sendable (FormAnswers, FormContext) throws(FieldError) -> BuiltRecord
    ) {
        self.kind = kind
        self.command = command
        self.fields = fields
        self.build = build
    }

    public func field(_ flag: String) -> FormField? { fields.first { $0.flag == flag } }

    /// The fields that apply given the answers so far, in order.
    public func applicableFields(_ answers: FormAnswers) -> [FormField] {
        fields.filter { $0.applies(answers) }
    }

    /// The first applicable field with no answer.
    public func nextUnanswered(_ answers: FormAnswers) -> FormField? {
        applicableFields(answers).first { answers[$0.flag] == nil }
    }
}
