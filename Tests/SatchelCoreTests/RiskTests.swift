import Foundation
import Testing
@testable import SatchelCore

struct RiskMatrixTests {
    /// The documented table (RiskMatrix.md): rows likelihood 1-5, columns impact 1-5.
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
        let grade = try RiskMatrix.grade(likelihood: likelihood, impact: impact)
        #expect(grade == Self.documented[likelihood - 1][impact - 1])
    }

    @Test(arguments: [
        (0, 3, "--likelihood: 0 is out of range. Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."),
        (6, 3, "--likelihood: 6 is out of range. Likelihood is scored 1-5 (1 = rare, 5 = almost certain)."),
        (3, 0, "--impact: 0 is out of range. Impact is scored 1-5 (1 = negligible, 5 = catastrophic)."),
        (3, 9, "--impact: 9 is out of range. Impact is scored 1-5 (1 = negligible, 5 = catastrophic)."),
    ])
    func outOfRange(likelihood: Int, impact: Int, message: String) {
        let error = fieldError { _ = try RiskMatrix.grade(likelihood: likelihood, impact: impact) }
        #expect(error?.message == message)
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
}
