import Foundation

/// A contact record (record kind `contact`).
///
/// JSON keys: `kind`, `at`, `where`, `minutes`, `present`, `summary`, `currentRisk`.
/// (`at` is a `Date`; its JSON form follows the encoder's date strategy.)
public struct Contact: RecordPayload {
    public static let recordKind = RecordKind.contact

    public let kind: ContactKind
    public let at: Date
    /// Where the contact took place (`--where`; JSON key `where`).
    public let place: String
    public let minutes: Int
    /// Other people present, by name (each needs an `involve` consent).
    public let present: [String]
    public let summary: String
    /// The risk level stated for this contact (`--risk`).
    public let currentRisk: RiskGrade

    public static let minutesRange = 0...1440
    static let timeRule = "A contact can only be recorded at or before now."
    static let minutesRule = "Minutes are 0-1440 (a contact cannot last more than a day)."

    /// Validates and builds a contact: `at` not in the future (60 s tolerance),
    /// minutes 0-1440, `where` and `summary` not blank, no blank names in `present`.
    /// Consent for `present` is checked separately by ``checkPresent(against:asOf:)``.
    public init(kind: ContactKind, at: Date, place: String, minutes: Int, present: [String],
                summary: String, currentRisk: RiskGrade, now: Date,
                calendar: Calendar = .london) throws(FieldError) {
        try FieldDate.check(at, notAfter: now, field: "at", rule: Self.timeRule, calendar: calendar)
        guard Self.minutesRange.contains(minutes) else {
            throw FieldError.on("minutes", "\(minutes) is out of range. \(Self.minutesRule)")
        }
        self.place = try FieldText.required(place, field: "where", label: "where the contact took place")
        self.summary = try FieldText.required(summary, field: "summary", label: "the summary")
        var names: [String] = []
        for name in present {
            let trimmed = name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if trimmed.isEmpty { throw FieldError.on("present", "one of the names is blank. Give the name of each person present.") }
            names.append(trimmed)
        }
        self.kind = kind
        self.at = at
        self.minutes = minutes
        self.present = names
        self.currentRisk = currentRisk
    }

    /// Parses `--minutes`.
    public static func parseMinutes(_ text: String, field: String = "minutes") throws(FieldError) -> Int {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Int(key) else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a number of minutes. \(minutesRule)")
        }
        guard minutesRange.contains(value) else {
            throw FieldError.on(field, "\(value) is out of range. \(minutesRule)")
        }
        return value
    }

    /// Refuses any present person whose latest `involve` decision is not `given`,
    /// considering consents recorded at or before `asOf` (normally the time this
    /// contact is being recorded, so "record the consent first" works).
    public func checkPresent(against ledger: ConsentLedger, asOf: Date? = nil) throws(FieldError) {
        for person in present {
            try ledger.requireInvolvement(person, field: "present", asOf: asOf)
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, at, place = "where", minutes, present, summary, currentRisk
    }
}

extension Contact {
    public static var form: FormSpec { .contact }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "\(kind.rawValue), risk \(currentRisk.label): \(firstLine(summary))" }
}
