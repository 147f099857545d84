/// The lawful basis a disclosure without consent rests on: the cases of SIM guide §48-52
/// (between agencies) and §56 (to family and friends). The code is what the worker
/// types and what is sent on the wire (`https://satchel.example/CodeSystem/lawful-basis`).
public enum LawfulBasis: String, Codable, Sendable, FieldChoice {
    /// §48: "data can be shared if by doing so the vital interests of data subject are protected".
    case vitalInterests = "vital-interests"
    /// §49 (and §56): necessary to apprehend, to prevent an offence, or to reduce offending
    /// being committed at that time.
    case preventDetectCrime = "prevent-detect-crime"
    /// §50 (and §56, imminent): to prevent death or serious injury to the service user or
    /// any other person. §50 recommends the risk matrix, so it is scored with it.
    case preventSeriousHarm = "prevent-serious-harm"
    /// §52: a dynamic incident, decided on a "sincerely held belief that sharing data is in
    /// the service user's best interests".
    case dynamicIncident = "dynamic-incident"
    /// §56: to locate the service user and bring them back into lawful custody they
    /// absconded from (Mental Health Act 1983).
    case locateAbsconded = "locate-absconded"

    public static var choiceNoun: String { "a lawful basis" }

    /// The section of the SIM guide it comes from.
    public var section: String {
        switch self {
        case .vitalInterests: "§48"
        case .preventDetectCrime: "§49"
        case .preventSeriousHarm: "§50"
        case .dynamicIncident: "§52"
        case .locateAbsconded: "§56"
        }
    }

    public var label: String {
        switch self {
        case .vitalInterests: "the vital interests of the service user"
        case .preventDetectCrime: "preventing or detecting crime"
        case .preventSeriousHarm: "preventing death or serious injury"
        case .dynamicIncident: "a dynamic incident, on a sincerely held belief"
        case .locateAbsconded: "locating a patient absent from lawful custody (Mental Health Act 1983)"
        }
    }

    /// The bases §56 allows for telling family or friends without consent.
    public static let toFamily: [LawfulBasis] = [.preventDetectCrime, .preventSeriousHarm, .locateAbsconded]
}
