import Foundation
import Testing
@testable import SatchelCore

struct RiskMatrixTests {
    /// The documented default (docs/risk-matrix.md): rows likelihood 1-5, columns impact 1-5.
    static let documented: [[RiskGrade]] = [
        [.low, .low, .low, .low, .medium],
        [.low, .low, .medium, .medium, .medium],
        [.low, .medium, .medium, .medium, .high],
        [.low, .medium, .medium, .high, .high],
        [.medium, .medium, .high, .high, .high],
    ]

    static let cells: [(Int, Int)] = (1...5).flatMap { l in (1...5).map { i in (l, i) } }

    @Test(arguments: cells)
    func fullTable(likelihood: Int, impact: Int) throws {
        let grade = try RiskMatrix.satchel.grade(likelihood: likelihood, impact: impact)
        #expect(grade == Self.documented[likelihood - 1][impact - 1])
    }

    @Test(arguments: [
        (0, 3, "--likelihood: 0 is out of range. Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."),
        (6, 3, "--likelihood: 6 is out of range. Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."),
        (3, 0, "--impact: 0 is out of range. Impact is scored 1-5 (1 = negligible, 5 = catastrophic)."),
        (3, 9, "--impact: 9 is out of range. Impact is scored 1-5 (1 = negligible, 5 = catastrophic)."),
    ])
    func outOfRange(likelihood: Int, impact: Int, message: String) {
        let error = fieldError { _ = try RiskMatrix.satchel.grade(likelihood: likelihood, impact: impact) }
        #expect(error?.message == message)
    }

    @Test func defaultIsSatchelsOwnVersionOne() {
        #expect(RiskMatrix.satchel.code == "satchel-5x5-v1")
        #expect(RiskMatrix.satchel.bands == "Low 1-4, Medium 5-14, High 15-25")
    }

    /// A team's matrix: Low 1-3, Medium 4-9, High 10-25.
    @Test(arguments: [(1, 3, RiskGrade.low), (2, 2, .medium), (3, 3, .medium), (2, 5, .high), (5, 5, .high)])
    func teamMatrixBands(likelihood: Int, impact: Int, grade: RiskGrade) throws {
        let team = try RiskMatrix(id: "testshire-rqm", version: 2, mediumFrom: 4, highFrom: 10)
        #expect(try team.grade(likelihood: likelihood, impact: impact) == grade)
        #expect(team.code == "testshire-rqm-v2")
    }

    @Test(arguments: [
        ("Testshire", 1, 4, 10, "id", "\"Testshire\" is not a matrix id. Allowed: 1-40 lower-case letters, digits or -, starting with a letter."),
        ("satchel-5x5", 2, 4, 10, "id", "\"satchel-5x5\" is Satchel's own default matrix. Name your team's matrix, e.g. \"testshire-rqm\"."),
        ("t", 0, 4, 10, "version", "0 is not a version. Allowed: a whole number from 1; raise it whenever the bands change."),
        ("t", 1, 1, 10, "medium-from", "1 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)."),
        ("t", 1, 10, 10, "high-from", "10 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)."),
        ("t", 1, 4, 26, "high-from", "26 is out of range. Allowed: 2 ≤ medium-from < high-from ≤ 25 (scores are likelihood × impact, 1-25)."),
    ])
    func badTeamMatrix(id: String, version: Int, medium: Int, high: Int, field: String, message: String) {
        let error = fieldError { _ = try RiskMatrix(id: id, version: version, mediumFrom: medium, highFrom: high) }
        #expect(error == FieldError(field: field, message: message))
    }

    @Test func parseScore() throws {
        #expect(try RiskMatrix.parseScore(" 4 ", field: "likelihood") == 4)
        let error = fieldError { _ = try RiskMatrix.parseScore("lots", field: "impact") }
        #expect(error?.message == "--impact: \"lots\" is not a score. Impact is scored 1-5 (1 = negligible, 5 = catastrophic).")
    }

