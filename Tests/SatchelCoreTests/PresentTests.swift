import Foundation
import Testing
@testable import SatchelCore

/// SIM guide §24 and §55: family and friends present need their involvement consent,
/// professionals present come with their organisation and need none; a phone-family
/// contact names the relative called.
struct PresentTests {
    /// Aunt Testy's involvement consent, given a minute ago.
    static func auntGiven() throws -> ConsentLedger {
        ConsentLedger([.init(consent: try consent(.involve, "Aunt Testy", .given), recordedAt: testNow.addingTimeInterval(-60))])
    }

    static func context(_ ledger: ConsentLedger = ConsentLedger([])) -> FormContext {
        var c = FormContext(now: testNow, role: .clinician)
        c.consents = ledger
        return c
    }

    static func answers(_ extra: [String: String]) -> FormAnswers {
        FormAnswers(values: ["kind": "face-to-face", "at": "now", "where": "home", "minutes": "30", "summary": "A fictional visit.", "risk": "low"]
            .merging(extra) { $1 })
    }

    static func build(_ extra: [String: String], _ ledger: ConsentLedger = ConsentLedger([])) throws(FieldError) -> Contact {
        let built = try FormSpec.contact.build(answers(extra), context(ledger))
        guard let contact = built.payload as? Contact else { throw FieldError(field: "unexpected", message: "not a contact") }
        return contact
    }

    @Test(arguments: [
        ("Dr Fictional (Testshire Ambulance Service)", "Dr Fictional", "Testshire Ambulance Service"),
        ("  Nurse  Testy (Testshire ED (North)) ", "Nurse Testy", "Testshire ED (North)"),
    ])
    func professionalParses(text: String, name: String, organisation: String) throws {
        let p = try Professional.parse(text, field: "professional", police: false)
        #expect(p == Professional(name: name, organisation: organisation))
        #expect(p.display == "\(name) (\(organisation))")
    }

    @Test(arguments: [
        ("Dr Fictional", "professional", "--professional: one of the entries has no organisation in brackets. Give each professional as NAME (ORGANISATION), e.g. \"Dr Fictional (Testshire Ambulance Service)\"."),
        ("(Testshire Ambulance Service)", "professional", "--professional: one of the entries has a blank name. Give each professional as NAME (ORGANISATION), e.g. \"Dr Fictional (Testshire Ambulance Service)\"."),
        ("PC Testy ( )", "police-present", "--police-present: one of the entries has a blank organisation. Give each police mentor or officer as NAME (ORGANISATION), e.g. \"PC Testy Officer (Testshire Police)\"."),
    ])
    func malformedProfessional(text: String, field: String, message: String) {
        let error = fieldError { _ = try Professional.parseList(text, field: field, police: field == "police-present") }
        #expect(error == FieldError(field: field, message: message))
    }

    @Test("a professional present needs no involvement consent; a relative present does")
    func professionalNeedsNoConsent() throws {
        let contact = try Self.build(["professional": "Dr Fictional (Testshire Ambulance Service)"])
        #expect(contact.professionals == [Professional(name: "Dr Fictional", organisation: "Testshire Ambulance Service")])
        #expect(!contact.policePresent)
        let error = fieldError { _ = try Self.build(["present": "Aunt Testy", "professional": "Dr Fictional (Testshire Ambulance Service)"]) }
        #expect(error?.field == "present")
        #expect(try Self.build(["present": "Aunt Testy"], try Self.auntGiven()).present == ["Aunt Testy"])
    }

    @Test func policePresentIsMarked() throws {
        let contact = try Self.build(["police-present": "PC Testy Officer (Testshire Police)", "professional": "Dr Fictional (Testshire ED)"])
        #expect(contact.policePresent)
        #expect(contact.professionals.map(\.police) == [false, true])
    }

    @Test("phone-family names the relative called, whose involvement consent is checked")
    func phoneFamilyNamesTheRelative() throws {
        let missing = fieldError { _ = try Self.build(["kind": "phone-family"]) }
        #expect(missing == FieldError(field: "relative", message: "--relative: a phone-family contact names the relative or friend called (SIM guide §24: they need an involvement consent). Give --relative NAME."))
        let unconsented = fieldError { _ = try Self.build(["kind": "phone-family", "relative": "Uncle Testy"], try Self.auntGiven()) }
        #expect(unconsented == FieldError(field: "relative", message: "--relative: no involvement consent on record for \"Uncle Testy\". Record it first: consent add --scope involve --with \"Uncle Testy\" --decision given"))
        #expect(try Self.build(["kind": "phone-family", "relative": "aunt testy"], try Self.auntGiven()).relative == "aunt testy")
        let notFamily = fieldError { _ = try Self.build(["relative": "Aunt Testy"], try Self.auntGiven()) }
        #expect(notFamily?.message == "--relative: only a phone-family contact names a relative called. Name family or friends who were there with --present.")
    }

    @Test func relativeAppliesOnlyToPhoneFamily() {
        let field = FormSpec.contact.field("relative")
        #expect(field?.applies(FormAnswers(values: ["kind": "phone-family"])) == true)
        #expect(field?.applies(FormAnswers(values: ["kind": "phone"])) == false)
    }

    @Test("the new fields are kept; a contact written before them decodes with none")
    func jsonKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let contact = try Contact(kind: .phoneFamily, at: testNow, place: "phone", minutes: 10, present: [],
                                  professionals: [Professional(name: "PC Testy Officer", organisation: "Testshire Police", police: true)],
                                  relative: "Aunt Testy", summary: "A fictional call.", currentRisk: .low, now: testNow)
        let data = try encoder.encode(contact)
        #expect(String(decoding: data, as: UTF8.self).contains(#""professionals":[{"name":"PC Testy Officer","organisation":"Testshire Police","police":true}],"relative":"Aunt Testy""#))
        #expect(try decoder.decode(Contact.self, from: data) == contact)
        let old = #"{"at":"2026-11-23T14:00:00Z","currentRisk":"medium","kind":"phone-family","minutes":45,"present":[],"summary":"An old call.","where":"phone"}"#
        let decoded = try decoder.decode(Contact.self, from: Data(old.utf8))
        #expect(decoded.professionals.isEmpty)
        #expect(decoded.relative == nil)
    }
}
