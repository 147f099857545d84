import Foundation
import SatchelCore

/// What a form needs to know beyond its answers: the time, who is writing, and what
/// is already on record for the person (their consents and last risk grade).
struct FormContext: Sendable {
    var now: Date
    var calendar: Calendar = .london
    var role: Role
    /// The grade stated on this person's latest record, offered as the default.
    var lastRisk: RiskGrade?
    /// The latest risk-entry grade in each domain, to show the change.
    var lastRiskByDomain: [RiskDomain: RiskGrade] = [:]
    /// Every consent decision on record for this person.
    var consents = ConsentLedger([])
}

/// A form's result: the payload to seal as the final body, and what to tell the user.
struct BuiltRecord {
    let payload: any Encodable & Sendable
    let formVersion: Int
    /// Shown after finalising, e.g. "Risk raised from Medium to High".
    var note: String?
}

/// What each kind of guided form is: its fields, and how its answers become a record.
struct FormSpec: Sendable {
    let kind: RecordKind
    /// The command that fills it, e.g. "contact add".
    let command: String
    let fields: [FormField]
    let build: @Sendable (FormAnswers, FormContext) throws(FieldError) -> BuiltRecord

    func field(_ flag: String) -> FormField? { fields.first { $0.flag == flag } }

    /// The fields that apply given the answers so far, in order.
    func applicableFields(_ answers: FormAnswers) -> [FormField] {
        fields.filter { $0.applies(answers) }
    }

    /// The first applicable field with no answer.
    func nextUnanswered(_ answers: FormAnswers) -> FormField? {
        applicableFields(answers).first { answers[$0.flag] == nil }
    }

    static let all: [FormSpec] = [.serviceUser, .contact, .risk, .top, .consent, .boundary]

    static func forKind(_ kind: RecordKind) -> FormSpec? { all.first { $0.kind == kind } }
}

/// JSON for sealed bodies: stable key order, ISO 8601 dates.
enum PayloadJSON {
    static func encode(_ value: any Encodable) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return Array(try e.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try? d.decode(type, from: Data(bytes))
    }
}
