import Foundation

/// One of the minimum data set's figures: a count, or "not known" — its own answer,
/// never 0 (SIM guide §57: a month nobody could find out is not a month with no demand).
/// JSON: the number, or the string `"not-known"`.
public enum Figure: Codable, Sendable, Equatable, CustomStringConvertible {
    case known(Int)
    case notKnown

    public static let notKnownWord = "not known"
    public static let allowed = "a whole number, 0 or more, or \"not known\""

    public var value: Int? {
        if case .known(let n) = self { return n }
        return nil
    }

    public var description: String { value.map(String.init) ?? Self.notKnownWord }

    /// `12`, `0`, `not known` (or `not-known`, `unknown`).
    public static func parse(_ text: String, field: String) throws(FieldError) -> Figure {
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if ["not known", "not-known", "unknown"].contains(key) { return .notKnown }
        guard !key.isEmpty, key.allSatisfy(\.isASCII), let n = Int(key), n >= 0, n <= 100_000 else {
            throw FieldError.on(field, key.isEmpty ? "required: \(allowed)." : "\(FieldError.quote(text)) is not \(allowed).")
        }
        return .known(n)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) {
            guard n >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a figure is 0 or more") }
            self = .known(n)
        } else if try c.decode(String.self) == "not-known" {
            self = .notKnown
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a figure is a number or \"not-known\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .known(let n): try c.encode(n)
        case .notKnown: try c.encode("not-known")
        }
    }
}

/// A calendar month, `2026-11`.
public struct FieldMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    public static func of(_ day: FieldDay) -> FieldMonth { FieldMonth(year: day.year, month: day.month) ?? .init(unchecked: day) }
    private init(unchecked day: FieldDay) { year = day.year; month = day.month }

    public static func of(_ date: Date, calendar: Calendar = .london) -> FieldMonth { of(FieldDay.on(date, calendar: calendar)) }

    public func adding(months n: Int) -> FieldMonth {
        let index = year * 12 + (month - 1) + n
        return FieldMonth(year: index / 12, month: index % 12 + 1) ?? self
    }

    public static func < (a: FieldMonth, b: FieldMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    /// "Nov 2026"
    public var label: String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[month - 1]) \(year)"
    }
    public var firstDay: FieldDay { FieldDay(year: year, month: month, day: 1) ?? FieldDay.epoch }
    public var lastDay: FieldDay { adding(months: 1).firstDay.adding(days: -1) }

    /// `2026-11`, not after the current month.
    public static func parse(_ text: String, field: String, now: Date, calendar: Calendar = .london) throws(FieldError) -> FieldMonth {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              let month = FieldMonth(year: y, month: m)
        else { throw FieldError.on(field, "\(FieldError.quote(text)) is not a month. Use YYYY-MM, e.g. 2026-11.") }
        if month > of(now, calendar: calendar) {
            throw FieldError.on(field, "\(month) is in the future. A month's figures are for this month or earlier.")
        }
        return month
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        let parts = text.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), let month = FieldMonth(year: y, month: m) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a month is YYYY-MM")
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The five figures of SIM guide §57 (the sixth splits §57's last one in two).
public enum MDSMeasure: String, CaseIterable, Sendable, Codable {
    case policeIncidents = "police-incidents"
    case ambulance
    case ed
    case bedDays = "bed-days"
    case s136
    case mhaAssessments = "mha-assessments"

    /// The words of §57.
    public var title: String {
        switch self {
        case .policeIncidents: "Police incidents (all types)"
        case .ambulance: "Ambulance deployments"
        case .ed: "Emergency department attendances needing treatment"
        case .bedDays: "Mental health bed days"
        case .s136: "Section 136 detentions"
        case .mhaAssessments: "Mental Health Act assessments"
        }
    }

    /// A short label for charts and CSV headers.
    public var short: String {
        switch self {
        case .policeIncidents: "Police incidents"
        case .ambulance: "Ambulance"
        case .ed: "ED attendances"
        case .bedDays: "MH bed days"
        case .s136: "S136 detentions"
        case .mhaAssessments: "MHA assessments"
        }
    }
}

/// A person's minimum data set for one month (record kind `mds`), SIM guide §57: "the
/// following data should be gathered for each service user who agreed to mentoring and
/// was supported on three or more occasions: Police incidents (all types), Ambulance
/// deployments, Emergency Department attendances requiring treatment, Mental Health bed
/// days, Section 136 detentions and Mental Health Act assessments." Each figure is a
/// count or "not known".
///
/// JSON keys: `month` (`YYYY-MM`), `figures` (measure → number or `"not-known"`), `note`
/// (absent when none).
public struct MonthlyFigures: RecordPayload {
    public static let recordKind = RecordKind.mds

    public let month: FieldMonth
    public let figures: [MDSMeasure: Figure]
    public let note: String?

    public init(month: FieldMonth, figures: [MDSMeasure: Figure], note: String?) throws(FieldError) {
        for m in MDSMeasure.allCases where figures[m] == nil {
            throw FieldError.on(m.rawValue, "required: \(Figure.allowed).")
        }
        self.month = month
        self.figures = figures
        self.note = FieldText.optional(note)
    }

    public func figure(_ m: MDSMeasure) -> Figure { figures[m] ?? .notKnown }

    /// The sum of the known figures (the month's demand on services), and how many are not known.
    public var knownTotal: Int { MDSMeasure.allCases.compactMap { figure($0).value }.reduce(0, +) }
    public var notKnownCount: Int { MDSMeasure.allCases.filter { figure($0) == .notKnown }.count }

    enum CodingKeys: String, CodingKey { case month, figures, note }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        month = try c.decode(FieldMonth.self, forKey: .month)
        let raw = try c.decode([String: Figure].self, forKey: .figures)
        var figures: [MDSMeasure: Figure] = [:]
        for (k, v) in raw {
            guard let m = MDSMeasure(rawValue: k) else {
                throw DecodingError.dataCorruptedError(forKey: .figures, in: c, debugDescription: "unknown measure")
            }
            figures[m] = v
        }
        self.figures = figures
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(month, forKey: .month)
        try c.encode(Dictionary(uniqueKeysWithValues: figures.map { ($0.key.rawValue, $0.value) }), forKey: .figures)
        try c.encodeIfPresent(note, forKey: .note)
    }

    public func validate() throws(FieldError) {
        for m in MDSMeasure.allCases where figures[m] == nil { throw FieldError.on(m.rawValue, "missing") }
    }
}

