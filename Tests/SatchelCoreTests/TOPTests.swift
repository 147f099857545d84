import Foundation
import Testing
@testable import SatchelCore

struct TOPParsingTests {
    static let daysRule = "Days in a week are 0-7, or \"declined\"."
    static let ratingRule = "Ratings are 0-20 (0 = poor, 20 = good), or \"declined\"."

    @Test(arguments: [
        ("alcohol-week-1", "9", "--alcohol-week-1: 9 is out of range. \(daysRule)"),
        ("alcohol-week-1", "8", "--alcohol-week-1: 8 is out of range. \(daysRule)"),
        ("injecting-week-4", "-1", "--injecting-week-4: -1 is out of range. \(daysRule)"),
        ("paid-work-week-2", "lots", "--paid-work-week-2: \"lots\" is not a number of days. \(daysRule)"),
        ("tobacco-week-3", "", "--tobacco-week-3: an answer is required. \(daysRule)"),
        ("psych-health", "21", "--psych-health: 21 is out of range. \(ratingRule)"),
        ("quality-of-life", "-1", "--quality-of-life: -1 is out of range. \(ratingRule)"),
        ("physical-health", "ok", "--physical-health: \"ok\" is not a rating. \(ratingRule)"),
        ("alcohol-amount", "-2", "--alcohol-amount: -2 is out of range. Give the average UK units/day on a using day: a number of 0 or more (e.g. 2.5), or \"declined\"."),
        ("cannabis-amount", "a few", "--cannabis-amount: \"a few\" is not an amount. Give the average spliffs/day on a using day: a number of 0 or more (e.g. 2.5), or \"declined\"."),
        ("shared-needles", "maybe", "--shared-needles: \"maybe\" is not a yes/no answer. Allowed: yes, no, declined."),
        ("no-such-item", "1", "--no-such-item: there is no TOP item with this name. Type ? for the list of items."),
    ])
    func badValues(flag: String, text: String, message: String) {
        var answers = TOPAnswers()
        let error = fieldError { try answers.set(flag, text) }
        #expect(error == FieldError(field: flag, message: message))
    }

    @Test(arguments: [
        ("alcohol-week-1", "7", TOPValue.days(.value(7))),
        ("alcohol-week-1", "0", .days(.value(0))),
        ("alcohol-week-1", "Declined", .days(.declined)),
        ("alcohol-amount", "2.5", .amount(.value(2.5))),
        ("shared-needles", "YES", .yesNo(.value(true))),
        ("fraud", "no", .yesNo(.value(false))),
        ("assault", "declined", .yesNo(.declined)),
        ("psych-health", "20", .rating(.value(20))),
        ("other-name", " Ketamine ", .name(.value("Ketamine"))),
    ])
    func goodValues(flag: String, text: String, value: TOPValue) throws {
        #expect(try TOPField.named(flag)?.parse(text) == value)
    }

    @Test func tableHasEveryItemOnce() {
        let flags = TOPField.all.map(\.flag)
        #expect(Set(flags).count == flags.count)
        // 7 substances × (4 weeks + amount) + other-name + tobacco 4 weeks = 40;
        // injecting 4 + 2; crime 8 + 4; health 3 + 8 + 2.
        #expect(flags.count == 40 + 6 + 12 + 13)
        #expect(!flags.contains("tobacco-amount"))
        #expect(flags.prefix(5) == ["alcohol-week-4", "alcohol-week-3", "alcohol-week-2", "alcohol-week-1", "alcohol-amount"])
        #expect(TOPField.all.allSatisfy { !$0.question.isEmpty && !$0.allowed.isEmpty })
    }
}

struct TOPFormTests {
    /// Answers for every item: no use, no crime, mid ratings.
    static func baseline() -> [String: String] {
        var texts: [String: String] = [:]
        for field in TOPField.all {
            switch field.kind {
            case .days: texts[field.flag] = "0"
            case .yesNo: texts[field.flag] = "no"
            case .rating: texts[field.flag] = "10"
            case .amount, .name: break
            }
        }
        texts["shared-needles"] = nil
        texts["shared-paraphernalia"] = nil
        return texts
    }

    static func form(_ texts: [String: String]) throws(FieldError) -> TOPForm {
        try TOPAnswers(parsing: texts).form(stage: .review, interviewDate: day(2026, 11, 23),
                                            currentRisk: .medium, now: testNow)
    }

    @Test(arguments: [
        ((0, 0, 0, 0), 0), ((7, 7, 7, 7), 28), ((1, 2, 3, 4), 10), ((0, 7, 0, 1), 8),
    ])
    func totalIsSumOfWeeks(weeks: (Int, Int, Int, Int), total: Int) throws {
        let days = try WeeklyDays(weeks.0, weeks.1, weeks.2, weeks.3, flag: "alcohol")
        #expect(days.total == .value(total))
    }

    @Test func declinedWeekMakesTotalUnknown() throws {
        let days = try WeeklyDays(week4: .value(3), week3: .declined, week2: .value(1), week1: .value(0), flag: "crack")
        #expect(days.total == .declined)
        #expect(!days.any && !days.none)
    }

    @Test func baselineFormIsValid() throws {
        let form = try Self.form(Self.baseline())
        #expect(form.formVersion == 2)
        #expect(form.substances.alcohol.amount == nil)
        #expect(form.injecting.sharing == false)
        #expect(form.health.psychHealth == .value(10))
    }

