import Foundation

/// A professional present at a contact, with their organisation (SIM guide §55: "other
/// professional teams such as Ambulance staff, ED staff, Drugs and Alcohol Staff or charity
/// staff maybe invited into mentoring meetings"). Unlike family and friends (§24), a
/// professional needs no involvement consent of their own.
///
/// `police` marks a police mentor or officer, so that a death within 48 hours of the
/// contact flags the SIM guide §63 referral whoever wrote the contact.
///
/// Typed as `NAME (ORGANISATION)`: `--professional "Dr Fictional (Testshire Ambulance Service)"`,
/// `--police-present "PC Testy Officer (Testshire Police)"`.
///
/// JSON keys: `name`, `organisation`, `police` (absent when false).
public struct Professional: Codable, Sendable, Equatable {
    public let name: String
    public let organisation: String
    public let police: Bool

    public init(name: String, organisation: String, police: Bool = false) {
        self.name = name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        self.organisation = organisation.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        self.police = police
    }

    /// `Dr Fictional (Testshire Ambulance Service)`: as typed, and as the FHIR display.
    public var display: String { "\(name) (\(organisation))" }

    /// What the flags accept, for help and errors.
    public static let allowed = "NAME (ORGANISATION), separated by ;, or empty"

    /// Parses `NAME (ORGANISATION)`: the organisation is everything from the first `(` to the closing `)`. The error
    /// names the flag and the form, never the value typed (it is a person's name).
    public static func parse(_ text: String, field: String, police: Bool) throws(FieldError) -> Professional {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let example = police ? "\"PC Testy Officer (Testshire Police)\"" : "\"Dr Fictional (Testshire Ambulance Service)\""
        let rule = "Give each \(police ? "police mentor or officer" : "professional") as NAME (ORGANISATION), e.g. \(example)."
        guard trimmed.hasSuffix(")"), let open = trimmed.firstIndex(of: "(") else {
            throw FieldError.on(field, "one of the entries has no organisation in brackets. \(rule)")
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let organisation = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !organisation.isEmpty else {
            throw FieldError.on(field, "one of the entries has a blank \(name.isEmpty ? "name" : "organisation"). \(rule)")
        }
        return Professional(name: name, organisation: organisation, police: police)
    }

    /// Every entry of a `;`-separated answer (the form's text for a repeated flag).
    public static func parseList(_ text: String, field: String, police: Bool) throws(FieldError) -> [Professional] {
        var out: [Professional] = []
        for entry in FormSpec.presentNames(text) { out.append(try parse(entry, field: field, police: police)) }
        return out
    }

    enum CodingKeys: String, CodingKey { case name, organisation, police }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        organisation = try c.decode(String.self, forKey: .organisation)
        police = try c.decodeIfPresent(Bool.self, forKey: .police) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(organisation, forKey: .organisation)
        if police { try c.encode(police, forKey: .police) }
    }
}
