import Foundation
import SatchelCore
import Testing
@testable import SatchelSync

/// Obviously fictional records for the mapping tests. Fixed ids and times so goldens are stable.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 2026-11-23T12:00:00Z
    static let subject = uuid("6b5984af-60f6-4573-b59f-daa5b9938b23")
    static let calendar = Calendar.london

    static func uuid(_ text: String) -> UUID {
        UUID(uuidString: text) ?? UUID()
    }

    static func encode<T: Encodable>(_ payload: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(payload))
    }

    static func record(_ id: String, _ kind: RecordKind, body: [UInt8], role: Role = .clinician,
                       amends: UUID? = nil, subjectID: UUID? = nil, formVersion: Int = 1) -> OutgoingRecord {
        OutgoingRecord(id: uuid(id), kind: kind, subjectID: subjectID ?? subject,
                       authorID: "worker-test-01", authorRole: role, authorName: "Mentor Example",
                       createdAt: now.addingTimeInterval(-1800), finalisedAt: now, amendsID: amends,
                       formVersion: formVersion, body: body)
    }

    static func serviceUser() throws -> OutgoingRecord {
        let user = try ServiceUser(
            name: "Testy McTestface", alias: "testy-m", dob: FieldDay(year: 1990, month: 1, day: 1),
            nhsNumber: try NHSNumber(parsing: "943 476 5919"), address: "1 Test Street, Testtown, TE5 7ST",
            policeRef: "TEST/0001/26", leadClinician: "Dr Example Clinician", cpa: true, paveTier: .two,
            now: now, calendar: calendar)
        return record(subject.uuidString, .serviceUser, body: try encode(user))
    }

    static func serviceUserWithoutNHSNumber() throws -> OutgoingRecord {
        let user = try ServiceUser(name: "Cher", now: now, calendar: calendar)
        return record("11111111-2222-4333-8444-555555555555", .serviceUser, body: try encode(user),
                      role: .police, subjectID: uuid("11111111-2222-4333-8444-555555555555"))
    }

    static func contact(kind: ContactKind = .faceToFace, id: String = "25a73af1-b205-4e05-bf30-d111fa1209eb") throws -> OutgoingRecord {
        let held = kind != .didNotAttend && kind != .attempted
        let c = try Contact(kind: kind, at: now.addingTimeInterval(-5400), place: "Service user's home (fictional)",
                            minutes: held ? 60 : 0, present: held ? ["Aunt Testy-Jones"] : [],
                            relative: kind == .phoneFamily ? "Uncle Testy-Jones" : nil,
                            summary: "Fictional visit: talked through the week and the plan.",
                            currentRisk: .medium, now: now, calendar: calendar)
        return record(id, .contact, body: try encode(c))
    }

    /// A face-to-face contact with a relative, a professional and a police mentor present (SIM guide §24, §55).
    static func contactWithEveryonePresent() throws -> OutgoingRecord {
        let c = try Contact(kind: .faceToFace, at: now.addingTimeInterval(-5400), place: "Testtown library (fictional)",
                            minutes: 45, present: ["Aunt Testy-Jones"],
                            professionals: [Professional(name: "Dr Fictional", organisation: "Testshire Ambulance Service"),
                                            Professional(name: "PC Testy Officer", organisation: "Testshire Police", police: true)],
                            summary: "Fictional meeting: housing support and the crisis plan.",
                            currentRisk: .medium, now: now, calendar: calendar)
        return record("5d0a3c1e-7b2f-4c11-9a40-3e2d9f6b8c70", .contact, body: try encode(c))
    }

    static func risk(domain: RiskDomain = .clinical, role: Role = .clinician,
                     id: String = "0f50368c-0e49-4625-91e1-25ab13f485fb", amends: UUID? = nil,
                     matrix: RiskMatrix = .satchel) throws -> OutgoingRecord {
        let e = try RiskAssessmentEntry(
            progress: "Fictional: attending sessions.", mentalState: "Fictional: settled, some low mood.",
            risk: "Fictional: risk of harm to self when drinking.", plan: "Fictional: weekly visits; crisis line card given.",
            likelihood: 3, impact: 4, domain: domain, author: role, matrix: matrix)
        return record(id, .risk, body: try encode(e), role: role, amends: amends)
    }

    static func top() throws -> OutgoingRecord {
        let substances = try TOPSubstances(
            alcohol: TOPSubstanceUse(days: WeeklyDays(2, 3, 1, 0, flag: "alcohol"), amount: .value(6.5), substance: .alcohol),
            crack: TOPSubstanceUse(days: .declined, amount: nil, substance: .crack),
            cannabis: TOPSubstanceUse(days: WeeklyDays(7, 7, 7, 7, flag: "cannabis"), amount: .declined, substance: .cannabis),
            other: TOPSubstanceUse(days: WeeklyDays(0, 1, 0, 0, flag: "other"), amount: .value(1), substance: .other),
            otherName: .value("Fictional pills"),
            tobacco: WeeklyDays(7, 7, 7, 7, flag: "tobacco"))
        let injecting = try TOPInjecting(days: WeeklyDays(0, 0, 1, 0, flag: "injecting"),
                                         sharedNeedles: .value(false), sharedParaphernalia: .declined)
        let crime = try TOPCrime(shoplifting: WeeklyDays(week4: .value(0), week3: .declined, week2: .value(0),
                                                         week1: .value(0), flag: "shoplifting"),
                                 drugSelling: .zero, vehicleTheft: .value(false), propertyTheft: .declined,
                                 fraud: .value(false), assault: .value(true))
        let health = try TOPHealth(psychHealth: .value(9), physicalHealth: .value(14), qualityOfLife: .declined,
                                   paidWork: .zero, college: WeeklyDays(1, 1, 0, 0, flag: "college"),
                                   acuteHousing: .value(false), evictionRisk: .value(true))
        let form = try TOPForm(stage: .review, interviewDate: FieldDay(year: 2026, month: 11, day: 20) ?? .on(now),
                               substances: substances, injecting: injecting, crime: crime, health: health,
                               currentRisk: .medium, now: now, calendar: calendar)
        return record("b37c09a5-f087-4a97-a077-21b9cf19147f", .top, body: try encode(form),
                      role: .substanceMisuse, formVersion: form.formVersion)
    }

    static func consent(scope: ConsentScope = .share, decision: ConsentDecision = .given,
                        id: String = "913498a7-3060-42c0-849c-c0651ae2769b") throws -> OutgoingRecord {
        let with = scope == .involve ? "Aunt Testy-Jones" : "Example Mentoring Service"
        let method: ConsentMethod = scope == .discloseFamily ? .written : .verbal
        let review = decision == .given ? FieldDay(year: 2027, month: 5, day: 23) : nil
        let reason = Consent.needsReason(scope: scope, decision: decision) ? "Fictional: wants a break from appointments." : nil
        let c = try Consent(scope: scope, with: with, decision: decision, method: method, reviewDate: review,
                            currentRisk: .low, reason: reason, now: now, calendar: calendar)
        return record(id, .consent, body: try encode(c))
    }

    static func boundary() throws -> OutgoingRecord {
        let b = try BoundaryDiscussion(
            behaviour: "Fictional: repeated late-night calls to the mentor's work phone.",
            boundary: "Calls only between 9am and 5pm on weekdays.",
            consequence: "Calls outside those hours will go to voicemail and be logged.",
            legalExplained: true, response: "Fictional: agreed and apologised.", author: .police, currentRisk: .medium)
        return record("bcbe78c8-fc10-49a3-81fb-60b76027d106", .boundary, body: try encode(b), role: .police)
    }

    static func capacity(_ judgement: CapacityJudgement = .insufficient) throws -> OutgoingRecord {
        let a = try CapacityAssessment(
            communicate: .init(able: true, note: "Fictional: talked clearly about the week."),
            understand: .init(able: true, note: "Fictional: repeated the plan back."),
            retain: .init(able: judgement == .sufficient, note: "Fictional: could not recall the morning's agreement."),
            employ: .init(able: judgement == .sufficient, note: "Fictional: decisions not yet safe."),
            judgement: judgement, currentRisk: .medium)
        return record("5c0d3b1e-7a4f-4c55-9d2e-0f1e2d3c4b5a", .capacity, body: try encode(a))
    }

    static func permission() throws -> OutgoingRecord {
        let given = try #require(FieldDay(year: 2026, month: 11, day: 20))
        let p = try MentoringPermission(
            leadClinician: "Dr Fictional Leadperson", givenOn: given,
            note: "Fictional: review after six sessions.", now: now, calendar: calendar)
        return record("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", .permission, body: try encode(p))
    }

    static func death() throws -> OutgoingRecord {
        let d = try DeathNotification(
            diedAt: now.addingTimeInterval(-3600), source: "Fictional: the ward rang the team.", note: nil,
            policeContacts: [now.addingTimeInterval(-30 * 3600)], now: now, calendar: calendar)
        return record("d3a7c0de-1111-4222-8333-944455556666", .death, body: try encode(d), role: .police)
    }

    /// A police mentor's disclosure to prevent serious harm, scored with the matrix (SIM §50).
    static func disclosure() throws -> OutgoingRecord {
        let d = try Disclosure(
            to: "police", recipient: .destination, records: [uuid("b7e1c2d3-4f50-4a61-8b72-c3d4e5f60718")], from: nil,
            basis: .preventSeriousHarm, reason: "Fictional: threatened to harm a neighbour during the visit.",
            likelihood: 4, impact: 4, decidedBy: "Mentor Example", currentRisk: .high)
        return record("d15c1050-0000-4000-8000-00000000d15c", .disclosure, body: try encode(d), role: .police)
    }
}