    @Test(arguments: [
        (RiskGrade?.some(.medium), RiskGrade.high, "Risk raised from Medium to High"),
        (RiskGrade?.some(.high), RiskGrade.low, "Risk lowered from High to Low"),
        (RiskGrade?.some(.medium), RiskGrade.medium, "Risk unchanged at Medium"),
        (RiskGrade?.none, RiskGrade.low, "Risk first assessed as Low"),
    ])
    func change(previous: RiskGrade?, current: RiskGrade, text: String) {
        #expect(current.change(from: previous) == text)
    }

    @Test func unknownGrade() {
        let error = fieldError { _ = try RiskGrade.parse("severe", field: "risk") }
        #expect(error?.message == "--risk: \"severe\" is not a risk grade. Allowed: high, medium, low.")
    }
}

struct RiskAssessmentEntryTests {
    @Test(arguments: [
        (RiskDomain.clinical, Role.clinician, Authority.final),
        (.clinical, .police, .contributory),
        (.clinical, .substanceMisuse, .contributory),
        (.criminal, .police, .final),
        (.criminal, .clinician, .contributory),
        (.criminal, .substanceMisuse, .contributory),
    ])
    func authority(domain: RiskDomain, role: Role, expected: Authority) throws {
        let entry = try RiskAssessmentEntry(progress: "Engaging", mentalState: "Settled", risk: "Relapse",
                                            plan: "Weekly visits", likelihood: 3, impact: 5,
                                            domain: domain, author: role)
        #expect(entry.authority == expected)
        #expect(entry.grade == .high)
        #expect(entry.currentRisk == .high)
    }

    @Test func blankPlanIsRefused() {
        let error = fieldError {
            _ = try RiskAssessmentEntry(progress: "p", mentalState: "m", risk: "r", plan: "  ",
                                        likelihood: 1, impact: 1, domain: .clinical, author: .clinician)
        }
        #expect(error?.message == "--plan: the plan is required and cannot be blank.")
    }

    @Test func jsonRoundTripAndTamperCheck() throws {
        let entry = try RiskAssessmentEntry(progress: "p", mentalState: "m", risk: "r", plan: "x",
                                            likelihood: 2, impact: 3, domain: .criminal, author: .police)
        let data = try JSONEncoder().encode(entry)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["grade"] as? String == "medium")
        #expect(object?["currentRisk"] as? String == "medium")
        #expect(object?["authority"] as? String == "final")
        #expect(try JSONDecoder().decode(RiskAssessmentEntry.self, from: data) == entry)
        let tampered = Data(String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "\"likelihood\":2", with: "\"likelihood\":5").utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RiskAssessmentEntry.self, from: tampered) }
    }

    @Test("an entry keeps the team's matrix; decoding checks its grade against that matrix, not the default")
    func teamMatrixIsKept() throws {
        let team = try RiskMatrix(id: "testshire-rqm", version: 2, mediumFrom: 4, highFrom: 10)
        let entry = try RiskAssessmentEntry(progress: "p", mentalState: "m", risk: "r", plan: "x",
                                            likelihood: 2, impact: 5, domain: .clinical, author: .clinician, matrix: team)
        #expect(entry.grade == .high)  // 10: Medium on the default
        let data = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(RiskAssessmentEntry.self, from: data) == entry)
        let widened = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"highFrom\":10", with: "\"highFrom\":11").utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RiskAssessmentEntry.self, from: widened) }
    }

    @Test("an entry written before the matrix was kept decodes as graded on Satchel's default")
    func entryWithoutMatrixDecodes() throws {
        let old = #"{"progress":"p","mentalState":"m","risk":"r","plan":"x","likelihood":2,"impact":3,"grade":"medium","currentRisk":"medium","domain":"clinical","authority":"final"}"#
        let entry = try JSONDecoder().decode(RiskAssessmentEntry.self, from: Data(old.utf8))
        #expect(entry.matrix == .satchel)
        #expect(entry.grade == .medium)
    }
}
