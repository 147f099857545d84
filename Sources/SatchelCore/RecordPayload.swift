/// What a record of one kind holds, sealed as JSON in the vault (`RecordCodec`).
///
/// A record kind is declared in one place: its case in `RecordKind`, whose
/// `payloadType` names the type conforming here. From that type the rest is reached:
/// the guided form and its validation (`form`), the line `history` shows
/// (`summaryLine`), the checks a decoded body must pass (`validate`), and — in
/// SatchelSync — the FHIR mapping, chosen by an exhaustive switch over the kind.
/// docs/architecture.md lists the steps to add a kind.
public protocol RecordPayload: Codable, Equatable, Sendable {
    static var recordKind: RecordKind { get }
    /// The form that fills it (REPL prompts and shell flags alike).
    static var form: FormSpec { get }
    /// The version of the form that wrote it, kept in the record's header.
    static var formVersion: Int { get }
    /// The current risk level the record states (SIM guide §46); nil for a service user.
    var statedRisk: RiskGrade? { get }
    /// One line about the record, for `history`; never more than one line.
    var summaryLine: String { get }
    /// Checks what decoding alone cannot (cross-field rules); throws naming the field.
    func validate() throws(FieldError)
    /// The answers that would make this record again, as typed: the form opened to amend
    /// it starts from them (`amend`, `user update`). Nil for a kind that cannot be
    /// pre-filled yet (its amendment starts from an empty form).
    var formAnswers: FormAnswers? { get }
}

extension RecordPayload {
    public static var formVersion: Int { 1 }
    public func validate() throws(FieldError) {}
    public var formAnswers: FormAnswers? { nil }
}

/// The first line of a free text, cut to 60 characters, for one-line summaries.
func firstLine(_ text: String) -> String {
    let line = text.split(separator: "\n").first.map(String.init) ?? ""
    return line.count > 60 ? line.prefix(59) + "…" : line
}
