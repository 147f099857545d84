import Foundation

/// What identifies a service user, removed from text for the email summary (SIM guide
/// §54: "a summary can be sent by email (with personal data that would identify the
/// service user removed)"): the name and each word of it, the alias, the NHS number
/// (spaced or not), the address and each part of it, the date of birth (as shown and
/// as ISO 8601) and the police reference.
///
/// It removes what the record of the person holds, wherever it appears as a whole word,
/// ignoring case. It cannot know a nickname, a relative's surname or a description that
/// identifies someone: docs/security.md says so.
public struct Redaction: Sendable {
    /// What replaces each identifying value.
    public static let mark = "[removed]"
    /// The identifying values, longest first so a whole name goes before its words.
    public let values: [String]

    public init(_ user: ServiceUser) {
        var found: [String] = [user.name]
        found += user.name.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if let alias = user.alias { found.append(alias) }
        if let nhs = user.nhsNumber { found += [nhs.digits, nhs.formatted] }
        if let address = user.address {
            found.append(address)
            found += address.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let dob = user.dob { found += [dob.description, dob.iso] }
        if let ref = user.policeRef { found.append(ref) }
        let unique = Set(found.filter { $0.count >= 2 })
        values = unique.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// The text with every identifying value replaced by ``mark``.
    public func apply(_ text: String) -> String {
        var out = text
        for value in values {
            let escaped = NSRegularExpression.escapedPattern(for: value)
            let pattern = "(?<![\\p{L}\\p{N}])\(escaped)(?![\\p{L}\\p{N}])"
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            out = regex.stringByReplacingMatches(
                in: out, range: NSRange(out.startIndex..., in: out), withTemplate: NSRegularExpression.escapedTemplate(for: Self.mark))
        }
        return out
    }
}
