import Foundation
import Testing
@testable import SatchelCore

struct ContactTests {
    static func contact(present: [String] = [], minutes: Int = 45, at: Date = testNow) throws(FieldError) -> Contact {
        try Contact(kind: .faceToFace, at: at, place: "Home", minutes: minutes, present: present,
                    summary: "Talked about the week.", currentRisk: .medium, now: testNow)
    }

    @Test func exactlySevenKinds() {
        #expect(ContactKind.allCases.map(\.rawValue) == [
            "face-to-face", "phone", "phone-family", "did-not-attend", "attempted", "offence", "significant-event",
        ])
        #expect(ContactKind.allCases.allSatisfy { $0.summary.hasSuffix(".") })
    }

    @Test(arguments: [
        ("visit", "--kind: \"visit\" is not a contact kind. Allowed: face-to-face, phone, phone-family, did-not-attend, attempted, offence, significant-event."),
        ("", "--kind: a contact kind is required. Allowed: face-to-face, phone, phone-family, did-not-attend, attempted, offence, significant-event."),
    ])
    func unknownKind(input: String, message: String) {
        #expect(fieldError { _ = try ContactKind.parse(input, field: "kind") } == FieldError(field: "kind", message: message))
    }

    @Test(arguments: [("Face-To-Face", ContactKind.faceToFace), (" did-not-attend ", .didNotAttend)])
    func kindIgnoresCase(input: String, kind: ContactKind) throws {
        #expect(try ContactKind.parse(input, field: "kind") == kind)
    }

    @Test(arguments: [
        ("1441", "--minutes: 1441 is out of range. Minutes are 0-1440 (a contact cannot last more than a day)."),
        ("-5", "--minutes: -5 is out of range. Minutes are 0-1440 (a contact cannot last more than a day)."),
        ("an hour", "--minutes: \"an hour\" is not a number of minutes. Minutes are 0-1440 (a contact cannot last more than a day)."),
    ])
    func badMinutes(input: String, message: String) {
        #expect(fieldError { _ = try Contact.parseMinutes(input) }?.message == message)
    }

    @Test func futureContactRefused() {
        let error = fieldError { _ = try Self.contact(at: testNow.addingTimeInterval(3600)) }
        #expect(error?.message == "--at: 23/11/2026 15:00 is in the future. A contact can only be recorded at or before now.")
    }

    @Test func presentWithoutConsent() throws {
        let contact = try Self.contact(present: ["Aunt  Testy "])
        let error = fieldError { try contact.checkPresent(against: ConsentLedger([]), asOf: testNow) }
        #expect(error == FieldError(field: "present", message: "--present: no involvement consent on record for \"Aunt Testy\". Record it first: consent add --scope involve --with \"Aunt Testy\" --decision given"))
    }

    @Test func withdrawnConsentBlocks() throws {
        let ledger = ConsentLedger([
            .init(consent: try consent(.involve, "Aunt Testy", .given), recordedAt: testNow.addingTimeInterval(-7200)),
            .init(consent: try consent(.involve, "aunt testy", .withdrawn), recordedAt: testNow.addingTimeInterval(-3600)),
        ])
        let contact = try Self.contact(present: ["Aunt Testy"])
        let error = fieldError { try contact.checkPresent(against: ledger, asOf: testNow) }
        #expect(error?.message == "--present: involvement consent for \"Aunt Testy\" was withdrawn. Only record them as present once they consent again: consent add --scope involve --with \"Aunt Testy\" --decision given")
        // Before the withdrawal the same contact would have been accepted.
        #expect(fieldError { try contact.checkPresent(against: ledger, asOf: testNow.addingTimeInterval(-5000)) } == nil)
    }

    @Test func consentedPersonAndOtherScopesDoNotCount() throws {
        let ledger = ConsentLedger([
            .init(consent: try consent(.involve, "Aunt Testy", .given), recordedAt: testNow),
            .init(consent: try consent(.share, "Uncle Testy", .given), recordedAt: testNow),
        ])
        #expect(fieldError { try Self.contact(present: ["AUNT TESTY"]).checkPresent(against: ledger, asOf: testNow) } == nil)
        let error = fieldError { try Self.contact(present: ["Uncle Testy"]).checkPresent(against: ledger, asOf: testNow) }
        #expect(error?.field == "present")
    }

    @Test func jsonKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(try Self.contact(present: ["Aunt Testy"]))
        #expect(String(decoding: data, as: UTF8.self) == #"{"at":"2026-11-23T14:00:00Z","currentRisk":"medium","kind":"face-to-face","minutes":45,"present":["Aunt Testy"],"summary":"Talked about the week.","where":"Home"}"#)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Contact.self, from: data) == (try Self.contact(present: ["Aunt Testy"])))
    }
}

