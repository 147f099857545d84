import Foundation
import SatchelCore
import SatchelStore

/// Reads records pulled by `caseload pull` back into Satchel's own values: which of this
/// device's people a pulled Patient is, and a colleague's risk grades and involvement
/// consents in the shape Satchel writes them (`RiskAssessmentMapping`, `ConsentMapping`).
/// A resource that does not say what Satchel needs is left out, never guessed.
public enum PulledRecords {
    static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"

    /// A colleague's risk grade: when it was assessed and, when the resource says so, the domain.
    public struct Risk: Sendable, Equatable {
        public var grade: RiskGrade
        public var domain: RiskDomain?
        public var assessedAt: Date
    }

    // MARK: - Linking

    /// The pulled Patients (of any destination) that are `person`: the same NHS number, or
    /// Satchel's own record identifier naming this device's record of them (only the
    /// device that created the person sends that). (destination, Patient id on that server).
    public static func patients(_ pulled: [ReferenceResource], matching person: ServiceUser, id: UUID) -> [(destination: String, serverID: String)] {
        let ownID = id.uuidString.lowercased()
        return pulled.compactMap { r in
            guard r.resourceType == "Patient", let json = object(r.body) else { return nil }
            let identifiers = (json["identifier"] as? [[String: Any]]) ?? []
            let matches = identifiers.contains { i in
                let value = (i["value"] as? String).map { $0.filter { !$0.isWhitespace } }
                switch i["system"] as? String {
                case nhsNumberSystem: return value != nil && value == person.nhsNumber?.digits
                case FHIRMapper.identifierSystem: return value?.lowercased() == ownID
                default: return false
                }
            }
            return matches ? (r.destination, r.resourceID) : nil
        }
    }

    // MARK: - Risk

    /// A pulled RiskAssessment's grade: the `current-risk` extension, else a prediction's
    /// Satchel grade coding, else its risk-probability coding (high, moderate, low); the
    /// domain from a Satchel `risk-domain` code. Nil without a grade or a date.
    public static func risk(_ r: ReferenceResource) -> Risk? {
        guard r.resourceType == "RiskAssessment", let json = object(r.body),
              let at = (json["occurrenceDateTime"] as? String).flatMap(instant)
        else { return nil }
        if let status = json["status"] as? String, ["cancelled", "entered-in-error"].contains(status) { return nil }
        let extensions = (json["extension"] as? [[String: Any]]) ?? []
        let current = extensions.first { $0["url"] as? String == MappingContext.ext("current-risk") }
            .flatMap { ($0["valueCoding"] as? [String: Any])?["code"] as? String }
            .flatMap(RiskGrade.init(rawValue:))
        let codings = ((json["prediction"] as? [[String: Any]]) ?? []).flatMap { p in
            ((p["qualitativeRisk"] as? [String: Any])?["coding"] as? [[String: Any]]) ?? []
        }
        let satchel = codings.first { $0["system"] as? String == MappingContext.codeSystem("risk-grade") }
            .flatMap { ($0["code"] as? String).flatMap(RiskGrade.init(rawValue:)) }
        let probability = codings.first { $0["system"] as? String == RiskAssessmentMapping.probabilitySystem }
            .flatMap { c -> RiskGrade? in
                switch c["code"] as? String {
                case "high": .high
                case "moderate": .medium
                case "low": .low
                default: nil
                }
            }
        guard let grade = current ?? satchel ?? probability else { return nil }
        let domain = ((json["code"] as? [String: Any])?["coding"] as? [[String: Any]])?
            .first { $0["system"] as? String == MappingContext.codeSystem("risk-domain") }
            .flatMap { ($0["code"] as? String).flatMap(RiskDomain.init(rawValue:)) }
        return Risk(grade: grade, domain: domain, assessedAt: at)
    }

