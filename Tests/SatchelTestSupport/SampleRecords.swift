import Foundation
import SatchelCore
import SatchelStore

/// Realistic records about obviously fictional people, finalised into a vault the
/// way the capture commands do it (payload JSON, sorted keys, ISO 8601 dates).
public enum SampleRecords {
    public static let now = Date(timeIntervalSince1970: 1_795_430_000)  // 23/11/2026

    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return Array(try e.encode(value))
    }

    @discardableResult
    public static func serviceUser(_ vault: Vault, name: String = "Testy McTestface", nhsNumber: String = "943 476 5919", routes: RoutePlan = .queueEverywhere) throws -> UUID {
        let user = try ServiceUser(
            name: name, alias: nil, dob: FieldDay(year: 1980, month: 2, day: 1), nhsNumber: try NHSNumber(parsing: nhsNumber),
            address: "1 Fictional Row, Nowhere", now: now)
        let draft = RecordDraft(kind: .serviceUser, body: try encode(user))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }

    @discardableResult
    public static func contact(_ vault: Vault, about subject: UUID, risk: RiskGrade = .low, summary: String = "Calm and engaged.", routes: RoutePlan = .queueEverywhere) throws -> UUID {
        let c = try Contact(kind: .faceToFace, at: now.addingTimeInterval(-3600), place: "home", minutes: 45, present: [], summary: summary, currentRisk: risk, now: now)
        let draft = RecordDraft(kind: .contact, subjectID: subject, body: try encode(c))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }

    @discardableResult
    public static func risk(_ vault: Vault, about subject: UUID, likelihood: Int = 4, impact: Int = 4, routes: RoutePlan = .queueEverywhere) throws -> UUID {
        let e = try RiskAssessmentEntry(
            progress: "Engaging weekly.", mentalState: "Settled, some low mood.", risk: "Self-harm risk when intoxicated.",
            plan: "Weekly visits; crisis line card given.", likelihood: likelihood, impact: impact, domain: .clinical, author: .clinician)
        let draft = RecordDraft(kind: .risk, subjectID: subject, body: try encode(e))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }

    @discardableResult
    public static func consent(_ vault: Vault, about subject: UUID, scope: ConsentScope = .share, with party: String = "nhs-epr", routes: RoutePlan = .queueEverywhere) throws -> UUID {
        let c = try Consent(scope: scope, with: party, decision: .given, method: .written, currentRisk: .low, now: now)
        let draft = RecordDraft(kind: .consent, subjectID: subject, body: try encode(c))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }

    @discardableResult
    public static func boundary(_ vault: Vault, about subject: UUID, routes: RoutePlan = .queueEverywhere) throws -> UUID {
        let b = try BoundaryDiscussion(
            behaviour: "Repeated calls to 999.", boundary: "Call the team line first.", consequence: "Positive arrest policy.",
            legalExplained: true, response: "Agreed.", author: .police, currentRisk: .medium)
        let draft = RecordDraft(kind: .boundary, subjectID: subject, body: try encode(b))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }

    @discardableResult
    public static func top(_ vault: Vault, about subject: UUID, routes: RoutePlan = .queueEverywhere) throws -> UUID {
        var items: [String: String] = [:]
        for f in TOPField.all { items[f.flag] = "declined" }
        for n in 1...4 {
            items["alcohol-week-\(n)"] = "2"
            items["injecting-week-\(n)"] = "0"
        }
        items["alcohol-amount"] = "4.5"
        items["shared-needles"] = nil
        items["shared-paraphernalia"] = nil
        let form = try TOPAnswers(parsing: items).form(stage: .review, interviewDate: FieldDay.on(now), currentRisk: .medium, now: now)
        let draft = RecordDraft(kind: .top, subjectID: subject, formVersion: TOPForm.currentFormVersion, body: try encode(form))
        try vault.saveFinal(draft, routes: routes)
        return draft.id
    }
}