struct BoundaryAndServiceUserTests {
    @Test(arguments: [(Role.police, Authority.final), (.clinician, .contributory), (.substanceMisuse, .contributory)])
    func boundaryAuthority(role: Role, expected: Authority) throws {
        let b = try BoundaryDiscussion(behaviour: "Shouting", boundary: "No shouting", consequence: "Visit ends",
                                       legalExplained: true, response: "Agreed", author: role, currentRisk: .low)
        #expect(b.authority == expected)
    }

    @Test func boundaryBlankConsequence() {
        let error = fieldError {
            _ = try BoundaryDiscussion(behaviour: "b", boundary: "b", consequence: "", legalExplained: false,
                                       response: "r", author: .police, currentRisk: .low)
        }
        #expect(error?.message == "--consequence: the consequence is required and cannot be blank.")
    }

    @Test(arguments: [("Testy McTestface", "T.M."), ("  aunt testy-jones ", "A.T."), ("Testy", "T.")])
    func initials(name: String, expected: String) throws {
        #expect(try ServiceUser(name: name, now: testNow).initials == expected)
    }

    @Test(arguments: ["Testy M", "t", "testy_m", "a-very-long-alias-for-testy"])
    func badAlias(alias: String) {
        let error = fieldError { _ = try ServiceUser(name: "Testy McTestface", alias: alias, now: testNow) }
        #expect(error?.message == "--alias: \(FieldError.quote(alias)) is not a valid alias. An alias is 2-24 characters: lowercase letters, digits and hyphens (e.g. testy-m).")
    }

    @Test func serviceUserRoundTrip() throws {
        let user = try ServiceUser(name: "Testy McTestface", alias: "testy-m", dob: day(1990, 4, 1),
                                   nhsNumber: NHSNumber(parsing: "943 476 5919"), cpa: true, paveTier: .two,
                                   now: testNow)
        let data = try JSONEncoder().encode(user)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["paveTier"] as? Int == 2)
        #expect(object?["dob"] as? String == "1990-04-01")
        #expect(try JSONDecoder().decode(ServiceUser.self, from: data) == user)
        #expect(fieldError { _ = try PaveTier.parse("4", field: "pave-tier") }?.message
            == "--pave-tier: \"4\" is not a PAVE tier. Allowed: 1, 2, 3.")
    }

    @Test func futureDateOfBirthOnServiceUser() {
        let error = fieldError { _ = try ServiceUser(name: "Testy", dob: day(2027, 1, 1), now: testNow) }
        #expect(error?.message == "--dob: 01/01/2027 is in the future. A date of birth must be today or earlier.")
    }
}

struct FieldChoiceTests {
    @Test(arguments: [
        ("maybe", "cpa", "--cpa: \"maybe\" is not a yes/no answer. Allowed: yes, no."),
        ("doctor", "role", "--role: \"doctor\" is not a role. Allowed: clinician, police, substance-misuse."),
    ])
    func uniformMessages(text: String, field: String, message: String) {
        let error = fieldError {
            if field == "cpa" { _ = try YesNo.parseBool(text, field: field) } else { _ = try Role.parse(text, field: field) }
        }
        #expect(error == FieldError(field: field, message: message))
    }

    @Test func stagesAndMethods() throws {
        #expect(try TOPStage.parse("Post-Exit", field: "stage") == .postExit)
        #expect(try ConsentMethod.parse("written", field: "method") == .written)
        #expect(try YesNo.parseBool("YES", field: "cpa"))
    }
}