    /// A pulled RiskAssessment as a colleague's contributory grade to endorse (`risk
    /// endorse`): it must be `preliminary` and carry what Satchel writes — the domain, the
    /// likelihood and impact, the progress, mental state and risk notes and the plan
    /// (`RiskAssessmentMapping`). What is missing is named, never guessed.
    public static func contribution(_ r: ReferenceResource) throws(FieldError) -> RiskAssessmentEntry.Contribution {
        func refuse(_ why: String) -> FieldError { FieldError(field: "record", message: "record: \(why)") }
        guard r.resourceType == "RiskAssessment", let json = object(r.body), let graded = risk(r) else {
            throw refuse("\(r.resourceType)/\(r.resourceID) is not a risk assessment with a grade; only a colleague's contributory risk assessment can be endorsed.")
        }
        let status = json["status"] as? String ?? "no status"
        guard status == "preliminary" else {
            throw refuse("\(r.resourceType)/\(r.resourceID) is \(status), not a contributory (preliminary) grade: there is nothing to endorse.")
        }
        guard let domain = graded.domain else { throw refuse("it does not say its risk domain (clinical or criminal), so who has the final say is not known.") }
        let prediction = ((json["prediction"] as? [[String: Any]]) ?? []).first
        let scores = (prediction?["extension"] as? [[String: Any]]) ?? []
        func score(_ name: String) -> Int? {
            scores.first { $0["url"] as? String == MappingContext.ext(name) }?["valueInteger"] as? Int
        }
        let notes = ((json["note"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }
        func note(_ heading: String) -> String? {
            notes.first { $0.hasPrefix(heading + ": ") }.map { String($0.dropFirst(heading.count + 2)) }
        }
        guard let likelihood = score("risk-likelihood"), let impact = score("risk-impact") else {
            throw refuse("it does not carry a likelihood and an impact, so its grade cannot be checked on this device's matrix.")
        }
        guard let progress = note("Progress"), let mentalState = note("Mental state"), let riskText = note("Risk"),
              let plan = json["mitigation"] as? String
        else { throw refuse("it does not carry the progress, mental state, risk and plan as Satchel writes them; record your own with `risk add`.") }
        let method = ((json["method"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
        let version = r.versionID ?? (json["meta"] as? [String: Any])?["versionId"] as? String
        let performer = (json["performer"] as? [String: Any])?["display"] as? String
        return RiskAssessmentEntry.Contribution(
            progress: progress, mentalState: mentalState, risk: riskText, plan: plan, likelihood: likelihood, impact: impact,
            grade: graded.grade, domain: domain, method: method,
            endorsement: RiskEndorsement(destination: r.destination, resourceID: r.resourceID, version: version, gradedBy: performer, assessedAt: graded.assessedAt))
    }

    // MARK: - Consent

    /// A pulled Consent as a ledger entry, only for the involvement of a named person
    /// (Satchel's `consent-scope` category `involve`, the person in `provision.actor`):
    /// status active → given, rejected → refused, inactive → withdrawn; recorded at its
    /// `dateTime`. Other scopes are not read: sharing is decided by this device's records.
    public static func involvement(_ r: ReferenceResource) -> ConsentLedger.Entry? {
        guard r.resourceType == "Consent", let json = object(r.body),
              let at = (json["dateTime"] as? String).flatMap(instant)
        else { return nil }
        let categories = ((json["category"] as? [[String: Any]]) ?? []).flatMap { ($0["coding"] as? [[String: Any]]) ?? [] }
        guard categories.contains(where: { $0["system"] as? String == MappingContext.codeSystem("consent-scope") && $0["code"] as? String == ConsentScope.involve.rawValue })
        else { return nil }
        let decision: ConsentDecision
        switch json["status"] as? String {
        case "active": decision = .given
        case "rejected": decision = .refused
        case "inactive": decision = .withdrawn
        default: return nil
        }
        let provision = json["provision"] as? [String: Any]
        guard let who = ((provision?["actor"] as? [[String: Any]])?.first?["reference"] as? [String: Any])?["display"] as? String else { return nil }
        let extensions = (json["extension"] as? [[String: Any]]) ?? []
        func ext(_ name: String, _ key: String) -> Any? { extensions.first { $0["url"] as? String == MappingContext.ext(name) }?[key] }
        var fields: [String: Any] = [
            "scope": ConsentScope.involve.rawValue, "with": who, "decision": decision.rawValue,
            "method": (ext("consent-method", "valueCode") as? String).flatMap(ConsentMethod.init(rawValue:))?.rawValue ?? ConsentMethod.verbal.rawValue,
            // Required by the record shape; a pulled consent never sets the risk default.
            "currentRisk": ((ext("current-risk", "valueCoding") as? [String: Any])?["code"] as? String).flatMap(RiskGrade.init(rawValue:))?.rawValue
                ?? RiskGrade.low.rawValue,
        ]
        if let reason = ext("consent-reason", "valueString") as? String { fields["reason"] = reason }
        guard let data = try? JSONSerialization.data(withJSONObject: fields),
              let consent = try? JSONDecoder().decode(Consent.self, from: data)
        else { return nil }
        return ConsentLedger.Entry(consent: consent, recordedAt: at)
    }

    // MARK: - Plans and flags

    /// A pulled Flag's words (`code.text`, else its first coding's display), when it is active.
    public static func flag(_ r: ReferenceResource) -> String? {
        guard r.resourceType == "Flag", let json = object(r.body), (json["status"] as? String ?? "active") == "active" else { return nil }
        let code = json["code"] as? [String: Any]
        let coding = (code?["coding"] as? [[String: Any]])?.first
        return (code?["text"] as? String) ?? (coding?["display"] as? String) ?? (coding?["code"] as? String)
    }

    /// A pulled active CarePlan's lines: its notes (Satchel writes each §26 item as
    /// "Label: value"), else its description. Nil for any other resource.
    public static func planLines(_ r: ReferenceResource) -> [String]? {
        guard r.resourceType == "CarePlan", let json = object(r.body), (json["status"] as? String ?? "active") == "active" else { return nil }
        let notes = ((json["note"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }
        if !notes.isEmpty { return notes }
        return (json["description"] as? String).map { [$0] } ?? []
    }

    // MARK: - Listing

    /// When a pulled resource says it happened (assessed, decided, recorded), else when the
    /// server last changed it; nil when it says neither.
    public static func date(_ r: ReferenceResource) -> Date? {
        let json = object(r.body)
        let period = (json?["period"] as? [String: Any])?["start"] as? String
        let when = [json?["occurrenceDateTime"] as? String, json?["dateTime"] as? String, json?["created"] as? String, period, r.lastUpdated]
        return when.compactMap { $0 }.lazy.compactMap(instant).first
    }

    /// A few words for `history`: "risk assessment: High (clinical)", "consent: involve Aunt
    /// Testy, given", "response plan", "flag", "encounter"; the type for anything else.
    public static func summary(_ r: ReferenceResource) -> String {
        if let risk = risk(r) { return "risk assessment: \(risk.grade.label)\(risk.domain.map { " (\($0.rawValue))" } ?? "")" }
        if let entry = involvement(r) { return "consent: involve \(entry.consent.with), \(entry.consent.decision.rawValue)" }
        switch r.resourceType {
        case "RiskAssessment": return "risk assessment"
        case "Consent": return "consent"
        case "CarePlan": return "response plan"
        case "Flag": return "flag"
        case "Encounter": return "encounter"
        case "Patient": return "the person's details"
        default: return r.resourceType
        }
    }

    // MARK: - Reading

    static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// A FHIR dateTime or instant with a time (with or without fractional seconds).
    static func instant(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