    @Test func useRequiresAmount() throws {
        var texts = Self.baseline()
        texts["alcohol-week-1"] = "3"
        let error = fieldError { _ = try Self.form(texts) }
        #expect(error?.message == "--alcohol-amount: an answer is required because alcohol use was recorded in the past 4 weeks. Give the average UK units/day on a using day: a number of 0 or more (e.g. 2.5), or \"declined\".")
        texts["alcohol-amount"] = "12.5"
        let form = try Self.form(texts)
        #expect(form.substances.alcohol.days.total == .value(3))
        #expect(form.substances.alcohol.amount == .value(12.5))
    }

    @Test func otherSubstanceNeedsAName() throws {
        var texts = Self.baseline()
        texts["other-week-2"] = "2"
        texts["other-amount"] = "1"
        #expect(fieldError { _ = try Self.form(texts) }?.field == "other-name")
        texts["other-name"] = "Ketamine"
        #expect(try Self.form(texts).substances.otherName == .value("Ketamine"))
    }

    @Test func injectingSectionEndsWhenTotalIsZero() throws {
        var answers = try TOPAnswers(parsing: Self.baseline())
        #expect(answers.nextField == nil)
        let needles = try #require(TOPField.named("shared-needles"))
        #expect(!answers.isAsked(needles))
        try answers.set("shared-needles", "no")
        let error = fieldError {
            _ = try answers.form(stage: .review, interviewDate: day(2026, 11, 23), currentRisk: .low, now: testNow)
        }
        #expect(error?.message == "--shared-needles: this item is skipped because no injecting was recorded in the past 4 weeks. Leave it out.")
    }

    @Test func injectingAsksSharingAndDerivesFlag() throws {
        var texts = Self.baseline()
        texts["injecting-week-1"] = "2"
        var answers = try TOPAnswers(parsing: texts)
        #expect(answers.nextField?.flag == "shared-needles")
        try answers.set("shared-needles", "no")
        #expect(answers.nextField?.flag == "shared-paraphernalia")
        try answers.set("shared-paraphernalia", "yes")
        #expect(answers.nextField == nil)
        let form = try answers.form(stage: .start, interviewDate: day(2026, 11, 20), currentRisk: .high, now: testNow)
        #expect(form.injecting.sharing == true)

        let bothNo = try TOPInjecting(days: WeeklyDays(0, 0, 1, 0, flag: "injecting"),
                                      sharedNeedles: .value(false), sharedParaphernalia: .value(false))
        #expect(bothNo.sharing == false)
        let declined = try TOPInjecting(days: WeeklyDays(0, 0, 1, 0, flag: "injecting"),
                                        sharedNeedles: .declined, sharedParaphernalia: .value(false))
        #expect(declined.sharing == nil)
    }

    @Test func missingItemIsNamed() {
        var texts = Self.baseline()
        texts["eviction-risk"] = nil
        #expect(fieldError { _ = try Self.form(texts) }?.message
            == "--eviction-risk: an answer is required. Allowed: yes, no, declined.")
    }

    @Test func exitFormWithEverythingDeclinedIsValid() throws {
        var texts: [String: String] = [:]
        for field in TOPField.all { texts[field.flag] = "declined" }
        let form = try TOPAnswers(parsing: texts).form(stage: .exit, interviewDate: day(2026, 11, 23),
                                                       currentRisk: .low, now: testNow)
        #expect(form == (try TOPForm.allDeclined(stage: .exit, interviewDate: day(2026, 11, 23),
                                                 currentRisk: .low, now: testNow)))
        #expect(form.injecting.sharing == nil)
    }

    @Test func interviewDateNotInFuture() {
        let error = fieldError { _ = try TOPForm.parseInterviewDate("24/11/2026", now: testNow) }
        #expect(error?.message == "--interview-date: 24/11/2026 is in the future. An interview date must be today or earlier.")
    }

    @Test func declinedIsDistinctFromZeroInJSON() throws {
        var texts = Self.baseline()
        texts["alcohol-week-4"] = "declined"
        texts["psych-health"] = "declined"
        texts["fraud"] = "declined"
        let form = try Self.form(texts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(form)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""alcohol":{"days":{"week1":0,"week2":0,"week3":0,"week4":"declined"}}"#))
        #expect(json.contains(#""psychHealth":"declined""#))
        #expect(json.contains(#""fraud":"declined""#))
        #expect(json.contains(#""formVersion":2"#))
        let back = try JSONDecoder().decode(TOPForm.self, from: data)
        #expect(back == form)
        #expect(back.substances.alcohol.days.week4 == .declined)
        #expect(back.substances.alcohol.days.week3 == .value(0))
        #expect(back.health.psychHealth == .declined)
        #expect(fieldError { try back.validate() } == nil)
    }

    @Test func decodedOutOfRangeIsCaughtByValidate() throws {
        let form = try Self.form(Self.baseline())
        let json = String(decoding: try JSONEncoder().encode(form), as: UTF8.self)
            .replacingOccurrences(of: #""psychHealth":10"#, with: #""psychHealth":25"#)
        let back = try JSONDecoder().decode(TOPForm.self, from: Data(json.utf8))
        #expect(fieldError { try back.validate() }?.message == "--psych-health: 25 is out of range. \(TOPParsingTests.ratingRule)")
    }
}
