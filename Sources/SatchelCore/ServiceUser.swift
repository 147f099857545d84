import Foundation

/// The person being supported (record kind `service-user`).
///
/// JSON keys: `name`, `alias`, `dob`, `nhsNumber`, `address`, `policeRef`,
/// `leadClinician`, `cpa`, `careCoordinator`, `paveTier` (optional keys are absent when unknown).
///
/// A person's details change (an NHS number learnt later, a new address, CPA after a
/// discharge): `user update` records a new service-user record that amends the latest,
/// with the same subject; the newest is the person as they are now.
public struct ServiceUser: Codable, Equatable, Sendable {
    public static let recordKind = RecordKind.serviceUser

    public let name: String
    /// How the person is referred to at the prompt, e.g. `testy-m`.
    public let alias: String?
    public let dob: FieldDay?
    public let nhsNumber: NHSNumber?
    public let address: String?
    public let policeRef: String?
    public let leadClinician: String?
    /// Under the Care Programme Approach.
    public let cpa: Bool?
    /// The care co-ordinator under CPA (PAVE SOP §9); only with `cpa` true.
    public let careCoordinator: String?
    public let paveTier: PaveTier?

    public static let aliasLength = 2...24
    static let aliasRule = "An alias is 2-24 characters: lowercase letters, digits and hyphens (e.g. testy-m)."

    /// Validates and builds a service user. `name` is required; `alias` must match
    /// ``parseAlias(_:field:)``; `dob` must be today or earlier and within 120 years.
    /// Blank optional text becomes nil.
    public init(name: String, alias: String? = nil, dob: FieldDay? = nil, nhsNumber: NHSNumber? = nil,
                address: String? = nil, policeRef: String? = nil, leadClinician: String? = nil,
                cpa: Bool? = nil, careCoordinator: String? = nil, paveTier: PaveTier? = nil,
                now: Date, calendar: Calendar = .london) throws(FieldError) {
        self.name = try FieldText.required(name, field: "name", label: "the name")
        if let alias = FieldText.optional(alias) {
            self.alias = try Self.parseAlias(alias)
        } else {
            self.alias = nil
        }
        if let dob {
            _ = try FieldDay.dateOfBirth(dob.iso, field: "dob", now: now, calendar: calendar)
        }
        self.dob = dob
        self.nhsNumber = nhsNumber
        self.address = FieldText.optional(address)
        self.policeRef = FieldText.optional(policeRef)
        self.leadClinician = FieldText.optional(leadClinician)
        self.cpa = cpa
        self.careCoordinator = FieldText.optional(careCoordinator)
        if self.careCoordinator != nil, cpa != true {
            throw FieldError.on("care-coordinator", "a care co-ordinator is named only for a person under CPA. Answer --cpa yes, or leave it out.")
        }
        self.paveTier = paveTier
    }

    /// The answers that would make this record again: a form opened to amend it starts from them.
    public var formAnswers: FormAnswers? {
        FormAnswers([
            "name": name, "alias": alias, "dob": dob?.iso, "nhs-number": nhsNumber?.formatted, "address": address,
            "police-ref": policeRef, "lead-clinician": leadClinician, "cpa": cpa.map(YesNo.word),
            "care-coordinator": careCoordinator, "pave-tier": paveTier.map { String($0.rawValue) },
        ])
    }

    /// Checks an alias: 2-24 of `a-z`, `0-9`, `-`.
    /// `--alias: "Testy M" is not a valid alias. An alias is 2-24 characters: lowercase letters, digits and hyphens (e.g. testy-m).`
    public static func parseAlias(_ text: String, field: String = "alias") throws(FieldError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let allowed = trimmed.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
        }
        guard allowed, aliasLength.contains(trimmed.count) else {
            throw FieldError.on(field, "\(FieldError.quote(text)) is not a valid alias. \(aliasRule)")
        }
        return trimmed
    }

    /// Initials for the prompt: "Testy McTestface" → "T.M.", "Aunt Testy-Jones" → "A.T.".
    public var initials: String {
        name.split(whereSeparator: { $0.isWhitespace })
            .compactMap { $0.first(where: { $0.isLetter }) }
            .map { $0.uppercased() + "." }
            .joined()
    }
}

extension ServiceUser: RecordPayload {
    public static var form: FormSpec { .serviceUser }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String { "service user" }
}
