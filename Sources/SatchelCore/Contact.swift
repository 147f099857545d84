import Foundation

/// A contact record (record kind `contact`).
///
/// JSON keys: `kind`, `at`, `where`, `minutes`, `present`, `professionals` (absent when
/// none), `relative` (phone-family only), `summary`, `currentRisk`. Records written before
/// `professionals` and `relative` existed decode with none.
/// (`at` is a `Date`; its JSON form follows the encoder's date strategy.)
public struct Contact: RecordPayload {
    public static let recordKind = RecordKind.contact

    public let kind: ContactKind
    public let at: Date
    /// Where the contact took place (`--where`; JSON key `where`).
    public let place: String
    public let minutes: Int
    /// Family members or friends present, by name (SIM guide §24: each needs an `involve` consent).
    public let present: [String]
    /// Professionals present with their organisation (SIM guide §55: no involvement consent),
    /// police mentors and officers among them marked `police`.
    public let professionals: [Professional]
    /// The relative or friend called on a `phone-family` contact (needs an `involve` consent); nil otherwise.
    public let relative: String?
    public let summary: String
    /// The risk level stated for this contact (`--risk`).
    public let currentRisk: RiskGrade

    public static let minutesRange = 0...1440
    static let timeRule = "A contact can only be recorded at or before now."
    static let minutesRule = "Minutes are 0-1440 (a contact cannot last more than a day)."

    /// Validates and builds a contact: `at` not in the future (60 s tolerance),
    /// minutes 0-1440, `where` and `summary` not blank, no blank names in `present`, a
    /// `relative` for a `phone-family` contact and only for one.
    /// Consent for `present` and `relative` is checked separately by ``checkPresent(against:asOf:)``.
    public init(kind: ContactKind, at: Date, place: String, minutes: Int, present: [String],
                professionals: [Professional] = [], relative: String? = nil,
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
        let called = relative.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
        if kind == .phoneFamily, called == nil {
            throw FieldError.on("relative", "a phone-family contact names the relative or friend called (SIM guide §24: they need an involvement consent). Give --relative NAME.")
        }
        if kind != .phoneFamily, called != nil {
            throw FieldError.on("relative", "only a phone-family contact names a relative called. Name family or friends who were there with --present.")
        }
        self.kind = kind
        self.at = at
        self.minutes = minutes
        self.present = names
        self.professionals = professionals
        self.relative = called
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

    /// Refuses any family member or friend present, and the relative called, whose latest
    /// `involve` decision is not `given`, considering consents recorded at or before `asOf`
    /// (normally the time this contact is being recorded, so "record the consent first"
    /// works). Professionals need no involvement consent (SIM guide §55).
    public func checkPresent(against ledger: ConsentLedger, asOf: Date? = nil) throws(FieldError) {
        for person in present {
            try ledger.requireInvolvement(person, field: "present", asOf: asOf)
        }
        if let relative {
            try ledger.requireInvolvement(relative, field: "relative", asOf: asOf)
        }
    }

    /// True when a police mentor or officer was recorded as present (SIM guide §63).
    public var policePresent: Bool { professionals.contains(where: \.police) }

    enum CodingKeys: String, CodingKey {
        case kind, at, place = "where", minutes, present, professionals, relative, summary, currentRisk
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(ContactKind.self, forKey: .kind)
        at = try c.decode(Date.self, forKey: .at)
        place = try c.decode(String.self, forKey: .place)
        minutes = try c.decode(Int.self, forKey: .minutes)
        present = try c.decode([String].self, forKey: .present)
        professionals = try c.decodeIfPresent([Professional].self, forKey: .professionals) ?? []
        relative = try c.decodeIfPresent(String.self, forKey: .relative)
        summary = try c.decode(String.self, forKey: .summary)
        currentRisk = try c.decode(RiskGrade.self, forKey: .currentRisk)
    }

    /// Leaves out `professionals` when none and `relative` when nil, so a contact without
    /// them encodes exactly as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(at, forKey: .at)
        try c.encode(place, forKey: .place)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(present, forKey: .present)
        if !professionals.isEmpty { try c.encode(professionals, forKey: .professionals) }
        try c.encodeIfPresent(relative, forKey: .relative)
        try c.encode(summary, forKey: .summary)
        try c.encode(currentRisk, forKey: .currentRisk)
    }
}

extension Contact {
    public static var form: FormSpec { .contact }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "\(kind.rawValue), risk \(currentRisk.label): \(firstLine(summary))" }
}
