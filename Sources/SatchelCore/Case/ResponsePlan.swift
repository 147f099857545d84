import Foundation

/// A response plan (record kind `plan`), SIM guide §26: "plans written by the mentors
/// (ideally with the full participation and consent of the patient). They outline how
/// emergency, health and community responders should assist the patient if they are in
/// crisis." It holds the eight things §26 says a plan "must include", whether the person
/// took part in writing it, and when it is next reviewed. A person has one plan: `plan
/// update` writes its next version (an amendment), and every version is the same CarePlan
/// on the wire.
///
/// JSON keys: `nameAndAddress`, `diagnosis`, `diagnosisExplained`, `capacity`,
/// `crisisBehaviours`, `crisisLocations`, `boundaries`, `placesOfSafety`, `nominated`
/// (a list; may be empty), `mentors`, `coProduced`, `reviewOn`, `currentRisk`.
public struct ResponsePlan: RecordPayload {
    public static let recordKind = RecordKind.plan
    /// The review date offered: three months on.
    public static let reviewAfterDays = 91

    public let nameAndAddress: String
    public let diagnosis: String
    /// "a simple explanation of that diagnosis"
    public let diagnosisExplained: String
    public let capacity: String
    public let crisisBehaviours: String
    public let crisisLocations: String
    /// "The agreed behavioural boundaries and what to do if those boundaries are breached"
    public let boundaries: String
    public let placesOfSafety: String
    /// "Nominated people to whom they can be taken when in crisis": each with an
    /// involvement consent on record (SIM guide §24).
    public let nominated: [String]
    public let mentors: String
    /// Whether the person took part in writing it ("ideally with the full participation").
    public let coProduced: Bool
    public let reviewOn: FieldDay
    public let currentRisk: RiskGrade

    public struct Items: Sendable {
        public var nameAndAddress = "", diagnosis = "", diagnosisExplained = "", capacity = ""
        public var crisisBehaviours = "", crisisLocations = "", boundaries = "", placesOfSafety = ""
        public var nominated: [String] = []
        public var mentors = ""
        public init() {}
    }

    public init(_ items: Items, coProduced: Bool, reviewOn: FieldDay, currentRisk: RiskGrade) throws(FieldError) {
        nameAndAddress = try FieldText.required(items.nameAndAddress, field: "name-address", label: "the person's name and address")
        diagnosis = try FieldText.required(items.diagnosis, field: "diagnosis", label: "the current diagnosis")
        diagnosisExplained = try FieldText.required(items.diagnosisExplained, field: "diagnosis-explained", label: "a simple explanation of the diagnosis")
        capacity = try FieldText.required(items.capacity, field: "capacity", label: "the current assessment of capacity")
        crisisBehaviours = try FieldText.required(items.crisisBehaviours, field: "crisis-behaviours", label: "the common crisis behaviours")
        crisisLocations = try FieldText.required(items.crisisLocations, field: "crisis-locations", label: "the common crisis locations")
        boundaries = try FieldText.required(items.boundaries, field: "boundaries", label: "the agreed boundaries and what to do if they are breached")
        placesOfSafety = try FieldText.required(items.placesOfSafety, field: "places-of-safety", label: "the chosen places of safety")
        nominated = items.nominated
        mentors = try FieldText.required(items.mentors, field: "mentors", label: "the names of the mentors")
        self.coProduced = coProduced
        self.reviewOn = reviewOn
        self.currentRisk = currentRisk
    }

    /// The eight items of SIM guide §26, each with the words a person in crisis and a
    /// responder read: the plan's document and its FHIR notes say them in this order.
    public var items: [(label: String, value: String)] {
        [
            ("Name and address", nameAndAddress),
            ("Diagnosis", diagnosis),
            ("What the diagnosis means", diagnosisExplained),
            ("Mental capacity", capacity),
            ("Crisis behaviours", crisisBehaviours),
            ("Where crises happen", crisisLocations),
            ("Agreed boundaries and if breached", boundaries),
            ("Places of safety", placesOfSafety),
            ("Nominated people", nominated.isEmpty ? "none nominated" : nominated.joined(separator: "; ")),
            ("Mentors", mentors),
        ]
    }

    /// True when the review date has come (today or earlier).
    public func reviewDue(now: Date, calendar: Calendar = .london) -> Bool {
        reviewOn <= FieldDay.on(now, calendar: calendar)
    }
}

extension ResponsePlan {
    public static var form: FormSpec { .plan }
    public var statedRisk: RiskGrade? { currentRisk }
    public var summaryLine: String { "response plan\(coProduced ? " (co-produced)" : ""), review by \(reviewOn)" }
}

/// What a plan's form offers from what is on record (SIM guide §26: the items Satchel
/// already knows).
public struct PlanOffers: Sendable, Equatable {
    /// The person's name and address from their record.
    public var nameAndAddress: String?
    /// The latest capacity assessment, in words with its date.
    public var capacity: String?
    /// The boundaries agreed in boundary discussions, each with its consequence.
    public var boundaries: String?
    /// The worker and the case's named worker.
    public var mentors: String?

    public init() {}
}

/// Which document a letter is (PAVE SOP §7 and §10).
public enum LetterPurpose: String, Codable, Sendable, FieldChoice {
    /// To the referrer: the MDT outcome and its rationale (§7).
    case outcomeLetter = "outcome-letter"
    /// To the GP at discharge: an overview of the work and a management plan (§10).
    case gpLetter = "gp-letter"
    /// For the person at discharge: their contacts and contingency plan (§10).
    case contactsSheet = "contacts-and-contingency"

    public static var choiceNoun: String { "a letter" }

    public var title: String {
        switch self {
        case .outcomeLetter: "Outcome of your referral"
        case .gpLetter: "Discharge from the team: letter to the GP"
        case .contactsSheet: "Your contacts and contingency plan"
        }
    }
}

/// A letter or sheet the team hands over (record kind `letter`): written by Satchel when
/// an outcome or a discharge is finalised, final from then on (a change is a new version,
/// with `amend`), delivered as a PDF (FHIR `DocumentReference`) and printed with
/// `letter print`. The body is plain text: paragraphs separated by blank lines; a
/// paragraph of one line ending in ":" is a heading.
///
/// JSON keys: `purpose`, `to`, `body`.
public struct Letter: RecordPayload {
    public static let recordKind = RecordKind.letter

    public let purpose: LetterPurpose
    public let to: String
    public let body: String

    public init(purpose: LetterPurpose, to: String, body: String) throws(FieldError) {
        self.purpose = purpose
        self.to = try FieldText.required(to, field: "to", label: "who the letter is for")
        self.body = try FieldText.required(body, field: "body", label: "the letter's text")
    }

    /// The body as (heading, paragraphs) sections, in order; text before the first
    /// heading has an empty heading.
    public var sections: [(heading: String, paragraphs: [String])] {
        var out: [(heading: String, paragraphs: [String])] = []
        for block in body.components(separatedBy: "\n\n") {
            let text = block.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            if !text.contains("\n"), text.hasSuffix(":") {
                out.append((String(text.dropLast()), []))
            } else if out.isEmpty {
                out.append(("", [text]))
            } else {
                out[out.count - 1].paragraphs.append(text)
            }
        }
        return out
    }
}

extension Letter {
    public static var form: FormSpec { .letter }
    public var statedRisk: RiskGrade? { nil }
    public var summaryLine: String { "\(purpose.rawValue) to \(to)" }
}
