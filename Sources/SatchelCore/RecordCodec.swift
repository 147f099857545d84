import Foundation

/// The one owner of the sealed body format: how a record's payload (and a draft's
/// answers) become the bytes the vault seals, and back. Every module goes through it,
/// so the REPL, the use cases and the FHIR mapping can never disagree on keys or dates.
///
/// Format (version 1): JSON, keys sorted, slashes unescaped, dates ISO 8601 in UTC
/// without fractions. The kind and form version live in the record's header, not here.
public enum RecordCodec {
    public static let version = 1

    /// Encodes a payload or a draft envelope.
    public static func encode(_ value: some Encodable) throws(FieldError) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        do { return Array(try e.encode(value)) } catch {
            throw FieldError(field: "body", message: "The record could not be encoded (\(type(of: value))).")
        }
    }

    /// Decodes a body; the error names the failing path and the kind of problem,
    /// never the offending value.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(FieldError) -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        do {
            return try d.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw FieldError(field: "body", message: describe(error))
        } catch {
            throw FieldError(field: "body", message: "not JSON")
        }
    }

    /// A final record's payload, decoded as its kind's type and validated.
    public static func payload(kind: RecordKind, body: [UInt8]) throws(FieldError) -> any RecordPayload {
        try payload(kind.payloadType, body)
    }

    private static func payload<P: RecordPayload>(_ type: P.Type, _ body: [UInt8]) throws(FieldError) -> any RecordPayload {
        let p = try decode(P.self, from: body)
        try p.validate()
        return p
    }

    /// The risk level a body states (SIM guide §46), read without decoding the rest.
    public static func statedRisk(_ body: [UInt8]) -> RiskGrade? {
        (try? decode(StatedRisk.self, from: body))?.currentRisk
    }

    private struct StatedRisk: Decodable {
        let currentRisk: RiskGrade
    }

    /// The failing path and the kind of problem, never the offending value.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the top level" : p
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "missing \(path(ctx.codingPath + [key]))"
        case .typeMismatch(_, let ctx): return "wrong type at \(path(ctx.codingPath))"
        case .valueNotFound(_, let ctx): return "null at \(path(ctx.codingPath))"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(ctx.codingPath))"
        @unknown default: return "undecodable"
        }
    }
}

/// A draft's sealed body: which form, and the answers so far, exactly as typed.
public struct DraftEnvelope: Codable, Sendable {
    public var command: String
    public var answers: FormAnswers

    public init(command: String, answers: FormAnswers) {
        self.command = command
        self.answers = answers
    }
}