extension MonthlyFigures {
    public static var form: FormSpec { .mds }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String {
        "data set \(month): " + MDSMeasure.allCases.map { "\($0.rawValue) \(figure($0))" }.joined(separator: ", ")
    }
}

/// What the law or the police did about an offence (PAVE SOP §8, and the FOI replies in
/// seeds 000 and 001, which could not count them: "we do not centrally record the information").
public enum EnforcementKind: String, Codable, Sendable, FieldChoice {
    case arrest, caution, prosecution
    case criminalBehaviourOrder = "criminal-behaviour-order"
    case acceptableBehaviourContract = "acceptable-behaviour-contract"
    case communityBehaviourOrder = "community-behaviour-order"

    public static var choiceNoun: String { "an enforcement outcome" }

    public var title: String {
        switch self {
        case .arrest: "Arrest"
        case .caution: "Caution"
        case .prosecution: "Prosecution"
        case .criminalBehaviourOrder: "Criminal behaviour order"
        case .acceptableBehaviourContract: "Acceptable behaviour contract"
        case .communityBehaviourOrder: "Community behaviour order"
        }
    }
}

/// An enforcement outcome (record kind `enforcement`): an arrest, a caution, a
/// prosecution, or a behaviour order or contract, on a day — a record of its own so it
/// can be counted (`report team`). SIM guide §29: an arrest "is not considered a negative
/// outcome by the mentors but rather an event where clearly set boundaries have been
/// reinforced".
///
/// JSON keys: `outcome`, `on`, `note` (absent when none), `currentRisk`.
public struct EnforcementOutcome: RecordPayload {
    public static let recordKind = RecordKind.enforcement

    public let outcome: EnforcementKind
    public let on: FieldDay
    public let note: String?
    public let currentRisk: RiskGrade

    public init(outcome: EnforcementKind, on: FieldDay, note: String?, currentRisk: RiskGrade, now: Date, calendar: Calendar = .london) throws(FieldError) {
        try on.checkNotAfterToday(field: "on", what: "The day of the outcome", now: now, calendar: calendar)
        self.outcome = outcome
        self.on = on
        self.note = FieldText.optional(note)
        self.currentRisk = currentRisk
    }
}

extension EnforcementOutcome {
    public static var form: FormSpec { .enforcement }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "enforcement: \(outcome.rawValue) on \(on)" }
}
